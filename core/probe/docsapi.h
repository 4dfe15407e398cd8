#pragma once

#include <QString>
#include <QUrl>

namespace dd {

/// `path` (starting with '/') under Document Server's base URL: the base's path prefix is kept
/// (a DS published under /ds-vpath/), its query and fragment are dropped.
QUrl docsApiUrl(const QUrl &base, const QString &path);

/**
 * Document Server 8.2 moved two API addresses: /coauthoring/CommandService.ashx to /command and
 * /ConvertService.ashx to /converter. The probes ask the old address first, which every version
 * and most proxy configurations answer; when it answers 404 (a proxy that routes only the new
 * names, or a version without the old ones) they ask again here. For a URL on an old address,
 * the same URL on the new one; for any other URL, an empty QUrl.
 */
QUrl docsApiCurrentUrl(const QUrl &legacy);

} // namespace dd
