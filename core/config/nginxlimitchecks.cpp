// nginx checks on what surrounds the proxy hop: response headers, limits, timeouts, exposure.

#include "config/nginxlintcontext.h"

#include <functional>

namespace dd::nginxlint {

namespace {

const LintSeverity info = LintSeverity::Info;

// Document Server's own limits: client_max_body_size 100m in its nginx, 100 MB uploads in docservice.
constexpr qint64 dsBodyLimit = qint64(100) * 1024 * 1024;
// nginx's proxy_read_timeout default, which DS's own nginx keeps.
constexpr qint64 nginxReadTimeoutMs = 60 * 1000;
// Nextcloud's connector waits this long for its check conversion.
constexpr qint64 conversionCheckMs = 120 * 1000;
// socket.io's ping interval in Document Server (services.CoAuthoring.socketio.connection.pingInterval):
// an idle co-editing socket carries a frame this often, and a read timeout at or below it cuts it.
constexpr qint64 socketioPingMs = 25 * 1000;
// Outbox JWTs in the Authorization header outgrow nginx's 8k header buffers.
constexpr qint64 jwtHeaderBuffer = 16 * 1024;

bool frameHeader(const QString &name, const QString &value)
{
    if (name.compare(QLatin1String("X-Frame-Options"), Qt::CaseInsensitive) == 0)
        return true;
    return name.compare(QLatin1String("Content-Security-Policy"), Qt::CaseInsensitive) == 0 &&
           value.contains(QLatin1String("frame-ancestors"), Qt::CaseInsensitive);
}

bool isProtected(const NginxChain &chain)
{
    for (const NginxDirective *d :
         NginxModel::effectiveList(chain, {QStringLiteral("allow"), QStringLiteral("deny")})) {
        if (d->name == QLatin1String("deny") && d->arg(0) == QLatin1String("all"))
            return true;
    }
    for (const NginxDirective &d : chain.constLast()->children) {
        if (d.name == QLatin1String("internal") || d.name == QLatin1String("auth_request"))
            return true;
    }
    const NginxDirective *basic = NginxModel::effective(chain, QStringLiteral("auth_basic"));
    return basic && basic->arg(0) != QLatin1String("off");
}

// An application's virtual host (it hands requests to PHP, a proxied app, ...), not a redirect.
bool servesApplication(const NginxDirective *server)
{
    std::function<bool(const NginxDirective *)> walk = [&](const NginxDirective *d) {
        for (const NginxDirective &c : d->children) {
            if (c.name.endsWith(QLatin1String("_pass")) || walk(&c))
                return true;
        }
        return false;
    };
    return walk(server);
}

// The co-editing socket idles between socket.io pings; a proxy_read_timeout at or below the
// ping interval closes every idle socket ("Connection is lost"), one below a minute can close
// it when a ping is late.
void checkSocketReadTimeout(Context &ctx, const NginxServer &server, const QString &base)
{
    const NginxChain chain = ctx.model.match(server, base + QLatin1String("doc/doctor-check/c/"));
    if (!NginxModel::proxyPass(chain))
        return;
    const NginxDirective *d = NginxModel::effective(chain, QStringLiteral("proxy_read_timeout"));
    if (!d)
        return; // nginx's default, 60 s, outlasts the ping interval
    const qint64 ms = parseNginxTime(d->arg(0));
    if (ms < 0 || ms >= nginxReadTimeoutMs)
        return;
    const LintSeverity warning = LintSeverity::Warning;
    ctx.report(QStringLiteral("websocket-read-timeout"), d, chain,
               QStringLiteral("proxy_read_timeout %1 on the co-editing socket (%2): %3")
                   .arg(d->arg(0), base + QLatin1String("doc/<key>/c/"),
                        ms <= socketioPingMs
                            ? QStringLiteral("at or below socket.io's 25 s ping interval, every idle editor is "
                                             "disconnected (\"Connection is lost\")")
                            : QStringLiteral("under a minute, an idle editor is disconnected when a ping is late")),
               {d, NginxModel::proxyPass(chain)}, ms <= socketioPingMs ? nullptr : &warning, d);
}

} // namespace

void checkResponseHeaders(Context &ctx)
{
    for (const DsLocation &loc : std::as_const(ctx.dsLocations)) {
        for (const NginxHeader &h : NginxModel::addHeaders(loc.chain)) {
            if (!frameHeader(h.name, h.value))
                continue;
            ctx.report(QStringLiteral("frame-headers"), h.directive, loc.chain,
                       QStringLiteral("%1 \"%2\" is added to Document Server's responses: the editor cannot be "
                                      "framed by Nextcloud/ownCloud/Seafile (\"refused to connect\")")
                           .arg(h.name, h.value),
                       {h.directive}, nullptr, h.directive);
        }
        for (const NginxDirective *d : NginxModel::effectiveList(loc.chain, {QStringLiteral("more_set_headers")})) {
            const QString all = d->args.join(QLatin1Char(' '));
            if (all.contains(QLatin1String("X-Frame-Options"), Qt::CaseInsensitive) ||
                all.contains(QLatin1String("frame-ancestors"), Qt::CaseInsensitive)) {
                ctx.report(QStringLiteral("frame-headers"), d, loc.chain,
                           QStringLiteral("more_set_headers adds a framing restriction to Document Server's "
                                          "responses: the editor cannot be framed by the integrator"),
                           {d}, nullptr, d);
            }
        }
    }
}

void checkLimits(Context &ctx)
{
    for (const NginxServer *server : std::as_const(ctx.dsServers)) {
        for (const QString &base : ctx.bases(*server)) {
            const NginxChain upload = ctx.model.match(*server, base + QLatin1String("upload/doctor-check"));
            if (NginxModel::proxyPass(upload)) {
                const NginxDirective *d = NginxModel::effective(upload, QStringLiteral("client_max_body_size"));
                const qint64 size = d ? parseNginxSize(d->arg(0)) : qint64(1024) * 1024;
                if (size > 0 && size < dsBodyLimit) {
                    ctx.report(QStringLiteral("client-body-size"), d ? d : upload.constLast(), upload,
                               QStringLiteral("client_max_body_size is %1 here%2, below Document Server's 100m: "
                                              "larger uploads, saves and downloads-as get 413")
                                   .arg(d ? d->arg(0) : QStringLiteral("1m"),
                                        d ? QString() : QStringLiteral(" (nginx's default)")),
                               {d ? d : upload.constLast()}, nullptr,
                               d ? static_cast<const void *>(d) : static_cast<const void *>(server->block));
                }
            }
            checkSocketReadTimeout(ctx, *server, base);
            for (const QString &path : {QStringLiteral("ConvertService.ashx"), QStringLiteral("converter")}) {
                const NginxChain chain = ctx.model.match(*server, base + path);
                if (!NginxModel::proxyPass(chain))
                    continue;
                const NginxDirective *d = NginxModel::effective(chain, QStringLiteral("proxy_read_timeout"));
                const qint64 ms = d ? parseNginxTime(d->arg(0)) : nginxReadTimeoutMs;
                if (ms < 0 || ms >= conversionCheckMs)
                    continue;
                const void *key = d ? static_cast<const void *>(d) : static_cast<const void *>(chain.constLast());
                if (ms < nginxReadTimeoutMs) {
                    ctx.report(QStringLiteral("read-timeout-conversion"), d, chain,
                               QStringLiteral("proxy_read_timeout %1 on %2: a synchronous conversion that takes "
                                              "longer ends in 504 Gateway Time-out")
                                   .arg(d->arg(0), base + path),
                               {d, NginxModel::proxyPass(chain)}, nullptr, key);
                } else {
                    ctx.report(QStringLiteral("read-timeout-conversion"), d ? d : chain.constLast(), chain,
                               QStringLiteral("proxy_read_timeout is %1 on %2; synchronous conversions can take "
                                              "minutes (Nextcloud's check waits 120 s) and end in 504 first")
                                   .arg(d ? d->arg(0) : QStringLiteral("60s (nginx's default)"), base + path),
                               {d ? d : chain.constLast()}, &info, key);
                }
            }
        }
    }

    // The integrator's vhost receives Document Server's outbox JWT in the Authorization header.
    for (const NginxServer &server : ctx.model.servers()) {
        if (ctx.isDsServer(&server) || !servesApplication(server.block))
            continue;
        const NginxChain chain{server.http, server.block};
        const NginxDirective *d = NginxModel::effective(chain, QStringLiteral("large_client_header_buffers"));
        const qint64 size = d ? parseNginxSize(d->arg(1)) : 8 * 1024;
        if (size < 0 || size >= jwtHeaderBuffer)
            continue;
        ctx.report(QStringLiteral("header-buffers-jwt"), d ? d : server.block, chain,
                   QStringLiteral("large_client_header_buffers allows %1 per header line here%2; Document Server's "
                                  "callbacks carry a JWT in the Authorization header that can outgrow it (400 "
                                  "\"Request Header Or Cookie Too Large\")")
                       .arg(d ? d->arg(1) : QStringLiteral("8k"), d ? QString() : QStringLiteral(" (nginx's default)")),
                   {d ? d : server.block}, nullptr, server.block);
    }
}

void checkExposure(Context &ctx)
{
    for (const NginxServer *server : std::as_const(ctx.dsServers)) {
        for (const QString &base : ctx.bases(*server)) {
            for (const QString &path :
                 {QStringLiteral("info/info.json"), QStringLiteral("internal/cluster/inactive")}) {
                const QString uri = base + path;
                const NginxChain chain = ctx.model.match(*server, uri);
                const NginxProxyTarget t = ctx.model.proxyTarget(chain);
                if (!t.isValid() || isProtected(chain))
                    continue;
                if (!ctx.dsNginx) {
                    // DS's own nginx allows /info and /internal from 127.0.0.1 only: a front proxy on
                    // the same host arrives from 127.0.0.1 and opens them to everybody.
                    const QList<TargetAddress> addresses = ctx.addresses(t);
                    const bool loopback = !addresses.isEmpty() &&
                                          std::all_of(addresses.cbegin(), addresses.cend(),
                                                      [](const TargetAddress &a) { return isLoopbackHost(a.host); });
                    if (!loopback)
                        continue;
                }
                ctx.report(QStringLiteral("internal-exposed"), chain.constLast(), chain,
                           QStringLiteral("%1 is proxied to Document Server without allow/deny%2: its status and "
                                          "cluster endpoints are open to anyone who reaches this server")
                               .arg(uri, ctx.dsNginx ? QString()
                                                     : QStringLiteral(", and DS's own 127.0.0.1-only rule sees this "
                                                                      "proxy's loopback address")),
                           {chain.constLast(), t.directive}, nullptr, chain.constLast());
            }
        }
    }
}

} // namespace dd::nginxlint
