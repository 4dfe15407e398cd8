#include "configreality.h"

#include "config/dsconfig.h"
#include "config/dslint.h"
#include "model/topology.h"
#include "util/hostport.h"

#include <QHash>

namespace dd::collector {

// The services docservice depends on, where Document Server's configuration (local.json over
// default.json, the Docker environment) puts them; each is probed on its own hop.
QList<ConfiguredEndpoint> configuredServices(const QString &dsConfig)
{
    QList<ConfiguredEndpoint> out;
    if (dsConfig.isEmpty())
        return out;
    for (const ConfiguredEndpoint &e : dsEndpoints(loadDsConfig(dsConfig))) {
        if (e.port != 0 && e.role != QLatin1String("docservice"))
            out.append(e);
    }
    return out;
}

Evidence configuredServiceEvidence(const ConfiguredEndpoint &e)
{
    static const QHash<QString, QString> names{{QStringLiteral("database"), QStringLiteral("the database")},
                                               {QStringLiteral("redis"), QStringLiteral("Redis")},
                                               {QStringLiteral("rabbitmq"), QStringLiteral("RabbitMQ")}};
    Evidence out;
    out.id = QStringLiteral("config.address.") + e.role;
    out.source = EvidenceSource::Config;
    out.kind = QStringLiteral("configured-address");
    out.link = Topology::linkId(QStringLiteral("docservice"), e.role);
    out.summary = QStringLiteral("%1's address taken from Document Server's configuration: %2 (%3:%4)")
                      .arg(names.value(e.role, e.role), formatHostPort(e.host, e.port), e.file)
                      .arg(e.line);
    out.excerpt = QStringLiteral("%1:%2").arg(e.file).arg(e.line);
    return out;
}

// A configured address that a probe found not listening, or listening on only some of the
// addresses its name resolves to (`localhost` as ::1 and 127.0.0.1): config against reality,
// at the file:line that configured it.
std::optional<Evidence> configVersusReality(const Evidence &configured, const TcpProbeResult &r, const QString &subject,
                                            const QString &link, bool reachedElsewhere)
{
    const QStringList failed = r.failedAddresses();
    if (failed.isEmpty() || r.outcome == ProbeOutcome::Cancelled)
        return std::nullopt;
    Evidence e;
    e.id = QStringLiteral("config.reality.") + subject;
    e.source = EvidenceSource::Config;
    e.kind = QStringLiteral("config-vs-reality");
    e.link = link;
    e.excerpt = configured.excerpt;
    const QString address = formatHostPort(r.host, r.port);
    if (r.outcome != ProbeOutcome::Ok && reachedElsewhere) {
        e.health = Health::Unknown;
        e.summary = QStringLiteral("configured at %1, %2 does not accept connections from this host (%3), but the "
                                   "service that uses it reports it reachable: it is on another network")
                        .arg(configured.excerpt, address, probeOutcomeName(r.outcome));
        e.facts.insert(e.id, QStringLiteral("unreachable-here"));
    } else if (r.outcome != ProbeOutcome::Ok) {
        e.health = Health::Failed;
        e.summary = QStringLiteral("configured at %1, %2 does not accept connections (%3)")
                        .arg(configured.excerpt, address, probeOutcomeName(r.outcome));
        e.facts.insert(e.id, QStringLiteral("not-listening"));
    } else {
        QStringList listening;
        for (const TcpAttempt &a : r.attempts) {
            if (a.outcome == ProbeOutcome::Ok)
                listening << a.address;
        }
        e.health = Health::Degraded;
        e.summary = QStringLiteral("configured at %1, %2 resolves to %3 but only %4 accepts connections: a client "
                                   "that tries %5 first is refused")
                        .arg(configured.excerpt, address, (listening + failed).join(QStringLiteral(", ")),
                             listening.join(QStringLiteral(", ")), failed.join(QStringLiteral(", ")));
        e.facts.insert(e.id, QStringLiteral("one-family"));
    }
    return e;
}

} // namespace dd::collector
