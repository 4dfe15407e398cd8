#pragma once

#include "model/profile.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>

class QTemporaryDir;

namespace dd {

class DsSimulator;
class NginxProcess;

/// One Fault Lab scenario (resources/lab/scenarios.json). `id` is a cause id, or "healthy".
struct LabScenario
{
    QString id;
    QString title;
    QString description;
    QString expectedCause; ///< the cause a diagnosis should rank first; empty for "healthy"
};

/**
 * The Fault Lab: reproduces one failure on 127.0.0.1 with real nginx processes (a front proxy and
 * Document Server's own nginx) and the docservice simulator, all in a temporary directory, and
 * describes the result as a Profile that `diagnose` can follow.
 *
 * start() is asynchronous and ends in labStarted() or labFailed(); starting while a lab runs stops
 * that one first. stop() is synchronous and idempotent (every process stopped, the directory
 * removed) and the destructor calls it. labFailed() also means everything was stopped; it is
 * emitted as well when a running lab's nginx exits on its own. Directories left behind by a lab
 * whose process was killed outright are removed by the next start.
 */
class Lab : public QObject
{
    Q_OBJECT

public:
    explicit Lab(QObject *parent = nullptr);
    ~Lab() override;

    /// The scenarios shipped in the resources, in catalog order.
    static QList<LabScenario> scenarios();
    /// Whether `id` names a shipped scenario.
    static bool hasScenario(const QString &id);

    void start(const QString &scenarioId);
    void stop();

    bool isRunning() const { return m_state == State::Running; }
    bool isStarting() const { return m_state == State::Starting; }
    QString scenarioId() const { return m_scenarioId; }
    QString workDir() const;
    /// Valid after labStarted().
    Profile profile() const { return m_profile; }

    /// The nginx master processes of the lab while it runs (front proxy first).
    QList<qint64> nginxProcessIds() const;

    /// The nginx binary to run; defaults to NginxProcess::defaultProgram().
    void setNginxProgram(const QString &path);
    /// Bound for each nginx to listen; a slower start fails the lab.
    void setStartTimeout(int ms);

Q_SIGNALS:
    void labStarted(const dd::Profile &profile);
    void labFailed(const QString &reason);
    void labStopped();

private:
    enum class State { Idle, Starting, Running };
    struct Plan;

    void setUp();
    void startFrontProxy();
    void fail(const QString &reason);
    void shutdown();
    bool startDsNginx(QString *error);
    bool writeStaticFiles(const QString &root, QString *error) const;
    NginxProcess *createNginx(const QString &dir, const QString &errorLog, quint16 port, const QString &which);
    Profile buildProfile() const;

    State m_state = State::Idle;
    int m_generation = 0; ///< bumped by every start and stop, so a deferred step of an old run does nothing
    QString m_scenarioId;
    std::unique_ptr<Plan> m_plan;
    std::unique_ptr<QTemporaryDir> m_dir;
    DsSimulator *m_simulator = nullptr;
    NginxProcess *m_dsNginx = nullptr;
    NginxProcess *m_frontProxy = nullptr;
    Profile m_profile;
    QString m_nginxProgram;
    int m_startTimeoutMs = 10000;
};

} // namespace dd
