#pragma once

#include "model/profile.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>

class QTemporaryDir;

namespace dd {

class BlackholeListener;
class DnsResponder;
class DsSimulator;
class HttpServer;
class NginxProcess;
class ServerProcess;
struct LabScenarioSpec;

/// One Fault Lab scenario (resources/lab/scenarios.json). `id` is a cause id, or "healthy".
struct LabScenario
{
    QString id;
    QString title;
    QString description;
    QString expectedCause;  ///< the cause a diagnosis should rank first; empty for "healthy"
    QStringList components; ///< what the lab starts for it ("front proxy nginx", "PostgreSQL", ...)
};

/**
 * The Fault Lab: reproduces one failure on loopback with real servers (nginx as the front proxy,
 * as Document Server's own nginx and as the integrator's storage; PostgreSQL, Redis or RabbitMQ
 * where a scenario needs them) and the docservice simulator, all in a temporary directory, and
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
    /// The document the integrator hands to docservice (ConvertService `url`), when the scenario has storage.
    QUrl documentUrl() const { return m_documentUrl; }
    /// The key of the open document whose "info" command makes docservice call back, when the scenario has one.
    QString callbackDocumentKey() const { return m_callbackKey; }

    /// The nginx master processes of the lab while it runs (front proxy first).
    QList<qint64> nginxProcessIds() const;
    /// Every server process of the lab (nginx masters, PostgreSQL, Redis, RabbitMQ) while it runs.
    QList<qint64> serverProcessIds() const;

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
    using Step = std::function<void()>;

    void setUp();
    bool prepareFiles(QString *error);
    void runNextStep();
    void startServer(ServerProcess *server);
    void startDependencies();
    void startStorage();
    void startLocalServers();
    void startDocservice();
    void startDsNginx();
    void startFrontProxy();
    void finishStart();
    /// Opens the callback document in an editor through the public URL, as a browser does, and
    /// saves it (forcesave), so that the integrator has fetched (or failed to fetch) the result.
    void saveThroughTheEditor();
    void fail(const QString &reason);
    void shutdown();
    NginxProcess *createNginx(const QString &dir, const QString &errorLog, quint16 port, const QString &which);

    // labconfigs.cpp: what the lab writes
    bool renderDsNginx(const QString &dir, const QString &errorLog, QByteArray *config, QString *error) const;
    bool renderFrontProxy(const QString &dir, const QString &errorLog, QByteArray *config, QString *error) const;
    bool renderFrontApache(const QString &dir, const QString &errorLog, QByteArray *config, QString *error) const;
    bool renderStorage(const QString &dir, const QString &errorLog, QByteArray *config, QString *error) const;
    bool writeStaticFiles(const QString &root, QString *error) const;
    bool writeDsLocalJson(QString *error) const;
    Profile buildProfile() const;

    State m_state = State::Idle;
    int m_generation = 0; ///< bumped by every start and stop, so a deferred step of an old run does nothing
    QString m_scenarioId;
    std::unique_ptr<Plan> m_plan;
    std::unique_ptr<QTemporaryDir> m_dir;
    QList<Step> m_steps;
    DsSimulator *m_simulator = nullptr;
    DsSimulator *m_secondWorker = nullptr; ///< a second docservice behind DS's nginx, when the scenario has one
    DnsResponder *m_dns = nullptr;
    NginxProcess *m_dsNginx = nullptr;
    NginxProcess *m_frontProxy = nullptr;
    NginxProcess *m_storage = nullptr;
    ServerProcess *m_apache = nullptr; ///< the front proxy when the scenario's is Apache
    QList<ServerProcess *> m_servers;
    QList<HttpServer *> m_httpServers;
    std::unique_ptr<BlackholeListener> m_blackhole;
    std::unique_ptr<BlackholeListener> m_storageBlackhole;
    QString m_dsNginxError; ///< why DS's nginx did not start, when the scenario breaks it on purpose
    Profile m_profile;
    QUrl m_documentUrl;
    QString m_callbackKey;
    bool m_saved = false; ///< the editor session's save has reached the integrator
    QString m_nginxProgram;
    int m_startTimeoutMs = 10000;
};

} // namespace dd
