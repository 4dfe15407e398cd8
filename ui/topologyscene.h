#pragma once

#include "model/topology.h"
#include "model/topologylayout.h"

#include <QGraphicsScene>
#include <QHash>

namespace dd {

class TopologyLinkItem;
class TopologyNodeItem;

/**
 * Draws a Topology: nodes as boxes, links as arrows, each in its health colour, plus a legend.
 * setTopology() rebuilds the items when the set of nodes or links changed and only recolours
 * them otherwise, so live evidence does not make the drawing jump.
 */
class TopologyScene : public QGraphicsScene
{
    Q_OBJECT
public:
    explicit TopologyScene(QObject *parent = nullptr);

    void setTopology(const Topology &topology);
    const Topology &topology() const { return m_topology; }
    const TopologyLayout &layout() const { return m_layout; }

    TopologyNodeItem *nodeItem(const QString &id) const { return m_nodeItems.value(id); }
    TopologyLinkItem *linkItem(const QString &id) const { return m_linkItems.value(id); }

Q_SIGNALS:
    void topologyChanged();

private:
    bool sameStructure(const Topology &topology) const;
    void rebuild();
    void addLegend(const QPointF &topLeft);
    void addPlaceholder();

    Topology m_topology;
    TopologyLayout m_layout;
    QHash<QString, TopologyNodeItem *> m_nodeItems;
    QHash<QString, TopologyLinkItem *> m_linkItems;
};

} // namespace dd
