// Checks across configurations linted together: where the front proxy sends requests against
// where Document Server's own nginx listens and where docservice is (DS's nginx upstream,
// local.json). Only these can tell a port that is merely unusual from one that is wrong.

#include "config/nginxcrosscheck.h"

#include "config/nginxlint.h"
#include "config/nginxlintcontext.h"

#include <QHostAddress>

namespace dd {

namespace {

struct Listen
{
    QString address; ///< "" = every IPv4 address, "::" = every IPv6 address, else one address
    quint16 port = 0;
    bool ssl = false;
    const NginxDirective *directive = nullptr;
};

struct Docservice
{
    QString host;
    quint16 port = 0;
    QString where; ///< "file:line"
};

bool isV6(const QString &host)
{
    QHostAddress a;
    return a.setAddress(host) && a.protocol() == QAbstractSocket::IPv6Protocol;
}

// Whether a connection to `host` reaches a socket listening on `listen` (ipv6only=on, nginx's default).
bool reaches(const QString &host, const QString &listen)
{
    if (listen.isEmpty() || listen == QLatin1String("0.0.0.0") || listen == QLatin1String("*"))
        return !isV6(host);
    if (listen == QLatin1String("::"))
        return isV6(host);
    QHostAddress a;
    QHostAddress b;
    if (a.setAddress(host) && b.setAddress(listen))
        return a.isEqual(b, QHostAddress::StrictConversion);
    return host.compare(listen, Qt::CaseInsensitive) == 0;
}

bool isSameHost(const QString &a, const QString &b)
{
    return a == b || (isLoopbackHost(a) && isLoopbackHost(b));
}

} // namespace

LintResult crossCheckNginx(const QList<const NginxModel *> &models, const DsConfig *ds, const LintCheckCatalog &catalog)
{
    LintResult result;
    QList<Listen> listens;
    QList<Docservice> docservices;
    QList<const NginxModel *> fronts;
    for (const NginxModel *m : models) {
        if (!isDocServerNginx(*m)) {
            fronts.append(m);
            continue;
        }
        for (const NginxServer &s : m->servers()) {
            // `ssl on;` (before nginx 1.25) makes every listen of the server TLS; otherwise each listen says.
            const bool sslOn =
                std::any_of(s.block->children.cbegin(), s.block->children.cend(), [](const NginxDirective &d) {
                    return d.name == QLatin1String("ssl") && d.arg(0) == QLatin1String("on");
                });
            for (const NginxListen &l : s.listens) {
                QString address = l.address;
                if (address.startsWith(QLatin1Char('[')))
                    address = address.mid(1, address.size() - 2);
                listens.append(Listen{address, l.port, l.ssl || sslOn, l.directive});
            }
        }
        if (const NginxUpstream *up = m->upstream(QStringLiteral("docservice"))) {
            for (const NginxUpstreamServer &s : up->servers)
                docservices.append(Docservice{s.host, s.port, s.directive->position()});
        }
    }
    if (ds) {
        const QString path = QStringLiteral("services.CoAuthoring.server.port");
        const QString port = ds->string(path);
        if (!port.isEmpty()) {
            docservices.append(Docservice{QStringLiteral("127.0.0.1"), quint16(port.toUInt()),
                                          QStringLiteral("%1:%2").arg(ds->fileOf(path)).arg(ds->lineOf(path))});
        }
    }
    if (listens.isEmpty() && docservices.isEmpty())
        return result;

    for (const NginxModel *front : std::as_const(fronts)) {
        nginxlint::Context ctx(*front, catalog, &result);
        for (const nginxlint::DsLocation &loc : std::as_const(ctx.dsLocations)) {
            const QString scheme = loc.target.scheme;
            for (const nginxlint::TargetAddress &a : ctx.addresses(loc.target)) {
                if (a.port == 0)
                    continue;
                const NginxDirective *at = a.directive;
                const QList<const NginxDirective *> excerpt{loc.target.directive,
                                                            a.upstreamServer ? a.directive : nullptr};
                const auto direct = std::find_if(docservices.cbegin(), docservices.cend(), [&](const Docservice &d) {
                    return d.port == a.port && isSameHost(d.host, a.host);
                });
                if (direct != docservices.cend()) {
                    ctx.report(QStringLiteral("upstream-docservice-direct"), at, loc.chain,
                               QStringLiteral("the proxy sends %1:%2 straight to docservice (configured at %3), past "
                                              "Document Server's own nginx")
                                   .arg(a.host)
                                   .arg(a.port)
                                   .arg(direct->where),
                               excerpt, nullptr, at);
                    continue;
                }
                if (listens.isEmpty())
                    continue;
                QList<Listen> samePort;
                for (const Listen &l : std::as_const(listens)) {
                    if (l.port == a.port)
                        samePort.append(l);
                }
                if (samePort.isEmpty()) {
                    ctx.report(QStringLiteral("upstream-not-listening"), at, loc.chain,
                               QStringLiteral("the proxy sends to %1:%2, but Document Server's nginx listens on none "
                                              "of that port (%3)")
                                   .arg(a.host)
                                   .arg(a.port)
                                   .arg(listens.constFirst().directive->position()),
                               excerpt + QList{listens.constFirst().directive}, nullptr, at);
                    continue;
                }
                const bool localhost = a.host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0;
                const QStringList tried =
                    localhost ? QStringList{QStringLiteral("::1"), QStringLiteral("127.0.0.1")} : QStringList{a.host};
                if (!isIpLiteral(tried.constFirst()))
                    continue; // a name: where it resolves is not in the configuration
                const Listen *reached = nullptr;
                QStringList unreached;
                for (const QString &host : tried) {
                    const auto it = std::find_if(samePort.cbegin(), samePort.cend(),
                                                 [&](const Listen &l) { return reaches(host, l.address); });
                    if (it != samePort.cend())
                        reached = &*it;
                    else
                        unreached.append(host);
                }
                const Listen &first = samePort.constFirst();
                if (!unreached.isEmpty()) {
                    // Nothing of that address family listens on the port: ::1 against IPv4-only, or
                    // the reverse. Otherwise the family is there, bound to another address.
                    const bool family = std::any_of(unreached.cbegin(), unreached.cend(), [&](const QString &h) {
                        return std::none_of(samePort.cbegin(), samePort.cend(),
                                            [&](const Listen &l) { return isV6(l.address) == isV6(h); });
                    });
                    ctx.report(family ? QStringLiteral("upstream-family-mismatch")
                                      : QStringLiteral("upstream-bound-elsewhere"),
                               at, loc.chain,
                               QStringLiteral("the proxy connects to %1 port %2, but Document Server's nginx listens "
                                              "on %3 only (%4)")
                                   .arg(unreached.join(QLatin1String(" and ")))
                                   .arg(a.port)
                                   .arg(first.address.isEmpty() ? QStringLiteral("every IPv4 address") : first.address,
                                        first.directive->position()),
                               excerpt + QList{first.directive}, nullptr, at);
                }
                if (reached && !scheme.isEmpty() && (scheme == QLatin1String("https")) != reached->ssl) {
                    ctx.report(
                        QStringLiteral("upstream-scheme-port"), at, loc.chain,
                        QStringLiteral("the proxy speaks %1 to %2:%3, where Document Server's nginx listens %4 (%5)")
                            .arg(scheme == QLatin1String("https") ? QStringLiteral("TLS")
                                                                  : QStringLiteral("plain HTTP"),
                                 a.host)
                            .arg(a.port)
                            .arg(reached->ssl ? QStringLiteral("with TLS") : QStringLiteral("without TLS"),
                                 reached->directive->position()),
                        excerpt + QList{reached->directive}, nullptr, at);
                }
            }
        }
    }
    result.normalize();
    return result;
}

} // namespace dd
