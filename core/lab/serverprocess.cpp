#include "lab/serverprocess.h"

#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QTcpSocket>
#include <QTimer>

#include <csignal>
#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace dd {

namespace {

constexpr int ReadinessIntervalMs = 100;
constexpr int TerminateTimeoutMs = 15000;
constexpr int CleanupTimeoutMs = 10000;
constexpr qsizetype MaxOutputBytes = 8192;

QString tail(const QByteArray &text, int lines)
{
    QStringList all = QString::fromLocal8Bit(text).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    all = all.mid(qMax(qsizetype(0), all.size() - lines));
    for (QString &line : all)
        line = line.trimmed();
    return all.join(QStringLiteral(" | "));
}

} // namespace

ServerProcess::ServerProcess(const QString &name, QObject *parent)
    : QObject(parent), m_name(name), m_readinessTimer(new QTimer(this)), m_probe(new QTcpSocket(this))
{
    m_readinessTimer->setInterval(ReadinessIntervalMs);
    connect(m_readinessTimer, &QTimer::timeout, this, &ServerProcess::checkReadiness);
    connect(m_probe, &QTcpSocket::connected, this, [this] {
        m_probe->abort();
        if (m_state != State::Starting)
            return;
        if (!m_readyCommand.program.isEmpty()) {
            if (m_readyProcess)
                return;
            m_readyProcess = new QProcess(this);
            m_readyProcess->setProcessChannelMode(QProcess::MergedChannels);
            connect(m_readyProcess, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
                m_readyProcess->deleteLater();
                m_readyProcess = nullptr;
                if (m_state == State::Starting && status == QProcess::NormalExit && exitCode == 0)
                    becomeRunning();
            });
            m_readyProcess->start(m_readyCommand.program, m_readyCommand.arguments);
            return;
        }
        becomeRunning();
    });
    connect(m_probe, &QTcpSocket::errorOccurred, this, [this] { m_probe->abort(); });
}

ServerProcess::~ServerProcess()
{
    stop();
}

void ServerProcess::setPreparation(const QList<ServerCommand> &commands)
{
    m_preparation = commands;
}

void ServerProcess::setCommand(const ServerCommand &command)
{
    m_command = command;
}

void ServerProcess::setCleanup(const QList<ServerCommand> &commands)
{
    m_cleanup = commands;
}

void ServerProcess::setReadyCommand(const ServerCommand &command)
{
    m_readyCommand = command;
}

void ServerProcess::setEnvironment(const QProcessEnvironment &environment)
{
    m_environment = environment;
}

void ServerProcess::setPort(quint16 port)
{
    m_port = port;
}

void ServerProcess::setStartTimeout(int ms)
{
    m_startTimeoutMs = ms;
}

void ServerProcess::setLogFile(const QString &path)
{
    m_logFile = path;
}

qint64 ServerProcess::processId() const
{
    return m_process && m_state != State::Preparing ? m_process->processId() : 0;
}

QProcess *ServerProcess::createProcess(const ServerCommand &command)
{
    auto *process = new QProcess(this);
    process->setProcessChannelMode(QProcess::MergedChannels);
    process->setProgram(command.program);
    process->setArguments(command.arguments);
    process->setProcessEnvironment(m_environment);
    // Dropping to another user in the child, not through runuser: the server stays our direct
    // child, so stop() reaps it and nothing is left to an init that may not reap orphans.
    const int uid = command.uid;
    const int gid = command.gid;
    process->setChildProcessModifier([uid, gid] {
        if (gid >= 0 && uid >= 0 && ::getuid() == 0) {
            if (::setgroups(0, nullptr) != 0 || ::setgid(gid_t(gid)) != 0 || ::setuid(uid_t(uid)) != 0)
                ::_exit(126);
        }
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    });
    connect(process, &QProcess::readyRead, this, [this, process] {
        m_output += process->readAll();
        if (m_output.size() > MaxOutputBytes)
            m_output = m_output.right(MaxOutputBytes);
    });
    return process;
}

void ServerProcess::start()
{
    if (m_state != State::Idle)
        return;
    m_state = State::Preparing;
    m_nextPreparation = 0;
    m_output.clear();
    QTimer::singleShot(0, this, &ServerProcess::runNextPreparation);
}

void ServerProcess::runNextPreparation()
{
    if (m_state != State::Preparing)
        return;
    if (m_nextPreparation >= m_preparation.size())
        return launch();
    const ServerCommand command = m_preparation.at(m_nextPreparation++);
    m_process = createProcess(command);
    connect(m_process, &QProcess::finished, this, [this, command](int exitCode, QProcess::ExitStatus status) {
        if (m_state != State::Preparing)
            return;
        m_process->deleteLater();
        m_process = nullptr;
        if (status != QProcess::NormalExit || exitCode != 0)
            return fail(
                tr("%1: %2 failed (exit %3): %4").arg(m_name, command.program).arg(exitCode).arg(tail(m_output, 3)));
        runNextPreparation();
    });
    connect(m_process, &QProcess::errorOccurred, this, [this, command](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && m_state == State::Preparing)
            fail(tr("%1: cannot run %2 (is the package installed?)").arg(m_name, command.program));
    });
    m_process->start();
}

void ServerProcess::launch()
{
    m_state = State::Starting;
    m_output.clear();
    m_process = createProcess(m_command);
    connect(m_process, &QProcess::finished, this, [this](int exitCode) {
        if (m_state == State::Starting || m_state == State::Running)
            fail(tr("%1 exited (%2): %3").arg(m_name).arg(exitCode).arg(outputTail()));
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && m_state == State::Starting)
            fail(tr("%1: cannot run %2 (is the package installed?)").arg(m_name, m_command.program));
    });
    m_clock.start();
    m_process->start();
    m_readinessTimer->start();
}

void ServerProcess::checkReadiness()
{
    if (m_state != State::Starting)
        return m_readinessTimer->stop();
    if (m_clock.elapsed() > m_startTimeoutMs)
        return fail(tr("%1 did not listen on 127.0.0.1:%2 within %3 s: %4")
                        .arg(m_name)
                        .arg(m_port)
                        .arg(m_startTimeoutMs / 1000)
                        .arg(outputTail()));
    if (m_probe->state() == QAbstractSocket::UnconnectedState && !m_readyProcess)
        m_probe->connectToHost(QHostAddress::LocalHost, m_port);
}

void ServerProcess::becomeRunning()
{
    m_readinessTimer->stop();
    m_state = State::Running;
    Q_EMIT started();
}

void ServerProcess::fail(const QString &reason)
{
    stop();
    Q_EMIT failed(reason);
}

void ServerProcess::stop()
{
    m_readinessTimer->stop();
    m_probe->abort();
    if (m_readyProcess) {
        m_readyProcess->disconnect(this);
        m_readyProcess->kill();
        m_readyProcess->waitForFinished(1000);
        m_readyProcess->deleteLater();
        m_readyProcess = nullptr;
    }
    const bool ran = m_state == State::Starting || m_state == State::Running;
    m_state = State::Idle;
    if (QProcess *process = m_process) {
        m_process = nullptr;
        process->disconnect(this);
        if (process->state() != QProcess::NotRunning) {
            process->terminate();
            if (!process->waitForFinished(TerminateTimeoutMs)) {
                process->kill();
                process->waitForFinished(2000);
            }
        }
        process->deleteLater();
    }
    if (!ran)
        return;
    for (const ServerCommand &command : std::as_const(m_cleanup)) {
        QProcess cleanup;
        cleanup.setProcessEnvironment(m_environment);
        cleanup.setProcessChannelMode(QProcess::MergedChannels);
        cleanup.start(command.program, command.arguments);
        if (!cleanup.waitForFinished(CleanupTimeoutMs))
            cleanup.kill();
        cleanup.waitForFinished(1000);
    }
}

QString ServerProcess::outputTail() const
{
    QString text = tail(m_output, 3);
    if (text.isEmpty() && !m_logFile.isEmpty()) {
        QFile log(m_logFile);
        if (log.open(QIODevice::ReadOnly)) {
            if (log.size() > MaxOutputBytes)
                log.seek(log.size() - MaxOutputBytes);
            text = tail(log.readAll(), 3);
        }
    }
    return text.isEmpty() ? tr("no output") : text;
}

} // namespace dd
