#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>

class QProcess;
class QTcpSocket;
class QTimer;

namespace dd {

/// One command a ServerProcess runs: before the server (preparation) or after it (cleanup).
struct ServerCommand
{
    QString program;
    QStringList arguments;
    int uid = -1; ///< run as this user (and `gid`) when started as root; -1 keeps ours
    int gid = -1;
};

/**
 * A real server from Debian's packages (PostgreSQL, Redis, RabbitMQ) run in the foreground for the
 * lab or a test: preparation commands first (e.g. initdb), each must exit 0; then the server,
 * which counts as started once 127.0.0.1:port() accepts connections. started() or failed(reason)
 * follow start(); failed() also reports an exit after start. stop() sends SIGTERM (SIGKILL after a
 * bound), waits, then runs the cleanup commands (e.g. stopping epmd); the destructor calls it. If
 * this process dies, the kernel sends the server SIGTERM (PR_SET_PDEATHSIG).
 */
class ServerProcess : public QObject
{
    Q_OBJECT

public:
    explicit ServerProcess(const QString &name, QObject *parent = nullptr);
    ~ServerProcess() override;

    QString name() const { return m_name; }
    void setPreparation(const QList<ServerCommand> &commands);
    void setCommand(const ServerCommand &command);
    void setCleanup(const QList<ServerCommand> &commands);
    /// Run once the port accepts connections, again until it exits 0 (e.g. pg_isready): some
    /// servers accept before they serve.
    void setReadyCommand(const ServerCommand &command);
    void setEnvironment(const QProcessEnvironment &environment);
    void setPort(quint16 port);
    quint16 port() const { return m_port; }
    void setStartTimeout(int ms);
    /// A file whose tail explains a failure (the server's log); stdout/stderr are used as well.
    void setLogFile(const QString &path);

    void start();
    void stop();
    bool isRunning() const { return m_state == State::Running; }
    qint64 processId() const;

Q_SIGNALS:
    void started();
    void failed(const QString &reason);

private:
    enum class State { Idle, Preparing, Starting, Running };

    QProcess *createProcess(const ServerCommand &command);
    void runNextPreparation();
    void launch();
    void checkReadiness();
    void becomeRunning();
    void fail(const QString &reason);
    QString outputTail() const;

    QString m_name;
    QList<ServerCommand> m_preparation;
    ServerCommand m_command;
    ServerCommand m_readyCommand;
    QProcess *m_readyProcess = nullptr;
    QList<ServerCommand> m_cleanup;
    QProcessEnvironment m_environment = QProcessEnvironment::systemEnvironment();
    quint16 m_port = 0;
    int m_startTimeoutMs = 30000;
    QString m_logFile;
    State m_state = State::Idle;
    int m_nextPreparation = 0;
    QProcess *m_process = nullptr;
    QByteArray m_output;
    QTimer *m_readinessTimer = nullptr;
    QTcpSocket *m_probe = nullptr;
    QElapsedTimer m_clock;
};

} // namespace dd
