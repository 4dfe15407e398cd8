#include "healthstyle.h"
#include "model/profile.h"
#include "topologyitems.h"
#include "topologyscene.h"

#include <QGraphicsItem>
#include <QSignalSpy>
#include <QTest>

using namespace dd;

namespace {

Profile labLikeProfile()
{
    Profile p;
    p.name = QStringLiteral("scene");
    p.publicUrl = QUrl(QStringLiteral("http://127.0.0.1:18080/"));
    p.proxyKind = QStringLiteral("nginx");
    p.docserverUrl = QUrl(QStringLiteral("http://127.0.0.1:18081/"));
    return p;
}

Evidence linkEvidence(const QString &link, Health health, double latencyMs = -1)
{
    Evidence e;
    e.id = QStringLiteral("probe.%1").arg(link);
    e.link = link;
    e.health = health;
    e.summary = QStringLiteral("%1 is %2").arg(link, healthName(health));
    e.latencyMs = latencyMs;
    return e;
}

QList<QGraphicsItem *> itemsOfKind(const QGraphicsScene &scene, const QString &kind)
{
    QList<QGraphicsItem *> found;
    const QList<QGraphicsItem *> all = scene.items();
    for (QGraphicsItem *item : all) {
        if (item->data(ItemKindData).toString() == kind)
            found << item;
    }
    return found;
}

} // namespace

class TestTopologyScene : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void placeholderWhenEmpty();
    void itemsCarryIdAndHealth();
    void evidenceRecolours_data();
    void evidenceRecolours();
    void recolourKeepsItems();
    void newStructureRebuilds();
};

void TestTopologyScene::placeholderWhenEmpty()
{
    TopologyScene scene;
    QCOMPARE(itemsOfKind(scene, QStringLiteral("placeholder")).size(), 1);
    QVERIFY(itemsOfKind(scene, QStringLiteral("node")).isEmpty());
}

void TestTopologyScene::itemsCarryIdAndHealth()
{
    TopologyScene scene;
    const Topology topology = Topology::fromProfile(labLikeProfile());
    scene.setTopology(topology);
    QCOMPARE(itemsOfKind(scene, QStringLiteral("node")).size(), topology.nodes().size());
    QCOMPARE(itemsOfKind(scene, QStringLiteral("link")).size(), topology.links().size());
    QVERIFY(itemsOfKind(scene, QStringLiteral("placeholder")).isEmpty());
    for (const TopologyNode &node : topology.nodes()) {
        QGraphicsItem *item = scene.nodeItem(node.id);
        QVERIFY2(item, qPrintable(node.id));
        QCOMPARE(item->data(ItemIdData).toString(), node.id);
        QCOMPARE(item->data(ItemHealthData).toString(), QStringLiteral("unknown"));
        QCOMPARE(item->data(ItemColorData).toString(), healthColor(Health::Unknown).name());
    }
    QVERIFY(scene.sceneRect().contains(scene.itemsBoundingRect()));
}

void TestTopologyScene::evidenceRecolours_data()
{
    QTest::addColumn<int>("health");
    QTest::newRow("ok") << int(Health::Ok);
    QTest::newRow("degraded") << int(Health::Degraded);
    QTest::newRow("failed") << int(Health::Failed);
}

void TestTopologyScene::evidenceRecolours()
{
    QFETCH(int, health);
    const Health h = Health(health);
    TopologyScene scene;
    Topology topology = Topology::fromProfile(labLikeProfile());
    scene.setTopology(topology);

    const QString failing = Topology::linkId(QStringLiteral("dsnginx"), QStringLiteral("docservice"));
    topology.applyEvidence(linkEvidence(failing, h, 12.4));
    scene.setTopology(topology);

    TopologyLinkItem *item = scene.linkItem(failing);
    QVERIFY(item);
    QCOMPARE(item->data(ItemHealthData).toString(), healthName(h));
    QCOMPARE(item->color(), healthColor(h));
    QCOMPARE(item->data(ItemColorData).toString(), healthColor(h).name());
    QVERIFY(item->labelText().contains(QStringLiteral("12 ms")));
    QVERIFY(item->toolTip().contains(QStringLiteral("is ") + healthName(h)));
    // Other links are untouched.
    QCOMPARE(scene.linkItem(QStringLiteral("browser->proxy"))->data(ItemHealthData).toString(),
             QStringLiteral("unknown"));
}

void TestTopologyScene::recolourKeepsItems()
{
    TopologyScene scene;
    Topology topology = Topology::fromProfile(labLikeProfile());
    scene.setTopology(topology);
    QGraphicsItem *before = scene.linkItem(QStringLiteral("browser->proxy"));
    QSignalSpy changed(&scene, &TopologyScene::topologyChanged);
    topology.applyEvidence(linkEvidence(QStringLiteral("browser->proxy"), Health::Ok, 3));
    scene.setTopology(topology);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(scene.linkItem(QStringLiteral("browser->proxy")), before);
    QCOMPARE(before->data(ItemHealthData).toString(), QStringLiteral("ok"));
}

void TestTopologyScene::newStructureRebuilds()
{
    TopologyScene scene;
    scene.setTopology(Topology::fromProfile(labLikeProfile()));
    QVERIFY(scene.nodeItem(QStringLiteral("proxy")));
    Profile direct = labLikeProfile();
    direct.proxyKind = QStringLiteral("none");
    scene.setTopology(Topology::fromProfile(direct));
    QVERIFY(!scene.nodeItem(QStringLiteral("proxy")));
    QVERIFY(scene.linkItem(QStringLiteral("browser->dsnginx")));
    QCOMPARE(itemsOfKind(scene, QStringLiteral("node")).size(), Topology::fromProfile(direct).nodes().size());
}

QTEST_MAIN(TestTopologyScene)
#include "tst_topologyscene.moc"
