#include "topologyscene.h"
#include "healthstyle.h"
#include "topologyitems.h"

#include <QGraphicsEllipseItem>
#include <QGraphicsSimpleTextItem>

namespace dd {

TopologyScene::TopologyScene(QObject *parent) : QGraphicsScene(parent)
{
    setBackgroundBrush(Qt::white);
    addPlaceholder();
}

void TopologyScene::setTopology(const Topology &topology)
{
    const bool rebuildNeeded = !sameStructure(topology);
    m_topology = topology;
    if (rebuildNeeded) {
        rebuild();
    } else {
        for (const TopologyNode &node : m_topology.nodes())
            m_nodeItems.value(node.id)->setNode(node);
        for (const TopologyLink &link : m_topology.links()) {
            if (TopologyLinkItem *item = m_linkItems.value(link.id))
                item->setLink(link);
        }
    }
    Q_EMIT topologyChanged();
}

bool TopologyScene::sameStructure(const Topology &topology) const
{
    if (topology.nodes().size() != m_topology.nodes().size() || topology.links().size() != m_topology.links().size())
        return false;
    if (m_nodeItems.isEmpty() && !topology.nodes().isEmpty())
        return false;
    for (qsizetype i = 0; i < topology.nodes().size(); ++i) {
        const TopologyNode &a = topology.nodes().at(i);
        const TopologyNode &b = m_topology.nodes().at(i);
        if (a.id != b.id || a.kind != b.kind || a.label != b.label || a.address != b.address)
            return false;
    }
    for (qsizetype i = 0; i < topology.links().size(); ++i) {
        const TopologyLink &a = topology.links().at(i);
        const TopologyLink &b = m_topology.links().at(i);
        if (a.id != b.id || a.from != b.from || a.to != b.to)
            return false;
    }
    return true;
}

void TopologyScene::rebuild()
{
    clear();
    m_nodeItems.clear();
    m_linkItems.clear();
    if (m_topology.nodes().isEmpty()) {
        addPlaceholder();
        return;
    }

    m_layout = layoutTopology(m_topology);
    for (const LinkGeometry &geometry : std::as_const(m_layout.links)) {
        const TopologyLink *link = m_topology.link(geometry.id);
        if (!link)
            continue;
        auto *item = new TopologyLinkItem(geometry);
        item->setLink(*link);
        addItem(item);
        m_linkItems.insert(link->id, item);
    }
    for (const NodeGeometry &geometry : std::as_const(m_layout.nodes)) {
        const TopologyNode *node = m_topology.node(geometry.id);
        if (!node)
            continue;
        auto *item = new TopologyNodeItem(geometry.rect);
        item->setNode(*node);
        addItem(item);
        m_nodeItems.insert(node->id, item);
    }
    addLegend(QPointF(m_layout.bounds.left() + 24, m_layout.bounds.bottom()));
    setSceneRect(itemsBoundingRect().adjusted(-12, -12, 12, 12));
}

void TopologyScene::addLegend(const QPointF &topLeft)
{
    QFont font;
    font.setPointSizeF(8);
    double x = topLeft.x();
    const Health healths[] = {Health::Unknown, Health::Ok, Health::Degraded, Health::Failed};
    for (Health health : healths) {
        auto *swatch = addEllipse(QRectF(x, topLeft.y() + 3, 10, 10), QPen(Qt::NoPen), healthColor(health));
        swatch->setData(ItemKindData, QStringLiteral("legend"));
        auto *text = addSimpleText(healthDisplayName(health), font);
        text->setBrush(QColor(0x61, 0x61, 0x61));
        text->setPos(x + 14, topLeft.y());
        text->setData(ItemKindData, QStringLiteral("legend"));
        x += 14 + text->boundingRect().width() + 18;
    }
}

void TopologyScene::addPlaceholder()
{
    QFont font;
    font.setPointSizeF(10);
    auto *text = addSimpleText(tr("No deployment loaded: open a profile or choose a lab scenario."), font);
    text->setBrush(QColor(0x75, 0x75, 0x75));
    text->setData(ItemKindData, QStringLiteral("placeholder"));
    setSceneRect(text->boundingRect().adjusted(-24, -24, 24, 24));
}

} // namespace dd
