#include "config/nginxmodel.h"

#include <QHostAddress>

#include <functional>

namespace dd {

namespace {

struct LocationSpec
{
    enum Kind { Prefix, Exact, Regex, Named };
    Kind kind = Prefix;
    bool noRegex = false;
    bool caseless = false;
    QString pattern;
};

LocationSpec locationSpec(const NginxDirective &d)
{
    // ngx_http_core_location(): "= /x", "=/x", "^~ /x", "~ re", "~* re", "~re", "@name", "/x".
    LocationSpec spec;
    QString mod;
    QString name;
    if (d.args.size() >= 2) {
        mod = d.args.at(0);
        name = d.args.at(1);
    } else {
        name = d.arg(0);
        if (name.startsWith(QLatin1Char('=')) && name.size() > 1) {
            mod = QStringLiteral("=");
            name = name.mid(1);
        } else if (name.startsWith(QLatin1String("^~"))) {
            mod = QStringLiteral("^~");
            name = name.mid(2);
        } else if (name.startsWith(QLatin1String("~*"))) {
            mod = QStringLiteral("~*");
            name = name.mid(2);
        } else if (name.startsWith(QLatin1Char('~'))) {
            mod = QStringLiteral("~");
            name = name.mid(1);
        }
    }
    spec.pattern = name;
    if (mod == QLatin1String("=")) {
        spec.kind = LocationSpec::Exact;
    } else if (mod == QLatin1String("^~")) {
        spec.noRegex = true;
    } else if (mod == QLatin1String("~") || mod == QLatin1String("~*")) {
        spec.kind = LocationSpec::Regex;
        spec.caseless = mod == QLatin1String("~*");
    } else if (name.startsWith(QLatin1Char('@'))) {
        spec.kind = LocationSpec::Named;
    }
    return spec;
}

bool isLocation(const NginxDirective &d)
{
    return d.name == QLatin1String("location") && d.hasBlock;
}

bool splitHostPort(const QString &hostPort, QString *host, quint16 *port, bool *hasPort)
{
    *hasPort = false;
    if (hostPort.startsWith(QLatin1Char('['))) {
        const qsizetype close = hostPort.indexOf(QLatin1Char(']'));
        if (close < 0)
            return false;
        *host = hostPort.mid(1, close - 1);
        const QString rest = hostPort.mid(close + 1);
        if (rest.startsWith(QLatin1Char(':'))) {
            bool ok = false;
            const uint p = rest.mid(1).toUInt(&ok);
            if (!ok || p > 65535)
                return false;
            *port = quint16(p);
            *hasPort = true;
        }
        return true;
    }
    const qsizetype colon = hostPort.lastIndexOf(QLatin1Char(':'));
    if (colon >= 0 && hostPort.indexOf(QLatin1Char(':')) == colon) {
        bool ok = false;
        const uint p = hostPort.mid(colon + 1).toUInt(&ok);
        *host = hostPort.left(colon);
        if (ok && p <= 65535) {
            *port = quint16(p);
            *hasPort = true;
        }
        return ok;
    }
    *host = hostPort;
    return true;
}

} // namespace

QString NginxServer::label() const
{
    for (const QString &n : names) {
        if (!n.isEmpty() && n != QLatin1String("_"))
            return QStringLiteral("server %1").arg(n);
    }
    return QStringLiteral("server at %1").arg(block ? block->position() : QString());
}

bool NginxServer::hasNonStandardPort() const
{
    for (const NginxListen &l : listens) {
        if (l.port != 80 && l.port != 443)
            return true;
    }
    return false;
}

NginxModel::NginxModel(NginxConfig config) : m_config(std::move(config))
{
    for (const NginxDirective &top : std::as_const(m_config.directives)) {
        if (top.name != QLatin1String("http") || !top.hasBlock)
            continue;
        for (const NginxDirective &d : top.children) {
            if (d.name == QLatin1String("upstream") && d.hasBlock) {
                NginxUpstream up;
                up.name = d.arg(0);
                up.directive = &d;
                for (const NginxDirective &s : d.children) {
                    if (s.name != QLatin1String("server") || s.args.isEmpty())
                        continue;
                    NginxUpstreamServer server;
                    server.directive = &s;
                    server.address = s.args.constFirst();
                    if (server.address.startsWith(QLatin1String("unix:"))) {
                        server.unixSocket = true;
                        server.host = server.address;
                        server.port = 0;
                    } else {
                        bool hasPort = false;
                        splitHostPort(server.address, &server.host, &server.port, &hasPort);
                    }
                    for (qsizetype i = 1; i < s.args.size(); ++i) {
                        const QString &a = s.args.at(i);
                        if (a.startsWith(QLatin1String("max_fails="))) {
                            server.maxFails = a.mid(10).toInt();
                            server.maxFailsSet = true;
                        } else if (a.startsWith(QLatin1String("fail_timeout="))) {
                            server.failTimeout = a.mid(13);
                        } else if (a == QLatin1String("backup")) {
                            server.backup = true;
                        } else if (a == QLatin1String("down")) {
                            server.down = true;
                        }
                    }
                    up.servers.append(server);
                }
                m_upstreamIndex.insert(up.name, m_upstreams.size());
                m_upstreams.append(up);
            } else if (d.name == QLatin1String("map") && d.hasBlock && d.args.size() >= 2) {
                Map map;
                map.source = d.args.at(0);
                map.variable = d.args.at(1);
                for (const NginxDirective &e : d.children) {
                    if (e.args.isEmpty())
                        continue; // "hostnames;", "volatile;"
                    map.values.append(e.args.constFirst());
                }
                m_maps.append(map);
            } else if (d.name == QLatin1String("server") && d.hasBlock) {
                NginxServer server;
                server.http = &top;
                server.block = &d;
                for (const NginxDirective &c : d.children) {
                    if (c.name == QLatin1String("server_name")) {
                        server.names += c.args;
                    } else if (c.name == QLatin1String("ssl") && c.arg(0) == QLatin1String("on")) {
                        server.tls = true;
                    } else if (c.name == QLatin1String("listen") && !c.args.isEmpty()) {
                        NginxListen listen;
                        listen.directive = &c;
                        const QString &addr = c.args.constFirst();
                        bool isNumber = false;
                        const uint p = addr.toUInt(&isNumber);
                        if (isNumber) {
                            listen.port = quint16(p);
                        } else if (!addr.startsWith(QLatin1String("unix:"))) {
                            bool hasPort = false;
                            splitHostPort(addr, &listen.address, &listen.port, &hasPort);
                            if (!hasPort)
                                listen.port = 80;
                        }
                        listen.ssl = c.args.contains(QStringLiteral("ssl"));
                        server.tls = server.tls || listen.ssl;
                        server.listens.append(listen);
                    }
                }
                m_servers.append(server);
            }
        }
    }
}

const NginxUpstream *NginxModel::upstream(const QString &name) const
{
    const auto it = m_upstreamIndex.constFind(name);
    return it == m_upstreamIndex.cend() ? nullptr : &m_upstreams.at(*it);
}

void NginxModel::collectLocations(const NginxChain &chain, QList<NginxChain> *out) const
{
    for (const NginxDirective &d : chain.constLast()->children) {
        if (!isLocation(d))
            continue;
        NginxChain next = chain;
        next.append(&d);
        out->append(next);
        collectLocations(next, out);
    }
}

QList<NginxChain> NginxModel::locations(const NginxServer &server) const
{
    QList<NginxChain> out;
    collectLocations(NginxChain{server.http, server.block}, &out);
    return out;
}

int NginxModel::find(const NginxDirective *level, const QString &uri, NginxChain *found) const
{
    // Mirrors ngx_http_core_find_location(): 0 = declined, 1 = prefix matched (regexes of the
    // outer level may still win), 2 = done.
    const NginxDirective *best = nullptr;
    qsizetype bestLength = -1;
    bool noRegex = false;
    for (const NginxDirective &d : level->children) {
        if (!isLocation(d))
            continue;
        const LocationSpec spec = locationSpec(d);
        if (spec.kind == LocationSpec::Exact && uri == spec.pattern) {
            *found = NginxChain{&d};
            return 2;
        }
        if (spec.kind == LocationSpec::Prefix && uri.startsWith(spec.pattern) && spec.pattern.size() > bestLength) {
            best = &d;
            bestLength = spec.pattern.size();
            noRegex = spec.noRegex;
        }
    }
    NginxChain prefixChain;
    if (best) {
        prefixChain.append(best);
        NginxChain nested;
        const int rc = find(best, uri, &nested);
        prefixChain += nested;
        if (rc == 2) {
            *found = prefixChain;
            return 2;
        }
    }
    if (!noRegex) {
        for (const NginxDirective &d : level->children) {
            if (!isLocation(d))
                continue;
            const LocationSpec spec = locationSpec(d);
            if (spec.kind != LocationSpec::Regex)
                continue;
            auto it = m_regexCache.find(&d);
            if (it == m_regexCache.end()) {
                it = m_regexCache.insert(
                    &d, QRegularExpression(spec.pattern, spec.caseless ? QRegularExpression::CaseInsensitiveOption
                                                                       : QRegularExpression::NoPatternOption));
            }
            if (!it->isValid() || !it->match(uri).hasMatch())
                continue;
            NginxChain regexChain{&d};
            NginxChain nested;
            find(&d, uri, &nested);
            regexChain += nested;
            *found = regexChain;
            return 2;
        }
    }
    *found = prefixChain;
    return best ? 1 : 0;
}

NginxChain NginxModel::match(const NginxServer &server, const QString &uri) const
{
    NginxChain chain{server.http, server.block};
    NginxChain found;
    find(server.block, uri, &found);
    return chain + found;
}

const NginxDirective *NginxModel::effective(const NginxChain &chain, const QString &name)
{
    for (qsizetype i = chain.size() - 1; i >= 0; --i) {
        const NginxDirective *level = chain.at(i);
        const NginxDirective *last = nullptr;
        for (const NginxDirective &d : level->children) {
            if (d.name == name)
                last = &d;
        }
        if (last)
            return last;
    }
    return nullptr;
}

QList<const NginxDirective *> NginxModel::effectiveList(const NginxChain &chain, const QStringList &names)
{
    for (qsizetype i = chain.size() - 1; i >= 0; --i) {
        QList<const NginxDirective *> found;
        for (const NginxDirective &d : chain.at(i)->children) {
            if (names.contains(d.name))
                found.append(&d);
        }
        if (!found.isEmpty())
            return found;
    }
    return {};
}

QList<NginxHeader> NginxModel::proxyHeaders(const NginxChain &chain)
{
    QList<NginxHeader> headers;
    for (const NginxDirective *d : effectiveList(chain, {QStringLiteral("proxy_set_header")})) {
        if (d->args.size() >= 2)
            headers.append(NginxHeader{d->args.at(0), d->args.at(1), d});
        else if (d->args.size() == 1)
            headers.append(NginxHeader{d->args.at(0), QString(), d});
    }
    // ngx_http_proxy_headers[]: what nginx sends when a header is not set explicitly.
    static const QList<QPair<QString, QString>> defaults = {
        {QStringLiteral("Host"), QStringLiteral("$proxy_host")},
        {QStringLiteral("Connection"), QStringLiteral("close")},
        {QStringLiteral("Upgrade"), QString()},
        {QStringLiteral("Keep-Alive"), QString()},
        {QStringLiteral("TE"), QString()},
        {QStringLiteral("Expect"), QString()},
    };
    for (const auto &def : defaults) {
        if (header(headers, def.first).name.isEmpty())
            headers.append(NginxHeader{def.first, def.second, nullptr});
    }
    return headers;
}

QList<NginxHeader> NginxModel::addHeaders(const NginxChain &chain)
{
    QList<NginxHeader> headers;
    for (const NginxDirective *d : effectiveList(chain, {QStringLiteral("add_header")})) {
        if (d->args.size() >= 2)
            headers.append(NginxHeader{d->args.at(0), d->args.at(1), d});
    }
    return headers;
}

NginxHeader NginxModel::header(const QList<NginxHeader> &headers, const QString &name)
{
    for (const NginxHeader &h : headers) {
        if (h.name.compare(name, Qt::CaseInsensitive) == 0)
            return h;
    }
    return {};
}

const NginxDirective *NginxModel::proxyPass(const NginxChain &chain)
{
    if (chain.size() < 3)
        return nullptr; // proxy_pass is a location-level directive
    const NginxDirective *loc = chain.constLast();
    for (const NginxDirective &d : loc->children) {
        if (d.name == QLatin1String("proxy_pass"))
            return &d;
    }
    for (const NginxDirective &d : loc->children) {
        if (d.name != QLatin1String("if") && d.name != QLatin1String("limit_except"))
            continue;
        for (const NginxDirective &c : d.children) {
            if (c.name == QLatin1String("proxy_pass"))
                return &c;
        }
    }
    return nullptr;
}

NginxProxyTarget NginxModel::parseProxyPass(const NginxDirective *directive) const
{
    NginxProxyTarget t;
    if (!directive || directive->args.isEmpty())
        return t;
    t.directive = directive;
    t.url = directive->args.constFirst();
    t.hasVariables = t.url.contains(QLatin1Char('$'));
    QString rest = t.url;
    const qsizetype sep = rest.indexOf(QLatin1String("://"));
    if (sep >= 0) {
        const QString scheme = rest.left(sep).toLower();
        if (!scheme.contains(QLatin1Char('$')))
            t.scheme = scheme;
        rest = rest.mid(sep + 3);
    }
    if (rest.startsWith(QLatin1String("unix:"))) {
        t.unixSocket = true;
        const qsizetype colon = rest.indexOf(QLatin1Char(':'), 5);
        t.host = colon < 0 ? rest : rest.left(colon);
        if (colon >= 0) {
            t.uri = rest.mid(colon + 1);
            t.hasUri = true;
        }
        return t;
    }
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    const QString hostPort = slash < 0 ? rest : rest.left(slash);
    if (slash >= 0) {
        t.uri = rest.mid(slash);
        t.hasUri = true;
    }
    t.hostHasVariables = hostPort.contains(QLatin1Char('$'));
    quint16 port = 0;
    splitHostPort(hostPort, &t.host, &port, &t.explicitPort);
    if (t.hostHasVariables && !hostPort.startsWith(QLatin1Char('$'))) {
        // "http://docservice$2$is_args$args" (DS's own ds-docservice.conf): the variable carries
        // the path; the host is the literal before it when that is an upstream or an address.
        const QString literal = hostPort.left(hostPort.indexOf(QLatin1Char('$')));
        if (upstream(literal) || isIpLiteral(literal)) {
            t.host = literal;
            t.hostHasVariables = false;
            t.uri = t.url.mid(t.url.indexOf(literal) + literal.size()) + t.uri;
            t.hasUri = true;
        }
    }
    if (!t.hostHasVariables && !t.explicitPort)
        t.upstream = upstream(t.host);
    if (t.explicitPort)
        t.port = port;
    else if (t.upstream)
        t.port = 0; // the upstream's servers carry the ports
    else if (t.scheme == QLatin1String("https"))
        t.port = 443;
    else if (t.scheme == QLatin1String("http"))
        t.port = 80;
    return t;
}

NginxProxyTarget NginxModel::proxyTarget(const NginxChain &chain) const
{
    return parseProxyPass(proxyPass(chain));
}

QStringList NginxModel::mapValues(const QString &variable) const
{
    for (const Map &m : m_maps) {
        if (m.variable == variable)
            return m.values;
    }
    return {};
}

QString NginxModel::mapSource(const QString &variable) const
{
    for (const Map &m : m_maps) {
        if (m.variable == variable)
            return m.source;
    }
    return {};
}

QString NginxModel::setValue(const NginxChain &chain, const QString &variable)
{
    for (qsizetype i = chain.size() - 1; i >= 0; --i) {
        for (const NginxDirective &d : chain.at(i)->children) {
            if (d.name == QLatin1String("set") && d.arg(0) == variable)
                return d.arg(1);
        }
    }
    return {};
}

QList<const NginxDirective *> NginxModel::setDirectives(const QString &variable) const
{
    QList<const NginxDirective *> out;
    std::function<void(const QList<NginxDirective> &)> walk = [&](const QList<NginxDirective> &list) {
        for (const NginxDirective &d : list) {
            if (d.name == QLatin1String("set") && d.arg(0) == variable)
                out.append(&d);
            walk(d.children);
        }
    };
    walk(m_config.directives);
    return out;
}

QString NginxModel::locationLabel(const NginxChain &chain)
{
    if (chain.isEmpty() || chain.constLast()->name != QLatin1String("location"))
        return QStringLiteral("server level");
    return QStringLiteral("location ") + chain.constLast()->args.join(QLatin1Char(' '));
}

qint64 parseNginxSize(const QString &text)
{
    if (text.isEmpty())
        return -1;
    qint64 scale = 1;
    QString number = text;
    const QChar last = text.back().toLower();
    if (last == QLatin1Char('k'))
        scale = 1024;
    else if (last == QLatin1Char('m'))
        scale = 1024 * 1024;
    else if (last == QLatin1Char('g'))
        scale = qint64(1024) * 1024 * 1024;
    if (scale != 1)
        number.chop(1);
    bool ok = false;
    const qint64 n = number.toLongLong(&ok);
    return ok && n >= 0 ? n * scale : -1;
}

qint64 parseNginxTime(const QString &text)
{
    // ngx_parse_time(): a sequence of <number><unit>; a bare number is seconds.
    if (text.isEmpty())
        return -1;
    qint64 total = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        qsizetype j = i;
        while (j < text.size() && text.at(j).isDigit())
            ++j;
        if (j == i)
            return -1;
        const qint64 n = text.mid(i, j - i).toLongLong();
        qint64 unit = 1000;
        if (text.mid(j, 2) == QLatin1String("ms")) {
            unit = 1;
            j += 2;
        } else if (j < text.size()) {
            switch (text.at(j).toLatin1()) {
            case 's':
                unit = 1000;
                break;
            case 'm':
                unit = 60 * 1000;
                break;
            case 'h':
                unit = 3600 * 1000;
                break;
            case 'd':
                unit = qint64(86400) * 1000;
                break;
            case 'w':
                unit = qint64(7) * 86400 * 1000;
                break;
            case 'M':
                unit = qint64(30) * 86400 * 1000;
                break;
            case 'y':
                unit = qint64(365) * 86400 * 1000;
                break;
            default:
                return -1;
            }
            ++j;
        }
        total += n * unit;
        i = j;
    }
    return total;
}

bool isIpLiteral(const QString &host)
{
    QHostAddress address;
    return !host.isEmpty() && address.setAddress(host);
}

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    QHostAddress address;
    return address.setAddress(host) && address.isLoopback();
}

} // namespace dd
