#include "httpproberesult.h"

#include "util/redact.h"

namespace dd {

namespace {

QVariant msFact(double ms)
{
    return ms < 0 ? QVariant() : QVariant(ms);
}

} // namespace

QByteArray HttpProbeResult::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return QByteArray();
}

QString HttpProbeResult::serverKind() const
{
    const QByteArray server = header("Server").trimmed();
    if (server.isEmpty())
        return QString();
    const QByteArray lower = server.toLower();
    if (lower == "nginx")
        return QStringLiteral("nginx");
    if (lower.startsWith("nginx/"))
        return QStringLiteral("nginx-versioned");
    if (lower.startsWith("apache"))
        return QStringLiteral("apache");
    if (lower.startsWith("traefik"))
        return QStringLiteral("traefik");
    if (lower.startsWith("caddy"))
        return QStringLiteral("caddy");
    return QStringLiteral("other:") + QString::fromUtf8(server);
}

QString HttpProbeResult::headerExcerpt() const
{
    if (statusLine.isEmpty())
        return QString();
    QByteArray text = statusLine;
    for (const auto &h : headers)
        text += '\n' + h.first + ": " + redactHeaderValue(h.first, h.second);
    return QString::fromUtf8(text);
}

QVariantMap HttpProbeResult::facts() const
{
    QVariantMap facts{
        {QStringLiteral("outcome"), probeOutcomeName(outcome)},
        {QStringLiteral("status"), status},
        {QStringLiteral("server"), QString::fromUtf8(header("Server"))},
        {QStringLiteral("server_kind"), serverKind()},
        {QStringLiteral("body"), QString::fromUtf8(body.left(256)).trimmed()},
        {QStringLiteral("content_type"), QString::fromUtf8(header("Content-Type"))},
        {QStringLiteral("connect_ms"), msFact(timings.connect)},
        {QStringLiteral("ttfb_ms"), msFact(timings.ttfb)},
        {QStringLiteral("total_ms"), msFact(timings.total)},
        {QStringLiteral("dns_ms"), msFact(timings.dns)},
        {QStringLiteral("tls_ms"), msFact(timings.tls)},
        {QStringLiteral("peer"), peer},
        {QStringLiteral("body_bytes"), bodyBytes},
        {QStringLiteral("body_truncated"), bodyTruncated},
        {QStringLiteral("method"), QString::fromLatin1(request.method)},
        {QStringLiteral("url"), redactUrl(request.url)},
    };
    const QByteArray location = header("Location");
    facts.insert(QStringLiteral("location"),
                 location.isNull() ? QString() : QString::fromUtf8(redactHeaderValue("Location", location)));
    return facts;
}

} // namespace dd
