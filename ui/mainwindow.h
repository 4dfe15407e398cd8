#pragma once

#include "model/diagnosis.h"
#include "model/profile.h"
#include "model/topology.h"

#include <QList>
#include <QMainWindow>

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QMenu;
class QProgressBar;

namespace dd {

class DiagnosisEngine;
class Lab;
class ProbeScheduler;
class ResultTabs;
struct LatencyHistorySample;
using LatencySample = LatencyHistorySample;
struct LinkSample;
class TopologyScene;
class TopologyView;
class VerdictLabel;
class WizardPanel;

/**
 * The workbench: the topology of the deployment under test, the verdict, the ranked findings,
 * the evidence, per-link latency charts and the guided wizard. The engines are created by the
 * caller and handed in; the window only drives them and shows what they report.
 */
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    /// `lab` may be null: the lab scenario chooser and the Lab menu are then disabled.
    /// `scheduler` may be null: Watch (continuous probing for the latency charts) is then disabled.
    MainWindow(DiagnosisEngine *engine, Lab *lab, ProbeScheduler *scheduler = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// The lab scenario the workbench opens when started without a profile.
    static QString defaultLabScenario();

    bool hasProfile() const { return m_hasProfile; }
    const Profile &profile() const { return m_profile; }
    bool hasDiagnosis() const { return m_hasDiagnosis; }
    const Diagnosis &diagnosis() const { return m_diagnosis; }
    bool isDiagnosing() const { return m_diagnosing; }
    bool isWatching() const;

    /// Writes the HTML report of the last diagnosis; false with a one-line `error` otherwise.
    bool exportReport(const QString &path, QString *error);

public Q_SLOTS:
    void setProfile(const dd::Profile &profile);
    /// Loads a profile file; on failure shows the reason and returns false.
    bool openProfile(const QString &path);
    /// Starts a Fault Lab scenario; the window takes its profile when the lab is up.
    void startLabScenario(const QString &scenarioId);
    void runDiagnosis();
    /// Continuous probing of the current profile's links; the latency charts follow live.
    void setWatching(bool watching);

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
    void showLabChoice(const QString &scenarioId);

    void showDiagnosis(const Diagnosis &diagnosis);
    void onDiagnosisRewalked(const dd::Diagnosis &diagnosis);
    void selectEvidence(const QString &evidenceId);

    void onLabStarted(const dd::Profile &profile);
    void onLabFailed(const QString &reason);
    void onDiagnosisStarted();
    void onEvidenceAvailable(const dd::Evidence &evidence);
    void onDiagnosisFinished(const dd::Diagnosis &diagnosis);
    void onDiagnosisFailed(const QString &reason);
    void onSampleAvailable(const dd::LinkSample &sample);
    void flushSamples();

    void updateActions();
    void setBusy(const QString &message);
    void setIdle(const QString &message);
    void showIdleVerdict();
    void showRunningVerdict();

    DiagnosisEngine *m_engine;
    Lab *m_lab;
    ProbeScheduler *m_scheduler;

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
    QAction *m_watchAction = nullptr;
    QComboBox *m_labCombo = nullptr;
    QMenu *m_labMenu = nullptr;
    QActionGroup *m_labActions = nullptr;
    TopologyScene *m_scene = nullptr;
    TopologyView *m_topologyView = nullptr;
    VerdictLabel *m_verdictLabel = nullptr;
    ResultTabs *m_results = nullptr;
    WizardPanel *m_wizard = nullptr;
    QList<LatencySample> m_pendingSamples; ///< live samples waiting for the next batch insert
    QLabel *m_statusLabel = nullptr;
    QProgressBar *m_progress = nullptr;
};

} // namespace dd
