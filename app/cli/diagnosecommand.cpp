#include "cliutil.h"
#include "commands.h"

#include "diagnosis/diagnosisengine.h"
#include "lab/lab.h"
#include "report/comparison.h"
#include "report/diagnosisjsonreader.h"
#include "report/htmlreport.h"
#include "report/jsonreport.h"
#include "report/metricsreport.h"
#include "report/reporttext.h"
#include "util/hostport.h"
#include "util/redact.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTextStream>

namespace {

void printText(const dd::Diagnosis &d, bool verbose, QTextStream &out)
{
    out << "Verdict: " << dd::verdictStatusName(d.status).toUpper();
    if (!d.causeId.isEmpty())
        out << "  " << d.causeId << "  (hop " << d.hop << ", confidence " << qRound(d.confidence * 100) << "%)";
    out << '\n' << dd::printableText(d.summary) << '\n';
    if (!d.causes.isEmpty() && !d.causes.first().fix.isEmpty())
        out << "\nFix: " << dd::printableText(d.causes.first().fix) << '\n';
    if (d.causes.size() > 1) {
        out << "\nOther candidates:\n";
        for (qsizetype i = 1; i < d.causes.size(); ++i)
            out << "  " << qRound(d.causes.at(i).confidence * 100) << "%  " << d.causes.at(i).id << " — "
                << dd::printableText(d.causes.at(i).title) << '\n';
    }
    // Short output cites the evidence behind the verdict; --verbose shows the path and everything.
    const QStringList cited = d.causes.isEmpty() ? QStringList() : d.causes.first().evidenceIds;
    if (verbose) {
        out << "\nDecision path:\n";
        for (const dd::PathStep &s : d.path) {
            out << "  " << s.node << ": " << s.question << "\n      → " << dd::printableText(s.answer) << '\n';
            if (s.askedUser)
                out << "      (only you can answer: --answer " << s.fact.mid(5) << "=CHOICE, one of "
                    << s.choices.join(QLatin1Char('|')) << ")\n";
        }
    }
    out << (verbose ? "\nEvidence:\n" : "\nEvidence (--verbose for the decision path and all evidence):\n");
    for (const dd::Evidence &e : d.evidence) {
        if (!verbose && !cited.isEmpty() && !cited.contains(e.id))
            continue;
        out << "  [" << dd::healthName(e.health) << "] " << dd::printableText(e.id) << ": "
            << dd::printableText(e.summary) << '\n';
        if (!e.excerpt.isEmpty() && e.source != dd::EvidenceSource::Probe)
            out << "      " << dd::printableText(e.excerpt.left(300)) << '\n';
    }
}

bool urlOption(const QString &text, const char *option, QUrl *url)
{
    const QUrl u(text, QUrl::StrictMode);
    if (!u.isValid() || u.host().isEmpty() ||
        (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https"))) {
        printError(QStringLiteral("--%1 '%2' is not an http(s) URL (e.g. https://docs.example.com/)")
                       .arg(QLatin1String(option), text));
        return false;
    }
    *url = u;
    return true;
}

} // namespace

int runDiagnoseCommand(const QStringList &rawArgs)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Finds which hop of a Document Server deployment fails and why: probes the public address and Document\n"
        "Server directly, reads the logs, walks the 502 decision tree and prints the verdict with its evidence.\n"
        "Exit status: 0 healthy, 1 problem found (or inconclusive with failures), 2 bad usage, 3 could not complete."));
    const QCommandLineOption profileOpt(QStringLiteral("profile"), QStringLiteral("Profile JSON (docs/profile.md)."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption urlOpt(
        QStringLiteral("url"), QStringLiteral("Public address the browser / integrator uses."), QStringLiteral("URL"));
    const QCommandLineOption dsOpt(QStringLiteral("docserver"),
                                   QStringLiteral("Document Server's own address behind the proxy."),
                                   QStringLiteral("URL"));
    const QCommandLineOption docserviceOpt(QStringLiteral("docservice"),
                                           QStringLiteral("docservice address, when reachable (e.g. 127.0.0.1:8000)."),
                                           QStringLiteral("HOST:PORT"));
    const QCommandLineOption logOpt(QStringLiteral("log"), QStringLiteral("A log to read (repeatable)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption pcapOpt(QStringLiteral("pcap"),
                                     QStringLiteral("A pcap/pcapng capture of the incident to analyze (repeatable)."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption dsConfigOpt(QStringLiteral("ds-config"),
                                         QStringLiteral("Document Server's configuration (directory or local.json)."),
                                         QStringLiteral("PATH"));
    const QCommandLineOption dsNginxOpt(QStringLiteral("ds-nginx-config"),
                                        QStringLiteral("Document Server's own nginx configuration (ds.conf)."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption nginxOpt(QStringLiteral("nginx-config"), QStringLiteral("Front proxy nginx config."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write JSON to stdout (or --json FILE)."));
    const QCommandLineOption jsonFileOpt(QStringLiteral("json-file"), QStringLiteral("Write JSON to FILE."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption reportOpt(QStringLiteral("report"), QStringLiteral("Write the HTML report to FILE."),
                                       QStringLiteral("FILE.html"));
    const QCommandLineOption timeoutOpt(QStringLiteral("timeout"),
                                        QStringLiteral("Per-request timeout (default 15000)."), QStringLiteral("MS"));
    const QCommandLineOption startupOpt(
        QStringLiteral("startup-wait"),
        QStringLiteral("When docservice refuses and no log says why, watch /healthcheck this long to tell a Document "
                       "Server that is starting from one that stays down (default 15; 0: do not wait)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption labOpt(
        QStringLiteral("lab"), QStringLiteral("Diagnose a Fault Lab scenario started for this run (see 'lab list')."),
        QStringLiteral("SCENARIO"));
    const QCommandLineOption verboseOpt({QStringLiteral("v"), QStringLiteral("verbose")},
                                        QStringLiteral("Show the decision path and all evidence."));
    const QCommandLineOption compareOpt(QStringLiteral("compare"),
                                        QStringLiteral("Show what changed since a run saved with --json FILE."),
                                        QStringLiteral("PREVIOUS.json"));
    const QCommandLineOption metricsOpt(
        QStringLiteral("metrics"), QStringLiteral("Write Prometheus text metrics (node_exporter textfile collector)."),
        QStringLiteral("FILE.prom"));
    const QCommandLineOption answerOpt(QStringLiteral("answer"),
                                       QStringLiteral("Answer a question nothing observable decides, e.g. "
                                                      "--answer symptom=download-failed (repeatable)."),
                                       QStringLiteral("KEY=CHOICE"));
    parser.addOptions({answerOpt, verboseOpt, compareOpt, metricsOpt, labOpt, profileOpt, urlOpt, dsOpt, docserviceOpt,
                       logOpt, nginxOpt, pcapOpt, dsConfigOpt, dsNginxOpt, jsonOpt, jsonFileOpt, reportOpt, timeoutOpt,
                       startupOpt});
    int exitCode = 0;
    if (!parseArguments(parser, foldOptionalJsonValue(rawArgs), &exitCode))
        return exitCode;
    if (!parser.positionalArguments().isEmpty()) {
        printError(QStringLiteral("diagnose takes no positional arguments (got '%1')")
                       .arg(parser.positionalArguments().first()));
        return ExitCode::Usage;
    }

    dd::Profile profile;
    if (parser.isSet(profileOpt)) {
        const dd::ProfileLoadResult loaded = dd::loadProfile(parser.value(profileOpt));
        if (!loaded.ok()) {
            printError(loaded.error);
            return ExitCode::Usage;
        }
        profile = loaded.profile;
    }
    if (parser.isSet(urlOpt) && !urlOption(parser.value(urlOpt), "url", &profile.publicUrl))
        return ExitCode::Usage;
    if (parser.isSet(dsOpt) && !urlOption(parser.value(dsOpt), "docserver", &profile.docserverUrl))
        return ExitCode::Usage;
    if (parser.isSet(docserviceOpt)) {
        dd::HostPort hp;
        QString error;
        if (!dd::parseHostPort(parser.value(docserviceOpt), &hp, &error)) {
            printError(QStringLiteral("--docservice: ") + error);
            return ExitCode::Usage;
        }
        profile.docserviceHost = hp.host;
        profile.docservicePort = hp.port;
    }
    for (const QString &log : parser.values(logOpt)) {
        if (!QFileInfo(log).isReadable()) {
            printError(QStringLiteral("--log %1: cannot read it (check the path and permissions)").arg(log));
            return ExitCode::Usage;
        }
        profile.logFiles << log;
    }
    for (const QString &capture : parser.values(pcapOpt)) {
        if (!QFileInfo(capture).isReadable()) {
            printError(QStringLiteral("--pcap %1: cannot read it (check the path and permissions)").arg(capture));
            return ExitCode::Usage;
        }
        profile.captures << capture;
    }
    if (parser.isSet(dsConfigOpt))
        profile.dsConfig = parser.value(dsConfigOpt);
    if (parser.isSet(dsNginxOpt))
        profile.dsNginxConfig = parser.value(dsNginxOpt);
    if (parser.isSet(nginxOpt)) {
        profile.proxyKind = QStringLiteral("nginx");
        profile.proxyConfig = parser.value(nginxOpt);
    }
    if (parser.isSet(timeoutOpt)) {
        bool ok = false;
        const int ms = parser.value(timeoutOpt).toInt(&ok);
        if (!ok || ms < 10 || ms > 3600000) {
            printError(
                QStringLiteral("--timeout '%1' must be milliseconds within 10..3600000").arg(parser.value(timeoutOpt)));
            return ExitCode::Usage;
        }
        profile.requestTimeoutMs = ms;
    }
    int startupWaitMs = -1;
    if (parser.isSet(startupOpt)) {
        bool ok = false;
        const int seconds = parser.value(startupOpt).toInt(&ok);
        if (!ok || seconds < 0 || seconds > 600) {
            printError(
                QStringLiteral("--startup-wait '%1' must be seconds within 0..600").arg(parser.value(startupOpt)));
            return ExitCode::Usage;
        }
        startupWaitMs = seconds * 1000;
    }
    dd::Diagnosis previous;
    if (parser.isSet(compareOpt)) {
        QFile file(parser.value(compareOpt));
        QString error;
        if (!file.open(QIODevice::ReadOnly)) {
            printError(QStringLiteral("--compare %1: cannot read it: %2").arg(file.fileName(), file.errorString()));
            return ExitCode::Usage;
        }
        if (!dd::diagnosisFromJson(file.read(64 * 1024 * 1024), file.fileName(), &previous, &error)) {
            printError(error);
            return ExitCode::Usage;
        }
    }

    // The lab lives for this run only; its destructor stops every server it started.
    dd::Lab lab;
    if (parser.isSet(labOpt)) {
        if (parser.isSet(profileOpt) || parser.isSet(urlOpt) || parser.isSet(dsOpt)) {
            printError(QStringLiteral("--lab cannot be combined with --profile, --url or --docserver"));
            return ExitCode::Usage;
        }
        if (!dd::Lab::hasScenario(parser.value(labOpt))) {
            printError(QStringLiteral("--lab '%1' is not a lab scenario (see 'docserver-doctor-cli lab list')")
                           .arg(parser.value(labOpt)));
            return ExitCode::Usage;
        }
        QString labError;
        QObject::connect(&lab, &dd::Lab::labStarted, &lab, [&](const dd::Profile &p) {
            profile = p;
            QCoreApplication::exit(0);
        });
        QObject::connect(&lab, &dd::Lab::labFailed, &lab, [&](const QString &reason) {
            labError = reason;
            QCoreApplication::exit(0);
        });
        lab.start(parser.value(labOpt));
        QCoreApplication::exec();
        QObject::disconnect(&lab, nullptr, &lab, nullptr);
        if (!labError.isEmpty()) {
            printError(QStringLiteral("the lab could not start: %1").arg(labError));
            return ExitCode::Incomplete;
        }
        QTextStream(stderr) << "lab scenario '" << parser.value(labOpt) << "' is up: " << profile.publicUrl.toString()
                            << Qt::endl;
    }
    if (startupWaitMs >= 0)
        profile.startupWatchMs = startupWaitMs;
    if (!profile.hasAnything()) {
        printError(QStringLiteral("nothing to diagnose: give --profile FILE, --url URL, --docserver URL, or "
                                  "recorded evidence (--log, --pcap, --nginx-config)"));
        return ExitCode::Usage;
    }

    const dd::DecisionTree tree = dd::DecisionTree::builtIn();
    QVariantMap answers;
    for (const QString &answer : parser.values(answerOpt)) {
        const qsizetype eq = answer.indexOf(QLatin1Char('='));
        const QString key = answer.left(eq);
        const QString value = answer.mid(eq + 1);
        const dd::TreeNode *asking = nullptr;
        for (const dd::TreeNode &n : tree.nodes()) {
            if (n.fact == QLatin1String("user.") + key)
                asking = &n;
        }
        if (eq <= 0 || !asking || !asking->askChoices.contains(value)) {
            printError(QStringLiteral("--answer '%1': expected KEY=CHOICE with a question the tree asks (%2)")
                           .arg(answer, asking ? asking->askChoices.join(QLatin1Char('|'))
                                               : QStringLiteral("symptom=none|download-failed|...")));
            return ExitCode::Usage;
        }
        answers.insert(key, value);
    }
    dd::DiagnosisEngine engine(dd::CauseCatalog::builtIn(), tree);
    engine.setAnswers(answers);
    dd::Diagnosis result;
    QString failure;
    QObject::connect(&engine, &dd::DiagnosisEngine::diagnosisFinished, &engine, [&](const dd::Diagnosis &d) {
        result = d;
        QCoreApplication::exit(0);
    });
    QObject::connect(&engine, &dd::DiagnosisEngine::diagnosisFailed, &engine, [&](const QString &reason) {
        failure = reason;
        QCoreApplication::exit(0);
    });
    engine.start(profile);
    QCoreApplication::exec();
    if (!failure.isEmpty()) {
        printError(QStringLiteral("diagnosis could not complete: %1").arg(failure));
        return ExitCode::Incomplete;
    }

    if (parser.isSet(reportOpt)) {
        QString error;
        if (!dd::saveHtmlReport(result, parser.value(reportOpt), &error)) {
            printError(error);
            return ExitCode::Incomplete;
        }
    }
    if (parser.isSet(metricsOpt) && !writeTextFile(parser.value(metricsOpt), dd::renderMetrics(result).toUtf8()))
        return ExitCode::Incomplete;
    if (parser.isSet(jsonOpt) || parser.isSet(jsonFileOpt)) {
        QJsonObject json = dd::diagnosisToJson(result);
        if (parser.isSet(compareOpt))
            json.insert(QStringLiteral("comparison"), dd::comparisonToJson(dd::compareDiagnoses(previous, result)));
        if (!writeJsonOutput(QJsonDocument(json).toJson(QJsonDocument::Indented), parser.value(jsonFileOpt)))
            return ExitCode::Incomplete;
    }
    if (!parser.isSet(jsonOpt)) {
        QTextStream out(stdout);
        printText(result, parser.isSet(verboseOpt), out);
        if (parser.isSet(compareOpt))
            out << '\n' << dd::comparisonToText(dd::compareDiagnoses(previous, result));
        if (parser.isSet(reportOpt))
            out << "\nReport: " << QFileInfo(parser.value(reportOpt)).absoluteFilePath() << '\n';
    }

    switch (result.status) {
    case dd::VerdictStatus::Healthy:
        return ExitCode::Healthy;
    case dd::VerdictStatus::Problem:
        return ExitCode::Problem;
    case dd::VerdictStatus::Inconclusive:
        break;
    }
    const bool sawFailure = std::any_of(result.evidence.cbegin(), result.evidence.cend(),
                                        [](const dd::Evidence &e) { return e.health == dd::Health::Failed; });
    return sawFailure ? ExitCode::Problem : ExitCode::Healthy;
}
