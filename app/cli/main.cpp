#include "cliutil.h"
#include "commands.h"

#include <QByteArrayView>
#include <QCoreApplication>
#include <QTextStream>

namespace {

struct Command
{
    const char *name;
    int (*run)(const QStringList &);
    const char *summary;
};

const Command commands[] = {
    {"diagnose", runDiagnoseCommand, "find which hop fails and why; text, JSON and HTML report"},
    {"probe", runProbeCommand, "run one active check (tcp, http, ...)"},
    {"logs", runLogsCommand, "classify or follow logs against the failure catalog"},
    {"lint", runLintCommand, "check nginx, Apache and Document Server configuration"},
    {"capture", runCaptureCommand, "analyze packet captures: failing exchanges, TCP outcomes"},
    {"report", runReportCommand, "render a saved diagnosis (JSON) as HTML or Prometheus metrics"},
    {"lab", runLabCommand, "Fault Lab: reproduce failures on loopback with real servers"},
    {"secret", runSecretCommand, "store, check or delete a JWT secret in the system keychain"},
};

void printUsage(QTextStream &out)
{
    out << "Usage: docserver-doctor-cli COMMAND [options]\n\n"
           "Finds which hop of an ONLYOFFICE Document Server deployment answers 502/503/504, why,\n"
           "and what to change.\n\nCommands:\n";
    for (const Command &c : commands)
        out << "  " << QString::fromLatin1(c.name).leftJustified(10) << c.summary << '\n';
    out << "\n'docserver-doctor-cli COMMAND --help' describes each command.\n"
           "Exit codes: 0 no problem found, 1 problem found, 2 bad usage or unreadable input,\n"
           "3 could not complete.\n";
}

// The system keychain (libsecret) answers through GLib's main loop, so the commands that may read
// it run on Qt's GLib event dispatcher. The others run on Qt's own: its socket notifiers cost less
// per event, which shows in the probes' phase timings (tests/bench/probe_vs_curl.sh).
bool mayUseKeychain(int argc, char **argv)
{
    if (argc < 2)
        return false;
    const QByteArrayView command(argv[1]);
    if (command == "secret" || command == "diagnose")
        return true;
    for (int i = 2; i < argc; ++i) {
        if (QByteArrayView(argv[i]).startsWith("--jwt-secret-keychain"))
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    if (!mayUseKeychain(argc, argv) && qEnvironmentVariableIsEmpty("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("docserver-doctor-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DD_VERSION));

    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h")) {
        QTextStream out(stdout);
        printUsage(out);
        return args.size() < 2 ? ExitCode::Usage : ExitCode::Healthy;
    }
    if (args.at(1) == QLatin1String("--version")) {
        QTextStream(stdout) << "docserver-doctor-cli " << QCoreApplication::applicationVersion() << '\n';
        return ExitCode::Healthy;
    }
    for (const Command &c : commands) {
        if (args.at(1) == QLatin1String(c.name))
            return c.run(args.mid(1));
    }
    printError(QStringLiteral("unknown command '%1' (see --help)").arg(args.at(1)));
    return ExitCode::Usage;
}
