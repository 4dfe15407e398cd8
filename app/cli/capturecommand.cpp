#include "capturecli.h"
#include "cliutil.h"
#include "commands.h"

#include "capture/bpffilter.h"
#include "capture/captureengine.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTextStream>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <csignal>
#include <functional>

namespace {

const QString helperName = QStringLiteral("docserver-doctor-capture");

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

/// Runs the engine on a live stream until it finishes; returns the exit code and prints the result.
/// A failure (nothing readable) goes to `failed`, which prints it.
int reportStream(dd::CaptureEngine &engine, bool json, const QString &jsonFile, const std::function<void()> &start,
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
    const bool progress = showsCaptureProgress();
    if (progress)
        QObject::connect(&engine, &dd::CaptureEngine::analysisProgressed, &context, &printCaptureProgress);
    start();
    QCoreApplication::exec();
    if (progress)
        clearCaptureProgress();
    if (!done)
        return code;
    return printCaptureAnalysis(result, json, jsonFile, false);
}

/// Quotes `text` for a POSIX shell (the remote side of ssh runs the command through one).
QString shellQuoted(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

int runLive(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral(
            "Captures live traffic with the privileged helper (%1, which needs CAP_NET_RAW),\n"
            "or on another host with `ssh HOST tcpdump -U -w -` (--ssh; the ssh command is DD_SSH or ssh),\n"
            "and analyzes its pcap stream as `capture analyze` does. Ctrl-C stops the capture and prints\n"
            "the analysis.\n"
            "With --ring S it keeps only the last S seconds (and --ring-mb MB) in memory and, when a line\n"
            "appended to a --trigger-log classifies as a cause or a --trigger-probe URL (polled every\n"
            "second) fails or answers 5xx, records --after S more, writes it all as pcapng to --write FILE,\n"
            "says why, and analyzes it. With --triggers N it records on after each saved ring and saves up to\n"
            "N (FILE, then FILE-2, ...), until the capture ends.\n"
            "Exit code: 0 nothing wrong seen (ring: no trigger fired), 1 problems seen or a trigger fired,\n"
            "2 bad usage, 3 the capture could not run.")
            .arg(helperName));
    const QCommandLineOption ifaceOpt(QStringLiteral("iface"), QStringLiteral("Interface (see capture interfaces)."),
                                      QStringLiteral("IF"));
    const QCommandLineOption filterOpt(QStringLiteral("filter"), QStringLiteral("BPF capture filter."),
                                       QStringLiteral("BPF"));
    const QCommandLineOption durationOpt(QStringLiteral("duration"), QStringLiteral("Stop after S seconds."),
                                         QStringLiteral("S"));
    const QCommandLineOption countOpt(QStringLiteral("count"), QStringLiteral("Stop after N packets."),
                                      QStringLiteral("N"));
    const QCommandLineOption writeOpt(
        QStringLiteral("write"), QStringLiteral("Also save the pcap stream to FILE (with --ring: the pcapng ring)."),
        QStringLiteral("FILE"));
    const QCommandLineOption sshOpt(QStringLiteral("ssh"), QStringLiteral("Capture on HOST with ssh and tcpdump."),
                                    QStringLiteral("HOST"));
    const QCommandLineOption ringOpt(QStringLiteral("ring"), QStringLiteral("Keep the last S seconds until a trigger."),
                                     QStringLiteral("S"));
    const QCommandLineOption ringMbOpt(QStringLiteral("ring-mb"), QStringLiteral("Ring size bound (default 64)."),
                                       QStringLiteral("MB"), QStringLiteral("64"));
    const QCommandLineOption afterOpt(QStringLiteral("after"),
                                      QStringLiteral("Seconds recorded after the trigger (default 3)."),
                                      QStringLiteral("S"), QStringLiteral("3"));
    const QCommandLineOption triggersOpt(
        QStringLiteral("triggers"),
        QStringLiteral("Write up to N rings, one per trigger, recording on in between (default 1, at most 100)."),
        QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption triggerLogOpt(QStringLiteral("trigger-log"),
                                           QStringLiteral("Save the ring when a new line of FILE names a cause."),
                                           QStringLiteral("FILE"));
    const QCommandLineOption triggerProbeOpt(QStringLiteral("trigger-probe"),
                                             QStringLiteral("Save the ring when an HTTP GET of URL fails or is 5xx."),
                                             QStringLiteral("URL"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write JSON to stdout."));
    const QCommandLineOption jsonFileOpt(QStringLiteral("json-file"), QStringLiteral("Write JSON to FILE."),
                                         QStringLiteral("FILE"));
    parser.addOptions({ifaceOpt, filterOpt, durationOpt, countOpt, writeOpt, sshOpt, ringOpt, ringMbOpt, afterOpt,
                       triggersOpt, triggerLogOpt, triggerProbeOpt, jsonOpt, jsonFileOpt});
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
    QMap<QString, double> numbers;
    for (const QCommandLineOption &o : {durationOpt, countOpt, ringOpt, ringMbOpt, afterOpt}) {
        if (!parser.isSet(o) && o.defaultValues().isEmpty())
            continue;
        bool ok = false;
        const double v = parser.value(o).toDouble(&ok);
        const bool isAfter = o.names() == afterOpt.names();
        if (!ok || v <= 0 || (isAfter && v > 600)) {
            printError(
                QStringLiteral("--%1 needs a positive number%2, not '%3'")
                    .arg(o.names().constFirst(), isAfter ? QStringLiteral(" up to 600") : QString(), parser.value(o)));
            return ExitCode::Usage;
        }
        numbers.insert(o.names().constFirst(), v);
    }
    bool triggersOk = false;
    const int triggers = parser.value(triggersOpt).toInt(&triggersOk);
    if (!triggersOk || triggers < 1 || triggers > 100) {
        printError(
            QStringLiteral("--triggers needs a whole number from 1 to 100, not '%1'").arg(parser.value(triggersOpt)));
        return ExitCode::Usage;
    }
    const bool ring = parser.isSet(ringOpt);
    if (!ring && parser.isSet(triggersOpt)) {
        printError(QStringLiteral("--triggers needs --ring SECONDS (see --help)"));
        return ExitCode::Usage;
    }
    if (!ring && (parser.isSet(triggerLogOpt) || parser.isSet(triggerProbeOpt))) {
        printError(QStringLiteral("--trigger-log and --trigger-probe need --ring SECONDS (see --help)"));
        return ExitCode::Usage;
    }
    if (ring && (!parser.isSet(writeOpt) || (!parser.isSet(triggerLogOpt) && !parser.isSet(triggerProbeOpt)))) {
        printError(
            QStringLiteral("--ring needs --write FILE and a --trigger-log FILE or --trigger-probe URL (see --help)"));
        return ExitCode::Usage;
    }
    for (const QString &log : parser.values(triggerLogOpt)) {
        if (!QFileInfo(log).isFile() || !QFileInfo(log).isReadable()) {
            printError(QStringLiteral("--trigger-log %1: not a readable file; give the log the failure shows up in "
                                      "(e.g. nginx's error.log)")
                           .arg(log));
            return ExitCode::Usage;
        }
    }
    const QUrl probeUrl(parser.value(triggerProbeOpt), QUrl::StrictMode);
    if (parser.isSet(triggerProbeOpt) &&
        (!probeUrl.isValid() || probeUrl.host().isEmpty() ||
         (probeUrl.scheme() != QLatin1String("http") && probeUrl.scheme() != QLatin1String("https")))) {
        printError(QStringLiteral("--trigger-probe '%1' is not an http:// or https:// URL")
                       .arg(parser.value(triggerProbeOpt)));
        return ExitCode::Usage;
    }

    const QString iface = parser.value(ifaceOpt);
    StreamSource source;
    if (parser.isSet(sshOpt)) {
        // tcpdump stops by itself after -c; a duration is enforced here by ending ssh.
        const QStringList ssh = QProcess::splitCommand(qEnvironmentVariable("DD_SSH", QStringLiteral("ssh")));
        if (ssh.isEmpty()) {
            printError(QStringLiteral("DD_SSH is set but empty; unset it or give the ssh command to run"));
            return ExitCode::Usage;
        }
        QString remote = QStringLiteral("tcpdump -U -w - -i ") + shellQuoted(iface);
        if (numbers.contains(QStringLiteral("count")))
            remote += QStringLiteral(" -c ") + QString::number(qint64(numbers.value(QStringLiteral("count"))));
        remote += QLatin1Char(' ') + shellQuoted(parser.value(filterOpt));
        source.program = ssh.constFirst();
        source.arguments = ssh.mid(1) + QStringList{QStringLiteral("--"), parser.value(sshOpt), remote};
        source.name = QStringLiteral("ssh:%1:%2").arg(parser.value(sshOpt), iface);
    } else {
        source.program = helperPath();
        if (source.program.isEmpty()) {
            printError(
                QStringLiteral("cannot find %1 (next to this program, in PATH, or DD_CAPTURE_HELPER)").arg(helperName));
            return ExitCode::Incomplete;
        }
        source.arguments = QStringList{QStringLiteral("capture"), QStringLiteral("--iface"), iface,
                                       QStringLiteral("--filter"), parser.value(filterOpt)};
        for (const QString &name : {QStringLiteral("duration"), QStringLiteral("count")}) {
            if (parser.isSet(name))
                source.arguments << QStringLiteral("--") + name << parser.value(name);
        }
        source.name = QStringLiteral("live:") + iface;
    }

    // Ctrl-C reaches the helper (or ssh) too (same process group); it stops and flushes, and the
    // analysis of what it captured is printed.
    std::signal(SIGINT, SIG_IGN);
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QTimer durationTimer;
    bool durationEnded = false;
    if (parser.isSet(sshOpt) && numbers.contains(QStringLiteral("duration"))) {
        durationTimer.setSingleShot(true);
        durationTimer.start(int(numbers.value(QStringLiteral("duration")) * 1000));
        QObject::connect(&durationTimer, &QTimer::timeout, &process, [&] {
            durationEnded = true;
            process.terminate();
        });
    }
    if (ring) {
        RingSettings settings;
        settings.seconds = numbers.value(QStringLiteral("ring"));
        settings.megabytes = numbers.value(QStringLiteral("ring-mb"));
        settings.afterSeconds = numbers.value(QStringLiteral("after"));
        settings.files = triggers;
        settings.logs = parser.values(triggerLogOpt);
        settings.probeUrl = parser.value(triggerProbeOpt);
        settings.path = parser.value(writeOpt);
        return runRing(process, source, settings, parser.isSet(jsonOpt), parser.value(jsonFileOpt), durationEnded);
    }

    QFile writeFile;
    if (parser.isSet(writeOpt)) {
        writeFile.setFileName(parser.value(writeOpt));
        if (!writeFile.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            printError(QStringLiteral("cannot write %1: %2").arg(writeFile.fileName(), writeFile.errorString()));
            return ExitCode::Usage;
        }
    }
    dd::CaptureEngine engine;
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
        // ssh ended by the duration timer is a normal end of the capture.
        helperFailed = !durationEnded && (status != QProcess::NormalExit || code != 0);
        engine.finishStream();
    });
    QObject::connect(&process, &QProcess::errorOccurred, &context, [&](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        printError(QStringLiteral("cannot run %1: %2").arg(source.program, process.errorString()));
        helperFailed = true;
        helperExit = -1;
        engine.finishStream();
    });
    const int code = reportStream(
        engine, parser.isSet(jsonOpt), parser.value(jsonFileOpt),
        [&] {
            engine.startStream(source.name);
            process.start(source.program, source.arguments);
        },
        [&](const QString &reason) {
            if (!helperFailed)
                printError(reason);
        });
    process.waitForFinished(5000);
    if (helperFailed && code == ExitCode::Usage) {
        printError(QStringLiteral("the capture (%1) failed (exit %2); see its message above")
                       .arg(source.program)
                       .arg(helperExit));
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
        printError(
            QStringLiteral("cannot find %1 (next to this program, in PATH, or DD_CAPTURE_HELPER)").arg(helperName));
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
        "       docserver-doctor-cli capture live --iface IF --filter BPF [--ssh HOST] [--duration S] [--count N]\n"
        "                                     [--write FILE] [--ring S [--ring-mb MB] [--after S] [--triggers N]\n"
        "                                     --trigger-log FILE | --trigger-probe URL]\n"
        "       docserver-doctor-cli capture interfaces\n");
    if (args.size() < 2 || args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h")) {
        QTextStream(args.size() < 2 ? stderr : stdout) << usage;
        return args.size() < 2 ? ExitCode::Usage : ExitCode::Healthy;
    }
    const QString sub = args.at(1);
    const QStringList rest = QStringList{QStringLiteral("capture ") + sub} + args.mid(2);
    if (sub == QLatin1String("analyze"))
        return runCaptureAnalyze(rest);
    if (sub == QLatin1String("live"))
        return runLive(rest);
    if (sub == QLatin1String("interfaces"))
        return runInterfaces(rest);
    printError(QStringLiteral("unknown capture command '%1' (analyze, live or interfaces)").arg(sub));
    return ExitCode::Usage;
}
