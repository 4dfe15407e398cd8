#include "httpproberesult.h"

#include "util/redact.h"

#include <QRegularExpression>

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

QString HttpProbeResult::errorPageFrom() const
{
    if (status != 502 && status != 503 && status != 504)
        return QString();
    // nginx's built-in error pages end "<hr><center>nginx</center>" or ".../nginx/1.22.1</center>".
    static const QRegularExpression nginxPage(QStringLiteral("<center>nginx(/[0-9][0-9.]*)?</center>"));
    const QString page = QString::fromUtf8(body.left(4096));
    const QRegularExpressionMatch m = nginxPage.match(page);
    if (m.hasMatch())
        return m.captured(1).isEmpty() ? QStringLiteral("nginx-hidden-version") : QStringLiteral("nginx-versioned");
    // mod_proxy's page: "<title>502 Proxy Error</title>" (the <address> line only with ServerSignature).
    if (page.contains(QLatin1String(" Proxy Error</title>")))
        return QStringLiteral("apache");
    const QString plain = page.trimmed();
    if (serverKind() != QLatin1String("nginx") && serverKind() != QLatin1String("nginx-versioned") &&
        (plain == QLatin1String("Bad Gateway") || plain == QLatin1String("Gateway Timeout") ||
         plain == QLatin1String("Service Unavailable")))
        return QStringLiteral("traefik");
    return QString();
}

QString HttpProbeResult::errorPageHint() const
{
    const QString from = errorPageFrom();
    const QString server = QString::fromUtf8(header("Server").trimmed());
    if (from == QLatin1String("nginx-hidden-version")) {
        if (serverKind() == QLatin1String("nginx") || server.isEmpty())
            return QStringLiteral("the error page comes from an nginx that hides its version, as Document Server's own "
                                  "nginx does (server_tokens off); a front nginx with server_tokens off looks the "
                                  "same: Document Server's nginx.error.log says whether it was this one");
        return QStringLiteral("the error page comes from an nginx that hides its version, as Document Server's own "
                              "nginx does, and %1 passed it on: the failing hop is behind the front proxy, most "
                              "likely Document Server's nginx -> docservice (its nginx.error.log names it)")
            .arg(server);
    }
    if (from == QLatin1String("nginx-versioned"))
        return QStringLiteral("the error page comes from an nginx that shows its version, which Document Server's "
                              "own nginx never does: a proxy in front of Document Server made it, and its error log "
                              "names the upstream it failed on");
    if (from == QLatin1String("apache"))
        return QStringLiteral("Apache's mod_proxy made the error page: the front proxy's error log names the backend "
                              "it failed on");
    if (from == QLatin1String("traefik"))
        return QStringLiteral("a plain-text gateway error as Traefik sends: the front proxy made it, and its log names "
                              "the backend");
    return QString();
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
        {QStringLiteral("error_page_from"), errorPageFrom()},
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
