#include "probecliutil.h"

#include "probe/probeevidence.h"
#include "probe/tcpprobe.h"
#include "util/hostport.h"

#include <QJsonArray>
#include <QTextStream>

using namespace probecli;

int runProbeTcp(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("probe tcp HOST:PORT - checks that a TCP port accepts connections. Every address HOST\n"
                       "resolves to is tried, in parallel; no data is sent.\n") +
        QLatin1String(exitHelp));
    parser.addPositionalArgument(QStringLiteral("tcp"), QStringLiteral("The probe kind."), QStringLiteral("tcp"));
    parser.addPositionalArgument(QStringLiteral("HOST:PORT"),
                                 QStringLiteral("What to connect to ([::1]:80 for IPv6)."));
    parser.addOption({QStringLiteral("timeout"), QStringLiteral("Per address, and for the lookup (default 3000)."),
                      QStringLiteral("MS")});
    QString given;
    int exitCode = 0;
    if (!parseProbeCommandLine(parser, args, QStringLiteral("tcp"), QStringLiteral("HOST:PORT"), &given, &exitCode))
        return exitCode;
    dd::HostPort target;
    QString error;
    if (!dd::parseHostPort(given, &target, &error)) {
        printError(QStringLiteral("probe tcp: ") + error);
        return ExitCode::Usage;
    }
    int timeoutMs = 0;
    if (!intOption(parser, QStringLiteral("timeout"), 3000, &timeoutMs))
        return ExitCode::Usage;

    const dd::TcpProbeResult result = runToEnd<dd::TcpProbe, dd::TcpProbeResult>(
        [&](dd::TcpProbe &probe) { probe.start(target.host, target.port, timeoutMs); });
    const bool healthy = result.outcome == dd::ProbeOutcome::Ok;

    if (wantsJson(parser)) {
        QJsonArray attempts;
        for (const dd::TcpAttempt &attempt : result.attempts) {
            attempts.append(QJsonObject{{QStringLiteral("address"), attempt.address},
                                        {QStringLiteral("outcome"), dd::probeOutcomeName(attempt.outcome)},
                                        {QStringLiteral("connect_ms"), msJson(attempt.connectMs)},
                                        {QStringLiteral("error"), errorJson(attempt.error)}});
        }
        const QJsonObject json{
            {QStringLiteral("schema"), QStringLiteral("docserver-doctor.probe.tcp/1")},
            {QStringLiteral("kind"), QStringLiteral("tcp")},
            {QStringLiteral("host"), result.host},
            {QStringLiteral("port"), int(result.port)},
            {QStringLiteral("outcome"), dd::probeOutcomeName(result.outcome)},
            {QStringLiteral("healthy"), healthy},
            {QStringLiteral("error"), errorJson(result.error)},
            {QStringLiteral("timings_ms"), QJsonObject{{QStringLiteral("dns"), msJson(result.dnsMs)},
                                                       {QStringLiteral("connect"), msJson(result.connectMs)}}},
            {QStringLiteral("attempts"), attempts}};
        if (!emitJson(parser, json))
            return ExitCode::Incomplete;
        return exitCodeFor(result.outcome, healthy);
    }

    QTextStream out(stdout);
    out << dd::tcpEvidence(result).summary << '\n';
    if (!result.error.isEmpty())
        out << "error: " << result.error << '\n';
    out << "  dns       " << dd::formatMs(result.dnsMs) << '\n';
    for (const dd::TcpAttempt &attempt : result.attempts) {
        out << "  " << dd::formatHostPort(attempt.address, result.port).leftJustified(24) << ' '
            << dd::probeOutcomeName(attempt.outcome).leftJustified(12) << ' ' << dd::formatMs(attempt.connectMs)
            << '\n';
    }
    return exitCodeFor(result.outcome, healthy);
}
