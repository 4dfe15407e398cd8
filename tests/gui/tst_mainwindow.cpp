#include "diagnosis/diagnosisengine.h"
#include "findingsmodel.h"
#include "healthstyle.h"
#include "lab/lab.h"
#include "mainwindow.h"
#include "topologyitems.h"
#include "topologyscene.h"
#include "topologyview.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace dd;

namespace {

// Bounds for the real lab (two nginx processes) and a diagnosis of it on loopback.
constexpr int labStartTimeoutMs = 30000;
constexpr int diagnosisTimeoutMs = 60000;

LabScenario scenarioById(const QString &id)
{
    const QList<LabScenario> scenarios = Lab::scenarios();
    for (const LabScenario &s : scenarios) {
        if (s.id == id)
            return s;
    }
    return LabScenario();
}

QList<QGraphicsItem *> topologyItems(const QGraphicsScene *scene)
{
    QList<QGraphicsItem *> found;
    const QList<QGraphicsItem *> all = scene->items();
    for (QGraphicsItem *item : all) {
        const QString kind = item->data(ItemKindData).toString();
        if (kind == QLatin1String("node") || kind == QLatin1String("link"))
            found << item;
    }
    return found;
}

QGraphicsItem *findItem(const QGraphicsScene *scene, const QString &kind, const QString &id)
{
    const QList<QGraphicsItem *> items = topologyItems(scene);
    for (QGraphicsItem *item : items) {
        if (item->data(ItemKindData).toString() == kind && item->data(ItemIdData).toString() == id)
            return item;
    }
    return nullptr;
}

QString fileText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromUtf8(file.readAll());
}

// Keeps a picture of the window for a person to look at when DD_SCREENSHOT_DIR is set.
void saveScreenshot(QWidget *window, const QString &name)
{
    const QString dir = qEnvironmentVariable("DD_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        window->grab().save(dir + QLatin1Char('/') + name);
}

} // namespace

/// The window and the engines a test drives, created as app/gui/main.cpp creates them.
struct Workbench
{
    DiagnosisEngine engine{CauseCatalog::builtIn(), DecisionTree::builtIn()};
    Lab lab;
    MainWindow window{&engine, &lab};

    QAction *action(const char *name) const { return window.findChild<QAction *>(QLatin1String(name)); }
    QLabel *verdict() const { return window.findChild<QLabel *>(QStringLiteral("verdictLabel")); }
    TopologyScene *scene() const
    {
        auto *view = window.findChild<TopologyView *>(QStringLiteral("topologyView"));
        return view ? view->topologyScene() : nullptr;
    }
};

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void widgetsAreNamed();
    void profileShowsTopology();
    void diagnosesFailingLab_data();
    void diagnosesFailingLab();
    void healthyLabHasNothingRed();

private:
    // Helpers that fail the current test; callers return when QTest::currentTestFailed().
    void startLab(Workbench &bench, const QString &scenarioId);
    void runDiagnosis(Workbench &bench, int *liveFailedLinks = nullptr);
};

void TestMainWindow::startLab(Workbench &bench, const QString &scenarioId)
{
    QSignalSpy failed(&bench.lab, &Lab::labFailed);
    QSignalSpy ready(&bench.window, &MainWindow::profileChanged);
    bench.window.startLabScenario(scenarioId);
    auto *combo = bench.window.findChild<QComboBox *>(QStringLiteral("labScenarioCombo"));
    QCOMPARE(combo->currentData().toString(), scenarioId);
    QVERIFY(!bench.action("runDiagnosisAction")->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), labStartTimeoutMs);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
}

void TestMainWindow::runDiagnosis(Workbench &bench, int *liveFailedLinks)
{
    QSignalSpy shown(&bench.window, &MainWindow::diagnosisShown);
    QSignalSpy failed(&bench.engine, &DiagnosisEngine::diagnosisFailed);
    QAction *run = bench.action("runDiagnosisAction");
    QVERIFY(run->isEnabled());
    QVERIFY(!bench.action("exportReportAction")->isEnabled());

    // Live colouring: connected after the window, so this sees the scene as the window left it
    // for each piece of evidence, long before the final diagnosis arrives.
    QStringList notRedYet;
    int failedLinks = 0;
    const QMetaObject::Connection live =
        connect(&bench.engine, &DiagnosisEngine::evidenceAvailable, this, [&](const Evidence &e) {
            if (e.link.isEmpty() || e.health != Health::Failed)
                return;
            ++failedLinks;
            const TopologyLinkItem *item = bench.scene()->linkItem(e.link);
            if (!item || item->data(ItemHealthData).toString() != QLatin1String("failed"))
                notRedYet << e.link;
        });
    const auto disconnectLive = qScopeGuard([&live] { QObject::disconnect(live); });

    run->trigger();
    // The window stays responsive: the action is disabled and the progress shows while it runs.
    QVERIFY(bench.window.isDiagnosing());
    QVERIFY(!run->isEnabled());
    QVERIFY(bench.window.findChild<QProgressBar *>(QStringLiteral("diagnosisProgress"))->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() || !failed.isEmpty(), diagnosisTimeoutMs);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    QVERIFY(run->isEnabled());
    QVERIFY(bench.action("exportReportAction")->isEnabled());
    QVERIFY2(notRedYet.isEmpty(), qPrintable(notRedYet.join(QLatin1Char(' '))));
    if (liveFailedLinks)
        *liveFailedLinks = failedLinks;
}

void TestMainWindow::widgetsAreNamed()
{
    Workbench bench;
    QCOMPARE(bench.window.objectName(), QStringLiteral("mainWindow"));
    for (const char *name : {"runDiagnosisAction", "exportReportAction", "openProfileAction"})
        QVERIFY2(bench.action(name), name);
    QVERIFY(bench.verdict());
    QVERIFY(bench.window.findChild<QTableView *>(QStringLiteral("findingsView")));
    QVERIFY(bench.window.findChild<QTableView *>(QStringLiteral("evidenceView")));
    QVERIFY(bench.scene());

    auto *combo = bench.window.findChild<QComboBox *>(QStringLiteral("labScenarioCombo"));
    QVERIFY(combo);
    const QList<LabScenario> scenarios = Lab::scenarios();
    QCOMPARE(combo->count(), scenarios.size());
    for (const LabScenario &s : scenarios)
        QVERIFY2(combo->findData(s.id) >= 0, qPrintable(s.id));

    // Nothing to run or export before a profile and a diagnosis exist.
    QVERIFY(!bench.action("runDiagnosisAction")->isEnabled());
    QVERIFY(!bench.action("exportReportAction")->isEnabled());
    QString error;
    QVERIFY(!bench.window.exportReport(QStringLiteral("/nonexistent/report.html"), &error));
    QVERIFY(!error.isEmpty());
}

void TestMainWindow::profileShowsTopology()
{
    DiagnosisEngine engine(CauseCatalog::builtIn(), DecisionTree::builtIn());
    MainWindow window(&engine, nullptr);
    Profile profile;
    profile.name = QStringLiteral("from a file");
    profile.publicUrl = QUrl(QStringLiteral("http://127.0.0.1:1/"));
    profile.proxyKind = QStringLiteral("nginx");
    profile.docserverUrl = QUrl(QStringLiteral("http://127.0.0.1:2/"));
    window.setProfile(profile);

    auto *view = window.findChild<TopologyView *>(QStringLiteral("topologyView"));
    const Topology expected = Topology::fromProfile(profile);
    QCOMPARE(topologyItems(view->topologyScene()).size(), expected.nodes().size() + expected.links().size());
    QVERIFY(findItem(view->topologyScene(), QStringLiteral("node"), QStringLiteral("proxy")));
    QVERIFY(window.findChild<QAction *>(QStringLiteral("runDiagnosisAction"))->isEnabled());
    QVERIFY(!window.findChild<QComboBox *>(QStringLiteral("labScenarioCombo"))->isEnabled());
    QVERIFY(window.windowTitle().contains(profile.name));
}

void TestMainWindow::diagnosesFailingLab_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::newRow("ds-docservice-down") << QStringLiteral("ds-docservice-down");
    QTest::newRow("upstream-refused") << QStringLiteral("upstream-refused");
}

void TestMainWindow::diagnosesFailingLab()
{
    QFETCH(QString, scenario);
    const LabScenario expected = scenarioById(scenario);
    QVERIFY2(!expected.id.isEmpty(), qPrintable(scenario));
    QVERIFY(!expected.expectedCause.isEmpty());

    Workbench bench;
    bench.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bench.window));
    startLab(bench, scenario);
    if (QTest::currentTestFailed())
        return;
    int liveFailedLinks = 0;
    runDiagnosis(bench, &liveFailedLinks);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(liveFailedLinks > 0, "the failing hop was coloured live, before the verdict");
    saveScreenshot(&bench.window, QStringLiteral("dd-mainwindow-%1.png").arg(scenario));

    // The verdict names the problem.
    const Diagnosis &diagnosis = bench.window.diagnosis();
    QLabel *verdict = bench.verdict();
    QCOMPARE(verdict->property("status").toString(), QStringLiteral("problem"));
    QCOMPARE(verdict->property("causeId").toString(), expected.expectedCause);
    QCOMPARE(diagnosis.causeId, expected.expectedCause);
    QVERIFY(!diagnosis.causes.isEmpty());
    QVERIFY2(verdict->text().contains(diagnosis.causes.first().title.toHtmlEscaped()), qPrintable(verdict->text()));
    QVERIFY(verdict->text().contains(expected.expectedCause));

    // The failing hop is red, the hop from the browser is not.
    const TopologyScene *scene = bench.scene();
    QGraphicsItem *failing = findItem(scene, QStringLiteral("link"), diagnosis.hop);
    QVERIFY2(failing, qPrintable(diagnosis.hop));
    QCOMPARE(failing->data(ItemHealthData).toString(), QStringLiteral("failed"));
    QCOMPARE(failing->data(ItemColorData).toString(), healthColor(Health::Failed).name());
    QGraphicsItem *entry = findItem(scene, QStringLiteral("link"), QStringLiteral("browser->proxy"));
    QVERIFY(entry);
    QVERIFY(entry->data(ItemHealthData).toString() != QLatin1String("failed"));
    QVERIFY(entry->data(ItemColorData).toString() != healthColor(Health::Failed).name());
    QGraphicsItem *browser = findItem(scene, QStringLiteral("node"), QStringLiteral("browser"));
    QVERIFY(browser);
    QVERIFY(browser->data(ItemHealthData).toString() != QLatin1String("failed"));

    // Findings and evidence are filled, most likely cause first.
    auto *findings = bench.window.findChild<QTableView *>(QStringLiteral("findingsView"));
    QVERIFY(findings->model()->rowCount() >= 1);
    QCOMPARE(findings->model()->index(0, 0).data(FindingsModel::CauseIdRole).toString(), expected.expectedCause);
    auto *evidence = bench.window.findChild<QTableView *>(QStringLiteral("evidenceView"));
    QCOMPARE(evidence->model()->rowCount(), int(diagnosis.evidence.size()));
    QVERIFY(evidence->model()->rowCount() > 0);

    // The report lands in a file and names the cause.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("report.html"));
    QString error;
    QVERIFY2(bench.window.exportReport(path, &error), qPrintable(error));
    QVERIFY(QFile::exists(path));
    QVERIFY(fileText(path).contains(expected.expectedCause));
}

void TestMainWindow::healthyLabHasNothingRed()
{
    Workbench bench;
    bench.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bench.window));
    startLab(bench, QStringLiteral("healthy"));
    if (QTest::currentTestFailed())
        return;
    runDiagnosis(bench);
    if (QTest::currentTestFailed())
        return;
    saveScreenshot(&bench.window, QStringLiteral("dd-mainwindow-healthy.png"));

    QCOMPARE(bench.verdict()->property("status").toString(), QStringLiteral("healthy"));
    const QList<QGraphicsItem *> items = topologyItems(bench.scene());
    QVERIFY(!items.isEmpty());
    int ok = 0;
    for (QGraphicsItem *item : items) {
        const QString id = item->data(ItemIdData).toString();
        QVERIFY2(item->data(ItemHealthData).toString() != QLatin1String("failed"), qPrintable(id));
        QVERIFY2(item->data(ItemColorData).toString() != healthColor(Health::Failed).name(), qPrintable(id));
        if (item->data(ItemHealthData).toString() == QLatin1String("ok"))
            ++ok;
    }
    QVERIFY2(ok > 0, "a healthy lab shows at least one green hop");
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
