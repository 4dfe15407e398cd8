#include "mainwindow.h"

#include "charts/latencychartpanel.h"
#include "diagnosis/diagnosisengine.h"
#include "evidencemodel.h"
#include "findingsmodel.h"
#include "lab/lab.h"
#include "linklatencymodel.h"
#include "report/htmlreport.h"
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
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace dd {

namespace {

QTableView *createTableView(QAbstractItemModel *model, const QString &objectName, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(objectName);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setWordWrap(true);
    view->setShowGrid(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    return view;
}

} // namespace

MainWindow::MainWindow(DiagnosisEngine *engine, Lab *lab, QWidget *parent)
    : QMainWindow(parent)
    , m_engine(engine)
    , m_lab(lab)
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
    fileMenu->addAction(m_exportAction);
    fileMenu->addSeparator();
    fileMenu->addAction(quitAction);
    QMenu *diagnosisMenu = menuBar()->addMenu(tr("&Diagnosis"));
    diagnosisMenu->setObjectName(QStringLiteral("diagnosisMenu"));
    diagnosisMenu->addAction(m_runAction);

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
    toolBar->addAction(m_exportAction);
}

void MainWindow::createCentralArea()
{
    m_scene = new TopologyScene(this);
    m_topologyView = new TopologyView(this);
    m_topologyView->setObjectName(QStringLiteral("topologyView"));
    m_topologyView->setTopologyScene(m_scene);

    m_verdictLabel = new VerdictLabel(this);

    m_findings = new FindingsModel(this);
    m_findingsView = createTableView(m_findings, QStringLiteral("findingsView"), this);
    QHeaderView *findingsHeader = m_findingsView->horizontalHeader();
    findingsHeader->setSectionResizeMode(QHeaderView::ResizeToContents);
    findingsHeader->setSectionResizeMode(FindingsModel::CauseColumn, QHeaderView::Interactive);
    findingsHeader->resizeSection(FindingsModel::CauseColumn, 200);
    findingsHeader->setSectionResizeMode(FindingsModel::FixColumn, QHeaderView::Stretch);
    m_findingsView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    m_evidence = new EvidenceModel(this);
    m_evidenceView = createTableView(m_evidence, QStringLiteral("evidenceView"), this);
    QHeaderView *evidenceHeader = m_evidenceView->horizontalHeader();
    evidenceHeader->setSectionResizeMode(QHeaderView::ResizeToContents);
    evidenceHeader->setSectionResizeMode(EvidenceModel::SummaryColumn, QHeaderView::Stretch);

    auto *findingsBox = new QWidget(this);
    auto *findingsLayout = new QVBoxLayout(findingsBox);
    findingsLayout->setContentsMargins(0, 0, 0, 0);
    findingsLayout->setSpacing(2);
    findingsLayout->addWidget(new QLabel(QStringLiteral("<b>%1</b> — %2").arg(tr("Findings"), tr("most likely cause first")), findingsBox));
    findingsLayout->addWidget(m_findingsView);

    auto *evidenceBox = new QWidget(this);
    auto *evidenceLayout = new QVBoxLayout(evidenceBox);
    evidenceLayout->setContentsMargins(0, 0, 0, 0);
    evidenceLayout->setSpacing(2);
    evidenceLayout->addWidget(new QLabel(QStringLiteral("<b>%1</b> — %2").arg(tr("Evidence"), tr("what was observed")), evidenceBox));
    evidenceLayout->addWidget(m_evidenceView);

    auto *tables = new QSplitter(Qt::Horizontal, this);
    tables->setChildrenCollapsible(false);
    tables->addWidget(findingsBox);
    tables->addWidget(evidenceBox);
    tables->setSizes({700, 540});

    m_latency = new LinkLatencyModel(this);
    m_latencyPanel = new LatencyChartPanel(m_latency, this);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("resultTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(tables, tr("Findings and evidence"));
    m_tabs->addTab(m_latencyPanel, tr("Latency"));

    auto *lower = new QWidget(this);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(8, 6, 8, 4);
    lowerLayout->addWidget(m_verdictLabel);
    lowerLayout->addWidget(m_tabs, 1);

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
    connect(m_wizard, &WizardPanel::diagnosisRewalked, this, &MainWindow::onDiagnosisRewalked);
    connect(m_wizard, &WizardPanel::evidenceActivated, this, &MainWindow::selectEvidence);
    connect(m_wizard, &WizardPanel::startOverRequested, this, &MainWindow::runDiagnosis);
}

void MainWindow::setProfile(const Profile &profile)
{
    m_profile = profile;
    m_profileFromLab = false;
    m_hasProfile = true;
    m_hasDiagnosis = false;
    m_diagnosis = Diagnosis();
    m_topology = Topology::fromProfile(profile);
    m_scene->setTopology(m_topology);
    m_findings->clear();
    m_evidence->clear();
    m_latency->clear();
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
    m_verdictLabel->showMessage(QStringLiteral("error"), QStringLiteral("<b>%1</b> %2")
                                                             .arg(tr("The lab scenario could not start:"),
                                                                  reason.toHtmlEscaped()));
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
    m_findings->clear();
    m_evidence->clear();
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
    m_evidence->addEvidence(evidence);
    m_evidenceView->scrollToBottom();
    setBusy(tr("Diagnosing… %n evidence item(s) so far", nullptr, int(m_evidence->rowCount())));
}

void MainWindow::onDiagnosisFinished(const Diagnosis &diagnosis)
{
    m_diagnosing = false;
    showDiagnosis(diagnosis);
    m_wizard->setDiagnosis(diagnosis);
    m_latency->addDiagnosis(diagnosis);
    const qint64 ms = diagnosis.started.isValid() && diagnosis.finished.isValid()
                          ? diagnosis.started.msecsTo(diagnosis.finished)
                          : -1;
    setIdle(ms >= 0 ? tr("Diagnosis finished in %1 s with %n evidence item(s).", nullptr,
                         int(diagnosis.evidence.size()))
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
    m_findings->setCauses(diagnosis.causes);
    m_evidence->setEvidence(diagnosis.evidence);
    // Wrapped rows only now: resizing to contents on every live insert would cost O(rows) each time.
    m_evidenceView->resizeRowsToContents();
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
    for (int row = 0; row < m_evidence->rowCount(); ++row) {
        const QModelIndex index = m_evidence->index(row, EvidenceModel::SummaryColumn);
        if (index.data(EvidenceModel::EvidenceIdRole).toString() != evidenceId)
            continue;
        m_tabs->setCurrentIndex(0);
        m_evidenceView->selectRow(row);
        m_evidenceView->scrollTo(index, QAbstractItemView::PositionAtCenter);
        return;
    }
}

void MainWindow::onDiagnosisFailed(const QString &reason)
{
    m_diagnosing = false;
    m_wizard->clear(tr("The diagnosis could not complete."));
    m_verdictLabel->showMessage(QStringLiteral("error"), QStringLiteral("<b>%1</b> %2")
                                                             .arg(tr("The diagnosis could not complete:"),
                                                                  reason.toHtmlEscaped()));
    setIdle(tr("Diagnosis failed."));
    updateActions();
}

bool MainWindow::exportReport(const QString &path, QString *error)
{
    if (!m_hasDiagnosis) {
        if (error)
            *error = tr("there is no diagnosis to export yet");
        return false;
    }
    return saveHtmlReport(m_diagnosis, path, error);
}

void MainWindow::chooseProfileFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open profile"), QString(),
                                                      tr("Profiles (*.json);;All files (*)"));
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
        QFileDialog::getSaveFileName(this, tr("Export report"), suggested, tr("HTML reports (*.html)"));
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
                       (m_hasProfile ? tr("No diagnosis yet. Press “Run diagnosis” to probe the deployment.")
                                     : tr("No diagnosis yet. Choose a lab scenario or open a profile, then run the "
                                          "diagnosis."))
                           .toHtmlEscaped());
}

void MainWindow::showRunningVerdict()
{
    m_verdictLabel->showMessage(QStringLiteral("running"),
                       QStringLiteral("<b>%1</b> %2")
                           .arg(tr("Diagnosing…"), tr("The topology fills in as evidence arrives.")));
}

} // namespace dd
