#pragma once

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QString>

class QProcess;
class QTcpSocket;
class QTimer;

namespace dd {

/**
 * One real nginx (Debian's /usr/sbin/nginx) running in the foreground in a directory of its own:
 *
 *   nginx -p DIR/ -c DIR/nginx.conf -e ERROR_LOG -g 'daemon off; pid DIR/nginx.pid;'
 *
 * The config (written with writeConfig()) must keep every other path (temp dirs, access log,
 * error_log) inside DIR and must not set `pid` or `daemon`: this class sets both.
 *
 * start() is asynchronous: it first validates the config with `nginx -t`, then starts nginx and
 * emits started() once nginx has written its pid file and 127.0.0.1:port() accepts connections.
 * It emits failed(reason) when `nginx -t` rejects the config, when nginx cannot be run, exits, or
 * does not listen within startTimeout(); the reason quotes the last lines nginx wrote to stderr or
 * its error log. An exit after started() is reported by failed() as well. stop() terminates nginx
 * (SIGTERM, then SIGKILL after a bound) and waits for it; the destructor calls it.
 */
class NginxProcess : public QObject
{
    Q_OBJECT

public:
    explicit NginxProcess(QObject *parent = nullptr);
    ~NginxProcess() override;

    /// /usr/sbin/nginx, or the value of DD_NGINX when set.
    static QString defaultProgram();

    void setProgram(const QString &path);
    QString program() const { return m_program; }

    void setDirectory(const QString &dir);
    QString directory() const { return m_directory; }
    QString configPath() const;
    QString pidFilePath() const;

    /// Defaults to DIR/error.log. The config's `error_log` should name the same file.
    void setErrorLogPath(const QString &path);
    QString errorLogPath() const;

    /// Writes DIR/nginx.conf (creating DIR). On failure sets `error` and returns false.
    bool writeConfig(const QByteArray &config, QString *error);

    /// The loopback port the config listens on; started() waits for it.
    void setPort(quint16 port);
    /// The address started() waits on (127.0.0.1 unless the config listens elsewhere on loopback).
    void setListenAddress(const QHostAddress &address);
    quint16 port() const { return m_port; }

    void setStartTimeout(int ms);
    int startTimeout() const { return m_startTimeoutMs; }

    void start();
    void stop();

    bool isRunning() const { return m_state == State::Running; }
    /// The master process id while nginx runs, else 0.
    qint64 processId() const;

Q_SIGNALS:
    void started();
    void failed(const QString &reason);

private:
    enum class State { Idle, Testing, Starting, Running, Stopping };

    QStringList arguments(bool testOnly) const;
    QProcess *createProcess();
    void runConfigTest();
    void onTestFinished(int exitCode);
    void launch();
    void onMasterFinished(int exitCode);
    void onProcessError();
    void checkReadiness();
    void fail(const QString &reason);
    void stopProcess(QProcess *process);
    QString outputTail() const;

    QString m_program;
    QString m_directory;
    QString m_errorLogPath;
    quint16 m_port = 0;
    QHostAddress m_listenAddress{QHostAddress::LocalHost};
    int m_startTimeoutMs = 10000;
    State m_state = State::Idle;
    QProcess *m_process = nullptr; ///< `nginx -t` while testing, the master afterwards
    QByteArray m_output;           ///< the tail of what nginx wrote to stdout/stderr
    QTimer *m_readinessTimer = nullptr;
    QTcpSocket *m_probe = nullptr;
    QElapsedTimer m_startClock;
};

} // namespace dd
