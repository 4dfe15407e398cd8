#include "logredact.h"

#include "byteview.h"
#include "util/redact.h"

#include <QRegularExpression>

namespace dd {
namespace logredact {

namespace {

QString redactSecrets(QString s)
{
    if (s.contains(QLatin1String("eyJ")))
        s = redactJwts(s);
    // Query and form parameters that carry credentials; document keys ("key", "doc") stay.
    static const QRegularExpression param(QStringLiteral(
        R"((?i)([?&;\s"]|^)((?:access_|refresh_|id_)?token|jwt|md5|signature|sig|secret|client_secret|password|passwd|pwd|api_?key|auth|shardkey)=([^&\s"';,]+))"));
    static const QRegularExpression bearer(QStringLiteral(R"((?i)\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,})"));
    static const QRegularExpression userinfo(QStringLiteral(R"(\b([a-z][a-z0-9+.-]*://[^/\s:@]+):[^@\s/]+@)"));
    static const QRegularExpression jsonSecret(QStringLiteral(
        R"re((?i)("(?:secret|password|token|jwt_secret|jwt)"\s*:\s*")[^"]*")re"));
    if (s.contains(QLatin1Char('=')))
        s.replace(param, QStringLiteral("\\1\\2=REDACTED"));
    if (s.contains(QLatin1String("Bearer"), Qt::CaseInsensitive) || s.contains(QLatin1String("Basic"), Qt::CaseInsensitive))
        s.replace(bearer, QStringLiteral("\\1 REDACTED"));
    if (s.contains(QLatin1Char('@')))
        s.replace(userinfo, QStringLiteral("\\1:REDACTED@"));
    if (s.contains(QLatin1Char('"')))
        s.replace(jsonSecret, QStringLiteral("\\1REDACTED\""));
    return s;
}

} // namespace

QString text(QByteArrayView raw)
{
    QString s = QString::fromUtf8(raw);
    s.replace(QChar(u'\0'), QChar::ReplacementCharacter);
    return redactSecrets(s);
}

QString unescapeJson(QByteArrayView raw)
{
    QByteArray out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c != '\\' || i + 1 >= raw.size()) {
            out += c;
            continue;
        }
        const char e = raw[++i];
        switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u':
            if (i + 4 < raw.size()) {
                bool ok = false;
                const char16_t unit = char16_t(bv::mid(raw, i + 1, 4).toUInt(&ok, 16));
                if (ok) {
                    out += QString(QChar(unit)).toUtf8();
                    i += 4;
                    break;
                }
            }
            out += e;
            break;
        default: out += e; break; // \" \\ \/
        }
    }
    return QString::fromUtf8(out);
}

QVariant fieldValue(const QString &name, QByteArrayView raw, bool jsonEscaped)
{
    if (name == QLatin1String("errno") || name == QLatin1String("status") || name == QLatin1String("connection")
        || name == QLatin1String("pid")) {
        bool ok = false;
        const qlonglong v = raw.toLongLong(&ok);
        if (ok)
            return v;
    }
    QString s = jsonEscaped ? unescapeJson(raw) : QString::fromUtf8(raw);
    s.replace(QChar(u'\0'), QChar::ReplacementCharacter);
    return redactSecrets(s);
}

} // namespace logredact
} // namespace dd
