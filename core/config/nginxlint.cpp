#include "config/nginxlint.h"

#include "config/dshints.h"
#include "config/nginxlintcontext.h"
#include "util/redact.h"

#include <QRegularExpression>

namespace dd {

namespace nginxlint {

namespace {

QString serverNameOf(const NginxDirective *server)
{
    for (const NginxDirective &d : server->children) {
        if (d.name == QLatin1String("server_name")) {
            for (const QString &n : d.args) {
                if (n != QLatin1String("_") && !n.isEmpty())
                    return n;
            }
        }
    }
    return {};
}

} // namespace

Context::Context(const NginxModel &m, const LintCheckCatalog &c, LintResult *r) : model(m), catalog(c), result(r)
{
    dsNginx = isDocServerNginx(model);
    node = dsNginx ? QStringLiteral("dsnginx") : QStringLiteral("proxy");

    QList<DsLocation> proxied;
    for (const NginxServer &server : model.servers()) {
        for (const NginxChain &chain : model.locations(server)) {
            const NginxProxyTarget target = model.proxyTarget(chain);
            if (target.isValid())
                proxied.append(DsLocation{&server, chain, target});
        }
    }
    for (const DsLocation &loc : std::as_const(proxied)) {
        if (isDsChain(loc.chain) && !dsServers.contains(loc.server))
            dsServers.append(loc.server);
    }
    // Nothing names Document Server: the admin pointed us at its proxy, so every proxied
    // location is taken to be in front of it. Otherwise a server that proxies anything of
    // Document Server's is its virtual host, and all it proxies goes there.
    for (const DsLocation &loc : std::as_const(proxied)) {
        if (dsServers.isEmpty() || dsServers.contains(loc.server))
            dsLocations.append(loc);
    }
    if (dsServers.isEmpty()) {
        for (const DsLocation &loc : std::as_const(dsLocations)) {
            if (!dsServers.contains(loc.server))
                dsServers.append(loc.server);
        }
    }
}

bool Context::isDsChain(const NginxChain &chain) const
{
    const NginxProxyTarget target = model.proxyTarget(chain);
    if (!target.isValid())
        return false;
    if (dsNginx) {
        if (target.upstream)
            return target.upstream->name == QLatin1String("docservice");
        return target.port == 8000;
    }
    if (looksLikeDocServerName(target.host))
        return true;
    if (target.upstream) {
        for (const NginxUpstreamServer &s : target.upstream->servers) {
            if (looksLikeDocServerName(s.host) || s.port == 8000)
                return true;
        }
    }
    if (target.port == 8000)
        return true;
    for (qsizetype i = 2; i < chain.size(); ++i) {
        if (looksLikeDocServerPath(chain.at(i)->args.join(QLatin1Char(' '))))
            return true;
    }
    if (chain.size() > 1) {
        for (const NginxDirective &d : chain.at(1)->children) {
            if (d.name != QLatin1String("server_name"))
                continue;
            for (const QString &n : d.args) {
                if (looksLikeDocServerName(n))
                    return true;
            }
        }
    }
    return false;
}

QStringList Context::bases(const NginxServer &server) const
{
    QStringList out;
    for (const DsLocation &loc : dsLocations) {
        if (loc.server != &server || loc.chain.size() != 3)
            continue;
        const NginxDirective *l = loc.chain.constLast();
        if (l->args.size() != 1 || l->arg(0).startsWith(QLatin1Char('~')) || l->arg(0).startsWith(QLatin1Char('=')))
            continue;
        QString p = l->arg(0);
        if (p.startsWith(QLatin1String("^~")))
            p = p.mid(2);
        if (p == QLatin1String("/")) {
            if (!out.contains(p))
                out.append(p);
            continue;
        }
        if (!p.startsWith(QLatin1Char('/')) || isDocServerEndpointSegment(p.mid(1).section(QLatin1Char('/'), 0, 0)))
            continue;
        if (!p.endsWith(QLatin1Char('/')))
            p += QLatin1Char('/');
        if (!out.contains(p))
            out.append(p);
    }
    if (out.isEmpty())
        out.append(QStringLiteral("/"));
    return out;
}

QList<TargetAddress> Context::addresses(const NginxProxyTarget &target) const
{
    QList<TargetAddress> out;
    if (target.upstream) {
        for (const NginxUpstreamServer &s : target.upstream->servers)
            out.append(TargetAddress{s.host, s.port, s.directive, &s});
    } else if (!target.hostHasVariables && !target.unixSocket) {
        out.append(TargetAddress{target.host, target.port, target.directive, nullptr});
    }
    return out;
}

bool Context::report(const QString &check, const NginxDirective *at, const NginxChain &chain, const QString &message,
                     const QList<const NginxDirective *> &excerpt, const LintSeverity *severity, const void *onceKey)
{
    if (onceKey) {
        const QPair<QString, const void *> key{check, onceKey};
        if (m_reported.contains(key))
            return false;
        m_reported.insert(key);
    }
    const NginxDirective *where = at ? at : (chain.isEmpty() ? nullptr : chain.constLast());
    LintFinding f =
        catalog.finding(check, where ? where->file : model.config().mainFile, where ? where->line : 0, message,
                        excerptOf(excerpt.isEmpty() && where ? QList{where} : excerpt), contextOf(chain), severity);
    f.node = node;
    result->findings.append(f);
    return true;
}

QString redactedText(const NginxDirective &directive)
{
    NginxDirective d = directive;
    d.hasBlock = directive.hasBlock;
    static const QRegularExpression secretName(QStringLiteral("secret|passw|token|key"),
                                               QRegularExpression::CaseInsensitiveOption);
    if (d.name == QLatin1String("set") && d.args.size() >= 2 && secretName.match(d.args.at(0)).hasMatch()) {
        d.args[1] = QString::fromLatin1(redactedMarker);
    } else if (d.name == QLatin1String("secure_link_md5")) {
        for (QString &a : d.args)
            a = QString::fromLatin1(redactedMarker);
    } else if ((d.name == QLatin1String("proxy_set_header") || d.name == QLatin1String("add_header")) &&
               d.args.size() >= 2 && isCredentialHeader(d.args.at(0).toLatin1()) &&
               !d.args.at(1).startsWith(QLatin1Char('$'))) {
        d.args[1] = QString::fromLatin1(redactedMarker);
    }
    return redactJwts(d.text());
}

QString excerptOf(const QList<const NginxDirective *> &directives)
{
    QStringList lines;
    for (const NginxDirective *d : directives) {
        if (!d)
            continue;
        const QString line = d->position() + QLatin1String(": ") + redactedText(*d);
        if (!lines.contains(line))
            lines.append(line);
    }
    return lines.join(QLatin1Char('\n'));
}

QString contextOf(const NginxChain &chain)
{
    if (chain.size() < 2)
        return {};
    const QString name = serverNameOf(chain.at(1));
    QString out = name.isEmpty() ? QStringLiteral("server at %1").arg(chain.at(1)->position())
                                 : QStringLiteral("server %1").arg(name);
    if (chain.size() > 2)
        out += QLatin1String(", ") + NginxModel::locationLabel(chain);
    return out;
}

const NginxDirective *headerLevel(const NginxChain &chain, const QString &directive)
{
    for (qsizetype i = chain.size() - 1; i >= 0; --i) {
        for (const NginxDirective &d : chain.at(i)->children) {
            if (d.name == directive)
                return chain.at(i);
        }
    }
    return nullptr;
}

const NginxDirective *droppedHeader(const NginxChain &chain, const QString &name)
{
    const NginxDirective *level = headerLevel(chain, QStringLiteral("proxy_set_header"));
    const qsizetype effectiveIndex = chain.indexOf(level);
    for (qsizetype i = effectiveIndex - 1; i >= 0; --i) {
        for (const NginxDirective &d : chain.at(i)->children) {
            if (d.name == QLatin1String("proxy_set_header") && d.arg(0).compare(name, Qt::CaseInsensitive) == 0)
                return &d;
        }
    }
    return nullptr;
}

QStringList possibleValues(const NginxModel &model, const QString &value)
{
    const QStringList mapped = model.mapValues(value);
    return mapped.isEmpty() ? QStringList{value} : mapped;
}

} // namespace nginxlint

bool isDocServerNginx(const NginxModel &model)
{
    // The secure link of /cache/files is DS's own; a `docservice` upstream alone is not (ONLYOFFICE's
    // proxy examples name theirs that too), unless it points at docservice's port 8000.
    if (!model.setDirectives(QStringLiteral("$secure_link_secret")).isEmpty())
        return true;
    const NginxUpstream *up = model.upstream(QStringLiteral("docservice"));
    return up && std::any_of(up->servers.cbegin(), up->servers.cend(),
                             [](const NginxUpstreamServer &s) { return s.port == 8000; });
}

SecureLinkSetting secureLinkSecret(const NginxModel &model)
{
    const QList<const NginxDirective *> sets = model.setDirectives(QStringLiteral("$secure_link_secret"));
    if (sets.isEmpty())
        return {};
    const NginxDirective *d = sets.constLast();
    return SecureLinkSetting{d->arg(1), d->file, d->line};
}

QList<ConfiguredUpstream> configuredUpstreams(const NginxModel &model)
{
    LintResult scratch;
    const nginxlint::Context ctx(model, LintCheckCatalog::builtIn(), &scratch);
    QList<ConfiguredUpstream> out;
    for (const NginxServer &server : model.servers()) {
        for (const NginxChain &chain : model.locations(server)) {
            const NginxProxyTarget target = model.proxyTarget(chain);
            if (!target.isValid())
                continue;
            const bool ds = std::any_of(ctx.dsLocations.cbegin(), ctx.dsLocations.cend(),
                                        [&](const nginxlint::DsLocation &l) { return l.chain == chain; });
            for (const nginxlint::TargetAddress &a : ctx.addresses(target)) {
                ConfiguredUpstream u;
                u.location = NginxModel::locationLabel(chain);
                u.scheme = target.scheme;
                u.host = a.host;
                u.port = a.port;
                u.file = a.directive ? a.directive->file : target.directive->file;
                u.line = a.directive ? a.directive->line : target.directive->line;
                u.upstream = target.upstream ? target.upstream->name : QString();
                u.backup = a.upstreamServer && a.upstreamServer->backup;
                u.role = ctx.dsNginx ? QStringLiteral("ds-nginx") : QStringLiteral("front-proxy");
                u.docServer = ds;
                out.append(u);
            }
        }
    }
    return out;
}

LintResult lintNginx(const NginxConfig &config, const LintCheckCatalog &catalog)
{
    LintResult result;
    result.inputs.append(config.mainFile);
    result.errors = config.errors;
    const NginxModel model(config);
    nginxlint::Context ctx(model, catalog, &result);
    for (const ConfigError &e : config.errors) {
        if (e.fatal)
            continue;
        LintFinding f =
            catalog.finding(QStringLiteral("nginx-config-invalid"), e.file, e.line, e.message,
                            e.file + QLatin1Char(':') + QString::number(e.line) + QLatin1String(": ") + e.message);
        f.node = ctx.node;
        // Document Server's own nginx refusing its configuration is the ds-nginx-down cause.
        if (ctx.dsNginx)
            f.cause = QStringLiteral("ds-nginx-down");
        result.findings.append(f);
    }
    nginxlint::checkWebsocket(ctx);
    nginxlint::checkForwardedHeaders(ctx);
    nginxlint::checkTargets(ctx);
    nginxlint::checkServerNames(ctx);
    nginxlint::checkUpstreamBlocks(ctx);
    nginxlint::checkResponseHeaders(ctx);
    nginxlint::checkLimits(ctx);
    nginxlint::checkExposure(ctx);
    nginxlint::checkVariables(ctx);
    result.upstreams = configuredUpstreams(model);
    result.normalize();
    return result;
}

} // namespace dd
