#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QUrl>

namespace dd {

/// What replaces a secret in anything we print, log or report.
inline constexpr char redactedMarker[] = "REDACTED";

/**
 * Returns `url` as text with its secrets replaced: the userinfo password is dropped, and
 * the values of query parameters that carry credentials (token, jwt, access_token, md5,
 * signature, secret, password, api_key, ...) become "REDACTED", as does any value that is
 * a JWT whatever its name. Document keys (`key`, `doc`, `fileId`) stay readable: DS uses
 * them as identifiers, and an admin needs them to match log lines.
 */
QString redactUrl(const QUrl &url);

/**
 * Returns the value of header `name` fit for output: credentials in Authorization,
 * AuthorizationJwt, Proxy-Authorization become "<scheme> REDACTED"; cookie values become
 * "REDACTED" while cookie names and Set-Cookie attributes stay; any other header keeps its
 * value except for embedded JWTs and URL tokens (Location, Referer).
 */
QByteArray redactHeaderValue(QByteArrayView name, QByteArrayView value);

/// Replaces every JWT-shaped token ("eyJ...<dot>...<dot>...") in `text` with "REDACTED".
QByteArray redactJwts(const QByteArray &text);
QString redactJwts(const QString &text);

/// Removes secrets from free text (log lines, summaries, excerpts): credential query and form
/// parameters, Bearer/Basic values, URL passwords, JSON secret fields and JWTs. Document keys
/// stay readable.
QString redactSecrets(const QString &text);

/// True for header names whose whole value is a credential (case-insensitive).
bool isCredentialHeader(QByteArrayView name);

} // namespace dd
