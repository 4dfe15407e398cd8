#include "topologylayout.h"

#include <QLineF>
#include <QMap>

#include <algorithm>
#include <cmath>
#include <limits>

namespace dd {

namespace {

// Does the segment a-b pass through the inside of rect? Liang–Barsky clipping.
bool segmentCrossesRect(const QPointF &a, const QPointF &b, const QRectF &rect)
{
    double t0 = 0;
    double t1 = 1;
    const double dx = b.x() - a.x();
    const double dy = b.y() - a.y();
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {a.x() - rect.left(), rect.right() - a.x(), a.y() - rect.top(), rect.bottom() - a.y()};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 > t1)
            return false;
    }
    return true;
}

bool isRequestPath(NodeKind kind)
{
    return kind == NodeKind::Browser || kind == NodeKind::FrontProxy || kind == NodeKind::DsNginx ||
           kind == NodeKind::Docservice;
}

QPointF quadPoint(const QPointF &a, const QPointF &c, const QPointF &b, double t)
{
    const double u = 1 - t;
    return u * u * a + 2 * u * t * c + t * t * b;
}

} // namespace

const NodeGeometry *TopologyLayout::node(const QString &id) const
{
    for (const NodeGeometry &n : nodes) {
        if (n.id == id)
            return &n;
    }
    return nullptr;
}

const LinkGeometry *TopologyLayout::link(const QString &id) const
{
    for (const LinkGeometry &l : links) {
        if (l.id == id)
            return &l;
    }
    return nullptr;
}

int topologyColumn(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Browser:
    case NodeKind::Integrator:
        return 0;
    case NodeKind::FrontProxy:
        return 1;
    case NodeKind::DsNginx:
        return 2;
    case NodeKind::Docservice:
    case NodeKind::Converter:
        return 3;
    case NodeKind::Database:
    case NodeKind::Redis:
    case NodeKind::RabbitMq:
        return 4;
    }
    return 4;
}

QPointF rectBorderPoint(const QRectF &rect, const QPointF &target)
{
    const QPointF c = rect.center();
    const double dx = target.x() - c.x();
    const double dy = target.y() - c.y();
    if (dx == 0 && dy == 0)
        return c;
    const double sx = dx != 0 ? (rect.width() / 2) / std::abs(dx) : std::numeric_limits<double>::infinity();
    const double sy = dy != 0 ? (rect.height() / 2) / std::abs(dy) : std::numeric_limits<double>::infinity();
    const double s = std::min(sx, sy);
    return QPointF(c.x() + dx * s, c.y() + dy * s);
}

TopologyLayout layoutTopology(const QList<TopologyNode> &nodes, const QList<TopologyLink> &links,
                              const TopologyLayoutMetrics &metrics)
{
    TopologyLayout layout;

    // Columns by kind, then empty columns squeezed out so a profile without a front proxy
    // does not leave a hole.
    QMap<int, QList<qsizetype>> byColumn;
    for (qsizetype i = 0; i < nodes.size(); ++i)
        byColumn[topologyColumn(nodes.at(i).kind)].append(i);

    const double pitchX = metrics.nodeWidth + metrics.columnGap;
    const double pitchY = metrics.nodeHeight + metrics.rowGap;

    // Vertical slot of each node, in rows relative to the request path's row (0). A column that
    // holds a request-path node keeps it on row 0 and stacks the rest below, so browser → proxy →
    // DS nginx → docservice stays one straight line; a column of dependencies is centred on it.
    QList<double> slot(nodes.size(), 0.0);
    layout.nodes.resize(nodes.size());
    int column = 0;
    double topSlot = 0;
    for (auto it = byColumn.cbegin(); it != byColumn.cend(); ++it, ++column) {
        QList<qsizetype> members = it.value();
        // Kind order puts RabbitMQ last, beside the converter, so the AMQP links do not cross.
        std::stable_sort(members.begin(), members.end(),
                         [&nodes](qsizetype a, qsizetype b) { return nodes.at(a).kind < nodes.at(b).kind; });
        const auto onPath = std::find_if(members.begin(), members.end(),
                                         [&nodes](qsizetype i) { return isRequestPath(nodes.at(i).kind); });
        const bool anchored = onPath != members.end();
        if (anchored)
            std::rotate(members.begin(), onPath, onPath + 1);
        for (qsizetype row = 0; row < members.size(); ++row) {
            const qsizetype i = members.at(row);
            slot[i] = anchored ? double(row) : double(row) - double(members.size() - 1) / 2;
            topSlot = std::min(topSlot, slot.at(i));
            NodeGeometry &g = layout.nodes[i];
            g.id = nodes.at(i).id;
            g.column = column;
            g.row = int(row);
        }
    }
    for (qsizetype i = 0; i < nodes.size(); ++i) {
        NodeGeometry &g = layout.nodes[i];
        g.rect = QRectF(metrics.margin + g.column * pitchX, metrics.margin + (slot.at(i) - topSlot) * pitchY,
                        metrics.nodeWidth, metrics.nodeHeight);
    }

    QRectF bounds;
    for (const NodeGeometry &g : std::as_const(layout.nodes))
        bounds = bounds.united(g.rect);

    for (const TopologyLink &link : links) {
        const NodeGeometry *from = layout.node(link.from);
        const NodeGeometry *to = layout.node(link.to);
        if (!from || !to)
            continue;
        LinkGeometry g;
        g.id = link.id;
        g.from = link.from;
        g.to = link.to;
        const QPointF a = from->rect.center();
        const QPointF b = to->rect.center();

        bool blocked = false;
        double lowest = std::max(from->rect.bottom(), to->rect.bottom());
        for (const NodeGeometry &other : std::as_const(layout.nodes)) {
            if (other.id == link.from || other.id == link.to)
                continue;
            if (segmentCrossesRect(a, b, other.rect.adjusted(-4, -4, 4, 4))) {
                blocked = true;
                lowest = std::max(lowest, other.rect.bottom());
            }
        }

        if (!blocked) {
            g.start = rectBorderPoint(from->rect, b);
            g.end = rectBorderPoint(to->rect, a);
            g.control = (g.start + g.end) / 2;
            g.labelAnchor = g.control;
        } else {
            // Route below everything in the way: leave and enter through the bottom edges; the
            // curve's lowest point is halfway between the chord and the control point.
            g.curved = true;
            g.start = QPointF(a.x(), from->rect.bottom());
            g.end = QPointF(b.x(), to->rect.bottom());
            const double chordY = std::max(g.start.y(), g.end.y());
            const double clearY = lowest + metrics.rowGap * 0.8;
            g.control = QPointF((g.start.x() + g.end.x()) / 2, chordY + 2 * (clearY - chordY));
            g.labelAnchor = quadPoint(g.start, g.control, g.end, 0.5);
            bounds = bounds.united(QRectF(g.labelAnchor, QSizeF(1, metrics.rowGap / 2)));
        }
        layout.links.append(g);
    }

    if (!bounds.isNull())
        layout.bounds = bounds.adjusted(-metrics.margin, -metrics.margin, metrics.margin, metrics.margin);
    return layout;
}

TopologyLayout layoutTopology(const Topology &topology, const TopologyLayoutMetrics &metrics)
{
    return layoutTopology(topology.nodes(), topology.links(), metrics);
}

} // namespace dd
