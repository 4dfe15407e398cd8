#include "cliutil.h"
#include "commands.h"

#include "report/diagnosisjsonreader.h"
#include "report/htmlreport.h"
#include "report/metricsreport.h"

#include <QFile>
#include <QTextStream>

// Re-renders a diagnosis saved with `diagnose --json FILE`: a run on a server becomes a report
// on the admin's desktop.
int runReportCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Renders a diagnosis saved with 'diagnose --json FILE' as HTML "
                                                    "or Prometheus metrics."));
    parser.addPositionalArgument(QStringLiteral("SAVED.json"), QStringLiteral("A saved diagnosis."));
    const QCommandLineOption htmlOpt(QStringLiteral("html"), QStringLiteral("Write the HTML report."),
                                     QStringLiteral("FILE.html"));
    const QCommandLineOption metricsOpt(QStringLiteral("metrics"), QStringLiteral("Write Prometheus text metrics."),
                                        QStringLiteral("FILE.prom"));
    parser.addOptions({htmlOpt, metricsOpt});
    int exitCode = 0;
    if (!parseArguments(parser, args, &exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1 || (!parser.isSet(htmlOpt) && !parser.isSet(metricsOpt))) {
        printError(QStringLiteral("usage: report SAVED.json --html FILE.html [--metrics FILE.prom]"));
        return ExitCode::Usage;
    }
    QFile file(parser.positionalArguments().first());
    if (!file.open(QIODevice::ReadOnly)) {
        printError(QStringLiteral("%1: cannot read it: %2").arg(file.fileName(), file.errorString()));
        return ExitCode::Usage;
    }
    dd::Diagnosis d;
    QString error;
    dd::HtmlReportOptions options; // the latency history a GUI export carries keeps its charts
    if (!dd::diagnosisFromJson(file.read(64 * 1024 * 1024), file.fileName(), &d, &error, &options.latencyHistory)) {
        printError(error);
        return ExitCode::Usage;
    }
    if (parser.isSet(htmlOpt) && !dd::saveHtmlReport(d, parser.value(htmlOpt), &error, options)) {
        printError(error);
        return ExitCode::Incomplete;
    }
    if (parser.isSet(metricsOpt) && !writeTextFile(parser.value(metricsOpt), dd::renderMetrics(d).toUtf8()))
        return ExitCode::Incomplete;
    return ExitCode::Healthy;
}
