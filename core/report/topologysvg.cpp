#include "topologysvg.h"

#include "model/topologylayout.h"
#include "reporttext.h"

#include <QTextStream>

namespace dd {

namespace {

// The workbench's palette, so a report looks like the window it came from.
const char *stroke(Health h)
{
    switch (h) {
    case Health::Ok:
        return "#2e7d32";
    case Health::Degraded:
        return "#b26a00";
    case Health::Failed:
        return "#c62828";
    case Health::Unknown:
        break;
    }
    return "#9aa3ae";
}

const char *fill(Health h)
{
    switch (h) {
    case Health::Ok:
        return "#eaf6ec";
    case Health::Degraded:
        return "#fff4e0";
    case Health::Failed:
        return "#fdecec";
    case Health::Unknown:
        break;
    }
    return "#f4f5f7";
}

QString num(double v)
{
    return QString::number(v, 'f', 1);
}

} // namespace

QString renderTopologySvg(const Topology &topology)
{
    const TopologyLayout layout = layoutTopology(topology);
    QString svg;
    QTextStream out(&svg);
    const QRectF b = layout.bounds;
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"topology\" viewBox=\"" << num(b.x())
        << ' ' << num(b.y()) << ' ' << num(b.width()) << ' ' << num(b.height())
        << "\" style=\"max-width:100%;height:auto\">\n";
    out << "<defs>";
    for (Health h : {Health::Unknown, Health::Ok, Health::Degraded, Health::Failed}) {
        out << "<marker id=\"arrow-" << healthName(h)
            << "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
            << "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"" << stroke(h) << "\"/></marker>";
    }
    out << "</defs>\n";
    for (const LinkGeometry &g : layout.links) {
        const TopologyLink *l = topology.link(g.id);
        const Health h = l ? l->health : Health::Unknown;
        out << "<path d=\"M" << num(g.start.x()) << ',' << num(g.start.y());
        if (g.curved)
            out << " Q" << num(g.control.x()) << ',' << num(g.control.y());
        else
            out << " L";
        out << ' ' << num(g.end.x()) << ',' << num(g.end.y()) << "\" fill=\"none\" stroke=\"" << stroke(h)
            << "\" stroke-width=\"" << (h == Health::Failed ? 3 : 2) << '"'
            << (h == Health::Unknown ? " stroke-dasharray=\"6 4\"" : "") << " marker-end=\"url(#arrow-" << healthName(h)
            << ")\"><title>"
            << safeHtml(g.id + (l && !l->healthReason.isEmpty() ? QStringLiteral(": ") + l->healthReason : QString()))
            << "</title></path>\n";
        QString label;
        if (h == Health::Failed)
            label = QStringLiteral("✕");
        else if (l && l->lastLatencyMs >= 0)
            label = QString::number(l->lastLatencyMs, 'f', 1) + QStringLiteral(" ms");
        if (!label.isEmpty())
            out << "<text x=\"" << num(g.labelAnchor.x()) << "\" y=\"" << num(g.labelAnchor.y() - 6)
                << "\" text-anchor=\"middle\" font-size=\"12\" fill=\"" << stroke(h) << "\">" << safeHtml(label)
                << "</text>\n";
    }
    for (const NodeGeometry &g : layout.nodes) {
        const TopologyNode *n = topology.node(g.id);
        if (!n)
            continue;
        out << "<g><title>"
            << safeHtml(n->label + (n->healthReason.isEmpty() ? QString() : QStringLiteral(": ") + n->healthReason))
            << "</title><rect x=\"" << num(g.rect.x()) << "\" y=\"" << num(g.rect.y()) << "\" width=\""
            << num(g.rect.width()) << "\" height=\"" << num(g.rect.height()) << "\" rx=\"6\" fill=\"" << fill(n->health)
            << "\" stroke=\"" << stroke(n->health) << "\" stroke-width=\"2\"/>"
            << "<text x=\"" << num(g.rect.x() + 10) << "\" y=\"" << num(g.rect.y() + 24)
            << "\" font-size=\"13\" font-weight=\"600\" fill=\"#1d2330\">" << safeHtml(n->label) << "</text>";
        if (!n->address.isEmpty())
            out << "<text x=\"" << num(g.rect.x() + 10) << "\" y=\"" << num(g.rect.y() + 44)
                << "\" font-size=\"11\" fill=\"#5b6475\">" << safeHtml(n->address) << "</text>";
        out << "</g>\n";
    }
    out << "</svg>\n";
    out.flush();
    return svg;
}

} // namespace dd
