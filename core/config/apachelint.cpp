#include "config/apachelint.h"

#include "config/apacheproxyrules.h"
#include "config/apachetimeouts.h"
#include "config/dshints.h"
#include "config/nginxmodel.h"
#include "util/redact.h"

#include <QMap>
#include <QUrl>

namespace dd {

namespace {

using apache::coversRoot;
using apache::flatten;
using apache::Rule;
using apache::rulesOf;
using apache::Scope;

const LintSeverity info = LintSeverity::Info;

constexpr qint64 dsBodyLimit = qint64(100) * 1024 * 1024;
constexpr int apacheDefaultTimeout = 60;
constexpr int conversionCheckSeconds = 120;
constexpr int retryWorthWarning = 10;
// socket.io's ping interval in Document Server: an idle co-editing socket carries a frame this often.
constexpr int socketioPingSeconds = 25;

class ApacheLinter
{
public:
    ApacheLinter(const ApacheConfig &config, const LintCheckCatalog &catalog, LintResult *result)
        : m_config(config), m_catalog(catalog), m_result(result)
    {
        QList<const ApacheDirective *> vhosts;
        flatten(config.directives, &m_global.directives, &m_global.locations, &vhosts);
        for (const ApacheDirective *v : std::as_const(vhosts)) {
            Scope s;
            s.vhost = v;
            flatten(v->children, &s.directives, &s.locations, nullptr);
            m_vhosts.append(s);
        }
        if (m_vhosts.isEmpty())
            m_vhosts.append(m_global);
    }

    void run()
    {
        QList<QPair<const Scope *, QList<Rule>>> dsScopes;
        QList<QPair<const Scope *, QList<Rule>>> all;
        for (const Scope &s : std::as_const(m_vhosts)) {
            const QList<Rule> rules = rulesOf(s);
            if (rules.isEmpty())
                continue;
            all.append({&s, rules});
            // A virtual host that proxies anything of Document Server's is its virtual host.
            const bool ds = std::any_of(rules.cbegin(), rules.cend(), [&](const Rule &r) {
                return looksLikeDocServerName(r.url.host()) || looksLikeDocServerPath(r.path) || r.port() == 8000 ||
                       looksLikeDocServerName(value(s, QLatin1String("ServerName")).arg(0));
            });
            if (ds)
                dsScopes.append({&s, rules});
        }
        // Nothing names Document Server: every proxy rule is taken to be in front of it.
        if (dsScopes.isEmpty())
            dsScopes = all;
        for (const auto &[scope, rules] : std::as_const(dsScopes))
            checkScope(*scope, rules);
        checkModules(all);
        for (const auto &[scope, rules] : std::as_const(all)) {
            for (const Rule &r : rules) {
                ConfiguredUpstream u;
                u.location = QStringLiteral("%1 %2").arg(r.directive->name, r.path);
                u.scheme = r.scheme();
                u.host = r.url.host();
                u.port = quint16(r.port());
                u.file = r.directive->file;
                u.line = r.directive->line;
                u.role = QStringLiteral("front-proxy");
                u.docServer = std::any_of(dsScopes.cbegin(), dsScopes.cend(), [&](const auto &p) {
                    return std::any_of(p.second.cbegin(), p.second.cend(),
                                       [&](const Rule &o) { return o.directive == r.directive; });
                });
                m_result->upstreams.append(u);
            }
        }
    }

private:
    // The last occurrence in the virtual host, else in the main server.
    const ApacheDirective &value(const Scope &s, QLatin1String name) const
    {
        static const ApacheDirective none;
        for (const QList<const ApacheDirective *> *list : {&s.directives, &m_global.directives}) {
            for (qsizetype i = list->size() - 1; i >= 0; --i) {
                if (list->at(i)->is(name))
                    return *list->at(i);
            }
        }
        return none;
    }

    QList<const ApacheDirective *> all(const Scope &s, QLatin1String name, const QList<Rule> &rules = {}) const
    {
        QList<const ApacheDirective *> out;
        QList<const QList<const ApacheDirective *> *> lists{&m_global.directives};
        if (s.vhost)
            lists.append(&s.directives);
        for (const auto &loc : s.locations) {
            if (std::any_of(rules.cbegin(), rules.cend(), [&](const Rule &r) { return r.location == loc.first; }))
                lists.append(&loc.second);
        }
        for (const auto *list : lists) {
            for (const ApacheDirective *d : *list) {
                if (d->is(name))
                    out.append(d);
            }
        }
        return out;
    }

    void report(const QString &check, const ApacheDirective *at, const QString &message,
                const QList<const ApacheDirective *> &excerpt, const Scope *scope,
                const LintSeverity *severity = nullptr)
    {
        const QString key = check + QLatin1Char('@') + (at ? at->position() : QString());
        if (m_reported.contains(key))
            return;
        m_reported.append(key);
        QStringList lines;
        for (const ApacheDirective *d : excerpt) {
            if (d)
                lines.append(d->position() + QLatin1String(": ") + redactJwts(d->text()));
        }
        QString context;
        if (scope && scope->vhost) {
            const QString name = value(*scope, QLatin1String("ServerName")).arg(0);
            context = QStringLiteral("<VirtualHost %1>%2")
                          .arg(scope->vhost->args.join(QLatin1Char(' ')),
                               name.isEmpty() ? QString() : QLatin1Char(' ') + name);
        }
        LintFinding f = m_catalog.finding(check, at ? at->file : m_config.mainFile, at ? at->line : 0, message,
                                          lines.join(QLatin1Char('\n')), context, severity);
        f.node = QStringLiteral("proxy");
        m_result->findings.append(f);
    }

    void checkScope(const Scope &s, const QList<Rule> &rules)
    {
        const bool tls =
            value(s, QLatin1String("SSLEngine")).arg(0).compare(QLatin1String("on"), Qt::CaseInsensitive) == 0 ||
            (s.vhost && s.vhost->args.join(QLatin1Char(' ')).contains(QLatin1String(":443")));
        const ApacheDirective *where = s.vhost ? s.vhost : (rules.isEmpty() ? nullptr : rules.constFirst().directive);

        // Websocket: upgrade=websocket on the main rule, or an Upgrade-conditioned rewrite to ws://.
        const Rule *main = nullptr;
        const Rule *socketRule = nullptr; ///< the rule the co-editing socket's upgrade goes through
        bool wsRewrite = false;
        const Rule *oldRule = nullptr;
        for (const Rule &r : rules) {
            const QString sc = r.scheme();
            const bool ws = sc == QLatin1String("ws") || sc == QLatin1String("wss");
            if (ws && r.rewrite && r.upgradeCondition) {
                wsRewrite = true;
                socketRule = &r;
            }
            if (ws && r.path.contains(QLatin1String("websocket"), Qt::CaseInsensitive) && !oldRule)
                oldRule = &r;
            if (!ws && !main && coversRoot(r))
                main = &r;
        }
        if (main && !wsRewrite &&
            main->params.value(QStringLiteral("upgrade")).compare(QLatin1String("websocket"), Qt::CaseInsensitive) !=
                0) {
            if (oldRule) {
                report(QStringLiteral("apache-websocket-path-rule"), oldRule->directive,
                       QStringLiteral("only %1 proxies websockets, a SockJS-era path rule (DS <= 7.2); socket.io URLs "
                                      "(/doc/<key>/c/?EIO=4&transport=websocket) reach %2 without upgrade")
                           .arg(oldRule->path, main->rawUrl),
                       {oldRule->directive, main->directive}, &s);
            } else {
                report(QStringLiteral("apache-websocket"), main->directive,
                       QStringLiteral("%1 %2 has no upgrade=websocket and no RewriteCond %{HTTP:Upgrade} rule proxies "
                                      "to ws://: the co-editing socket gets 400 Bad request")
                           .arg(main->path, main->rawUrl),
                       {main->directive}, &s);
            }
        }

        bool xfp = false;
        bool xfh = false;
        for (const ApacheDirective *d : all(s, QLatin1String("RequestHeader"), rules)) {
            if (d->arg(0).compare(QLatin1String("unset"), Qt::CaseInsensitive) == 0)
                continue;
            xfp = xfp || d->args.contains(QStringLiteral("X-Forwarded-Proto"), Qt::CaseInsensitive);
            xfh = xfh || d->args.contains(QStringLiteral("X-Forwarded-Host"), Qt::CaseInsensitive);
        }
        if (tls && !xfp) {
            report(QStringLiteral("apache-forwarded-proto"), where,
                   QStringLiteral("TLS ends in this virtual host but no RequestHeader sets X-Forwarded-Proto: Document "
                                  "Server builds http:// URLs under an https page"),
                   {where}, &s);
        }
        const ApacheDirective &preserve = value(s, QLatin1String("ProxyPreserveHost"));
        const ApacheDirective &addHeaders = value(s, QLatin1String("ProxyAddHeaders"));
        const bool preserved = preserve.arg(0).compare(QLatin1String("on"), Qt::CaseInsensitive) == 0;
        if (!preserved && !xfh && addHeaders.arg(0).compare(QLatin1String("off"), Qt::CaseInsensitive) == 0) {
            report(QStringLiteral("apache-preserve-host"), &addHeaders,
                   QStringLiteral("ProxyAddHeaders Off without ProxyPreserveHost On: Document Server sees neither the "
                                  "public Host nor X-Forwarded-Host and builds URLs with the backend's name"),
                   {&addHeaders, preserve.line ? &preserve : nullptr}, &s);
        }
        const ApacheDirective &serverName = value(s, QLatin1String("ServerName"));
        if (serverName.arg(0).contains(QLatin1Char('_'))) {
            report(QStringLiteral("apache-hostname-underscore"), &serverName,
                   QStringLiteral("Document Server is published as \"%1\": it percent-escapes '_' in the URLs it "
                                  "signs")
                       .arg(serverName.arg(0)),
                   {&serverName}, &s);
        }

        if (!socketRule && main &&
            main->params.value(QStringLiteral("upgrade")).compare(QLatin1String("websocket"), Qt::CaseInsensitive) == 0)
            socketRule = main;
        if (socketRule)
            checkSocketTimeout(s, *socketRule);
        for (const Rule &r : rules) {
            checkTarget(s, r,
                        preserved || xfh || addHeaders.arg(0).compare(QLatin1String("off"), Qt::CaseInsensitive) != 0);
            if (main == &r)
                checkTimeout(s, r);
        }

        for (const ApacheDirective *d : all(s, QLatin1String("LimitRequestBody"), rules)) {
            bool ok = false;
            const qint64 limit = d->arg(0).toLongLong(&ok);
            if (ok && limit > 0 && limit < dsBodyLimit) {
                report(QStringLiteral("apache-body-limit"), d,
                       QStringLiteral("LimitRequestBody %1 is below Document Server's 100 MB: larger uploads and saves "
                                      "get 413")
                           .arg(limit),
                       {d}, &s);
            }
        }
        for (const ApacheDirective *d : all(s, QLatin1String("Header"), rules)) {
            const QString text = d->args.join(QLatin1Char(' '));
            if (text.contains(QLatin1String("X-Frame-Options"), Qt::CaseInsensitive) ||
                (text.contains(QLatin1String("Content-Security-Policy"), Qt::CaseInsensitive) &&
                 text.contains(QLatin1String("frame-ancestors"), Qt::CaseInsensitive))) {
                if (d->args.contains(QStringLiteral("unset"), Qt::CaseInsensitive))
                    continue;
                report(QStringLiteral("apache-frame-headers"), d,
                       QStringLiteral("a framing restriction is added to Document Server's responses: the integrator "
                                      "cannot show the editor in its frame"),
                       {d}, &s);
            }
        }
    }

    void checkTarget(const Scope &s, const Rule &r, bool hostForwarded)
    {
        const QString sc = r.scheme();
        const int port = r.port();
        const ApacheDirective *d = r.directive;
        if (port == 8000) {
            report(QStringLiteral("apache-upstream-port-8000"), d,
                   QStringLiteral("%1 goes straight to docservice's port 8000, past Document Server's own nginx")
                       .arg(r.rawUrl),
                   {d}, &s);
        }
        const bool tlsScheme = sc == QLatin1String("https") || sc == QLatin1String("wss");
        if ((!tlsScheme && (port == 443 || port == 8443)) ||
            (tlsScheme && (port == 80 || port == 8000 || port == 3000))) {
            report(QStringLiteral("apache-scheme-port"), d,
                   QStringLiteral("%1 speaks %2 to port %3: %4")
                       .arg(r.rawUrl, tlsScheme ? QStringLiteral("TLS") : QStringLiteral("plain HTTP"))
                       .arg(port)
                       .arg(tlsScheme ? QStringLiteral("the handshake fails (500, AH00898)")
                                      : QStringLiteral("400 \"plain HTTP request was sent to HTTPS port\"")),
                   {d}, &s);
        }
        if (r.url.host().compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0) {
            report(QStringLiteral("apache-localhost"), d,
                   QStringLiteral("%1: localhost resolves to ::1 and 127.0.0.1; a backend on one family refuses the "
                                  "other")
                       .arg(r.rawUrl),
                   {d}, &s);
        }
        if (!hostForwarded && r.url.host().contains(QLatin1Char('_'))) {
            report(QStringLiteral("apache-hostname-underscore"), d,
                   QStringLiteral("Document Server is reached as \"%1\": it percent-escapes '_' in the URLs it "
                                  "signs")
                       .arg(r.url.host()),
                   {d}, &s);
        }
        if (!r.rewrite && !r.url.host().isEmpty()) {
            const QString retry = r.params.value(QStringLiteral("retry"));
            if (retry.isEmpty() || retry.toInt() >= retryWorthWarning) {
                report(QStringLiteral("apache-retry"), d,
                       QStringLiteral("%1 keeps retry=%2: after one failed connect Apache answers 503 for %2 s even "
                                      "when Document Server is back")
                           .arg(r.rawUrl, retry.isEmpty() ? QStringLiteral("60") : retry),
                       {d}, &s);
            }
        }
        if (tlsScheme) {
            const ApacheDirective &engine = value(s, QLatin1String("SSLProxyEngine"));
            if (engine.arg(0).compare(QLatin1String("on"), Qt::CaseInsensitive) != 0) {
                report(QStringLiteral("apache-ssl-proxy-engine"), d,
                       QStringLiteral("%1 is https but SSLProxyEngine is not On: Apache answers 500 (AH00961)")
                           .arg(r.rawUrl),
                       {d}, &s);
            }
            const ApacheDirective &verify = value(s, QLatin1String("SSLProxyVerify"));
            if (verify.arg(0).compare(QLatin1String("require"), Qt::CaseInsensitive) == 0 &&
                value(s, QLatin1String("SSLProxyCACertificateFile")).line == 0 &&
                value(s, QLatin1String("SSLProxyCACertificatePath")).line == 0) {
                report(
                    QStringLiteral("apache-ssl-proxy-verify"), &verify,
                    QStringLiteral("SSLProxyVerify require without SSLProxyCACertificateFile/Path: Document Server's "
                                   "certificate cannot be verified"),
                    {&verify, d}, &s);
            }
        }
    }

    ApacheProxyTimeouts timeoutsOf(const Scope &s, const Rule &r) const
    {
        return resolveApacheTimeouts(r.directive, r.params.value(QStringLiteral("timeout")),
                                     value(s, QLatin1String("ProxyTimeout")), value(s, QLatin1String("Timeout")));
    }

    void checkTimeout(const Scope &s, const Rule &r)
    {
        const ApacheTimeout t = timeoutsOf(s, r).backend;
        if (!t.valid || t.seconds >= conversionCheckSeconds)
            return;
        const ApacheDirective *d = t.directive ? t.directive : r.directive;
        const QString message = QStringLiteral("the backend timeout is %1 s%2 for %3; synchronous conversions "
                                               "(/ConvertService.ashx, /converter) can take longer and end in 502/504")
                                    .arg(t.seconds)
                                    .arg(t.directive ? QString() : QStringLiteral(" (Apache's default)"), r.rawUrl);
        report(QStringLiteral("apache-timeout"), d, message, {d}, &s,
               t.seconds < apacheDefaultTimeout ? nullptr : &info);
    }

    // The co-editing socket idles between socket.io pings; Apache closes an upgraded connection
    // that idles for the longer of Timeout and the backend timeout (checked against httpd 2.4).
    void checkSocketTimeout(const Scope &s, const Rule &r)
    {
        const ApacheProxyTimeouts t = timeoutsOf(s, r);
        const ApacheTimeout &idle = t.tunnel();
        if (!t.client.valid || !t.backend.valid || idle.seconds >= apacheDefaultTimeout)
            return;
        const auto named = [](const ApacheTimeout &x) {
            return x.directive ? x.directive->position() : QStringLiteral("Apache's default");
        };
        const bool inherited = t.backend.directive == t.client.directive;
        const QString why =
            inherited ? QStringLiteral("Timeout %1 s (%2), which the backend uses too: no ProxyTimeout or timeout=")
                            .arg(t.client.seconds)
                            .arg(named(t.client))
                      : QStringLiteral("the longer of Timeout %1 s (%2) and the backend timeout %3 s (%4)")
                            .arg(t.client.seconds)
                            .arg(named(t.client))
                            .arg(t.backend.seconds)
                            .arg(named(t.backend));
        const LintSeverity warning = LintSeverity::Warning;
        const bool belowPing = idle.seconds <= socketioPingSeconds;
        report(QStringLiteral("apache-websocket-timeout"), idle.directive ? idle.directive : r.directive,
               QStringLiteral("the co-editing socket through %1 is closed after %2 s idle, %3: %4")
                   .arg(r.rawUrl)
                   .arg(idle.seconds)
                   .arg(why, belowPing
                                 ? QStringLiteral("at or below socket.io's 25 s ping interval, every idle editor is "
                                                  "disconnected (\"Connection is lost\")")
                                 : QStringLiteral("under a minute, an idle editor is disconnected when a ping is "
                                                  "late")),
               {t.client.directive, inherited ? nullptr : t.backend.directive,
                t.backend.directive == r.directive ? nullptr : r.directive},
               &s, belowPing ? nullptr : &warning);
    }

    void checkModules(const QList<QPair<const Scope *, QList<Rule>>> &all)
    {
        if (!m_config.modulesKnown)
            return;
        QMap<QString, const ApacheDirective *> needed;
        for (const auto &[scope, rules] : all) {
            for (const Rule &r : rules) {
                const QString sc = r.scheme();
                needed.insert(QStringLiteral("proxy_module"), r.directive);
                if (sc == QLatin1String("http") || sc == QLatin1String("https"))
                    needed.insert(QStringLiteral("proxy_http_module"), r.directive);
                if (sc == QLatin1String("ws") || sc == QLatin1String("wss"))
                    needed.insert(QStringLiteral("proxy_wstunnel_module"), r.directive);
                if (sc == QLatin1String("https") || sc == QLatin1String("wss"))
                    needed.insert(QStringLiteral("ssl_module"), r.directive);
                if (r.rewrite)
                    needed.insert(QStringLiteral("rewrite_module"), r.directive);
            }
            for (const ApacheDirective *d : scope->directives) {
                if (d->is(QLatin1String("RequestHeader")) || d->is(QLatin1String("Header")))
                    needed.insert(QStringLiteral("headers_module"), d);
            }
        }
        QStringList missing;
        const ApacheDirective *first = nullptr;
        for (auto it = needed.cbegin(); it != needed.cend(); ++it) {
            if (m_config.modules.contains(it.key()))
                continue;
            missing.append(it.key());
            if (!first || it.value()->line < first->line)
                first = it.value();
        }
        if (missing.isEmpty())
            return;
        report(QStringLiteral("apache-proxy-modules"), first,
               QStringLiteral("modules not loaded but needed by this configuration: %1")
                   .arg(missing.join(QLatin1String(", "))),
               {first}, nullptr);
    }

    const ApacheConfig &m_config;
    const LintCheckCatalog &m_catalog;
    LintResult *m_result;
    Scope m_global;
    QList<Scope> m_vhosts;
    QStringList m_reported;
};

} // namespace

LintResult lintApache(const ApacheConfig &config, const LintCheckCatalog &catalog)
{
    LintResult result;
    result.inputs.append(config.mainFile);
    result.errors = config.errors;
    for (const ConfigError &e : config.errors) {
        if (e.fatal)
            continue;
        LintFinding f =
            catalog.finding(QStringLiteral("apache-config-invalid"), e.file, e.line, e.message, e.toString());
        f.node = QStringLiteral("proxy");
        result.findings.append(f);
    }
    ApacheLinter linter(config, catalog, &result);
    linter.run();
    result.normalize();
    return result;
}

} // namespace dd
