#pragma once

#include "model/topology.h"

#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>

namespace dd {

/// Sizes and gaps of the topology drawing, in scene units.
struct TopologyLayoutMetrics
{
    double nodeWidth = 156;
    double nodeHeight = 62;
    double columnGap = 76;
    double rowGap = 34;
    double margin = 24;
};

struct NodeGeometry
{
    QString id;
    int column = 0;
    int row = 0;
    QRectF rect;
};

/// A link drawn from `start` to `end` (both on the node borders), straight or, when a
/// straight line would cross another box, as a quadratic curve through `control`.
struct LinkGeometry
{
    QString id;
    QString from;
    QString to;
    QPointF start;
    QPointF end;
    QPointF control;
    bool curved = false;
    QPointF labelAnchor; ///< where the latency label is centred
};

/// Where every node and link of a topology goes: columns left to right in the order a
/// request travels (browser, front proxy, DS nginx, docservice, its dependencies).
struct TopologyLayout
{
    QList<NodeGeometry> nodes;
    QList<LinkGeometry> links;
    QRectF bounds; ///< all boxes and curves plus the margin

    const NodeGeometry *node(const QString &id) const;
    const LinkGeometry *link(const QString &id) const;
};

/// The column a node kind is drawn in before empty columns are removed.
int topologyColumn(NodeKind kind);

/// Point where the segment from the centre of `rect` towards `target` leaves `rect`.
QPointF rectBorderPoint(const QRectF &rect, const QPointF &target);

TopologyLayout layoutTopology(const QList<TopologyNode> &nodes, const QList<TopologyLink> &links,
                              const TopologyLayoutMetrics &metrics = TopologyLayoutMetrics());
TopologyLayout layoutTopology(const Topology &topology, const TopologyLayoutMetrics &metrics = TopologyLayoutMetrics());

} // namespace dd
