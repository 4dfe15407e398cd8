#include "cliutil.h"
#include "commands.h"

#include "lab/lab.h"
#include "model/profile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTextStream>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr int DownTimeoutMs = 20000;

void printLabUsage(QTextStream &out)
{
    out << "Usage: docserver-doctor-cli lab list [--json [FILE]]\n"
           "       docserver-doctor-cli lab up SCENARIO [--profile-out FILE] [--state-dir DIR]\n"
           "       docserver-doctor-cli lab down [--state-dir DIR]\n\n"
           "The Fault Lab reproduces a failure on 127.0.0.1 with real nginx processes and a Document\n"
           "Server simulator. 'up' runs in the foreground until Ctrl+C, SIGTERM or 'lab down', and\n"
           "writes a profile that 'diagnose --profile FILE' can follow.\n";
}

QCommandLineOption stateDirOption()
{
    return QCommandLineOption(QStringLiteral("state-dir"),
                              QStringLiteral("Where 'lab up' keeps its pid file (default $XDG_RUNTIME_DIR/"
                                             "docserver-doctor-lab or /tmp/docserver-doctor-lab-UID)."),
                              QStringLiteral("DIR"));
}

QString defaultStateDir()
{
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty())
        return runtime + QStringLiteral("/docserver-doctor-lab");
    return QStringLiteral("/tmp/docserver-doctor-lab-%1").arg(::getuid());
}

// Creates the state directory, private to this user (it may sit in the shared /tmp).
bool prepareStateDir(const QString &dir, QString *error)
{
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("cannot create state directory %1").arg(dir);
        return false;
    }
    const QFileInfo info(dir);
    if (!info.isDir() || info.isSymLink() || info.ownerId() != ::geteuid()) {
        *error = QStringLiteral("state directory %1 is not a directory owned by this user").arg(dir);
        return false;
    }
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return true;
}

QString pidFilePath(const QString &stateDir)
{
    return stateDir + QStringLiteral("/lab.pid");
}

qint64 readPidFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    bool ok = false;
    const qint64 pid = file.readLine().trimmed().toLongLong(&ok);
    return ok && pid > 0 ? pid : 0;
}

// Whether `pid` is a live (not zombie) `docserver-doctor-cli lab up`, so a stale pid file never
// makes 'lab down' signal an unrelated process that reused the pid.
bool isLabUpProcess(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray statText = stat.readAll();
    if (statText.mid(statText.lastIndexOf(')') + 2).startsWith('Z'))
        return false;
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!cmdline.open(QIODevice::ReadOnly))
        return false;
    const QList<QByteArray> argv = cmdline.readAll().split('\0');
    return argv.size() >= 3 &&
           QFileInfo(QString::fromLocal8Bit(argv.at(0))).fileName().startsWith(QLatin1String("docserver-doctor")) &&
           argv.contains("lab") && argv.contains("up");
}

int listCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Lists the Fault Lab scenarios."));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write JSON to stdout (or --json FILE)."));
    const QCommandLineOption jsonFileOpt(QStringLiteral("json-file"), QStringLiteral("Write JSON to FILE."),
                                         QStringLiteral("FILE"));
    parser.addOptions({jsonOpt, jsonFileOpt});
    int exitCode = ExitCode::Healthy;
    if (!parseArguments(parser, foldOptionalJsonValue(args), &exitCode))
        return exitCode;
    if (!parser.positionalArguments().isEmpty()) {
        printError(QStringLiteral("'lab list' takes no argument, got '%1'").arg(parser.positionalArguments().first()));
        return ExitCode::Usage;
    }
    const QList<dd::LabScenario> scenarios = dd::Lab::scenarios();
    if (scenarios.isEmpty()) {
        printError(QStringLiteral("no lab scenarios could be loaded"));
        return ExitCode::Incomplete;
    }
    if (parser.isSet(jsonOpt) || parser.isSet(jsonFileOpt)) {
        QJsonArray list;
        for (const dd::LabScenario &s : scenarios) {
            list.append(QJsonObject{{QStringLiteral("id"), s.id},
                                    {QStringLiteral("title"), s.title},
                                    {QStringLiteral("description"), s.description},
                                    {QStringLiteral("starts"), QJsonArray::fromStringList(s.components)},
                                    {QStringLiteral("expectedCause"),
                                     s.expectedCause.isEmpty() ? QJsonValue() : QJsonValue(s.expectedCause)}});
        }
        const QJsonObject root{{QStringLiteral("schema"), 1}, {QStringLiteral("scenarios"), list}};
        return writeJsonOutput(QJsonDocument(root).toJson(QJsonDocument::Indented), parser.value(jsonFileOpt))
                   ? ExitCode::Healthy
                   : ExitCode::Usage;
    }
    QTextStream out(stdout);
    qsizetype width = 0;
    for (const dd::LabScenario &s : scenarios)
        width = qMax(width, s.id.size());
    const QString indent(width + 1, QLatin1Char(' '));
    for (const dd::LabScenario &s : scenarios) {
        out << s.id.leftJustified(width) << ' ' << s.title << '\n';
        out << indent
            << "expected cause: " << (s.expectedCause.isEmpty() ? QStringLiteral("none (healthy)") : s.expectedCause)
            << '\n';
        out << indent << "starts: " << s.components.join(QStringLiteral(", ")) << '\n';
    }
    return ExitCode::Healthy;
}

// SIGINT/SIGTERM are turned into a byte on a socket pair that the event loop watches, so the lab
// is stopped (and its nginx processes with it) from normal code, not from a signal handler.
int signalFds[2] = {-1, -1};

void onStopSignal(int)
{
    const char byte = 1;
    if (::write(signalFds[1], &byte, 1) < 0) {
        // Nothing to do in a signal handler; the next signal tries again.
    }
}

class StopSignals
{
public:
    bool install(QString *error)
    {
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, signalFds) != 0) {
            *error =
                QStringLiteral("cannot create a socket pair: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
        struct sigaction action = {};
        action.sa_handler = onStopSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        ::sigaction(SIGINT, &action, &m_oldInt);
        ::sigaction(SIGTERM, &action, &m_oldTerm);
        ::sigaction(SIGHUP, &action, &m_oldHup);
        return true;
    }
    ~StopSignals()
    {
        if (signalFds[0] < 0)
            return;
        ::sigaction(SIGINT, &m_oldInt, nullptr);
        ::sigaction(SIGTERM, &m_oldTerm, nullptr);
        ::sigaction(SIGHUP, &m_oldHup, nullptr);
        ::close(signalFds[0]);
        ::close(signalFds[1]);
        signalFds[0] = signalFds[1] = -1;
    }

private:
    struct sigaction m_oldInt = {};
    struct sigaction m_oldTerm = {};
    struct sigaction m_oldHup = {};
};

void printLabUp(const dd::Lab &lab, const dd::Profile &profile, const QString &profilePath, const QString &stateDir,
                QTextStream &out)
{
    QString title;
    QString expectedCause;
    const QList<dd::LabScenario> scenarios = dd::Lab::scenarios();
    for (const dd::LabScenario &s : scenarios) {
        if (s.id == lab.scenarioId()) {
            title = s.title;
            expectedCause = s.expectedCause;
        }
    }
    out << "Fault Lab scenario '" << lab.scenarioId() << "' is up: " << title << '\n';
    out << "  profile:        " << profilePath << '\n';
    out << "  public URL:     " << profile.publicUrl.toString() << "  (front proxy nginx)\n";
    out << "  docserver URL:  " << profile.docserverUrl.toString() << '\n';
    if (!lab.documentUrl().isEmpty())
        out << "  document URL:   " << lab.documentUrl().toString() << "  (the integrator's storage)\n";
    if (!profile.jwtSecretFile.isEmpty())
        out << "  JWT secret:     in " << profile.jwtSecretFile << " (header " << profile.jwtHeader << ")\n";
    if (profile.hasDocservice())
        out << "  docservice:     " << profile.docserviceHost << ':' << profile.docservicePort << '\n';
    for (const QString &log : profile.logFiles)
        out << "  log:            " << log << '\n';
    out << "  expected cause: " << (expectedCause.isEmpty() ? QStringLiteral("none (healthy)") : expectedCause)
        << "\n\nTry:  docserver-doctor-cli diagnose --profile " << profilePath
        << "\nStop: Ctrl+C, or docserver-doctor-cli lab down --state-dir " << stateDir << Qt::endl;
}

int upCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Starts a Fault Lab scenario on 127.0.0.1 and keeps it up until Ctrl+C, SIGTERM or 'lab down'."));
    parser.addPositionalArgument(QStringLiteral("SCENARIO"), QStringLiteral("A scenario id from 'lab list'."),
                                 QStringLiteral("lab up SCENARIO"));
    const QCommandLineOption profileOpt(QStringLiteral("profile-out"),
                                        QStringLiteral("Write the lab's profile to FILE (default: inside the lab's "
                                                       "directory, removed when the lab stops)."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption stateOpt = stateDirOption();
    parser.addOptions({profileOpt, stateOpt});
    int exitCode = ExitCode::Healthy;
    if (!parseArguments(parser, args, &exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        printError(QStringLiteral("'lab up' needs exactly one SCENARIO (see 'lab list')"));
        return ExitCode::Usage;
    }
    const QString scenarioId = parser.positionalArguments().first();
    if (!dd::Lab::hasScenario(scenarioId)) {
        printError(QStringLiteral("unknown lab scenario '%1' (see 'lab list')").arg(scenarioId));
        return ExitCode::Usage;
    }

    const QString stateDir = parser.isSet(stateOpt) ? parser.value(stateOpt) : defaultStateDir();
    QString error;
    if (!prepareStateDir(stateDir, &error)) {
        printError(error);
        return ExitCode::Incomplete;
    }
    const QString pidPath = pidFilePath(stateDir);
    const qint64 runningPid = readPidFile(pidPath);
    if (runningPid != 0 && isLabUpProcess(runningPid)) {
        printError(QStringLiteral("a lab is already running (pid %1); stop it with 'docserver-doctor-cli lab down "
                                  "--state-dir %2'")
                       .arg(runningPid)
                       .arg(stateDir));
        return ExitCode::Incomplete;
    }
    QFile pidFile(pidPath);
    if (!pidFile.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        pidFile.write(QByteArray::number(QCoreApplication::applicationPid()) + '\n' + scenarioId.toUtf8() + '\n') < 0) {
        printError(QStringLiteral("cannot write %1: %2").arg(pidPath, pidFile.errorString()));
        return ExitCode::Incomplete;
    }
    pidFile.close();

    StopSignals stopSignals;
    if (!stopSignals.install(&error)) {
        QFile::remove(pidPath);
        printError(error);
        return ExitCode::Incomplete;
    }

    dd::Lab lab;
    QSocketNotifier notifier(signalFds[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &lab, [&lab] {
        char buffer[16];
        if (::read(signalFds[0], buffer, sizeof buffer) < 0) {
            // The notifier fires again if a byte is still there.
        }
        lab.stop();
        QTextStream(stdout) << "Fault Lab stopped." << Qt::endl;
        QCoreApplication::exit(ExitCode::Healthy);
    });
    QObject::connect(&lab, &dd::Lab::labFailed, &lab, [&exitCode, &scenarioId](const QString &reason) {
        printError(QStringLiteral("lab scenario '%1' failed: %2").arg(scenarioId, reason));
        exitCode = ExitCode::Incomplete;
        QCoreApplication::exit(exitCode);
    });
    const QString profileOut = parser.value(profileOpt);
    QObject::connect(
        &lab, &dd::Lab::labStarted, &lab, [&lab, &exitCode, &profileOut, &stateDir](const dd::Profile &profile) {
            const QString path =
                profileOut.isEmpty() ? QDir(lab.workDir()).filePath(QStringLiteral("profile.json")) : profileOut;
            QFile file(path);
            const QByteArray json = dd::profileToJson(profile);
            if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(json) != json.size()) {
                printError(QStringLiteral("cannot write the profile to %1: %2").arg(path, file.errorString()));
                lab.stop();
                exitCode = ExitCode::Incomplete;
                QCoreApplication::exit(exitCode);
                return;
            }
            QTextStream out(stdout);
            printLabUp(lab, profile, path, stateDir, out);
        });

    lab.start(scenarioId);
    const int loopResult = QCoreApplication::exec();
    lab.stop();
    if (readPidFile(pidPath) == QCoreApplication::applicationPid())
        QFile::remove(pidPath);
    return exitCode != ExitCode::Healthy ? exitCode : loopResult;
}

int downCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Stops the lab that 'lab up' runs, and waits until it has stopped."));
    const QCommandLineOption stateOpt = stateDirOption();
    parser.addOption(stateOpt);
    int exitCode = ExitCode::Healthy;
    if (!parseArguments(parser, args, &exitCode))
        return exitCode;
    if (!parser.positionalArguments().isEmpty()) {
        printError(QStringLiteral("'lab down' takes no argument, got '%1'").arg(parser.positionalArguments().first()));
        return ExitCode::Usage;
    }
    const QString stateDir = parser.isSet(stateOpt) ? parser.value(stateOpt) : defaultStateDir();
    const QString pidPath = pidFilePath(stateDir);
    QTextStream out(stdout);
    const qint64 pid = readPidFile(pidPath);
    if (pid == 0 || !isLabUpProcess(pid)) {
        if (QFile::exists(pidPath))
            QFile::remove(pidPath);
        out << "No lab is running (state directory " << stateDir << ")." << Qt::endl;
        return ExitCode::Healthy;
    }
    if (::kill(pid_t(pid), SIGTERM) != 0) {
        printError(QStringLiteral("cannot stop the lab (pid %1): %2")
                       .arg(pid)
                       .arg(QString::fromLocal8Bit(std::strerror(errno))));
        return ExitCode::Incomplete;
    }
    // 'lab up' stops its nginx processes before it exits, so its exit means the lab is down.
    for (int waited = 0; isLabUpProcess(pid); waited += 100) {
        if (waited >= DownTimeoutMs) {
            printError(QStringLiteral("the lab (pid %1) did not stop within %2 s").arg(pid).arg(DownTimeoutMs / 1000));
            return ExitCode::Incomplete;
        }
        QThread::msleep(100);
    }
    out << "Stopped the lab (pid " << pid << ")." << Qt::endl;
    return ExitCode::Healthy;
}

} // namespace

int runLabCommand(const QStringList &args)
{
    const QString sub = args.value(1);
    if (sub.isEmpty() || sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        QTextStream out(sub.isEmpty() ? stderr : stdout);
        printLabUsage(out);
        return sub.isEmpty() ? ExitCode::Usage : ExitCode::Healthy;
    }
    const QStringList rest = args.mid(1); // rest[0] is the sub-command, as a parser's program name
    if (sub == QLatin1String("list"))
        return listCommand(rest);
    if (sub == QLatin1String("up"))
        return upCommand(rest);
    if (sub == QLatin1String("down"))
        return downCommand(rest);
    printError(QStringLiteral("unknown lab command '%1' (list, up, down)").arg(sub));
    return ExitCode::Usage;
}
