#include "topologyitems.h"
#include "healthstyle.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPathStroker>
#include <QtMath>

namespace dd {

namespace {

constexpr double arrowLength = 11;
constexpr double arrowHalfWidth = 5.5;

QString toolTipText(const QString &title, Health health, const QString &reason)
{
    QString text = QStringLiteral("<b>%1</b><br>%2").arg(title.toHtmlEscaped(), healthDisplayName(health));
    if (!reason.isEmpty())
        text += QStringLiteral("<br>") + reason.toHtmlEscaped();
    return text;
}

QFont labelFont(double pointSize, bool bold)
{
    QFont font;
    font.setPointSizeF(pointSize);
    font.setBold(bold);
    return font;
}

} // namespace

TopologyNodeItem::TopologyNodeItem(const QRectF &rect, QGraphicsItem *parent) : QGraphicsItem(parent), m_rect(rect)
{
    setData(ItemKindData, QStringLiteral("node"));
    setZValue(1);
    setAcceptHoverEvents(true);
}

void TopologyNodeItem::setNode(const TopologyNode &node)
{
    m_node = node;
    setData(ItemIdData, node.id);
    setData(ItemHealthData, healthName(node.health));
    setData(ItemColorData, color().name());
    QString title = node.label.isEmpty() ? node.id : node.label;
    if (!node.address.isEmpty())
        title += QStringLiteral(" — ") + node.address;
    setToolTip(toolTipText(title, node.health, node.healthReason));
    update();
}

QColor TopologyNodeItem::color() const
{
    return healthColor(m_node.health);
}

QRectF TopologyNodeItem::boundingRect() const
{
    return m_rect.adjusted(-2, -2, 2, 2);
}

void TopologyNodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget)
{
    Q_UNUSED(option);
    Q_UNUSED(widget);
    painter->setRenderHint(QPainter::Antialiasing);
    const QColor edge = color();
    painter->setPen(QPen(edge, m_node.health == Health::Unknown ? 1.5 : 2.5));
    painter->setBrush(healthFillColor(m_node.health));
    painter->drawRoundedRect(m_rect, 8, 8);

    // A health dot in the corner, so the state does not rest on the edge colour alone.
    const QRectF dot(m_rect.right() - 16, m_rect.top() + 8, 9, 9);
    painter->setPen(Qt::NoPen);
    painter->setBrush(edge);
    painter->drawEllipse(dot);

    const QRectF textArea = m_rect.adjusted(10, 6, -20, -6);
    const QFont titleFont = labelFont(9.5, true);
    const QFont addressFont = labelFont(8, false);
    const QFontMetricsF addressMetrics(addressFont);
    const bool hasAddress = !m_node.address.isEmpty();
    const double addressHeight = hasAddress ? addressMetrics.height() : 0;

    painter->setPen(QColor(0x21, 0x21, 0x21));
    painter->setFont(titleFont);
    const QRectF titleRect(textArea.left(), textArea.top(), textArea.width(), textArea.height() - addressHeight);
    painter->drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap,
                      m_node.label.isEmpty() ? m_node.id : m_node.label);

    if (hasAddress) {
        painter->setPen(QColor(0x61, 0x61, 0x61));
        painter->setFont(addressFont);
        const QRectF addressRect(textArea.left(), textArea.bottom() - addressHeight, m_rect.width() - 20,
                                 addressHeight);
        painter->drawText(addressRect, Qt::AlignLeft | Qt::AlignVCenter,
                          addressMetrics.elidedText(m_node.address, Qt::ElideMiddle, addressRect.width()));
    }
}

TopologyLinkItem::TopologyLinkItem(const LinkGeometry &geometry, QGraphicsItem *parent)
    : QGraphicsItem(parent), m_geometry(geometry)
{
    setData(ItemKindData, QStringLiteral("link"));
    m_path.moveTo(geometry.start);
    if (geometry.curved)
        m_path.quadTo(geometry.control, geometry.end);
    else
        m_path.lineTo(geometry.end);
    setAcceptHoverEvents(true);
}

void TopologyLinkItem::setLink(const TopologyLink &link)
{
    prepareGeometryChange();
    m_link = link;
    setData(ItemIdData, link.id);
    setData(ItemHealthData, healthName(link.health));
    setData(ItemColorData, color().name());
    QString title = link.label.isEmpty() ? link.id : link.label;
    if (link.lastLatencyMs >= 0)
        title += QStringLiteral(" — ") + QCoreApplication::translate("dd::TopologyLinkItem", "%1 ms")
                                             .arg(link.lastLatencyMs, 0, 'f', link.lastLatencyMs < 10 ? 1 : 0);
    setToolTip(toolTipText(title, link.health, link.healthReason));
    update();
}

QColor TopologyLinkItem::color() const
{
    return healthColor(m_link.health);
}

QString TopologyLinkItem::labelText() const
{
    QString text;
    if (m_link.lastLatencyMs >= 0)
        text = QCoreApplication::translate("dd::TopologyLinkItem", "%1 ms")
                   .arg(m_link.lastLatencyMs, 0, 'f', m_link.lastLatencyMs < 10 ? 1 : 0);
    if (m_link.health == Health::Failed)
        text = text.isEmpty() ? QStringLiteral("✕") : QStringLiteral("✕ ") + text;
    return text;
}

QRectF TopologyLinkItem::labelRect() const
{
    const QString text = labelText();
    if (text.isEmpty())
        return QRectF();
    const QFontMetricsF metrics(labelFont(8, true));
    const QSizeF size(metrics.horizontalAdvance(text) + 10, metrics.height() + 4);
    // Above a straight line, centred on the lowest point of a curve.
    const QPointF centre =
        m_geometry.curved ? m_geometry.labelAnchor : m_geometry.labelAnchor - QPointF(0, size.height() / 2 + 3);
    return QRectF(centre - QPointF(size.width() / 2, size.height() / 2), size);
}

QPolygonF TopologyLinkItem::arrowHead() const
{
    const double angle = qDegreesToRadians(m_path.angleAtPercent(1.0));
    // angleAtPercent is counter-clockwise with y up; scene y grows downwards.
    const QPointF direction(std::cos(angle), -std::sin(angle));
    const QPointF normal(-direction.y(), direction.x());
    const QPointF tip = m_geometry.end;
    const QPointF base = tip - direction * arrowLength;
    return QPolygonF({tip, base + normal * arrowHalfWidth, base - normal * arrowHalfWidth});
}

QRectF TopologyLinkItem::boundingRect() const
{
    return m_path.boundingRect().adjusted(-arrowLength, -arrowLength, arrowLength, arrowLength).united(labelRect());
}

QPainterPath TopologyLinkItem::shape() const
{
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    QPainterPath shape = stroker.createStroke(m_path);
    shape.addRect(labelRect());
    return shape;
}

void TopologyLinkItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget)
{
    Q_UNUSED(option);
    Q_UNUSED(widget);
    painter->setRenderHint(QPainter::Antialiasing);
    const QColor c = color();
    QPen pen(c, m_link.health == Health::Failed ? 3.5 : 2.5);
    if (m_link.health == Health::Unknown)
        pen.setStyle(Qt::DashLine);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);

    painter->setPen(Qt::NoPen);
    painter->setBrush(c);
    painter->drawPolygon(arrowHead());

    const QRectF label = labelRect();
    if (label.isNull())
        return;
    painter->setPen(QPen(c, 1));
    painter->setBrush(Qt::white);
    painter->drawRoundedRect(label, label.height() / 2, label.height() / 2);
    painter->setFont(labelFont(8, true));
    painter->setPen(m_link.health == Health::Unknown ? QColor(0x42, 0x42, 0x42) : c.darker(115));
    painter->drawText(label, Qt::AlignCenter, labelText());
}

} // namespace dd
