#include "model/profile.h"
#include "model/topology.h"
#include "model/topologylayout.h"

#include <QLineF>
#include <QTest>

Q_DECLARE_METATYPE(dd::Topology)

using namespace dd;

namespace {

TopologyNode node(const QString &id, NodeKind kind)
{
    TopologyNode n;
    n.id = id;
    n.kind = kind;
    n.label = id;
    return n;
}

TopologyLink link(const QString &from, const QString &to)
{
    TopologyLink l;
    l.id = Topology::linkId(from, to);
    l.from = from;
    l.to = to;
    return l;
}

Profile profile(bool frontProxy, bool integrator)
{
    Profile p;
    p.name = QStringLiteral("layout");
    p.publicUrl = QUrl(QStringLiteral("https://office.example.test/"));
    p.proxyKind = frontProxy ? QStringLiteral("nginx") : QStringLiteral("none");
    p.docserverUrl = QUrl(QStringLiteral("http://127.0.0.1:8080/"));
    p.docserviceHost = QStringLiteral("127.0.0.1");
    p.docservicePort = 8000;
    if (integrator) {
        p.integratorKind = QStringLiteral("nextcloud");
        p.integratorUrl = QUrl(QStringLiteral("https://cloud.example.test/"));
    }
    return p;
}

double distanceToBorder(const QRectF &rect, const QPointF &p)
{
    const double dx = std::min(std::abs(p.x() - rect.left()), std::abs(p.x() - rect.right()));
    const double dy = std::min(std::abs(p.y() - rect.top()), std::abs(p.y() - rect.bottom()));
    const bool withinX = p.x() >= rect.left() - 0.01 && p.x() <= rect.right() + 0.01;
    const bool withinY = p.y() >= rect.top() - 0.01 && p.y() <= rect.bottom() + 0.01;
    if (withinX && withinY)
        return std::min(dx, dy);
    return 1e9;
}

} // namespace

class TestTopologyLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void layout_data();
    void layout();
    void requestPathIsOneRow_data();
    void requestPathIsOneRow();
    void emptyColumnsAreSqueezed();
    void blockedLinkIsCurvedBelow();
    void borderPoint_data();
    void borderPoint();
};

void TestTopologyLayout::layout_data()
{
    QTest::addColumn<Topology>("topology");
    QTest::newRow("front proxy") << Topology::fromProfile(profile(true, false));
    QTest::newRow("no front proxy") << Topology::fromProfile(profile(false, false));
    QTest::newRow("front proxy and integrator") << Topology::fromProfile(profile(true, true));
    QTest::newRow("no proxy, integrator") << Topology::fromProfile(profile(false, true));
    QTest::newRow("empty") << Topology();
}

void TestTopologyLayout::layout()
{
    QFETCH(Topology, topology);
    const TopologyLayoutMetrics metrics;
    const TopologyLayout layout = layoutTopology(topology, metrics);

    QCOMPARE(layout.nodes.size(), topology.nodes().size());
    QCOMPARE(layout.links.size(), topology.links().size());

    for (qsizetype i = 0; i < layout.nodes.size(); ++i) {
        const NodeGeometry &a = layout.nodes.at(i);
        QCOMPARE(a.id, topology.nodes().at(i).id);
        QCOMPARE(a.rect.size(), QSizeF(metrics.nodeWidth, metrics.nodeHeight));
        QVERIFY2(layout.bounds.contains(a.rect), qPrintable(a.id));
        for (qsizetype j = i + 1; j < layout.nodes.size(); ++j) {
            const NodeGeometry &b = layout.nodes.at(j);
            QVERIFY2(!a.rect.intersects(b.rect), qPrintable(a.id + QStringLiteral(" overlaps ") + b.id));
        }
    }

    for (const LinkGeometry &l : layout.links) {
        const NodeGeometry *from = layout.node(l.from);
        const NodeGeometry *to = layout.node(l.to);
        QVERIFY(from && to);
        QVERIFY2(distanceToBorder(from->rect, l.start) < 0.5, qPrintable(l.id));
        QVERIFY2(distanceToBorder(to->rect, l.end) < 0.5, qPrintable(l.id));
        QVERIFY2(layout.bounds.contains(l.labelAnchor), qPrintable(l.id));
        if (l.curved)
            continue;
        // A straight link never runs through a third box.
        for (const NodeGeometry &other : layout.nodes) {
            if (other.id == l.from || other.id == l.to)
                continue;
            for (int step = 1; step < 20; ++step) {
                const QPointF p = l.start + (l.end - l.start) * (step / 20.0);
                QVERIFY2(!other.rect.contains(p), qPrintable(l.id + QStringLiteral(" crosses ") + other.id));
            }
        }
    }
}

void TestTopologyLayout::requestPathIsOneRow_data()
{
    QTest::addColumn<bool>("frontProxy");
    QTest::addColumn<bool>("integrator");
    QTest::addColumn<QStringList>("path");
    const QStringList withProxy{QStringLiteral("browser"), QStringLiteral("proxy"), QStringLiteral("dsnginx"),
                                QStringLiteral("docservice")};
    const QStringList withoutProxy{QStringLiteral("browser"), QStringLiteral("dsnginx"), QStringLiteral("docservice")};
    QTest::newRow("front proxy") << true << false << withProxy;
    QTest::newRow("front proxy, integrator") << true << true << withProxy;
    QTest::newRow("no front proxy") << false << false << withoutProxy;
}

void TestTopologyLayout::requestPathIsOneRow()
{
    QFETCH(bool, frontProxy);
    QFETCH(bool, integrator);
    QFETCH(QStringList, path);
    const TopologyLayout layout = layoutTopology(Topology::fromProfile(profile(frontProxy, integrator)));
    const NodeGeometry *previous = nullptr;
    for (const QString &id : path) {
        const NodeGeometry *g = layout.node(id);
        QVERIFY2(g, qPrintable(id));
        if (previous) {
            QVERIFY2(g->rect.left() > previous->rect.right(), qPrintable(id));
            QCOMPARE(g->rect.top(), previous->rect.top());
            const LinkGeometry *l = layout.link(Topology::linkId(previous->id, id));
            QVERIFY2(l, qPrintable(id));
            QVERIFY(!l->curved);
        }
        previous = g;
    }
    // Dependencies sit right of docservice.
    const NodeGeometry *docservice = layout.node(QStringLiteral("docservice"));
    for (const QString &id : {QStringLiteral("database"), QStringLiteral("rabbitmq"), QStringLiteral("redis")})
        QVERIFY2(layout.node(id)->rect.left() > docservice->rect.right(), qPrintable(id));
}

void TestTopologyLayout::emptyColumnsAreSqueezed()
{
    const TopologyLayout layout = layoutTopology(Topology::fromProfile(profile(false, false)));
    QCOMPARE(layout.node(QStringLiteral("browser"))->column, 0);
    QCOMPARE(layout.node(QStringLiteral("dsnginx"))->column, 1);
    QCOMPARE(layout.node(QStringLiteral("docservice"))->column, 2);
}

void TestTopologyLayout::blockedLinkIsCurvedBelow()
{
    // browser → docservice would run straight through proxy and dsnginx.
    const QList<TopologyNode> nodes{node(QStringLiteral("browser"), NodeKind::Browser),
                                    node(QStringLiteral("proxy"), NodeKind::FrontProxy),
                                    node(QStringLiteral("dsnginx"), NodeKind::DsNginx),
                                    node(QStringLiteral("docservice"), NodeKind::Docservice)};
    const QList<TopologyLink> links{link(QStringLiteral("browser"), QStringLiteral("proxy")),
                                    link(QStringLiteral("browser"), QStringLiteral("docservice"))};
    const TopologyLayout layout = layoutTopology(nodes, links);
    QVERIFY(!layout.link(QStringLiteral("browser->proxy"))->curved);
    const LinkGeometry *detour = layout.link(QStringLiteral("browser->docservice"));
    QVERIFY(detour->curved);
    const double lowestBox = layout.node(QStringLiteral("proxy"))->rect.bottom();
    QVERIFY(detour->labelAnchor.y() > lowestBox);
    QVERIFY(detour->control.y() > lowestBox);
    QVERIFY(layout.bounds.contains(detour->labelAnchor));
}

void TestTopologyLayout::borderPoint_data()
{
    QTest::addColumn<QPointF>("target");
    QTest::addColumn<QPointF>("expected");
    // Rect (0,0 100x40), centre (50,20).
    QTest::newRow("right") << QPointF(300, 20) << QPointF(100, 20);
    QTest::newRow("left") << QPointF(-300, 20) << QPointF(0, 20);
    QTest::newRow("below") << QPointF(50, 200) << QPointF(50, 40);
    QTest::newRow("steep diagonal") << QPointF(70, 220) << QPointF(52, 40);
    QTest::newRow("flat diagonal") << QPointF(250, 60) << QPointF(100, 30);
    QTest::newRow("centre") << QPointF(50, 20) << QPointF(50, 20);
}

void TestTopologyLayout::borderPoint()
{
    QFETCH(QPointF, target);
    QFETCH(QPointF, expected);
    const QPointF p = rectBorderPoint(QRectF(0, 0, 100, 40), target);
    QVERIFY2(QLineF(p, expected).length() < 1e-9,
             qPrintable(QStringLiteral("got %1,%2").arg(p.x()).arg(p.y())));
}

QTEST_GUILESS_MAIN(TestTopologyLayout)
#include "tst_topologylayout.moc"
