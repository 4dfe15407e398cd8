#pragma once

#include "model/topology.h"
#include "model/topologylayout.h"

#include <QColor>
#include <QGraphicsItem>
#include <QPainterPath>

namespace dd {

/// The keys of QGraphicsItem::data() the topology items fill, so tests and tools can find them.
enum TopologyItemData {
    ItemIdData = 0,     ///< node or link id
    ItemHealthData = 1, ///< healthName() of its health: "unknown", "ok", "degraded", "failed"
    ItemKindData = 2,   ///< "node" or "link"
    ItemColorData = 3,  ///< the colour it is drawn in, as "#rrggbb"
};

/// A component of the deployment: a rounded box with its label and address, edged in its health colour.
class TopologyNodeItem : public QGraphicsItem
{
public:
    explicit TopologyNodeItem(const QRectF &rect, QGraphicsItem *parent = nullptr);

    void setNode(const TopologyNode &node);
    const TopologyNode &node() const { return m_node; }
    QColor color() const;

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QRectF m_rect;
    TopologyNode m_node;
};

/// A hop between two components: a line or curve with an arrow head and a latency label.
class TopologyLinkItem : public QGraphicsItem
{
public:
    explicit TopologyLinkItem(const LinkGeometry &geometry, QGraphicsItem *parent = nullptr);

    void setLink(const TopologyLink &link);
    const TopologyLink &link() const { return m_link; }
    QColor color() const;
    QString labelText() const;

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QRectF labelRect() const;
    QPolygonF arrowHead() const;

    LinkGeometry m_geometry;
    QPainterPath m_path;
    TopologyLink m_link;
};

} // namespace dd
