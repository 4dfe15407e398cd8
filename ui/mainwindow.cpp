#include "mainwindow.h"

#include "diagnosis/diagnosisengine.h"
#include "lab/lab.h"
#include "linklatencymodel.h"
#include "probe/probescheduler.h"
#include "profileeditordialog.h"
#include "report/htmlreport.h"
#include "report/jsonreport.h"
#include "resulttabs.h"
#include "topologyscene.h"
#include "topologyview.h"
#include "verdictlabel.h"
#include "wizardpanel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QComboBox>
#include <QDate>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSaveFile>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <utility>

namespace dd {

namespace {

// Live samples are inserted into the chart model in batches at most this often.
constexpr int kSampleBatchMs = 250;

} // namespace

MainWindow::MainWindow(DiagnosisEngine *engine, Lab *lab, ProbeScheduler *scheduler, QWidget *parent)
    : QMainWindow(parent), m_engine(engine), m_lab(lab), m_scheduler(scheduler)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("DocServer Doctor"));
    createActions();
    createCentralArea();
    connectEngines();
    showIdleVerdict();
    setIdle(tr("Choose a lab scenario or open a profile."));
    updateActions();
    resize(1240, 820);
}

MainWindow::~MainWindow() = default;

QString MainWindow::defaultLabScenario()
{
    // A first start shows a working stack, every hop green, and the wizard asking what users
    // see; each failure is one click away in the Lab menu.
    return QStringLiteral("healthy");
}

void MainWindow::createActions()
{
    m_openAction = new QAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("Open profile…"), this);
    m_openAction->setObjectName(QStringLiteral("openProfileAction"));
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setToolTip(tr("Load a deployment profile (JSON) to diagnose"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::chooseProfileFile);

    m_runAction = new QAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Run diagnosis"), this);
    m_runAction->setObjectName(QStringLiteral("runDiagnosisAction"));
    m_runAction->setShortcut(Qt::Key_F5);
    m_runAction->setToolTip(tr("Probe the deployment and find which hop fails (F5)"));
    connect(m_runAction, &QAction::triggered, this, &MainWindow::runDiagnosis);

    m_exportAction = new QAction(style()->standardIcon(QStyle::SP_DialogSaveButton), tr("Export report…"), this);
    m_exportAction->setObjectName(QStringLiteral("exportReportAction"));
    m_exportAction->setShortcut(Qt::CTRL | Qt::Key_E);
    m_exportAction->setToolTip(tr("Save the diagnosis as a self-contained HTML report"));
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::chooseReportFile);

    m_watchAction = new QAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Watch"), this);
    m_watchAction->setObjectName(QStringLiteral("watchAction"));
    m_watchAction->setCheckable(true);
    m_watchAction->setToolTip(tr("Probe the deployment continuously and chart each link's latency live"));
    connect(m_watchAction, &QAction::toggled, this, &MainWindow::setWatching);

    auto *quitAction = new QAction(tr("Quit"), this);
    quitAction->setShortcut(QKeySequence::Quit);
    connect(quitAction, &QAction::triggered, this, &QWidget::close);

    m_labCombo = new QComboBox(this);
    m_labCombo->setObjectName(QStringLiteral("labScenarioCombo"));
    m_labCombo->setPlaceholderText(tr("Lab scenario…"));
    m_labCombo->setToolTip(tr("Reproduce a failure on this machine with real servers and diagnose it"));
    m_labCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    if (m_lab) {
        const QList<LabScenario> scenarios = Lab::scenarios();
        for (const LabScenario &scenario : scenarios) {
            m_labCombo->addItem(scenario.title.isEmpty() ? scenario.id : scenario.title, scenario.id);
            m_labCombo->setItemData(m_labCombo->count() - 1, scenario.description, Qt::ToolTipRole);
        }
    }
    m_labCombo->setCurrentIndex(-1);
    connect(m_labCombo, &QComboBox::activated, this, &MainWindow::labScenarioActivated);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(m_openAction);
    QAction *fromConfig = fileMenu->addAction(tr("New profile from configuration…"));
    fromConfig->setObjectName(QStringLiteral("newProfileFromConfigAction"));
    connect(fromConfig, &QAction::triggered, this, [this]() {
        ProfileEditorDialog dialog(this);
        QString error;
        if (dialog.exec() == QDialog::Accepted)
            setProfile(dialog.profile(&error));
    });
    fileMenu->addAction(m_exportAction);
    fileMenu->addSeparator();
    fileMenu->addAction(quitAction);
    QMenu *diagnosisMenu = menuBar()->addMenu(tr("&Diagnosis"));
    diagnosisMenu->setObjectName(QStringLiteral("diagnosisMenu"));
    diagnosisMenu->addAction(m_runAction);
    diagnosisMenu->addAction(m_watchAction);

    // The same scenarios as the toolbar combo; showLabChoice() keeps the two in step.
    m_labMenu = menuBar()->addMenu(tr("&Lab"));
    m_labMenu->setObjectName(QStringLiteral("labMenu"));
    m_labMenu->setToolTipsVisible(true);
    m_labActions = new QActionGroup(this);
    m_labActions->setExclusionPolicy(QActionGroup::ExclusionPolicy::ExclusiveOptional);
    if (m_lab) {
        const QList<LabScenario> scenarios = Lab::scenarios();
        for (const LabScenario &scenario : scenarios) {
            QAction *action = m_labMenu->addAction(scenario.title.isEmpty() ? scenario.id : scenario.title);
            action->setObjectName(QStringLiteral("labScenarioAction-%1").arg(scenario.id));
            action->setData(scenario.id);
            action->setToolTip(scenario.description);
            action->setCheckable(true);
            m_labActions->addAction(action);
        }
    }
    connect(m_labActions, &QActionGroup::triggered, this,
            [this](QAction *action) { startLabScenario(action->data().toString()); });

    QToolBar *toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setMovable(false);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addAction(m_openAction);
    toolBar->addSeparator();
    auto *labLabel = new QLabel(tr("Lab:"), toolBar);
    labLabel->setContentsMargins(6, 0, 4, 0);
    labLabel->setBuddy(m_labCombo);
    toolBar->addWidget(labLabel);
    toolBar->addWidget(m_labCombo);
    toolBar->addSeparator();
    toolBar->addAction(m_runAction);
    toolBar->addAction(m_watchAction);
    toolBar->addAction(m_exportAction);
}

void MainWindow::createCentralArea()
{
    m_scene = new TopologyScene(this);
    m_topologyView = new TopologyView(this);
    m_topologyView->setObjectName(QStringLiteral("topologyView"));
    m_topologyView->setTopologyScene(m_scene);

    m_verdictLabel = new VerdictLabel(this);

    m_results = new ResultTabs(this);

    auto *lower = new QWidget(this);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(8, 6, 8, 4);
    lowerLayout->addWidget(m_verdictLabel);
    lowerLayout->addWidget(m_results, 1);

    auto *main = new QSplitter(Qt::Vertical, this);
    main->setChildrenCollapsible(false);
    main->addWidget(m_topologyView);
    main->addWidget(lower);
    main->setStretchFactor(0, 2);
    main->setStretchFactor(1, 3);
    main->setSizes({320, 480});
    setCentralWidget(main);

    m_wizard = new WizardPanel(m_engine, this);
    auto *wizardDock = new QDockWidget(tr("Guided diagnosis"), this);
    wizardDock->setObjectName(QStringLiteral("wizardDock"));
    wizardDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                            QDockWidget::DockWidgetClosable);
    wizardDock->setWidget(m_wizard);
    wizardDock->setMinimumWidth(320);
    addDockWidget(Qt::RightDockWidgetArea, wizardDock);
    resizeDocks({wizardDock}, {380}, Qt::Horizontal);
    QAction *wizardToggle = wizardDock->toggleViewAction();
    wizardToggle->setObjectName(QStringLiteral("showWizardAction"));
    wizardToggle->setText(tr("Guided wizard"));
    menuBar()->findChild<QMenu *>(QStringLiteral("diagnosisMenu"))->addAction(wizardToggle);

    m_statusLabel = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("diagnosisProgress"));
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(160);
    m_progress->setTextVisible(false);
    m_progress->hide();
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_progress);
}

void MainWindow::connectEngines()
{
    if (m_engine) {
        connect(m_engine, &DiagnosisEngine::diagnosisStarted, this, &MainWindow::onDiagnosisStarted);
        connect(m_engine, &DiagnosisEngine::evidenceAvailable, this, &MainWindow::onEvidenceAvailable);
        connect(m_engine, &DiagnosisEngine::diagnosisFinished, this, &MainWindow::onDiagnosisFinished);
        connect(m_engine, &DiagnosisEngine::diagnosisFailed, this, &MainWindow::onDiagnosisFailed);
    }
    if (m_lab) {
        connect(m_lab, &Lab::labStarted, this, &MainWindow::onLabStarted);
        connect(m_lab, &Lab::labFailed, this, &MainWindow::onLabFailed);
    }
    if (m_scheduler)
        connect(m_scheduler, &ProbeScheduler::sampleAvailable, this, &MainWindow::onSampleAvailable);
    connect(m_wizard, &WizardPanel::diagnosisRewalked, this, &MainWindow::onDiagnosisRewalked);
    connect(m_wizard, &WizardPanel::evidenceActivated, this, &MainWindow::selectEvidence);
    connect(m_wizard, &WizardPanel::startOverRequested, this, &MainWindow::runDiagnosis);
}

void MainWindow::setProfile(const Profile &profile)
{
    setWatching(false);
    m_profile = profile;
    m_profileFromLab = false;
    m_hasProfile = true;
    m_hasDiagnosis = false;
    m_diagnosis = Diagnosis();
    m_topology = Topology::fromProfile(profile);
    m_scene->setTopology(m_topology);
    m_results->clearResults();
    m_results->clearLatency();
    m_wizard->clear();
    // Answers describe what users of one deployment see; they do not carry over to another.
    if (m_engine)
        m_engine->setAnswers(QVariantMap());
    const QString name = profile.name.isEmpty() ? tr("unnamed profile") : profile.name;
    setWindowTitle(tr("DocServer Doctor — %1").arg(name));
    showIdleVerdict();
    setIdle(tr("Profile “%1” loaded. Run the diagnosis to probe it.").arg(name));
    updateActions();
    Q_EMIT profileChanged(m_profile);
}

bool MainWindow::openProfile(const QString &path)
{
    const ProfileLoadResult result = loadProfile(path);
    if (!result.ok()) {
        QMessageBox::warning(this, tr("Cannot open profile"), result.error);
        return false;
    }
    if (m_lab && (m_labStarting || m_profileFromLab)) {
        m_labStarting = false;
        m_lab->stop();
    }
    showLabChoice(QString());
    setProfile(result.profile);
    return true;
}

void MainWindow::startLabScenario(const QString &scenarioId)
{
    if (!m_lab || m_diagnosing)
        return;
    showLabChoice(scenarioId);
    m_labStarting = true;
    setWatching(false);
    m_hasProfile = false;
    m_hasDiagnosis = false;
    m_profileFromLab = false;
    showIdleVerdict();
    m_wizard->clear();
    setBusy(tr("Starting lab scenario “%1”…").arg(m_labCombo->currentText()));
    updateActions();
    m_lab->stop();
    m_lab->start(scenarioId);
}

void MainWindow::labScenarioActivated(int index)
{
    const QString id = m_labCombo->itemData(index).toString();
    if (!id.isEmpty())
        startLabScenario(id);
}

void MainWindow::showLabChoice(const QString &scenarioId)
{
    m_labCombo->setCurrentIndex(m_labCombo->findData(scenarioId));
    const QList<QAction *> actions = m_labActions->actions();
    for (QAction *action : actions)
        action->setChecked(!scenarioId.isEmpty() && action->data().toString() == scenarioId);
}

void MainWindow::onLabStarted(const Profile &profile)
{
    if (!m_labStarting)
        return;
    m_labStarting = false;
    setProfile(profile);
    m_profileFromLab = true;
    setIdle(tr("Lab scenario “%1” is running on 127.0.0.1. Run the diagnosis to find what it broke.")
                .arg(m_labCombo->currentText()));
}

void MainWindow::onLabFailed(const QString &reason)
{
    if (!m_labStarting) {
        // The lab behind the current profile died (an nginx exited): say so, keep the results.
        if (m_profileFromLab)
            setIdle(tr("The lab stopped: %1").arg(reason));
        return;
    }
    m_labStarting = false;
    m_verdictLabel->showMessage(
        QStringLiteral("error"),
        QStringLiteral("<b>%1</b> %2").arg(tr("The lab scenario could not start:"), reason.toHtmlEscaped()));
    setIdle(tr("Lab scenario failed to start."));
    updateActions();
}

void MainWindow::runDiagnosis()
{
    if (!m_engine || !m_hasProfile || m_diagnosing)
        return;
    m_diagnosing = true;
    m_hasDiagnosis = false;
    m_topology.resetHealth();
    m_scene->setTopology(m_topology);
    m_results->clearResults();
    m_wizard->clear(tr("Diagnosing… The decision path appears here when the evidence is in."));
    showRunningVerdict();
    setBusy(tr("Diagnosing…"));
    updateActions();
    m_engine->start(m_profile);
}

void MainWindow::onDiagnosisStarted()
{
    m_diagnosing = true;
    updateActions();
}

void MainWindow::onEvidenceAvailable(const Evidence &evidence)
{
    m_topology.applyEvidence(evidence);
    m_scene->setTopology(m_topology);
    m_results->addEvidence(evidence);
    setBusy(tr("Diagnosing… %n evidence item(s) so far", nullptr, m_results->evidenceCount()));
}

void MainWindow::onDiagnosisFinished(const Diagnosis &diagnosis)
{
    m_diagnosing = false;
    showDiagnosis(diagnosis);
    m_wizard->setDiagnosis(diagnosis);
    m_results->addLatency(diagnosis);
    const qint64 ms = diagnosis.started.isValid() && diagnosis.finished.isValid()
                          ? diagnosis.started.msecsTo(diagnosis.finished)
                          : -1;
    setIdle(ms >= 0
                ? tr("Diagnosis finished in %1 s with %n evidence item(s).", nullptr, int(diagnosis.evidence.size()))
                      .arg(double(ms) / 1000.0, 0, 'f', 1)
                : tr("Diagnosis finished."));
    updateActions();
    Q_EMIT diagnosisShown(m_diagnosis);
}

void MainWindow::showDiagnosis(const Diagnosis &diagnosis)
{
    m_diagnosis = diagnosis;
    m_hasDiagnosis = true;
    if (!diagnosis.topology.nodes().isEmpty())
        m_topology = diagnosis.topology;
    m_scene->setTopology(m_topology);
    m_results->showDiagnosis(diagnosis);
    m_verdictLabel->showDiagnosis(diagnosis);
}

void MainWindow::onDiagnosisRewalked(const Diagnosis &diagnosis)
{
    showDiagnosis(diagnosis);
    setIdle(tr("Walked the decision tree again with your answer; nothing was probed again."));
    updateActions();
    Q_EMIT diagnosisShown(m_diagnosis);
}

void MainWindow::selectEvidence(const QString &evidenceId)
{
    m_results->selectEvidence(evidenceId);
}

void MainWindow::onDiagnosisFailed(const QString &reason)
{
    m_diagnosing = false;
    m_wizard->clear(tr("The diagnosis could not complete."));
    m_verdictLabel->showMessage(
        QStringLiteral("error"),
        QStringLiteral("<b>%1</b> %2").arg(tr("The diagnosis could not complete:"), reason.toHtmlEscaped()));
    setIdle(tr("Diagnosis failed."));
    updateActions();
}

bool MainWindow::isWatching() const
{
    return m_scheduler && m_scheduler->isRunning();
}

void MainWindow::setWatching(bool watching)
{
    if (!m_scheduler)
        return;
    watching = watching && m_hasProfile;
    if (watching != m_scheduler->isRunning()) {
        if (watching) {
            m_scheduler->setProbes(scheduledProbesFor(m_profile));
            m_scheduler->start();
            m_results->showLatency();
            setIdle(tr("Watching the deployment: a new latency sample per link every %1 s.")
                        .arg(double(m_scheduler->interval()) / 1000.0, 0, 'g', 3));
        } else {
            m_scheduler->stop();
            flushSamples();
            setIdle(tr("Stopped watching."));
        }
    }
    const QSignalBlocker blocker(m_watchAction);
    m_watchAction->setChecked(watching);
}

void MainWindow::onSampleAvailable(const LinkSample &sample)
{
    if (!m_scheduler->isRunning())
        return;
    if (m_pendingSamples.isEmpty())
        QTimer::singleShot(kSampleBatchMs, this, &MainWindow::flushSamples);
    m_pendingSamples << LinkLatencyModel::fromLinkSample(sample);
}

void MainWindow::flushSamples()
{
    const QList<LatencySample> batch = std::exchange(m_pendingSamples, {});
    m_results->addLatencySamples(batch);
}

bool MainWindow::exportReport(const QString &path, QString *error)
{
    if (!m_hasDiagnosis) {
        if (error)
            *error = tr("there is no diagnosis to export yet");
        return false;
    }
    HtmlReportOptions options;
    options.latencyHistory = m_results->latencySamples();
    if (!path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        return saveHtmlReport(m_diagnosis, path, error, options);
    // The saved diagnosis with its latency history: `docserver-doctor-cli report` turns it into
    // the same HTML elsewhere, `diagnose --compare` compares a later run with it.
    QSaveFile file(path);
    const QByteArray bytes = diagnosisToJsonBytes(m_diagnosis, options.latencyHistory);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = tr("%1: cannot write the diagnosis: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void MainWindow::chooseProfileFile()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open profile"), QString(), tr("Profiles (*.json);;All files (*)"));
    if (!path.isEmpty())
        openProfile(path);
}

void MainWindow::chooseReportFile()
{
    if (!m_hasDiagnosis)
        return;
    const QString suggested = QDir::home().filePath(
        QStringLiteral("docserver-doctor-report-%1.html").arg(QDate::currentDate().toString(Qt::ISODate)));
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export report"), suggested,
                                     tr("HTML reports (*.html);;Saved diagnosis with latency history (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportReport(path, &error)) {
        QMessageBox::warning(this, tr("Cannot export report"), error);
        return;
    }
    setIdle(tr("Report written to %1").arg(QDir::toNativeSeparators(path)));
}

void MainWindow::updateActions()
{
    const bool busy = m_diagnosing || m_labStarting;
    m_runAction->setEnabled(m_engine && m_hasProfile && !busy);
    m_exportAction->setEnabled(m_hasDiagnosis && !m_diagnosing);
    m_openAction->setEnabled(!m_diagnosing);
    m_labCombo->setEnabled(m_lab && !busy && m_labCombo->count() > 0);
    m_labMenu->setEnabled(m_lab && !busy && !m_labActions->actions().isEmpty());
    m_watchAction->setEnabled(m_scheduler && m_hasProfile && !m_labStarting);
}

void MainWindow::setBusy(const QString &message)
{
    m_statusLabel->setText(message);
    m_progress->show();
}

void MainWindow::setIdle(const QString &message)
{
    m_statusLabel->setText(message);
    m_progress->hide();
}

void MainWindow::showIdleVerdict()
{
    m_verdictLabel->showMessage(QStringLiteral("none"),
                                (m_hasProfile
                                     ? tr("No diagnosis yet. Press “Run diagnosis” to probe the deployment.")
                                     : tr("No diagnosis yet. Choose a lab scenario or open a profile, then run the "
                                          "diagnosis."))
                                    .toHtmlEscaped());
}

void MainWindow::showRunningVerdict()
{
    m_verdictLabel->showMessage(
        QStringLiteral("running"),
        QStringLiteral("<b>%1</b> %2").arg(tr("Diagnosing…"), tr("The topology fills in as evidence arrives.")));
}

} // namespace dd
