#include "cliutil.h"
#include "commands.h"

#include "capture/bpffilter.h"
#include "capture/captureengine.h"
#include "capture/capturejson.h"
#include "capture/packetdecoder.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTextStream>

#include <algorithm>
#include <csignal>
#include <functional>
#include <unistd.h>

namespace {

const QString helperName = QStringLiteral("docserver-doctor-capture");
constexpr int maxListed = 20;

QString helperPath()
{
    const QString fromEnv = qEnvironmentVariable("DD_CAPTURE_HELPER");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QString beside = QCoreApplication::applicationDirPath() + QLatin1Char('/') + helperName;
    if (QFileInfo(beside).isExecutable())
        return beside;
    return QStandardPaths::findExecutable(helperName);
}

QString counts(const QList<std::pair<QString, qint64>> &items)
{
    QStringList parts;
    for (const auto &item : items) {
        if (item.second > 0)
            parts << QStringLiteral("%1 %2").arg(item.first).arg(item.second);
    }
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "));
}

void printAnalysis(const dd::CaptureAnalysis &a, QTextStream &out)
{
    QStringList links;
    for (int t : a.linkTypes)
        links << dd::linkTypeName(t);
    out << "Capture: " << a.source << " (" << dd::captureFormatName(a.format)
        << (links.isEmpty() ? QString() : QStringLiteral(", ") + links.join(QStringLiteral(", "))) << ")\n";
    out << "Packets: " << a.packets << " (" << a.tcpPackets << " TCP, " << a.otherPackets << " other, "
        << a.undecodedPackets << " undecoded";
    if (a.filteredPackets > 0)
        out << ", " << a.filteredPackets << " filtered out";
    out << ")";
    if (a.firstNs >= 0)
        out << " over " << dd::formatCaptureDuration(a.lastNs - a.firstNs) << " from "
            << dd::formatCaptureTime(a.firstNs) << " UTC";
    out << "\nFlows: " << a.conversations.size() + a.untrackedConversations << " TCP conversations\n";

    QList<std::pair<QString, qint64>> outcomes;
    qint64 retransmissions = 0;
    qint64 zeroWindows = 0;
    QList<double> rtts;
    for (const dd::TcpConversation &c : a.conversations) {
        retransmissions += c.retransmissions[0] + c.retransmissions[1];
        zeroWindows += c.zeroWindows[0] + c.zeroWindows[1];
        if (c.handshakeRttMs() >= 0)
            rtts << c.handshakeRttMs();
    }
    for (dd::TcpOutcome o : {dd::TcpOutcome::Closed, dd::TcpOutcome::Open, dd::TcpOutcome::Refused,
                             dd::TcpOutcome::Unanswered, dd::TcpOutcome::ResetAfterData, dd::TcpOutcome::Reset,
                             dd::TcpOutcome::ClosedBeforeResponse, dd::TcpOutcome::AbandonedBeforeResponse})
        outcomes << std::make_pair(dd::tcpOutcomeName(o), a.outcomeCount(o));
    out << "TCP outcomes: " << counts(outcomes) << '\n';
    out << "  retransmissions " << retransmissions << ", zero windows " << zeroWindows;
    if (!rtts.isEmpty()) {
        std::sort(rtts.begin(), rtts.end());
        out << ", handshake RTT median " << dd::formatCaptureDuration(qint64(rtts.at(rtts.size() / 2) * 1e6))
            << " (" << rtts.size() << " handshakes)";
    }
    out << '\n';

    QList<std::pair<QString, qint64>> statuses;
    for (auto it = a.statusCounts.cbegin(); it != a.statusCounts.cend(); ++it)
        statuses << std::make_pair(QString::number(it.key()) + QLatin1Char(':'), it.value());
    out << "HTTP: " << a.httpRequests << " requests, " << a.httpResponses << " responses, " << a.unansweredRequests
        << " unanswered; status " << counts(statuses) << '\n';
    if (a.websocketRequests > 0)
        out << "WebSocket: " << a.websocketRequests << " upgrade requests, " << a.websocketUpgrades
            << " answered 101\n";
    if (!a.tls.isEmpty()) {
        out << "TLS: " << a.tls.size() << " handshakes\n";
        int listed = 0;
        for (const dd::TlsSession &t : a.tls) {
            if (t.alerts.isEmpty() && a.conversations.at(t.conversation).schemeMismatch == dd::SchemeMismatch::None)
                continue;
            if (listed++ >= maxListed)
                break;
            QStringList alerts;
            for (const dd::TlsAlert &alert : t.alerts)
                alerts << QStringLiteral("%1 from %2").arg(alert.text(), dd::tcpSideName(alert.from));
            out << "  " << a.conversations.at(t.conversation).label() << " SNI "
                << (t.sni.isEmpty() ? QStringLiteral("-") : t.sni) << ", offered "
                << t.offeredVersions.join(QLatin1Char('/')) << ", server "
                << (t.serverVersion.isEmpty() ? QStringLiteral("-") : t.serverVersion);
            if (!alerts.isEmpty())
                out << "; alerts: " << alerts.join(QStringLiteral(", "));
            out << '\n';
        }
    }
    if (!a.notes.isEmpty()) {
        out << "Dependencies and protocol notes:\n";
        for (qsizetype i = 0; i < a.notes.size() && i < maxListed; ++i) {
            const dd::ProtocolNote &n = a.notes.at(i);
            out << "  " << (n.isError ? "! " : "  ") << a.conversations.at(n.conversation).server.toString() << ' '
                << n.text << '\n';
        }
    }
    out << "Failing exchanges: " << a.failing.size() << '\n';
    for (qsizetype i = 0; i < a.failing.size() && i < maxListed; ++i) {
        const dd::FailingExchange &f = a.failing.at(i);
        out << "  " << (i + 1) << ". [" << (f.cause.isEmpty() ? QStringLiteral("cause not decided") : f.cause)
            << "] " << f.text() << '\n';
    }
    if (a.failing.size() > maxListed)
        out << "  ... " << a.failing.size() - maxListed << " more (see --json)\n";
    QStringList problems;
    for (const dd::TcpConversation &c : a.conversations) {
        if (!c.isFailure())
            continue;
        QString line = c.label() + QStringLiteral("  ") + dd::tcpOutcomeName(c.outcome);
        if (c.outcome == dd::TcpOutcome::Unanswered)
            line += QStringLiteral(" (%1 SYNs)").arg(c.synCount);
        if (c.schemeMismatch != dd::SchemeMismatch::None)
            line += QStringLiteral(" (") + dd::schemeMismatchName(c.schemeMismatch) + QLatin1Char(')');
        line += QStringLiteral(" at ") + dd::formatCaptureTime(c.firstNs);
        problems << line;
    }
    if (!problems.isEmpty()) {
        out << "Failed conversations: " << problems.size() << '\n';
        for (qsizetype i = 0; i < problems.size() && i < maxListed; ++i)
            out << "  " << problems.at(i) << '\n';
    }
    if (!a.warnings.isEmpty()) {
        out << "Warnings:\n";
        for (const dd::CaptureWarning &w : a.warnings)
            out << "  " << w.kind << " (x" << w.count << "): " << w.message << '\n';
    }
}

/// Runs the engine until it finishes; returns the exit code and prints the result. A failure
/// (nothing readable) goes to `failed`, which prints it.
int report(dd::CaptureEngine &engine, bool json, const QString &jsonFile, bool all, const std::function<void()> &start,
           const std::function<void(const QString &)> &failed)
{
    int code = ExitCode::Incomplete;
    dd::CaptureAnalysis result;
    bool done = false;
    QObject context;
    QObject::connect(&engine, &dd::CaptureEngine::analysisFinished, &context, [&](const dd::CaptureAnalysis &a) {
        result = a;
        done = true;
        QCoreApplication::exit(0);
    });
    QObject::connect(&engine, &dd::CaptureEngine::analysisFailed, &context, [&](const QString &error) {
        failed(error);
        code = ExitCode::Usage;
        QCoreApplication::exit(0);
    });
    if (::isatty(2)) {
        QObject::connect(&engine, &dd::CaptureEngine::analysisProgressed, &context,
                         [](qint64 bytes, qint64 total, qint64 packets) {
                             QTextStream err(stderr);
                             err << "\r" << packets << " packets, " << bytes / (1024 * 1024) << " MiB";
                             if (total > 0)
                                 err << " of " << total / (1024 * 1024) << " MiB";
                             err << "   " << Qt::flush;
                         });
    }
    start();
    QCoreApplication::exec();
    if (::isatty(2))
        QTextStream(stderr) << "\r" << QString(60, QLatin1Char(' ')) << "\r" << Qt::flush;
    if (!done)
        return code;
    if (json || !jsonFile.isEmpty()) {
        dd::CaptureJsonOptions options;
        options.allConversations = all;
        if (!writeJsonOutput(QJsonDocument(dd::captureAnalysisToJson(result, options)).toJson(QJsonDocument::Indented),
                             jsonFile))
            return ExitCode::Incomplete;
    }
    if (!json) {
        QTextStream out(stdout);
        printAnalysis(result, out);
    }
    return result.hasProblems() ? ExitCode::Problem : ExitCode::Healthy;
}

int runAnalyze(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Reads a pcap or pcapng capture (FILE, or - for standard input, e.g. from\n"
                       "`ssh HOST tcpdump -U -w - 'tcp port 80'`) and prints packets, TCP conversations and their\n"
                       "outcomes (refused, unanswered SYN, reset after data, closed before response), HTTP status\n"
                       "counts and the failing exchanges: each 5xx a proxy sent with the upstream connections it\n"
                       "opened around it and what happened to them. Times are UTC.\n"
                       "Exit code: 0 nothing wrong seen, 1 problems seen, 2 unreadable input."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Capture file, or - for standard input."));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write JSON to stdout (or --json FILE.json)."));
    const QCommandLineOption jsonFileOpt(QStringLiteral("json-file"), QStringLiteral("Write JSON to FILE."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption filterOpt(QStringLiteral("filter"),
                                       QStringLiteral("Analyze only packets matching a BPF filter (tcpdump syntax)."),
                                       QStringLiteral("BPF"));
    const QCommandLineOption allOpt(QStringLiteral("all"),
                                    QStringLiteral("JSON: list every conversation and exchange (up to 1000 each)."));
    QCommandLineOption readerOpt(QStringLiteral("reader"), QStringLiteral("builtin or libpcap (measurements)."),
                                 QStringLiteral("READER"), QStringLiteral("builtin"));
    readerOpt.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({jsonOpt, jsonFileOpt, filterOpt, allOpt, readerOpt});
    int exitCode = ExitCode::Healthy;
    if (!parseArguments(parser, foldOptionalJsonValue(args, JsonFileWord::NamedJson), &exitCode))
        return exitCode;
    const QStringList files = parser.positionalArguments();
    if (files.size() != 1) {
        printError(QStringLiteral("capture analyze needs exactly one FILE (or -) (see --help)"));
        return ExitCode::Usage;
    }
    const QString reader = parser.value(readerOpt);
    if (reader != QLatin1String("builtin") && reader != QLatin1String("libpcap")) {
        printError(QStringLiteral("unknown --reader '%1' (builtin or libpcap)").arg(reader));
        return ExitCode::Usage;
    }
    dd::CaptureOptions options;
    options.filter = parser.value(filterOpt);
    options.useLibpcap = reader == QLatin1String("libpcap");
    QString error;
    if (!options.filter.isEmpty() && !dd::BpfFilter::check(options.filter, &error)) {
        printError(error);
        return ExitCode::Usage;
    }
    dd::CaptureEngine engine;
    engine.setOptions(options);
    const QString file = files.constFirst();
    // `ssh host tcpdump -U -w - | ... capture analyze -`: Ctrl-C stops the writer, the pipe ends,
    // and what was captured is analyzed and printed instead of being lost with this process.
    if (file == QLatin1String("-"))
        std::signal(SIGINT, SIG_IGN);
    return report(engine, parser.isSet(jsonOpt), parser.value(jsonFileOpt), parser.isSet(allOpt),
                  [&] { engine.analyzeFile(file); }, [](const QString &reason) { printError(reason); });
}

int runLive(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Captures live traffic with the privileged helper (%1, which needs CAP_NET_RAW)\n"
                       "and analyzes its pcap stream as `capture analyze` does. Ctrl-C stops the capture and prints\n"
                       "the analysis. Exit code: 0 nothing wrong seen, 1 problems seen, 2 bad usage,\n"
                       "3 the capture could not run.")
            .arg(helperName));
    const QCommandLineOption ifaceOpt(QStringLiteral("iface"), QStringLiteral("Interface (see capture interfaces)."),
                                      QStringLiteral("IF"));
    const QCommandLineOption filterOpt(QStringLiteral("filter"), QStringLiteral("BPF capture filter."),
                                       QStringLiteral("BPF"));
    const QCommandLineOption durationOpt(QStringLiteral("duration"), QStringLiteral("Stop after S seconds."),
                                         QStringLiteral("S"));
    const QCommandLineOption countOpt(QStringLiteral("count"), QStringLiteral("Stop after N packets."),
                                      QStringLiteral("N"));
    const QCommandLineOption writeOpt(QStringLiteral("write"), QStringLiteral("Also save the pcap stream to FILE."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write JSON to stdout."));
    const QCommandLineOption jsonFileOpt(QStringLiteral("json-file"), QStringLiteral("Write JSON to FILE."),
                                         QStringLiteral("FILE"));
    parser.addOptions({ifaceOpt, filterOpt, durationOpt, countOpt, writeOpt, jsonOpt, jsonFileOpt});
    int exitCode = ExitCode::Healthy;
    if (!parseArguments(parser, args, &exitCode))
        return exitCode;
    if (!parser.isSet(ifaceOpt) || !parser.isSet(filterOpt)) {
        printError(QStringLiteral("capture live needs --iface IF and --filter BPF (see --help)"));
        return ExitCode::Usage;
    }
    QString error;
    if (!dd::BpfFilter::check(parser.value(filterOpt), &error)) {
        printError(error);
        return ExitCode::Usage;
    }
    QStringList helperArgs{QStringLiteral("capture"), QStringLiteral("--iface"), parser.value(ifaceOpt),
                           QStringLiteral("--filter"), parser.value(filterOpt)};
    for (const QCommandLineOption &o : {durationOpt, countOpt}) {
        if (!parser.isSet(o))
            continue;
        bool ok = false;
        const double v = parser.value(o).toDouble(&ok);
        if (!ok || v <= 0) {
            printError(QStringLiteral("--%1 needs a positive number, not '%2'").arg(o.names().constFirst(), parser.value(o)));
            return ExitCode::Usage;
        }
        helperArgs << QStringLiteral("--") + o.names().constFirst() << parser.value(o);
    }
    const QString helper = helperPath();
    if (helper.isEmpty()) {
        printError(QStringLiteral("cannot find %1 (next to this program, in PATH, or DD_CAPTURE_HELPER)").arg(helperName));
        return ExitCode::Incomplete;
    }
    QFile writeFile;
    if (parser.isSet(writeOpt)) {
        writeFile.setFileName(parser.value(writeOpt));
        if (!writeFile.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            printError(QStringLiteral("cannot write %1: %2").arg(writeFile.fileName(), writeFile.errorString()));
            return ExitCode::Usage;
        }
    }

    // Ctrl-C reaches the helper too (same process group); it stops and flushes, and the
    // analysis of what it captured is printed.
    std::signal(SIGINT, SIG_IGN);
    dd::CaptureEngine engine;
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    int helperExit = 0;
    bool helperFailed = false;
    QObject context;
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &context, [&] {
        const QByteArray chunk = process.readAllStandardOutput();
        if (writeFile.isOpen())
            writeFile.write(chunk);
        engine.feed(chunk);
    });
    QObject::connect(&process, &QProcess::finished, &context, [&](int code, QProcess::ExitStatus status) {
        const QByteArray rest = process.readAllStandardOutput();
        if (!rest.isEmpty()) {
            if (writeFile.isOpen())
                writeFile.write(rest);
            engine.feed(rest);
        }
        helperExit = code;
        helperFailed = status != QProcess::NormalExit || code != 0;
        engine.finishStream();
    });
    QObject::connect(&process, &QProcess::errorOccurred, &context, [&](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        printError(QStringLiteral("cannot run %1: %2").arg(helper, process.errorString()));
        helperFailed = true;
        helperExit = -1;
        engine.finishStream();
    });
    const QString iface = parser.value(ifaceOpt);
    const int code = report(
        engine, parser.isSet(jsonOpt), parser.value(jsonFileOpt), false,
        [&] {
            engine.startStream(QStringLiteral("live:") + iface);
            process.start(helper, helperArgs);
        },
        [&](const QString &reason) {
            if (!helperFailed)
                printError(reason);
        });
    process.waitForFinished(5000);
    if (helperFailed && code == ExitCode::Usage) {
        printError(QStringLiteral("the capture helper failed (exit %1); see its message above").arg(helperExit));
        return ExitCode::Incomplete;
    }
    return code;
}

int runInterfaces(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Lists the interfaces the capture helper can capture on."));
    int exitCode = ExitCode::Healthy;
    if (!parseArguments(parser, args, &exitCode))
        return exitCode;
    const QString helper = helperPath();
    if (helper.isEmpty()) {
        printError(QStringLiteral("cannot find %1 (next to this program, in PATH, or DD_CAPTURE_HELPER)").arg(helperName));
        return ExitCode::Incomplete;
    }
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedChannels);
    process.start(helper, {QStringLiteral("interfaces")});
    if (!process.waitForFinished(10000) || process.exitStatus() != QProcess::NormalExit) {
        printError(QStringLiteral("cannot run %1: %2").arg(helper, process.errorString()));
        return ExitCode::Incomplete;
    }
    return process.exitCode() == 0 ? ExitCode::Healthy : ExitCode::Incomplete;
}

} // namespace

int runCaptureCommand(const QStringList &args)
{
    const QString usage = QStringLiteral(
        "Usage: docserver-doctor-cli capture analyze FILE|- [--json] [--filter BPF]\n"
        "       docserver-doctor-cli capture live --iface IF --filter BPF [--duration S] [--count N] [--write FILE]\n"
        "       docserver-doctor-cli capture interfaces\n");
    if (args.size() < 2 || args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h")) {
        QTextStream(args.size() < 2 ? stderr : stdout) << usage;
        return args.size() < 2 ? ExitCode::Usage : ExitCode::Healthy;
    }
    const QString sub = args.at(1);
    const QStringList rest = QStringList{QStringLiteral("capture ") + sub} + args.mid(2);
    if (sub == QLatin1String("analyze"))
        return runAnalyze(rest);
    if (sub == QLatin1String("live"))
        return runLive(rest);
    if (sub == QLatin1String("interfaces"))
        return runInterfaces(rest);
    printError(QStringLiteral("unknown capture command '%1' (analyze, live or interfaces)").arg(sub));
    return ExitCode::Usage;
}
