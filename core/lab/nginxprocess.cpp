#include "lab/nginxprocess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QTcpSocket>
#include <QTimer>

#include <csignal>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

namespace dd {

namespace {

constexpr int ReadinessIntervalMs = 50;
constexpr int TerminateTimeoutMs = 5000;
constexpr int KillTimeoutMs = 2000;
constexpr qsizetype MaxOutputBytes = 8192;
constexpr int TailLines = 4;

// Children of `pid` (nginx's workers), from /proc, so they can be killed if the master must be.
QList<qint64> childProcesses(qint64 pid)
{
    QList<qint64> children;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 candidate = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields.at(1).toLongLong() == pid)
            children.append(candidate);
    }
    return children;
}

QStringList nonEmptyLines(const QString &text)
{
    QStringList lines;
    const QStringList all = text.split(QLatin1Char('\n'));
    for (const QString &line : all) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty() && (lines.isEmpty() || lines.last() != trimmed))
            lines.append(trimmed);
    }
    return lines;
}

} // namespace

NginxProcess::NginxProcess(QObject *parent)
    : QObject(parent), m_program(defaultProgram()), m_readinessTimer(new QTimer(this)), m_probe(new QTcpSocket(this))
{
    m_readinessTimer->setInterval(ReadinessIntervalMs);
    connect(m_readinessTimer, &QTimer::timeout, this, &NginxProcess::checkReadiness);
    connect(m_probe, &QTcpSocket::connected, this, [this] {
        m_probe->abort();
        if (m_state != State::Starting)
            return;
        m_readinessTimer->stop();
        m_state = State::Running;
        Q_EMIT started();
    });
    connect(m_probe, &QTcpSocket::errorOccurred, this, [this] { m_probe->abort(); });
}

NginxProcess::~NginxProcess()
{
    stop();
}

QString NginxProcess::defaultProgram()
{
    const QString fromEnvironment = qEnvironmentVariable("DD_NGINX");
    return fromEnvironment.isEmpty() ? QStringLiteral("/usr/sbin/nginx") : fromEnvironment;
}

void NginxProcess::setProgram(const QString &path)
{
    m_program = path;
}

void NginxProcess::setDirectory(const QString &dir)
{
    m_directory = QDir::cleanPath(QDir(dir).absolutePath());
}

QString NginxProcess::configPath() const
{
    return m_directory + QStringLiteral("/nginx.conf");
}

QString NginxProcess::pidFilePath() const
{
    return m_directory + QStringLiteral("/nginx.pid");
}

void NginxProcess::setErrorLogPath(const QString &path)
{
    m_errorLogPath = path;
}

QString NginxProcess::errorLogPath() const
{
    return m_errorLogPath.isEmpty() ? m_directory + QStringLiteral("/error.log") : m_errorLogPath;
}

bool NginxProcess::writeConfig(const QByteArray &config, QString *error)
{
    if (m_directory.isEmpty()) {
        if (error)
            *error = tr("no directory set for nginx");
        return false;
    }
    QFile file(configPath());
    if (!QDir().mkpath(m_directory) || !file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(config) != config.size()) {
        if (error)
            *error = tr("cannot write %1: %2").arg(configPath(), file.errorString());
        return false;
    }
    return true;
}

void NginxProcess::setPort(quint16 port)
{
    m_port = port;
}

void NginxProcess::setListenAddress(const QHostAddress &address)
{
    m_listenAddress = address;
}

void NginxProcess::setStartTimeout(int ms)
{
    m_startTimeoutMs = ms;
}

qint64 NginxProcess::processId() const
{
    return (m_process && m_state != State::Testing) ? m_process->processId() : 0;
}

QStringList NginxProcess::arguments(bool testOnly) const
{
    QStringList args;
    if (testOnly)
        args << QStringLiteral("-t") << QStringLiteral("-q");
    args << QStringLiteral("-p") << m_directory + QLatin1Char('/') << QStringLiteral("-c") << configPath()
         << QStringLiteral("-e") << errorLogPath() << QStringLiteral("-g")
         << QStringLiteral("daemon off; pid \"%1\";").arg(pidFilePath());
    return args;
}

QProcess *NginxProcess::createProcess()
{
    auto *process = new QProcess(this);
    process->setProcessChannelMode(QProcess::MergedChannels);
    process->setProgram(m_program);
    // If this process dies without stopping nginx (SIGKILL, crash), the kernel stops nginx too.
    // (Strictly: when the thread that started it ends; the lab lives in its owner's thread.)
    process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    connect(process, &QProcess::readyRead, this, [this, process] {
        m_output += process->readAll();
        if (m_output.size() > MaxOutputBytes)
            m_output = m_output.right(MaxOutputBytes);
    });
    connect(process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            onProcessError();
    });
    return process;
}

void NginxProcess::start()
{
    if (m_state != State::Idle) {
        QTimer::singleShot(0, this, [this] { Q_EMIT failed(tr("nginx in %1 is already started").arg(m_directory)); });
        return;
    }
    m_state = State::Testing;
    m_output.clear();
    // Deferred, so that failed() and started() always come after start() has returned.
    QTimer::singleShot(0, this, &NginxProcess::runConfigTest);
}

void NginxProcess::runConfigTest()
{
    if (m_state != State::Testing || m_process)
        return;
    const QFileInfo program(m_program);
    if (!program.exists())
        return fail(tr("nginx not found at %1 (install the nginx package or set DD_NGINX)").arg(m_program));
    if (!program.isFile() || !program.isExecutable())
        return fail(tr("%1 is not an executable program").arg(m_program));
    if (m_directory.isEmpty() || !QFileInfo::exists(configPath()))
        return fail(tr("no nginx config at %1").arg(configPath()));
    if (m_port == 0)
        return fail(tr("no port given for the nginx in %1").arg(m_directory));
    QDir().mkpath(QFileInfo(errorLogPath()).absolutePath());
    if (::geteuid() == 0) {
        // Run as root, nginx's workers run as an unprivileged user and must reach the files in DIR.
        const QFile::Permissions traversable = QFile::ReadOther | QFile::ExeOther | QFile::ReadGroup | QFile::ExeGroup;
        QFile::setPermissions(m_directory, QFile::permissions(m_directory) | traversable);
    }

    m_process = createProcess();
    connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        onTestFinished(status == QProcess::NormalExit ? exitCode : -1);
    });
    m_process->setArguments(arguments(true));
    m_process->start();
}

void NginxProcess::onTestFinished(int exitCode)
{
    if (m_state != State::Testing)
        return;
    if (exitCode != 0)
        return fail(tr("nginx -t rejected %1: %2").arg(configPath(), outputTail()));
    launch();
}

void NginxProcess::launch()
{
    m_process->disconnect(this);
    m_process->deleteLater();
    m_output.clear();
    QFile::remove(pidFilePath());

    m_state = State::Starting;
    m_process = createProcess();
    connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        onMasterFinished(status == QProcess::NormalExit ? exitCode : -1);
    });
    m_process->setArguments(arguments(false));
    m_startClock.start();
    m_process->start();
    m_readinessTimer->start();
}

void NginxProcess::checkReadiness()
{
    if (m_state != State::Starting) {
        m_readinessTimer->stop();
        return;
    }
    if (m_startClock.elapsed() > m_startTimeoutMs) {
        return fail(tr("nginx did not listen on %1:%2 within %3 s: %4")
                        .arg(m_listenAddress.toString())
                        .arg(m_port)
                        .arg(m_startTimeoutMs / 1000.0)
                        .arg(outputTail()));
    }
    if (m_probe->state() != QAbstractSocket::UnconnectedState)
        return;
    // nginx writes its pid file only after it has bound its listening sockets; requiring our own
    // pid there keeps a foreign listener on the same port from passing for this nginx.
    QFile pidFile(pidFilePath());
    if (!pidFile.open(QIODevice::ReadOnly) || pidFile.readAll().trimmed().toLongLong() != m_process->processId())
        return;
    m_probe->connectToHost(m_listenAddress, m_port);
}

void NginxProcess::onMasterFinished(int exitCode)
{
    const QString code = exitCode < 0 ? tr("a signal") : QString::number(exitCode);
    if (m_state == State::Starting) {
        fail(tr("nginx exited (%1) before listening on 127.0.0.1:%2: %3").arg(code).arg(m_port).arg(outputTail()));
    } else if (m_state == State::Running) {
        fail(tr("nginx serving 127.0.0.1:%1 exited unexpectedly (%2): %3").arg(m_port).arg(code, outputTail()));
    }
}

void NginxProcess::onProcessError()
{
    if (m_state == State::Testing || m_state == State::Starting)
        fail(tr("cannot run %1: %2").arg(m_program, m_process ? m_process->errorString() : QString()));
}

void NginxProcess::fail(const QString &reason)
{
    stop();
    Q_EMIT failed(reason);
}

void NginxProcess::stop()
{
    m_readinessTimer->stop();
    m_probe->abort();
    QProcess *process = m_process;
    m_process = nullptr;
    m_state = State::Idle;
    stopProcess(process);
}

void NginxProcess::stopProcess(QProcess *process)
{
    if (!process)
        return;
    // Disconnected first: stopping on purpose is not a failure.
    process->disconnect(this);
    if (process->state() != QProcess::NotRunning) {
        const QList<qint64> workers = childProcesses(process->processId());
        process->terminate(); // SIGTERM: nginx's fast shutdown, the master waits for its workers
        if (!process->waitForFinished(TerminateTimeoutMs)) {
            process->kill();
            process->waitForFinished(KillTimeoutMs);
            for (qint64 worker : workers)
                ::kill(pid_t(worker), SIGKILL);
        }
    }
    process->deleteLater();
}

QString NginxProcess::outputTail() const
{
    QStringList lines = nonEmptyLines(QString::fromLocal8Bit(m_output));
    if (lines.isEmpty()) {
        QFile log(errorLogPath());
        if (log.open(QIODevice::ReadOnly)) {
            if (log.size() > MaxOutputBytes)
                log.seek(log.size() - MaxOutputBytes);
            lines = nonEmptyLines(QString::fromLocal8Bit(log.readAll()));
        }
    }
    if (lines.isEmpty())
        return tr("nginx wrote nothing to stderr or %1").arg(errorLogPath());
    return lines.mid(qMax(qsizetype(0), lines.size() - TailLines)).join(QStringLiteral(" | "));
}

} // namespace dd
