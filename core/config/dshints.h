#pragma once

#include <QString>

namespace dd {

/// Whether a host, upstream, container or server name looks like Document Server's
/// ("onlyoffice", "documentserver", "docservice", a "ds"/"docs"/"office" label, ...).
bool looksLikeDocServerName(const QString &name);

/// Whether a location/path pattern only makes sense in front of Document Server
/// (/doc/, websocket, ConvertService, web-apps, cache/files, the versioned prefix, ...).
bool looksLikeDocServerPath(const QString &pattern);

/// Whether `segment` is the first path segment of an endpoint Document Server itself serves
/// ("doc", "web-apps", "healthcheck", "9.0.3-abc", ...), as opposed to a virtual path prefix.
bool isDocServerEndpointSegment(const QString &segment);

} // namespace dd
