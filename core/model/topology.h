#pragma once

#include "evidence.h"

#include <QHash>
#include <QList>
#include <QString>

namespace dd {

struct Profile;

/// The kinds of component the topology knows.
enum class NodeKind { Browser, FrontProxy, DsNginx, Docservice, Converter, Database, Redis, RabbitMq, Integrator };

QString nodeKindName(NodeKind kind);

struct TopologyNode
{
    QString id; ///< stable id: "browser", "proxy", "dsnginx", "docservice", ...
    NodeKind kind = NodeKind::Browser;
    QString label;   ///< what a person reads: "nginx (front proxy)"
    QString address; ///< host:port where known
    Health health = Health::Unknown;
    QString healthReason;
};

struct TopologyLink
{
    QString id; ///< "<from>-><to>"
    QString from;
    QString to;
    QString label;
    Health health = Health::Unknown;
    QString healthReason;
    double lastLatencyMs = -1;
};

/**
 * Nodes and links of the deployment, derived from a profile and coloured by evidence.
 * A plain value type: views read it; the diagnosis updates it with applyEvidence().
 */
class Topology
{
public:
    static Topology fromProfile(const Profile &profile);
    /// A topology read back from a saved diagnosis.
    static Topology fromParts(const QList<TopologyNode> &nodes, const QList<TopologyLink> &links);

    const QList<TopologyNode> &nodes() const { return m_nodes; }
    const QList<TopologyLink> &links() const { return m_links; }
    const TopologyNode *node(const QString &id) const;
    const TopologyLink *link(const QString &id) const;

    /// Folds one evidence item into the health of the node or link it names. A failure
    /// outranks degraded, which outranks ok: the worst thing seen is what is shown.
    void applyEvidence(const Evidence &evidence);
    void applyEvidence(const EvidenceList &evidence);
    void resetHealth();
    /// Sets a link's health outright (the diagnosis marks the hop it concluded on).
    void markLink(const QString &id, Health health, const QString &reason);

    static QString linkId(const QString &from, const QString &to) { return from + QLatin1String("->") + to; }

private:
    void addNode(const QString &id, NodeKind kind, const QString &label, const QString &address);
    void addLink(const QString &from, const QString &to, const QString &label);

    QList<TopologyNode> m_nodes;
    QList<TopologyLink> m_links;
};

} // namespace dd
