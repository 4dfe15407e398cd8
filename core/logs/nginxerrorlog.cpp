#include "nginxerrorlog.h"

#include <QRegularExpression>

namespace dd {

namespace {

QString contextField(QStringView rest, QLatin1String key, bool quoted)
{
    const QString needle =
        QStringLiteral(", ") + key + QStringLiteral(": ") + (quoted ? QStringLiteral("\"") : QString());
    qsizetype at = rest.indexOf(needle);
    if (at < 0)
        return QString();
    at += needle.size();
    const qsizetype end = quoted ? rest.indexOf(QLatin1Char('"'), at) : rest.indexOf(QLatin1Char(','), at);
    return (end < 0 ? rest.mid(at) : rest.mid(at, end - at)).toString();
}

} // namespace

std::optional<NginxErrorLine> parseNginxErrorLine(QStringView line)
{
    static const QRegularExpression head(
        QStringLiteral(R"((\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}) \[(\w+)\] \d+#\d+: (?:\*(\d+) )?)"));
    const QRegularExpressionMatch m = head.match(line);
    if (!m.hasMatch())
        return std::nullopt;
    NginxErrorLine out;
    out.time = QDateTime::fromString(m.captured(1), QStringLiteral("yyyy/MM/dd HH:mm:ss"));
    out.level = m.captured(2);
    if (m.capturedLength(3) > 0)
        out.connection = m.captured(3).toLongLong();
    const QStringView rest = line.mid(m.capturedEnd(0));

    // The message ends where nginx appends the request context (", client: ").
    qsizetype contextStart = rest.indexOf(QLatin1String(", client: "));
    QStringView message = contextStart < 0 ? rest : rest.left(contextStart);
    const qsizetype whileAt = message.lastIndexOf(QLatin1String(" while "));
    if (whileAt >= 0) {
        out.action = message.mid(whileAt + 7).toString();
        message = message.left(whileAt);
    }
    out.message = message.toString();
    static const QRegularExpression errnoPattern(QStringLiteral(R"(\((\d+): [^)]*\))"));
    const QRegularExpressionMatch e = errnoPattern.match(out.message);
    if (e.hasMatch())
        out.errnum = e.captured(1).toInt();
    if (contextStart >= 0) {
        const QStringView ctx = rest.mid(contextStart);
        out.client = contextField(ctx, QLatin1String("client"), false);
        out.server = contextField(ctx, QLatin1String("server"), false);
        out.request = contextField(ctx, QLatin1String("request"), true);
        out.upstream = contextField(ctx, QLatin1String("upstream"), true);
        out.host = contextField(ctx, QLatin1String("host"), true);
    }
    out.causeId = classifyNginxError(out);
    return out;
}

QString classifyNginxError(const NginxErrorLine &l)
{
    const QString &msg = l.message;
    const bool connecting = l.action.startsWith(QLatin1String("connecting to upstream"));
    const bool readingHeader = l.action.startsWith(QLatin1String("reading response header from upstream"));
    if (msg.startsWith(QLatin1String("no live upstreams")))
        return QStringLiteral("no-live-upstreams");
    if (msg.startsWith(QLatin1String("upstream timed out")))
        return connecting ? QStringLiteral("backend-unreachable-network") : QStringLiteral("upstream-timeout");
    if (msg.startsWith(QLatin1String("connect() "))) {
        switch (l.errnum) {
        case 111: // ECONNREFUSED
            return QStringLiteral("upstream-refused");
        case 101: // ENETUNREACH
        case 113: // EHOSTUNREACH
            return QStringLiteral("backend-unreachable-network");
        case 13: // EACCES: SELinux denies name_connect before any packet leaves
            return QStringLiteral("selinux-denied-upstream");
        default:
            return QString();
        }
    }
    if (msg.startsWith(QLatin1String("upstream prematurely closed connection")))
        return QStringLiteral("upstream-prematurely-closed");
    if (l.errnum == 104 && (readingHeader || l.action.contains(QLatin1String("upstream"))))
        return QStringLiteral("upstream-reset");
    if (msg.startsWith(QLatin1String("upstream sent too big header")))
        return QStringLiteral("upstream-header-too-big");
    if (msg.startsWith(QLatin1String("SSL_do_handshake() failed")) && l.action.contains(QLatin1String("upstream")))
        return msg.contains(QLatin1String("wrong version number")) ||
                       msg.contains(QLatin1String("packet length too long"))
                   ? QStringLiteral("upstream-scheme-mismatch")
                   : QStringLiteral("tls-upstream-verify-failed");
    if (msg.startsWith(QLatin1String("upstream SSL certificate")))
        return QStringLiteral("tls-upstream-verify-failed");
    if (msg.contains(QLatin1String("could not be resolved")) || msg.startsWith(QLatin1String("no resolver defined")) ||
        msg.startsWith(QLatin1String("host not found in upstream")))
        return QStringLiteral("dns-resolve-failed");
    if (msg.startsWith(QLatin1String("client intended to send too large body")))
        return QStringLiteral("request-body-too-large");
    return QString();
}

} // namespace dd
