#pragma once

#include "lab/httpmessage.h"

#include <QByteArray>
#include <QString>

namespace dd::dsurl {

/**
 * The base URL docservice 8.x builds every absolute URL from (Common/sources/utils.js getBaseUrl):
 * X-Forwarded-Proto when it is exactly http or https (else the connection's scheme, http),
 * X-Forwarded-Host else Host (else "localhost"), then X-Forwarded-Prefix; no trailing slash.
 */
QString baseUrl(const HttpRequest &request);

/**
 * A signed /cache/files link as storage-fs.js getSignedUrl makes it: `_` in the base URL escaped
 * as `%5f` (RFC 1123 hosts), `md5` = base64url(md5(expires + uri + secret)) with uri =
 * /cache/files/`path`/`friendlyName`, which DS's nginx checks with secure_link.
 */
QString signedCacheUrl(const QString &baseUrl, const QString &path, const QString &friendlyName,
                       const QByteArray &secret, qint64 expiresSecs);

} // namespace dd::dsurl
