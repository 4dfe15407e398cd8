#pragma once

#include "model/diagnosis.h"
#include "model/profile.h"
#include "model/topology.h"

#include <QMainWindow>

class QAction;
class QComboBox;
class QLabel;
class QProgressBar;
class QTableView;

namespace dd {

class DiagnosisEngine;
class EvidenceModel;
class FindingsModel;
class Lab;
class TopologyScene;
class TopologyView;

/**
 * The workbench's first window: the topology of the deployment under test, the verdict,
 * the ranked findings and the evidence. The engines are created by the caller and handed in;
 * the window only drives them and shows what they report.
 */
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    /// `lab` may be null: the lab scenario chooser is then disabled.
    MainWindow(DiagnosisEngine *engine, Lab *lab, QWidget *parent = nullptr);
    ~MainWindow() override;

    bool hasProfile() const { return m_hasProfile; }
    const Profile &profile() const { return m_profile; }
    bool hasDiagnosis() const { return m_hasDiagnosis; }
    const Diagnosis &diagnosis() const { return m_diagnosis; }
    bool isDiagnosing() const { return m_diagnosing; }

    /// Writes the HTML report of the last diagnosis; false with a one-line `error` otherwise.
    bool exportReport(const QString &path, QString *error);

public Q_SLOTS:
    void setProfile(const dd::Profile &profile);
    /// Loads a profile file; on failure shows the reason and returns false.
    bool openProfile(const QString &path);
    /// Starts a Fault Lab scenario; the window takes its profile when the lab is up.
    void startLabScenario(const QString &scenarioId);
    void runDiagnosis();

Q_SIGNALS:
    void profileChanged(const dd::Profile &profile);
    void diagnosisShown(const dd::Diagnosis &diagnosis);

private:
    void createActions();
    void createCentralArea();
    void connectEngines();

    void chooseProfileFile();
    void chooseReportFile();
    void labScenarioActivated(int index);

    void onLabStarted(const dd::Profile &profile);
    void onLabFailed(const QString &reason);
    void onDiagnosisStarted();
    void onEvidenceAvailable(const dd::Evidence &evidence);
    void onDiagnosisFinished(const dd::Diagnosis &diagnosis);
    void onDiagnosisFailed(const QString &reason);

    void updateActions();
    void setBusy(const QString &message);
    void setIdle(const QString &message);
    void showIdleVerdict();
    void showRunningVerdict();
    void showVerdict(const Diagnosis &diagnosis);
    void showVerdictMessage(const QString &status, const QString &html);

    DiagnosisEngine *m_engine;
    Lab *m_lab;

    Profile m_profile;
    bool m_hasProfile = false;
    Topology m_topology;
    Diagnosis m_diagnosis;
    bool m_hasDiagnosis = false;
    bool m_diagnosing = false;
    bool m_labStarting = false;
    bool m_profileFromLab = false;

    QAction *m_openAction = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_exportAction = nullptr;
    QComboBox *m_labCombo = nullptr;
    TopologyScene *m_scene = nullptr;
    TopologyView *m_topologyView = nullptr;
    QLabel *m_verdictLabel = nullptr;
    FindingsModel *m_findings = nullptr;
    EvidenceModel *m_evidence = nullptr;
    QTableView *m_findingsView = nullptr;
    QTableView *m_evidenceView = nullptr;
    QLabel *m_statusLabel = nullptr;
    QProgressBar *m_progress = nullptr;
};

} // namespace dd
