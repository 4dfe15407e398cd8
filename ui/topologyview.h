#pragma once

#include <QGraphicsView>

namespace dd {

class TopologyScene;

/// Shows a TopologyScene scaled to fit, never blown up beyond a readable maximum.
class TopologyView : public QGraphicsView
{
    Q_OBJECT
public:
    explicit TopologyView(QWidget *parent = nullptr);

    void setTopologyScene(TopologyScene *scene);
    TopologyScene *topologyScene() const;

protected:
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void fitScene();
};

} // namespace dd
