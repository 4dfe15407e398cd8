#include "redact.h"

#include <QList>
#include <QRegularExpression>
#include <QUrlQuery>

namespace dd {

namespace {

bool isSecretParameter(const QString &name)
{
    static const QLatin1String secretNames[] = {
        QLatin1String("token"),
        QLatin1String("jwt"),
        QLatin1String("access_token"),
        QLatin1String("refresh_token"),
        QLatin1String("id_token"),
        QLatin1String("md5"),
        QLatin1String("signature"),
        QLatin1String("sig"),
        QLatin1String("secret"),
        QLatin1String("password"),
        QLatin1String("passwd"),
        QLatin1String("pwd"),
        QLatin1String("apikey"),
        QLatin1String("api_key"),
        QLatin1String("auth"),
        QLatin1String("authorization"),
        QLatin1String("x-amz-signature"),
        QLatin1String("x-amz-credential"),
        QLatin1String("x-goog-signature"),
        QLatin1String("client_secret"),
        QLatin1String("shardkey"),
    };
    for (const QLatin1String &secret : secretNames) {
        if (name.compare(secret, Qt::CaseInsensitive) == 0)
            return true;
    }
    return name.endsWith(QLatin1String("_token"), Qt::CaseInsensitive) ||
           name.endsWith(QLatin1String("secret"), Qt::CaseInsensitive);
}

// A JWT is three base64url segments; the header segment always starts with "eyJ" ('{"').
const QRegularExpression &jwtPattern()
{
    static const QRegularExpression re(QStringLiteral("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*"));
    return re;
}

QByteArray redactCookieList(QByteArrayView value, bool isSetCookie)
{
    QList<QByteArray> parts = value.toByteArray().split(';');
    for (qsizetype i = 0; i < parts.size(); ++i) {
        // Set-Cookie: only the first pair is the cookie; the rest are attributes (Path, Expires, ...).
        if (isSetCookie && i > 0)
            continue;
        QByteArray &part = parts[i];
        const qsizetype eq = part.indexOf('=');
        part = eq < 0 ? QByteArray(redactedMarker) : part.left(eq + 1) + redactedMarker;
    }
    return parts.join(';');
}

QByteArray redactCredential(QByteArrayView value)
{
    const QByteArray trimmed = value.toByteArray().trimmed();
    const qsizetype space = trimmed.indexOf(' ');
    // Keep the scheme ("Bearer", "Basic") so a reader still sees what kind of credential was sent.
    if (space > 0)
        return trimmed.left(space) + ' ' + redactedMarker;
    return QByteArray(redactedMarker);
}

} // namespace

bool isCredentialHeader(QByteArrayView name)
{
    static const char *const names[] = {"authorization", "authorizationjwt", "proxy-authorization", "x-auth-token",
                                        "x-api-key"};
    for (const char *candidate : names) {
        if (name.compare(QByteArrayView(candidate), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArray redactJwts(const QByteArray &text)
{
    if (!text.contains("eyJ"))
        return text;
    return redactJwts(QString::fromUtf8(text)).toUtf8();
}

QString redactJwts(const QString &text)
{
    if (!text.contains(QLatin1String("eyJ")))
        return text;
    QString result = text;
    result.replace(jwtPattern(), QLatin1String(redactedMarker));
    return result;
}

QString redactUrl(const QUrl &url)
{
    if (!url.isValid())
        return redactJwts(url.toString(QUrl::RemovePassword));
    QUrl copy = url;
    copy.setPassword(QString());
    if (copy.hasQuery()) {
        QUrlQuery query(copy);
        auto items = query.queryItems(QUrl::FullyEncoded);
        bool changed = false;
        for (auto &item : items) {
            const QString name = QUrl::fromPercentEncoding(item.first.toUtf8());
            const QString value = QUrl::fromPercentEncoding(item.second.toUtf8());
            if (isSecretParameter(name) || jwtPattern().match(value).hasMatch()) {
                item.second = QLatin1String(redactedMarker);
                changed = true;
            }
        }
        if (changed) {
            query.setQueryItems(items);
            copy.setQuery(query);
        }
    }
    return redactJwts(copy.toString(QUrl::RemovePassword));
}

QByteArray redactHeaderValue(QByteArrayView name, QByteArrayView value)
{
    if (isCredentialHeader(name))
        return redactCredential(value);
    if (name.compare(QByteArrayView("cookie"), Qt::CaseInsensitive) == 0)
        return redactCookieList(value, false);
    if (name.compare(QByteArrayView("set-cookie"), Qt::CaseInsensitive) == 0)
        return redactCookieList(value, true);
    const QByteArray trimmed = value.toByteArray().trimmed();
    if (trimmed.startsWith("Bearer ") || trimmed.startsWith("bearer "))
        return redactCredential(value);
    if (name.compare(QByteArrayView("location"), Qt::CaseInsensitive) == 0 ||
        name.compare(QByteArrayView("content-location"), Qt::CaseInsensitive) == 0 ||
        name.compare(QByteArrayView("referer"), Qt::CaseInsensitive) == 0) {
        const QUrl url = QUrl::fromEncoded(trimmed);
        if (url.isValid())
            return redactUrl(url).toUtf8();
    }
    return redactJwts(value.toByteArray());
}

QString redactSecrets(const QString &text)
{
    QString s = text;
    if (s.contains(QLatin1String("eyJ")))
        s = redactJwts(s);
    // Query and form parameters that carry credentials; document keys ("key", "doc") stay.
    static const QRegularExpression param(QStringLiteral(
        R"((?i)([?&;\s"]|^)((?:access_|refresh_|id_)?token|jwt|md5|signature|sig|secret|client_secret|password|passwd|pwd|api_?key|auth|shardkey)=([^&\s"';,]+))"));
    static const QRegularExpression bearer(QStringLiteral(R"((?i)\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,})"));
    static const QRegularExpression userinfo(QStringLiteral(R"(\b([a-z][a-z0-9+.-]*://[^/\s:@]+):[^@\s/]+@)"));
    static const QRegularExpression jsonSecret(
        QStringLiteral(R"re((?i)("(?:secret|password|token|jwt_secret|jwt)"\s*:\s*")[^"]*")re"));
    if (s.contains(QLatin1Char('=')))
        s.replace(param, QStringLiteral("\\1\\2=REDACTED"));
    if (s.contains(QLatin1String("Bearer"), Qt::CaseInsensitive) ||
        s.contains(QLatin1String("Basic"), Qt::CaseInsensitive))
        s.replace(bearer, QStringLiteral("\\1 REDACTED"));
    if (s.contains(QLatin1Char('@')))
        s.replace(userinfo, QStringLiteral("\\1:REDACTED@"));
    if (s.contains(QLatin1Char('"')))
        s.replace(jsonSecret, QStringLiteral("\\1REDACTED\""));
    return s;
}

} // namespace dd
