#include "charts/latencychartpanel.h"
#include "diagnosis/diagnosisengine.h"
#include "evidencemodel.h"
#include "findingsmodel.h"
#include "healthstyle.h"
#include "lab/lab.h"
#include "linklatencymodel.h"
#include "mainwindow.h"
#include "probe/probescheduler.h"
#include "report/diagnosisjsonreader.h"
#include "topologyitems.h"
#include "topologyscene.h"
#include "topologyview.h"
#include "wizardpanel.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QFrame>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTableView>
#include <QTabWidget>
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
    if (dir.isEmpty())
        return;
    // Pending layout requests first, so the picture shows the settled window.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    window->grab().save(dir + QLatin1Char('/') + name);
}

} // namespace

/// The window and the engines a test drives, created as app/gui/main.cpp creates them.
struct Workbench
{
    DiagnosisEngine engine{CauseCatalog::builtIn(), DecisionTree::builtIn()};
    Lab lab;
    ProbeScheduler scheduler;
    MainWindow window{&engine, &lab, &scheduler};

    QAction *action(const char *name) const { return window.findChild<QAction *>(QLatin1String(name)); }
    QMenu *labMenu() const { return window.menuBar()->findChild<QMenu *>(QStringLiteral("labMenu")); }
    QAction *labAction(const QString &scenarioId) const
    {
        const QList<QAction *> actions = labMenu()->actions();
        for (QAction *a : actions) {
            if (a->data().toString() == scenarioId)
                return a;
        }
        return nullptr;
    }
    QComboBox *labCombo() const { return window.findChild<QComboBox *>(QStringLiteral("labScenarioCombo")); }
    WizardPanel *wizard() const { return window.findChild<WizardPanel *>(QStringLiteral("wizardPanel")); }
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
    void labMenuListsEveryScenario();
    void labMenuAndComboStayInStep();
    void wizardAnswersWithoutProbing();
    void watchFeedsTheChartLive();

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
    QVERIFY(bench.wizard());
    QVERIFY(bench.window.findChild<LatencyChartPanel *>(QStringLiteral("latencyChartPanel")));
    QVERIFY(bench.labMenu());

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

    // Saved as JSON, the diagnosis reads back whole, for `report` elsewhere or `diagnose --compare`.
    const QString saved = dir.filePath(QStringLiteral("diagnosis.json"));
    QVERIFY2(bench.window.exportReport(saved, &error), qPrintable(error));
    QFile file(saved);
    QVERIFY(file.open(QIODevice::ReadOnly));
    Diagnosis back;
    QList<LatencyHistorySample> history;
    QVERIFY2(diagnosisFromJson(file.readAll(), saved, &back, &error, &history), qPrintable(error));
    QCOMPARE(back.causeId, expected.expectedCause);
    QCOMPARE(back.evidence.size(), diagnosis.evidence.size());
    QCOMPARE(back.correlations.size(), diagnosis.correlations.size());
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

void TestMainWindow::labMenuListsEveryScenario()
{
    // Started without a profile, the workbench opens the healthy lab (issue 3).
    QCOMPARE(MainWindow::defaultLabScenario(), QStringLiteral("healthy"));
    QVERIFY(Lab::hasScenario(MainWindow::defaultLabScenario()));

    Workbench bench;
    QMenu *menu = bench.labMenu();
    QVERIFY(menu);
    const QList<LabScenario> scenarios = Lab::scenarios();
    QVERIFY(scenarios.size() >= 2);
    QStringList menuIds;
    const QList<QAction *> actions = menu->actions();
    for (QAction *a : actions) {
        if (!a->isSeparator())
            menuIds << a->data().toString();
    }
    QStringList expected;
    for (const LabScenario &s : scenarios) {
        expected << s.id;
        QAction *a = bench.labAction(s.id);
        QVERIFY2(a, qPrintable(s.id));
        QVERIFY(a->isCheckable());
        QVERIFY(!a->isChecked());
        QCOMPARE(a->text(), s.title.isEmpty() ? s.id : s.title);
    }
    QCOMPARE(menuIds, expected);
    QVERIFY(menu->isEnabled());

    // Without a lab the menu is there but cannot be used.
    DiagnosisEngine engine(CauseCatalog::builtIn(), DecisionTree::builtIn());
    MainWindow labless(&engine, nullptr);
    QMenu *disabled = labless.menuBar()->findChild<QMenu *>(QStringLiteral("labMenu"));
    QVERIFY(disabled);
    QVERIFY(!disabled->isEnabled());
}

void TestMainWindow::labMenuAndComboStayInStep()
{
    Workbench bench;
    bench.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bench.window));
    QSignalSpy ready(&bench.window, &MainWindow::profileChanged);
    QSignalSpy failed(&bench.lab, &Lab::labFailed);

    // From the menu: the combo follows.
    QAction *refused = bench.labAction(QStringLiteral("upstream-refused"));
    QVERIFY(refused);
    refused->trigger();
    QVERIFY(refused->isChecked());
    QCOMPARE(bench.labCombo()->currentData().toString(), QStringLiteral("upstream-refused"));
    QVERIFY(!bench.labMenu()->isEnabled()); // no second start while one is starting
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), labStartTimeoutMs);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    QCOMPARE(bench.lab.scenarioId(), QStringLiteral("upstream-refused"));
    QVERIFY(bench.labMenu()->isEnabled());

    // From the combo: the menu follows, one scenario checked at a time.
    QComboBox *combo = bench.labCombo();
    const int healthy = combo->findData(QStringLiteral("healthy"));
    QVERIFY(healthy >= 0);
    combo->setCurrentIndex(healthy);
    Q_EMIT combo->activated(healthy);
    QVERIFY(bench.labAction(QStringLiteral("healthy"))->isChecked());
    QVERIFY(!refused->isChecked());
    QTRY_VERIFY_WITH_TIMEOUT(ready.size() == 2 || !failed.isEmpty(), labStartTimeoutMs);
    QVERIFY(failed.isEmpty());
    QCOMPARE(bench.lab.scenarioId(), QStringLiteral("healthy"));

    // A profile from a file is no lab scenario: neither shows one.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("profile.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"schema\": \"docserver-doctor.profile/1\", \"name\": \"file\","
               " \"publicUrl\": \"http://127.0.0.1:9/\"}");
    file.close();
    const ProfileLoadResult loaded = loadProfile(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.error)); // a bad file would open a modal message box
    QVERIFY(bench.window.openProfile(path));
    QCOMPARE(combo->currentIndex(), -1);
    QVERIFY(!bench.labAction(QStringLiteral("healthy"))->isChecked());
    QVERIFY(!bench.labAction(QStringLiteral("upstream-refused"))->isChecked());
}

void TestMainWindow::wizardAnswersWithoutProbing()
{
    Workbench bench;
    bench.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bench.window));
    startLab(bench, MainWindow::defaultLabScenario());
    if (QTest::currentTestFailed())
        return;
    runDiagnosis(bench);
    if (QTest::currentTestFailed())
        return;
    const Diagnosis observed = bench.window.diagnosis();
    // The verdict banner is never squeezed by the tables below it.
    QTRY_VERIFY(bench.verdict()->height() >= bench.verdict()->heightForWidth(bench.verdict()->width()));
    QCOMPARE(bench.verdict()->property("status").toString(), QStringLiteral("healthy"));

    // The run added latency samples: the chart offers the links it measured.
    auto *chart = bench.window.findChild<LatencyChartPanel *>(QStringLiteral("latencyChartPanel"));
    QVERIFY(!chart->links().isEmpty());
    const int points = chart->pointCount(LinkLatencyModel::ConnectColumn);
    QVERIFY(points > 0);
    auto *tabs = bench.window.findChild<QTabWidget *>(QStringLiteral("resultTabs"));
    QVERIFY(tabs);
    tabs->setCurrentWidget(chart);
    saveScreenshot(&bench.window, QStringLiteral("dd-mainwindow-latency.png"));

    WizardPanel *wizard = bench.wizard();
    QCOMPARE(wizard->openQuestions(), QStringList{QStringLiteral("user.symptom")});
    // The question waiting for the user is scrolled into view.
    QFrame *question = nullptr;
    const QList<QFrame *> steps = wizard->findChildren<QFrame *>(QStringLiteral("wizardStep"));
    for (QFrame *step : steps) {
        if (step->property("askedUser").toBool())
            question = step;
    }
    QVERIFY(question);
    QTRY_VERIFY(!question->visibleRegion().isEmpty());
    saveScreenshot(&bench.window, QStringLiteral("dd-mainwindow-wizard-asks.png"));

    // An evidence link of the wizard selects that row in the evidence table.
    const QList<QLabel *> links = wizard->findChildren<QLabel *>(QStringLiteral("wizardEvidence"));
    QVERIFY(!links.isEmpty());
    const QString evidenceId = links.first()->property("evidenceIds").toStringList().value(0);
    QVERIFY(!evidenceId.isEmpty());
    Q_EMIT wizard->evidenceActivated(evidenceId);
    auto *evidenceView = bench.window.findChild<QTableView *>(QStringLiteral("evidenceView"));
    const QModelIndexList selected = evidenceView->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().data(EvidenceModel::EvidenceIdRole).toString(), evidenceId);

    // Answering turns the verdict at once, from the same evidence.
    QSignalSpy probed(&bench.engine, &DiagnosisEngine::evidenceAvailable);
    QSignalSpy started(&bench.engine, &DiagnosisEngine::diagnosisStarted);
    QSignalSpy shown(&bench.window, &MainWindow::diagnosisShown);
    QPushButton *frameRefused = nullptr;
    const QList<QPushButton *> choices = wizard->findChildren<QPushButton *>(QStringLiteral("wizardChoice"));
    for (QPushButton *b : choices) {
        if (b->property("choice").toString() == QLatin1String("frame-refused"))
            frameRefused = b;
    }
    QVERIFY(frameRefused);
    QTest::mouseClick(frameRefused, Qt::LeftButton);
    QTRY_COMPARE(shown.size(), 1);
    QCOMPARE(bench.verdict()->property("status").toString(), QStringLiteral("problem"));
    QCOMPARE(bench.verdict()->property("causeId").toString(), QStringLiteral("frame-blocked-by-proxy-headers"));
    QCOMPARE(bench.window.diagnosis().causeId, QStringLiteral("frame-blocked-by-proxy-headers"));
    auto *findings = bench.window.findChild<QTableView *>(QStringLiteral("findingsView"));
    QCOMPARE(findings->model()->index(0, 0).data(FindingsModel::CauseIdRole).toString(),
             QStringLiteral("frame-blocked-by-proxy-headers"));
    QGraphicsItem *hop = findItem(bench.scene(), QStringLiteral("link"), bench.window.diagnosis().hop);
    QVERIFY2(hop, qPrintable(bench.window.diagnosis().hop));
    QCOMPARE(hop->data(ItemHealthData).toString(), QStringLiteral("failed"));
    QCOMPARE(probed.size(), 0);
    QCOMPARE(started.size(), 0);
    QVERIFY(!bench.window.isDiagnosing());
    // Same observed evidence, plus the answer.
    QCOMPARE(evidenceView->model()->rowCount(), int(observed.evidence.size()) + 1);
    QCOMPARE(chart->pointCount(LinkLatencyModel::ConnectColumn), points); // an answer is no new run
    saveScreenshot(&bench.window, QStringLiteral("dd-mainwindow-wizard-answered.png"));

    wizard->answer(QStringLiteral("user.symptom"), QStringLiteral("none"));
    QCOMPARE(shown.size(), 2);
    QCOMPARE(bench.verdict()->property("status").toString(), QStringLiteral("healthy"));
    QCOMPARE(probed.size(), 0);

    // "Start over" forgets the answers and probes again: the question is open once more.
    wizard->findChild<QPushButton *>(QStringLiteral("startOverButton"))->click();
    QCOMPARE(started.size(), 1);
    QVERIFY(bench.engine.answers().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(shown.size() == 3, diagnosisTimeoutMs);
    QVERIFY(probed.size() > 0);
    QCOMPARE(wizard->openQuestions(), QStringList{QStringLiteral("user.symptom")});
    QCOMPARE(chart->pointCount(LinkLatencyModel::ConnectColumn), points + 1); // a new run, a new sample
}

void TestMainWindow::watchFeedsTheChartLive()
{
    Workbench bench;
    bench.scheduler.setInterval(200);
    bench.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bench.window));
    QAction *watch = bench.action("watchAction");
    QVERIFY(watch);
    QVERIFY(watch->isCheckable());
    QVERIFY(!watch->isEnabled()); // nothing to watch before a profile
    startLab(bench, QStringLiteral("healthy"));
    if (QTest::currentTestFailed())
        return;
    QVERIFY(watch->isEnabled());

    auto *chart = bench.window.findChild<LatencyChartPanel *>(QStringLiteral("latencyChartPanel"));
    QVERIFY(chart->links().isEmpty());
    QSignalSpy samples(&bench.scheduler, &ProbeScheduler::sampleAvailable);
    QSignalSpy probed(&bench.engine, &DiagnosisEngine::evidenceAvailable);
    watch->trigger();
    QVERIFY(watch->isChecked());
    QVERIFY(bench.window.isWatching());
    QVERIFY(bench.scheduler.isRunning());
    QVERIFY(chart->isVisible()); // the latency tab comes to the front

    // Round after round, each link gets samples and the chart of the chosen one grows.
    QTRY_VERIFY_WITH_TIMEOUT(chart->pointCount(LinkLatencyModel::ConnectColumn) >= 3, 20000);
    QVERIFY(chart->links().contains(QStringLiteral("browser->proxy")));
    QVERIFY(chart->links().contains(QStringLiteral("proxy->dsnginx")));
    QVERIFY(chart->pointCount(LinkLatencyModel::TotalColumn) >= 3);
    QVERIFY(samples.size() >= 3);
    QCOMPARE(probed.size(), 0); // watching samples latency; it does not diagnose
    QVERIFY(!bench.window.hasDiagnosis());
    saveScreenshot(&bench.window, QStringLiteral("dd-mainwindow-watch.png"));

    watch->trigger();
    QVERIFY(!watch->isChecked());
    QVERIFY(!bench.scheduler.isRunning());

    // Another lab (another profile) stops watching.
    watch->trigger();
    QVERIFY(bench.window.isWatching());
    bench.window.startLabScenario(QStringLiteral("upstream-refused"));
    QVERIFY(!bench.window.isWatching());
    QVERIFY(!watch->isChecked());
    QVERIFY(!watch->isEnabled());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
