#include "capturecli.h"
#include "cliutil.h"

#include "capture/bpffilter.h"
#include "capture/capturefile.h"
#include "capture/capturejson.h"
#include "capture/capturetext.h"

#include <QJsonDocument>
#include <QTextStream>

#include <csignal>
#include <unistd.h>

bool showsCaptureProgress()
{
    return ::isatty(2);
}

void printCaptureProgress(qint64 bytesRead, qint64 bytesTotal, qint64 packets)
{
    QTextStream err(stderr);
    err << "\r" << packets << " packets, " << bytesRead / (1024 * 1024) << " MiB";
    if (bytesTotal > 0)
        err << " of " << bytesTotal / (1024 * 1024) << " MiB";
    err << "   " << Qt::flush;
}

void clearCaptureProgress()
{
    QTextStream(stderr) << "\r" << QString(60, QLatin1Char(' ')) << "\r" << Qt::flush;
}

QJsonObject captureJsonDocument(const dd::CaptureAnalysis &result, bool all, const QJsonObject &extra)
{
    dd::CaptureJsonOptions options;
    options.allConversations = all;
    QJsonObject document = dd::captureAnalysisToJson(result, options);
    for (auto it = extra.begin(); it != extra.end(); ++it)
        document.insert(it.key(), it.value());
    return document;
}

int printCaptureAnalysis(const dd::CaptureAnalysis &result, bool json, const QString &jsonFile, bool all,
                         const QJsonObject &extra)
{
    if (json || !jsonFile.isEmpty()) {
        const QJsonObject document = captureJsonDocument(result, all, extra);
        if (!writeJsonOutput(QJsonDocument(document).toJson(QJsonDocument::Indented), jsonFile))
            return ExitCode::Incomplete;
    }
    if (!json) {
        QTextStream out(stdout);
        dd::writeCaptureAnalysisText(result, out);
    }
    return result.hasProblems() ? ExitCode::Problem : ExitCode::Healthy;
}

int analyzeAndPrintCapture(const QString &file, const dd::CaptureOptions &options, bool json, const QString &jsonFile,
                           bool all, const QJsonObject &extra)
{
    const bool progress = showsCaptureProgress();
    const dd::CaptureFileResult r = dd::analyzeCaptureFile(file, options, [progress](qint64 b, qint64 t, qint64 p) {
        if (progress)
            printCaptureProgress(b, t, p);
        return true;
    });
    if (progress)
        clearCaptureProgress();
    if (!r.ok) {
        printError(r.error);
        return ExitCode::Usage;
    }
    return printCaptureAnalysis(r.analysis, json, jsonFile, all, extra);
}

int runCaptureAnalyze(const QStringList &args)
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
    const QCommandLineOption jsonOpt(QStringLiteral("json"),
                                     QStringLiteral("Write JSON to stdout (or --json FILE.json)."));
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
    const QString file = files.constFirst();
    // `ssh host tcpdump -U -w - | ... capture analyze -`: Ctrl-C stops the writer, the pipe ends,
    // and what was captured is analyzed and printed instead of being lost with this process.
    if (file == QLatin1String("-"))
        std::signal(SIGINT, SIG_IGN);
    return analyzeAndPrintCapture(file, options, parser.isSet(jsonOpt), parser.value(jsonFileOpt),
                                  parser.isSet(allOpt));
}
