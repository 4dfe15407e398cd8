// Variables used in an nginx configuration that nothing defines: nginx refuses to start on
// them ("unknown "cache_tag" variable", the classic of a Document Server nginx whose
// ds-cache.conf is gone).

#include "config/nginxlintcontext.h"

#include <QRegularExpression>
#include <QSet>

#include <functional>

namespace dd::nginxlint {

namespace {

// Variables of the modules Debian's nginx ships (nginx.org "Alphabetical index of variables").
const QSet<QString> &builtins()
{
    static const QSet<QString> names = [] {
        QSet<QString> s;
        for (const char *n : {"ancient_browser",
                              "arg",
                              "args",
                              "binary_remote_addr",
                              "body_bytes_sent",
                              "bytes_received",
                              "bytes_sent",
                              "connection",
                              "connection_requests",
                              "connection_time",
                              "connections_active",
                              "connections_reading",
                              "connections_waiting",
                              "connections_writing",
                              "content_length",
                              "content_type",
                              "date_gmt",
                              "date_local",
                              "document_root",
                              "document_uri",
                              "fastcgi_path_info",
                              "fastcgi_script_name",
                              "gzip_ratio",
                              "host",
                              "hostname",
                              "http2",
                              "http3",
                              "https",
                              "invalid_referer",
                              "is_args",
                              "limit_conn_status",
                              "limit_rate",
                              "limit_req_status",
                              "memcached_key",
                              "modern_browser",
                              "msec",
                              "msie",
                              "nginx_version",
                              "pid",
                              "pipe",
                              "protocol",
                              "proxy_add_x_forwarded_for",
                              "proxy_host",
                              "proxy_port",
                              "proxy_protocol_addr",
                              "proxy_protocol_port",
                              "proxy_protocol_server_addr",
                              "proxy_protocol_server_port",
                              "query_string",
                              "quic",
                              "realip_remote_addr",
                              "realip_remote_port",
                              "realpath_root",
                              "remote_addr",
                              "remote_port",
                              "remote_user",
                              "request",
                              "request_body",
                              "request_body_file",
                              "request_completion",
                              "request_filename",
                              "request_id",
                              "request_length",
                              "request_method",
                              "request_time",
                              "request_uri",
                              "scheme",
                              "secure_link",
                              "secure_link_expires",
                              "server_addr",
                              "server_name",
                              "server_port",
                              "server_protocol",
                              "session_time",
                              "slice_range",
                              "spdy",
                              "spdy_request_priority",
                              "status",
                              "tcpinfo_rcv_space",
                              "tcpinfo_rtt",
                              "tcpinfo_rttvar",
                              "tcpinfo_snd_cwnd",
                              "time_iso8601",
                              "time_local",
                              "uid_got",
                              "uid_reset",
                              "uid_set",
                              "upstream_addr",
                              "uri",
                              "geoip_area_code",
                              "geoip_city",
                              "geoip_org"})
            s.insert(QLatin1String(n));
        return s;
    }();
    return names;
}

bool isBuiltin(const QString &name)
{
    static const QStringList prefixes = {
        QStringLiteral("arg_"),       QStringLiteral("cookie_"),       QStringLiteral("http_"),
        QStringLiteral("sent_http_"), QStringLiteral("sent_trailer_"), QStringLiteral("upstream_"),
        QStringLiteral("ssl_"),       QStringLiteral("geoip_"),        QStringLiteral("proxy_protocol_tlv_"),
        QStringLiteral("jwt_"),       QStringLiteral("mp4_")};
    if (builtins().contains(name))
        return true;
    if (!name.isEmpty() && name.at(0).isDigit())
        return true; // $1..$9: regex captures
    return std::any_of(prefixes.cbegin(), prefixes.cend(), [&](const QString &p) { return name.startsWith(p); });
}

// Directives that define a variable, and which argument names it.
int definedArgument(const NginxDirective &d)
{
    static const QHash<QString, int> definers = {{QStringLiteral("set"), 0},
                                                 {QStringLiteral("map"), 1},
                                                 {QStringLiteral("split_clients"), 1},
                                                 {QStringLiteral("perl_set"), 0},
                                                 {QStringLiteral("js_set"), 0},
                                                 {QStringLiteral("auth_request_set"), 0},
                                                 {QStringLiteral("auth_jwt_claim_set"), 0},
                                                 {QStringLiteral("set_by_lua"), 0},
                                                 {QStringLiteral("set_by_lua_block"), 0},
                                                 {QStringLiteral("set_by_lua_file"), 0}};
    if (d.name == QLatin1String("geo"))
        return int(d.args.size()) - 1;
    return definers.value(d.name, -1);
}

void collectDefined(const QList<NginxDirective> &list, QSet<QString> *defined)
{
    static const QRegularExpression capture(
        QStringLiteral("\\(\\?P?<([A-Za-z_][A-Za-z0-9_]*)>|\\(\\?'([A-Za-z_][A-Za-z0-9_]*)'"));
    for (const NginxDirective &d : list) {
        const int index = definedArgument(d);
        if (index >= 0 && index < d.args.size() && d.args.at(index).startsWith(QLatin1Char('$')))
            defined->insert(d.args.at(index).mid(1));
        // Named captures of any regex (location, if, map keys, server_name, rewrite) are variables.
        for (const QString &text : d.args + QStringList{d.name}) {
            for (auto it = capture.globalMatch(text); it.hasNext();) {
                const QRegularExpressionMatch m = it.next();
                defined->insert(m.captured(1).isEmpty() ? m.captured(2) : m.captured(1));
            }
        }
        // geoip2 / geoip blocks: "$var default=... path" entries.
        if (d.name.startsWith(QLatin1String("geoip2"))) {
            for (const NginxDirective &c : d.children) {
                if (c.name.startsWith(QLatin1Char('$')))
                    defined->insert(c.name.mid(1));
            }
        }
        collectDefined(d.children, defined);
    }
}

// Arguments that are regular expressions or opaque: a '$' there is an anchor or data.
bool skipped(const NginxDirective &d, qsizetype argIndex, bool inMap)
{
    if (inMap && argIndex < 0)
        return true; // map keys
    if (d.name == QLatin1String("location") || d.name == QLatin1String("server_name"))
        return true;
    if (d.name == QLatin1String("rewrite") && argIndex == 0)
        return true;
    if (d.name == QLatin1String("if") && argIndex > 0) {
        const QString op = d.arg(argIndex - 1);
        return op == QLatin1String("~") || op == QLatin1String("~*") || op == QLatin1String("!~") ||
               op == QLatin1String("!~*");
    }
    return false;
}

} // namespace

void checkVariables(Context &ctx)
{
    QSet<QString> defined;
    collectDefined(ctx.model.config().directives, &defined);
    static const QRegularExpression use(QStringLiteral("\\$(?:\\{([A-Za-z0-9_]+)\\}|([A-Za-z0-9_]+))"));
    std::function<void(const QList<NginxDirective> &, bool, NginxChain)> walk = [&](const QList<NginxDirective> &list,
                                                                                    bool inMap, NginxChain chain) {
        for (const NginxDirective &d : list) {
            if (d.name == QLatin1String("types") || d.name.endsWith(QLatin1String("_by_lua_block")))
                continue;
            QStringList texts;
            if (!skipped(d, -1, inMap))
                texts.append(d.name);
            for (qsizetype i = 0; i < d.args.size(); ++i) {
                if (!skipped(d, i, inMap) && definedArgument(d) != i)
                    texts.append(d.args.at(i));
            }
            for (const QString &text : std::as_const(texts)) {
                for (auto it = use.globalMatch(text); it.hasNext();) {
                    const QRegularExpressionMatch m = it.next();
                    const QString name = m.captured(1).isEmpty() ? m.captured(2) : m.captured(1);
                    if (isBuiltin(name) || defined.contains(name))
                        continue;
                    const LintSeverity error = LintSeverity::Error;
                    const NginxChain where =
                        chain.size() >= 2 && chain.at(1)->name == QLatin1String("server") ? chain : NginxChain{};
                    const bool added = ctx.report(
                        QStringLiteral("nginx-unknown-variable"), &d, where,
                        QStringLiteral("\"$%1\" is used but nothing defines it: nginx refuses the configuration "
                                       "(unknown \"%1\" variable)%2")
                            .arg(name, ctx.dsNginx ? QStringLiteral(", so Document Server's nginx does not start")
                                                   : QString()),
                        {&d}, ctx.dsNginx ? &error : nullptr, &d);
                    if (added && ctx.dsNginx)
                        ctx.result->findings.last().cause = QStringLiteral("ds-nginx-down");
                }
            }
            NginxChain next = chain;
            if (d.hasBlock)
                next.append(&d);
            walk(d.children, d.name == QLatin1String("map"), next);
        }
    };
    walk(ctx.model.config().directives, false, {});
}

} // namespace dd::nginxlint
