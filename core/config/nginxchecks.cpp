// nginx checks on the proxy hop: websocket upgrade, forwarded headers, proxy targets, upstreams.

#include "config/nginxlintcontext.h"

namespace dd::nginxlint {

namespace {

const LintSeverity warning = LintSeverity::Warning;

// A path socket.io really uses since DS 7.3: the versioned prefix, then /doc/<key>/c/.
const QString socketIoPath = QStringLiteral("9.0.3-doctor/doc/doctor-check/c/");

bool upgradeSent(const NginxModel &model, const NginxHeader &h)
{
    for (const QString &v : possibleValues(model, h.value)) {
        if (v == QLatin1String("$http_upgrade") || v.compare(QLatin1String("websocket"), Qt::CaseInsensitive) == 0)
            return true;
    }
    return model.mapSource(h.value) == QLatin1String("$http_upgrade");
}

bool connectionUpgrades(const NginxModel &model, const NginxHeader &h)
{
    for (const QString &v : possibleValues(model, h.value)) {
        if (v.contains(QLatin1String("upgrade"), Qt::CaseInsensitive) || v == QLatin1String("$http_connection"))
            return true;
    }
    return false;
}

struct WebsocketState
{
    bool version = false;
    bool upgrade = false;
    bool connection = false;
    QList<const NginxDirective *> excerpt;

    bool ok() const { return version && upgrade && connection; }
};

WebsocketState websocketState(const NginxModel &model, const NginxChain &chain)
{
    WebsocketState s;
    const NginxDirective *version = NginxModel::effective(chain, QStringLiteral("proxy_http_version"));
    s.version = version && version->arg(0) == QLatin1String("1.1");
    const QList<NginxHeader> headers = NginxModel::proxyHeaders(chain);
    const NginxHeader up = NginxModel::header(headers, QStringLiteral("Upgrade"));
    const NginxHeader conn = NginxModel::header(headers, QStringLiteral("Connection"));
    s.upgrade = upgradeSent(model, up);
    s.connection = connectionUpgrades(model, conn);
    s.excerpt = {chain.constLast(), NginxModel::proxyPass(chain), version, up.directive, conn.directive};
    return s;
}

QString missingParts(const WebsocketState &s)
{
    QStringList missing;
    if (!s.version)
        missing.append(QStringLiteral("proxy_http_version 1.1 (nginx talks HTTP/1.0 upstream by default)"));
    if (!s.upgrade)
        missing.append(QStringLiteral("an Upgrade header ($http_upgrade)"));
    if (!s.connection)
        missing.append(QStringLiteral("a Connection header that says \"upgrade\""));
    return missing.join(QLatin1String(", "));
}

QString describeTarget(const NginxProxyTarget &t)
{
    return t.url;
}

} // namespace

// socket.io needs its query (?EIO=4&transport=...): a location serving the socket that builds
// the upstream URI from variables must add $is_args$args.
void checkSocketQuery(Context &ctx, const NginxServer &server, const QString &base)
{
    static const QStringList argVars = {QStringLiteral("$args"), QStringLiteral("$query_string"),
                                        QStringLiteral("$request_uri"), QStringLiteral("$is_args")};
    for (const QString &path : {socketIoPath, QStringLiteral("doc/doctor-check/c/")}) {
        const NginxChain chain = ctx.model.match(server, base + path);
        const NginxProxyTarget t = ctx.model.proxyTarget(chain);
        if (!t.isValid() || !t.hasUri || !t.uri.contains(QLatin1Char('$')))
            continue;
        if (std::any_of(argVars.cbegin(), argVars.cend(), [&](const QString &v) { return t.uri.contains(v); }))
            continue;
        ctx.report(QStringLiteral("query-string-dropped"), t.directive, chain,
                   QStringLiteral("the co-editing socket %1 is proxied by %2 as %3, built from variables without "
                                  "$is_args$args: the query is lost and socket.io answers 400 \"Transport unknown\"")
                       .arg(base + path, NginxModel::locationLabel(chain), t.url),
                   {chain.constLast(), t.directive}, nullptr, t.directive);
    }
}

void checkWebsocket(Context &ctx)
{
    for (const NginxServer *server : std::as_const(ctx.dsServers)) {
        for (const QString &base : ctx.bases(*server)) {
            checkSocketQuery(ctx, *server, base);
            const QString uri = base + socketIoPath;
            const NginxChain chain = ctx.model.match(*server, uri);
            if (!NginxModel::proxyPass(chain))
                continue;
            const WebsocketState state = websocketState(ctx.model, chain);
            if (state.ok())
                continue;
            QList<const NginxDirective *> excerpt = state.excerpt;
            QString message = QStringLiteral("the co-editing socket %1 is served by %2, which lacks %3")
                                  .arg(uri, NginxModel::locationLabel(chain), missingParts(state));
            if (const NginxDirective *dropped = droppedHeader(chain, QStringLiteral("Upgrade"))) {
                message += QStringLiteral("; its own proxy_set_header lines replace the inherited ones, so the "
                                          "Upgrade header set at %1 is not sent")
                               .arg(dropped->position());
                excerpt.append(dropped);
            }
            // A SockJS-era rule (location ~ /websocket$) that upgrades while the socket.io path does not.
            const NginxDirective *oldRule = nullptr;
            for (const NginxChain &other : ctx.model.locations(*server)) {
                if (other.constLast() == chain.constLast())
                    continue;
                if (other.constLast()
                        ->args.join(QLatin1Char(' '))
                        .contains(QLatin1String("websocket"), Qt::CaseInsensitive) &&
                    websocketState(ctx.model, other).upgrade) {
                    oldRule = other.constLast();
                    break;
                }
            }
            if (oldRule) {
                excerpt.prepend(oldRule);
                ctx.report(QStringLiteral("websocket-path-rule"), chain.constLast(), chain,
                           QStringLiteral("only %1 (a SockJS-era rule, DS <= 7.2) upgrades to websocket; %2")
                               .arg(NginxModel::locationLabel(NginxChain{oldRule}), message),
                           excerpt, nullptr, chain.constLast());
            } else {
                ctx.report(QStringLiteral("websocket-upgrade"), chain.constLast(), chain, message, excerpt, nullptr,
                           chain.constLast());
            }
        }
    }
}

void checkForwardedHeaders(Context &ctx)
{
    for (const DsLocation &loc : std::as_const(ctx.dsLocations)) {
        const NginxChain &chain = loc.chain;
        const QList<NginxHeader> headers = NginxModel::proxyHeaders(chain);
        const NginxDirective *level = headerLevel(chain, QStringLiteral("proxy_set_header"));
        const void *key = level ? static_cast<const void *>(level) : static_cast<const void *>(chain.constLast());
        const NginxHeader host = NginxModel::header(headers, QStringLiteral("Host"));
        const NginxHeader xfh = NginxModel::header(headers, QStringLiteral("X-Forwarded-Host"));
        const NginxDirective *proxyPass = loc.target.directive;

        const bool hostIsUpstreamName = !host.directive || host.value == QLatin1String("$proxy_host");
        if (hostIsUpstreamName && !xfh.directive) {
            QList<const NginxDirective *> excerpt{chain.constLast(), proxyPass};
            QString message = QStringLiteral("no Host or X-Forwarded-Host is set, so Document Server receives "
                                             "\"Host: %1\" and builds its URLs (api.js, Editor.bin, /cache/files, "
                                             "the socket) with that name instead of the public address")
                                  .arg(loc.target.upstream ? loc.target.upstream->name : loc.target.host);
            if (const NginxDirective *dropped = droppedHeader(chain, QStringLiteral("Host"))) {
                message += QStringLiteral(" (the Host set at %1 is dropped: this level has its own proxy_set_header "
                                          "lines)")
                               .arg(dropped->position());
                excerpt.append(dropped);
            }
            ctx.report(QStringLiteral("host-header"), chain.constLast(), chain, message, excerpt, nullptr, key);
        } else if (loc.server->hasNonStandardPort()) {
            const NginxHeader &used = xfh.directive ? xfh : host;
            for (const QString &v : possibleValues(ctx.model, used.value)) {
                if (v == QLatin1String("$host") || v == QLatin1String("$server_name")) {
                    ctx.report(QStringLiteral("host-header"), used.directive, chain,
                               QStringLiteral("%1 is %2, which drops the port this server listens on; Document "
                                              "Server then builds URLs without it")
                                   .arg(used.name,
                                        used.value == v ? v : used.value + QLatin1String(" (") + v + QLatin1Char(')')),
                               {used.directive, loc.server->listens.value(0).directive}, &warning, key);
                    break;
                }
            }
        }

        const NginxHeader xfp = NginxModel::header(headers, QStringLiteral("X-Forwarded-Proto"));
        if (!xfp.directive && loc.server->tls) {
            QList<const NginxDirective *> excerpt{chain.constLast(), loc.server->listens.value(0).directive};
            QString message = QStringLiteral("TLS ends at this server but X-Forwarded-Proto is not sent: Document "
                                             "Server sees http and builds http:// and ws:// URLs that the browser "
                                             "blocks as mixed content");
            if (const NginxDirective *dropped = droppedHeader(chain, QStringLiteral("X-Forwarded-Proto"))) {
                message += QStringLiteral(" (the one set at %1 is dropped by this level's own proxy_set_header lines)")
                               .arg(dropped->position());
                excerpt.append(dropped);
            }
            ctx.report(QStringLiteral("forwarded-proto"), chain.constLast(), chain, message, excerpt, nullptr, key);
        } else if (xfp.directive) {
            for (const QString &v : possibleValues(ctx.model, xfp.value)) {
                if (loc.server->tls && v.compare(QLatin1String("http"), Qt::CaseInsensitive) == 0) {
                    ctx.report(QStringLiteral("forwarded-proto"), xfp.directive, chain,
                               QStringLiteral("X-Forwarded-Proto is \"http\" on a TLS server: Document Server builds "
                                              "http:// URLs under an https page"),
                               {xfp.directive}, nullptr, key);
                    break;
                }
                if (v.contains(QLatin1Char(','))) {
                    ctx.report(QStringLiteral("forwarded-proto"), xfp.directive, chain,
                               QStringLiteral("X-Forwarded-Proto is a list (\"%1\"); DS's nginx accepts only exactly "
                                              "http or https and otherwise falls back to its own scheme")
                                   .arg(v),
                               {xfp.directive}, &warning, key);
                    break;
                }
            }
        }

        // Published under a virtual path (/ds-vpath/): DS has to be told, and the prefix stripped.
        if (ctx.dsNginx || chain.size() != 3)
            continue;
        const QStringList bases = ctx.bases(*loc.server);
        const NginxDirective *l = chain.constLast();
        QString path = l->args.size() == 1 ? l->arg(0) : QString();
        if (path.startsWith(QLatin1String("^~")))
            path = path.mid(2);
        if (path.isEmpty() || path == QLatin1String("/") ||
            !bases.contains(path.endsWith(QLatin1Char('/')) ? path : path + QLatin1Char('/')))
            continue;
        const NginxHeader prefix = NginxModel::header(headers, QStringLiteral("X-Forwarded-Prefix"));
        if (!prefix.directive && !xfh.value.contains(QLatin1Char('/'))) {
            ctx.report(QStringLiteral("forwarded-prefix"), l, chain,
                       QStringLiteral("Document Server is published under %1 but not told so (no X-Forwarded-Prefix): "
                                      "it redirects and builds URLs at the site root")
                           .arg(path),
                       {l, proxyPass}, nullptr, l);
        }
        if (!loc.target.hasUri && !loc.target.hasVariables) {
            ctx.report(QStringLiteral("forwarded-prefix"), proxyPass, chain,
                       QStringLiteral("proxy_pass %1 has no URI part, so %2 is passed to Document Server unchanged "
                                      "and its paths do not exist there; end the address with \"/\"")
                           .arg(loc.target.url, path),
                       {l, proxyPass}, nullptr, proxyPass);
        }
    }
}

void checkTargets(Context &ctx)
{
    for (const DsLocation &loc : std::as_const(ctx.dsLocations)) {
        const NginxProxyTarget &t = loc.target;
        const NginxChain &chain = loc.chain;
        const NginxDirective *pp = t.directive;
        const QList<const NginxDirective *> base{chain.constLast(), pp};

        for (const TargetAddress &a : ctx.addresses(t)) {
            const QList<const NginxDirective *> excerpt = a.upstreamServer ? base + QList{a.directive} : base;
            const NginxDirective *at = a.upstreamServer ? a.directive : pp;
            if (!ctx.dsNginx && a.port == 8000) {
                ctx.report(QStringLiteral("upstream-port-8000"), at, chain,
                           QStringLiteral("%1 goes straight to docservice's port 8000 (%2), past Document Server's "
                                          "own nginx: versioned paths (/9.x.y-hash/...), static files and the socket "
                                          "break (DS >= 8.2)")
                               .arg(describeTarget(t), a.host),
                           excerpt, nullptr, at);
            }
            if (t.scheme == QLatin1String("http") && (a.port == 443 || a.port == 8443)) {
                ctx.report(QStringLiteral("upstream-scheme-port"), at, chain,
                           QStringLiteral("plain HTTP is sent to port %1 (%2), a TLS port: the answer is 400 \"The "
                                          "plain HTTP request was sent to HTTPS port\" or a 502")
                               .arg(a.port)
                               .arg(a.host),
                           excerpt, nullptr, at);
            } else if (t.scheme == QLatin1String("https") && (a.port == 80 || a.port == 8000 || a.port == 3000)) {
                QString message = QStringLiteral("TLS is spoken to port %1 (%2), a plain HTTP port: the handshake "
                                                 "fails (\"wrong version number\") and nginx answers 502")
                                      .arg(a.port)
                                      .arg(a.host);
                if (a.upstreamServer && !a.upstreamServer->address.contains(QLatin1Char(':')))
                    message += QStringLiteral("; an upstream server without a port means port 80, even for https");
                ctx.report(QStringLiteral("upstream-scheme-port"), at, chain, message, excerpt, nullptr, at);
            }
            if (!ctx.dsNginx && a.host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0) {
                ctx.report(QStringLiteral("upstream-localhost"), at, chain,
                           QStringLiteral("\"localhost\" resolves to both ::1 and 127.0.0.1; a backend published on "
                                          "one family only (Docker publishes IPv4) refuses the other"),
                           excerpt, nullptr, at);
            }
        }

        // What name does Document Server see? With the default Host it is the upstream's name.
        const QList<NginxHeader> headers = NginxModel::proxyHeaders(chain);
        const NginxHeader host = NginxModel::header(headers, QStringLiteral("Host"));
        const bool forwardedHost = NginxModel::header(headers, QStringLiteral("X-Forwarded-Host")).directive != nullptr;
        QString seen;
        if (forwardedHost) {
            // DS takes X-Forwarded-Host before Host.
        } else if ((!host.directive || host.value == QLatin1String("$proxy_host")) && !t.hostHasVariables)
            seen = t.upstream ? t.upstream->name : t.host;
        else if (host.directive && !host.value.contains(QLatin1Char('$')))
            seen = host.value;
        if (seen.contains(QLatin1Char('_'))) {
            ctx.report(QStringLiteral("hostname-underscore"), host.directive ? host.directive : pp, chain,
                       QStringLiteral("Document Server is reached as \"%1\": DS percent-escapes '_' in every URL it "
                                      "signs, and Nextcloud (Guzzle) rejects such hosts")
                           .arg(seen),
                       {pp, host.directive}, nullptr, pp);
        }

        if (t.hasVariables && !t.unixSocket) {
            QString hostName = t.host;
            bool known = !t.hostHasVariables;
            if (t.hostHasVariables && t.host.startsWith(QLatin1Char('$'))) {
                const QString value = NginxModel::setValue(chain, t.host);
                if (!value.isEmpty() && !value.contains(QLatin1Char('$'))) {
                    hostName = value;
                    known = true;
                }
            }
            const bool needsResolver = !known || (!isIpLiteral(hostName) && ctx.model.upstream(hostName) == nullptr);
            if (needsResolver && !NginxModel::effective(chain, QStringLiteral("resolver"))) {
                ctx.report(QStringLiteral("resolver-missing"), pp, chain,
                           QStringLiteral("proxy_pass %1 has variables, so nginx resolves %2 at request time, and "
                                          "no resolver is set: every request fails with 502 (\"no resolver defined "
                                          "to resolve\")")
                               .arg(t.url, known ? QStringLiteral("\"") + hostName + QLatin1Char('"')
                                                 : QStringLiteral("the host")),
                           base, nullptr, pp);
            }
        }

        if (t.scheme == QLatin1String("https")) {
            const NginxDirective *verify = NginxModel::effective(chain, QStringLiteral("proxy_ssl_verify"));
            if (verify && verify->arg(0) == QLatin1String("on")) {
                if (!NginxModel::effective(chain, QStringLiteral("proxy_ssl_trusted_certificate"))) {
                    ctx.report(QStringLiteral("proxy-ssl-verify-ca"), verify, chain,
                               QStringLiteral("proxy_ssl_verify is on without proxy_ssl_trusted_certificate: nginx "
                                              "refuses the configuration (\"no proxy_ssl_trusted_certificate for "
                                              "proxy_ssl_verify\"), and no certificate could be verified anyway"),
                               {verify, pp}, nullptr, verify);
                } else if ((t.upstream || isIpLiteral(t.host)) &&
                           !NginxModel::effective(chain, QStringLiteral("proxy_ssl_name"))) {
                    ctx.report(QStringLiteral("proxy-ssl-verify-name"), verify, chain,
                               QStringLiteral("the upstream certificate is checked against \"%1\" (%2), which "
                                              "Document Server's certificate does not name; set proxy_ssl_name")
                                   .arg(t.upstream ? t.upstream->name : t.host,
                                        t.upstream ? QStringLiteral("the upstream block's name")
                                                   : QStringLiteral("an address")),
                               {verify, pp}, nullptr, verify);
                }
            }
        }
    }
}

void checkServerNames(Context &ctx)
{
    for (const NginxServer *server : std::as_const(ctx.dsServers)) {
        for (const NginxDirective &d : server->block->children) {
            if (d.name != QLatin1String("server_name"))
                continue;
            for (const QString &name : d.args) {
                if (name == QLatin1String("_") || !name.contains(QLatin1Char('_')) || name.startsWith(QLatin1Char('~')))
                    continue;
                ctx.report(QStringLiteral("hostname-underscore"), &d, NginxChain{server->http, server->block},
                           QStringLiteral("Document Server is published as \"%1\": DS percent-escapes '_' in every "
                                          "URL it signs, and Nextcloud (Guzzle) rejects such hosts")
                               .arg(name),
                           {&d}, nullptr, &d);
            }
        }
    }
}

void checkUpstreamBlocks(Context &ctx)
{
    for (const DsLocation &loc : std::as_const(ctx.dsLocations)) {
        const NginxProxyTarget &t = loc.target;
        if (!t.upstream) {
            // An implicit upstream: proxy_pass to a name with several addresses gets nginx's
            // round-robin defaults (max_fails=1 fail_timeout=10s) for each of them.
            if (!ctx.dsNginx && t.host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 &&
                !t.hasVariables) {
                ctx.report(QStringLiteral("upstream-max-fails"), t.directive, loc.chain,
                           QStringLiteral("proxy_pass to localhost makes two peers (127.0.0.1 and ::1) with nginx's "
                                          "defaults max_fails=1 fail_timeout=10s: one refused or timed-out request "
                                          "takes a peer out for 10 s, both out gives \"no live upstreams\""),
                           {t.directive}, nullptr, t.directive);
            }
            continue;
        }
        QList<const NginxUpstreamServer *> active;
        for (const NginxUpstreamServer &s : t.upstream->servers) {
            if (!s.backup && !s.down)
                active.append(&s);
        }
        // A single peer with a single address is never marked failed (round-robin "single").
        const bool severalPeers =
            active.size() > 1 || std::any_of(active.cbegin(), active.cend(), [](const NginxUpstreamServer *s) {
                return !s->unixSocket && !isIpLiteral(s->host);
            });
        if (!severalPeers)
            continue;
        for (const NginxUpstreamServer *s : std::as_const(active)) {
            if (s->maxFailsSet && s->maxFails == 0)
                continue;
            ctx.report(QStringLiteral("upstream-max-fails"), s->directive, loc.chain,
                       QStringLiteral("upstream %1: server %2 keeps max_fails=%3 fail_timeout=%4; after one failed or "
                                      "timed-out request (a long conversion is enough) it is out for that time, and "
                                      "with every peer out nginx answers 502 \"no live upstreams\"")
                           .arg(t.upstream->name, s->address)
                           .arg(s->maxFails)
                           .arg(s->failTimeout),
                       {t.upstream->directive, s->directive}, nullptr, s->directive);
        }
    }
}

} // namespace dd::nginxlint
