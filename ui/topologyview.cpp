#include "topologyview.h"
#include "topologyscene.h"

#include <algorithm>

namespace dd {

namespace {
// Past this zoom the boxes look bloated on a big window; below 1 they shrink to fit.
constexpr double maximumScale = 1.5;
} // namespace

TopologyView::TopologyView(QWidget *parent) : QGraphicsView(parent)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::NoFrame);
    setMinimumHeight(160);
}

void TopologyView::setTopologyScene(TopologyScene *scene)
{
    if (TopologyScene *old = topologyScene())
        disconnect(old, nullptr, this, nullptr);
    setScene(scene);
    if (scene)
        connect(scene, &QGraphicsScene::sceneRectChanged, this, &TopologyView::fitScene);
    fitScene();
}

TopologyScene *TopologyView::topologyScene() const
{
    return qobject_cast<TopologyScene *>(scene());
}

void TopologyView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    fitScene();
}

void TopologyView::showEvent(QShowEvent *event)
{
    QGraphicsView::showEvent(event);
    fitScene();
}

void TopologyView::fitScene()
{
    if (!scene())
        return;
    const QRectF rect = scene()->sceneRect();
    if (rect.isEmpty())
        return;
    const QRectF viewport = this->viewport()->rect();
    const double scale = std::min({viewport.width() / rect.width(), viewport.height() / rect.height(), maximumScale});
    resetTransform();
    if (scale > 0)
        this->scale(scale, scale);
    centerOn(rect.center());
}

} // namespace dd
