#include "charts/latencychartpanel.h"
#include "linklatencymodel.h"

#include <QComboBox>
#include <QLabel>
#include <QStackedWidget>
#include <QTest>

using namespace dd;

namespace {

const QDateTime t0(QDate(2024, 5, 1), QTime(12, 0, 0), Qt::UTC);
const QString front = QStringLiteral("browser->proxy");
const QString back = QStringLiteral("proxy->dsnginx");

LatencySample sample(const QString &link, int second, double connect, double ttfb = -1, double total = -1)
{
    LatencySample s;
    s.link = link;
    s.time = t0.addSecs(second);
    s.connectMs = connect;
    s.ttfbMs = ttfb;
    s.totalMs = total;
    return s;
}

void saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("DD_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    // Pending layout requests first, so the picture shows the settled window.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    widget->grab().save(dir + QLatin1Char('/') + name);
}

} // namespace

class TestLatencyChartPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyShowsPlaceholder();
    void drawsTheSelectedLink_data();
    void drawsTheSelectedLink();
    void followsLiveBatchesAndTrimming();
};

void TestLatencyChartPanel::emptyShowsPlaceholder()
{
    LinkLatencyModel model;
    LatencyChartPanel panel(&model);
    panel.resize(700, 360);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QCOMPARE(panel.objectName(), QStringLiteral("latencyChartPanel"));
    auto *placeholder = panel.findChild<QLabel *>(QStringLiteral("latencyPlaceholder"));
    QVERIFY(placeholder);
    QVERIFY(placeholder->isVisible());
    QVERIFY(!panel.findChild<QComboBox *>(QStringLiteral("latencyLinkCombo"))->isEnabled());
    QVERIFY(panel.links().isEmpty());
    QCOMPARE(panel.seriesNames().size(), 3);

    model.addSample(sample(front, 0, 1, 2, 3));
    QVERIFY(!placeholder->isVisible());
    QVERIFY(panel.findChild<QWidget *>(QStringLiteral("latencyChartView"))->isVisible());
    model.clear();
    QVERIFY(placeholder->isVisible());
    QCOMPARE(panel.pointCount(LinkLatencyModel::ConnectColumn), 0);
}

void TestLatencyChartPanel::drawsTheSelectedLink_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<int>("connectPoints");
    QTest::addColumn<int>("ttfbPoints");
    QTest::addColumn<int>("totalPoints");
    // front: 3 samples with every phase; back: 2 TCP samples (connect only).
    QTest::newRow("http link") << front << 3 << 3 << 3;
    QTest::newRow("tcp link") << back << 2 << 0 << 0;
}

void TestLatencyChartPanel::drawsTheSelectedLink()
{
    QFETCH(QString, link);
    QFETCH(int, connectPoints);
    QFETCH(int, ttfbPoints);
    QFETCH(int, totalPoints);

    LinkLatencyModel model;
    model.addSamples({sample(front, 0, 1, 4, 5), sample(back, 0, 0.5), sample(front, 10, 1.2, 3.5, 4.1),
                      sample(back, 10, 0.7), sample(front, 20, 0.9, 6, 6.5)});
    LatencyChartPanel panel(&model);
    panel.resize(760, 380);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QCOMPARE(panel.links(), QStringList({front, back}));
    QCOMPARE(panel.currentLink(), front); // the first link is chosen by itself

    panel.setCurrentLink(link);
    QCOMPARE(panel.currentLink(), link);
    QCOMPARE(panel.pointCount(LinkLatencyModel::ConnectColumn), connectPoints);
    QCOMPARE(panel.pointCount(LinkLatencyModel::TtfbColumn), ttfbPoints);
    QCOMPARE(panel.pointCount(LinkLatencyModel::TotalColumn), totalPoints);
    QCOMPARE(panel.pointCount(LinkLatencyModel::LinkColumn), 0);
    const QString summary = panel.findChild<QLabel *>(QStringLiteral("latencySummary"))->text();
    QVERIFY2(summary.contains(link == front ? QStringLiteral("6.50 ms") : QStringLiteral("0.70 ms")),
             qPrintable(summary));
    saveScreenshot(
        &panel,
        QStringLiteral("dd-latencychart-%1.png").arg(link == front ? QStringLiteral("http") : QStringLiteral("tcp")));
}

void TestLatencyChartPanel::followsLiveBatchesAndTrimming()
{
    LinkLatencyModel model;
    model.setMaximumSamplesPerLink(4);
    LatencyChartPanel panel(&model);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));

    // A link that appears in a later batch is offered at once, its points drawn once only.
    model.addSamples({sample(front, 0, 1, 2, 3)});
    QCOMPARE(panel.pointCount(LinkLatencyModel::TotalColumn), 1);
    model.addSamples({sample(back, 1, 1), sample(front, 1, 1, 2, 3)});
    QCOMPARE(panel.links(), QStringList({front, back}));
    QCOMPARE(panel.currentLink(), front);
    QCOMPARE(panel.pointCount(LinkLatencyModel::TotalColumn), 2);

    // Samples of another link do not touch the chart of this one.
    model.addSamples({sample(back, 2, 1), sample(back, 3, 1)});
    QCOMPARE(panel.pointCount(LinkLatencyModel::ConnectColumn), 2);

    // The bound drops the oldest samples and the chart follows.
    QList<LatencySample> many;
    for (int i = 10; i < 16; ++i)
        many << sample(front, i, i, i + 1, i + 2);
    model.addSamples(many);
    QCOMPARE(model.sampleCount(front), 4);
    QCOMPARE(panel.pointCount(LinkLatencyModel::ConnectColumn), 4);
    QCOMPARE(panel.pointCount(LinkLatencyModel::TotalColumn), 4);

    panel.setCurrentLink(back);
    QCOMPARE(panel.pointCount(LinkLatencyModel::ConnectColumn), 3);
}

QTEST_MAIN(TestLatencyChartPanel)
#include "tst_latencychartpanel.moc"
