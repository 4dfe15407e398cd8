#include "topology.h"

#include "profile.h"

namespace dd {

QString nodeKindName(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Browser:
        return QStringLiteral("browser");
    case NodeKind::FrontProxy:
        return QStringLiteral("front-proxy");
    case NodeKind::DsNginx:
        return QStringLiteral("ds-nginx");
    case NodeKind::Docservice:
        return QStringLiteral("docservice");
    case NodeKind::Converter:
        return QStringLiteral("converter");
    case NodeKind::Database:
        return QStringLiteral("database");
    case NodeKind::Redis:
        return QStringLiteral("redis");
    case NodeKind::RabbitMq:
        return QStringLiteral("rabbitmq");
    case NodeKind::Integrator:
        return QStringLiteral("integrator");
    }
    return QString();
}

namespace {

QString hostPort(const QUrl &url)
{
    const int defaultPort = url.scheme() == QLatin1String("https") ? 443 : 80;
    QString host = url.host();
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return host + QLatin1Char(':') + QString::number(url.port(defaultPort));
}

int severity(Health h)
{
    switch (h) {
    case Health::Unknown:
        return 0;
    case Health::Ok:
        return 1;
    case Health::Degraded:
        return 2;
    case Health::Failed:
        return 3;
    }
    return 0;
}

template <typename T> void fold(T &item, const Evidence &e)
{
    if (e.health == Health::Unknown)
        return;
    if (severity(e.health) > severity(item.health)) {
        item.health = e.health;
        item.healthReason = e.summary;
    } else if (e.health == item.health && item.healthReason.isEmpty()) {
        item.healthReason = e.summary;
    }
}

} // namespace

Topology Topology::fromProfile(const Profile &profile)
{
    Topology t;
    const QString proxyKind = profile.proxyKind.isEmpty() ? QStringLiteral("front proxy") : profile.proxyKind;
    t.addNode(QStringLiteral("browser"), NodeKind::Browser, QStringLiteral("Browser"), QString());
    QString entry = QStringLiteral("browser");
    if (profile.hasFrontProxy() && profile.proxyKind != QLatin1String("none")) {
        t.addNode(QStringLiteral("proxy"), NodeKind::FrontProxy, QStringLiteral("%1 (front proxy)").arg(proxyKind),
                  hostPort(profile.publicUrl));
        t.addLink(entry, QStringLiteral("proxy"), hostPort(profile.publicUrl));
        entry = QStringLiteral("proxy");
    }
    const QString dsAddress = profile.hasDocserver() ? hostPort(profile.docserverUrl)
                              : profile.hasFrontProxy() && profile.proxyKind == QLatin1String("none")
                                  ? hostPort(profile.publicUrl)
                                  : QString();
    t.addNode(QStringLiteral("dsnginx"), NodeKind::DsNginx, QStringLiteral("Document Server nginx"), dsAddress);
    t.addLink(entry, QStringLiteral("dsnginx"), dsAddress);

    const QString docservice = profile.hasDocservice()
                                   ? profile.docserviceHost + QLatin1Char(':') + QString::number(profile.docservicePort)
                                   : QStringLiteral("localhost:8000");
    t.addNode(QStringLiteral("docservice"), NodeKind::Docservice, QStringLiteral("docservice"), docservice);
    t.addLink(QStringLiteral("dsnginx"), QStringLiteral("docservice"), docservice);
    t.addNode(QStringLiteral("converter"), NodeKind::Converter, QStringLiteral("converter"), QString());
    t.addNode(QStringLiteral("database"), NodeKind::Database, QStringLiteral("PostgreSQL"), QString());
    t.addNode(QStringLiteral("rabbitmq"), NodeKind::RabbitMq, QStringLiteral("RabbitMQ"), QString());
    t.addNode(QStringLiteral("redis"), NodeKind::Redis, QStringLiteral("Redis"), QString());
    t.addLink(QStringLiteral("docservice"), QStringLiteral("database"), QStringLiteral("SQL"));
    t.addLink(QStringLiteral("docservice"), QStringLiteral("rabbitmq"), QStringLiteral("AMQP"));
    t.addLink(QStringLiteral("docservice"), QStringLiteral("redis"), QStringLiteral("RESP"));
    t.addLink(QStringLiteral("converter"), QStringLiteral("rabbitmq"), QStringLiteral("AMQP"));
    if (!profile.integratorKind.isEmpty() || (profile.integratorUrl.isValid() && !profile.integratorUrl.isEmpty())) {
        const QString label = profile.integratorKind.isEmpty() ? QStringLiteral("integrator") : profile.integratorKind;
        t.addNode(QStringLiteral("integrator"), NodeKind::Integrator, label,
                  profile.integratorUrl.isValid() ? hostPort(profile.integratorUrl) : QString());
        t.addLink(QStringLiteral("converter"), QStringLiteral("integrator"), QStringLiteral("download"));
        t.addLink(QStringLiteral("integrator"), entry == QLatin1String("proxy") ? entry : QStringLiteral("dsnginx"),
                  QStringLiteral("API"));
    }
    return t;
}

Topology Topology::fromParts(const QList<TopologyNode> &nodes, const QList<TopologyLink> &links)
{
    Topology t;
    t.m_nodes = nodes;
    t.m_links = links;
    return t;
}

const TopologyNode *Topology::node(const QString &id) const
{
    for (const TopologyNode &n : m_nodes) {
        if (n.id == id)
            return &n;
    }
    return nullptr;
}

const TopologyLink *Topology::link(const QString &id) const
{
    for (const TopologyLink &l : m_links) {
        if (l.id == id)
            return &l;
    }
    return nullptr;
}

void Topology::applyEvidence(const Evidence &e)
{
    if (!e.node.isEmpty()) {
        for (TopologyNode &n : m_nodes) {
            if (n.id == e.node)
                fold(n, e);
        }
    }
    if (!e.link.isEmpty()) {
        for (TopologyLink &l : m_links) {
            if (l.id != e.link)
                continue;
            fold(l, e);
            if (e.latencyMs >= 0)
                l.lastLatencyMs = e.latencyMs;
        }
    }
}

void Topology::applyEvidence(const EvidenceList &evidence)
{
    for (const Evidence &e : evidence)
        applyEvidence(e);
}

void Topology::resetHealth()
{
    for (TopologyNode &n : m_nodes) {
        n.health = Health::Unknown;
        n.healthReason.clear();
    }
    for (TopologyLink &l : m_links) {
        l.health = Health::Unknown;
        l.healthReason.clear();
        l.lastLatencyMs = -1;
    }
}

void Topology::markLink(const QString &id, Health health, const QString &reason)
{
    for (TopologyLink &l : m_links) {
        if (l.id == id) {
            l.health = health;
            l.healthReason = reason;
        }
    }
}

void Topology::addNode(const QString &id, NodeKind kind, const QString &label, const QString &address)
{
    TopologyNode n;
    n.id = id;
    n.kind = kind;
    n.label = label;
    n.address = address;
    m_nodes.append(n);
}

void Topology::addLink(const QString &from, const QString &to, const QString &label)
{
    TopologyLink l;
    l.id = linkId(from, to);
    l.from = from;
    l.to = to;
    l.label = label;
    m_links.append(l);
}

} // namespace dd
