#include "cliutil.h"
#include "commands.h"

#include "logs/dockerlogsource.h"
#include "logs/journalsource.h"
#include "logs/logclassifier.h"
#include "logs/logfollower.h"
#include "logs/logscanner.h"
#include "logs/nginxlogformats.h"
#include "logs/sshtailsource.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <functional>
#include <memory>
#include <unistd.h>

namespace {

const char *const usage = "Usage: docserver-doctor-cli logs classify FILE...|-|--journal UNIT [options]\n"
                          "       docserver-doctor-cli logs follow FILE|GLOB... [options]\n"
                          "       docserver-doctor-cli logs follow --journal UNIT | --docker CONTAINER | "
                          "--ssh HOST FILE... [options]\n"
                          "       docserver-doctor-cli logs classify|follow --journal-file FILE | --journal-dir DIR "
                          "[--journal UNIT] [options]\n"
                          "       docserver-doctor-cli logs rules|formats\n";

struct CommonOptions
{
    QCommandLineOption format{QStringLiteral("format"),
                              QStringLiteral("Parse as FORMAT instead of detecting it (see 'logs formats')."),
                              QStringLiteral("FORMAT")};
    QCommandLineOption logFormat{QStringLiteral("log-format"),
                                 QStringLiteral("nginx log_format of the access logs, e.g. "
                                                "'$remote_addr [$time_local] \"$request\" $status $upstream_addr'."),
                                 QStringLiteral("STRING")};
    QCommandLineOption nginxConfig{QStringLiteral("nginx-config"),
                                   QStringLiteral("Read the access logs' log_formats from this nginx.conf (and the "
                                                  "files it includes) or 'nginx -T' dump."),
                                   QStringLiteral("FILE")};
    QCommandLineOption journal{QStringLiteral("journal"),
                               QStringLiteral("Read the journald log of UNIT (repeatable) through journalctl "
                                              "(DD_JOURNALCTL overrides the program)."),
                               QStringLiteral("UNIT")};
    QCommandLineOption journalFile{QStringLiteral("journal-file"),
                                   QStringLiteral("Read the journal file FILE (repeatable, globs allowed; e.g. copied "
                                                  "off a server) instead of this host's journal; --journal filters."),
                                   QStringLiteral("FILE")};
    QCommandLineOption journalDir{QStringLiteral("journal-dir"),
                                  QStringLiteral("Read the journal files in DIR (e.g. /var/log/journal/MACHINE-ID) "
                                                 "instead of this host's journal; --journal filters."),
                                  QStringLiteral("DIR")};
    QCommandLineOption since{QStringLiteral("since"), QStringLiteral("With --journal: entries since TIME."),
                             QStringLiteral("TIME")};
    QCommandLineOption timezone{QStringLiteral("timezone"),
                                QStringLiteral("Zone of timestamps written without one (default: this machine's)."),
                                QStringLiteral("ZONE")};
    QCommandLineOption rules{QStringLiteral("rules"), QStringLiteral("Classify with the rules in FILE."),
                             QStringLiteral("FILE")};
    QCommandLineOption classified{QStringLiteral("classified"), QStringLiteral("Print only lines a rule matched.")};
    QCommandLineOption text{QStringLiteral("text"), QStringLiteral("Print lines as text instead of JSON lines.")};
    QCommandLineOption withText{QStringLiteral("with-text"),
                                QStringLiteral("Add each line's (redacted) text to its JSON object.")};

    void addTo(QCommandLineParser &p) const
    {
        p.addOptions({format, logFormat, nginxConfig, journal, journalFile, journalDir, since, timezone, rules,
                      classified, text, withText});
    }
    bool readsJournal(const QCommandLineParser &p) const
    {
        return p.isSet(journal) || p.isSet(journalFile) || p.isSet(journalDir);
    }
    void configure(dd::JournalSource *source, const QCommandLineParser &p) const
    {
        source->setUnits(p.values(journal));
        source->setFiles(p.values(journalFile));
        source->setDirectory(p.value(journalDir));
        source->setSince(p.value(since));
    }
};

// Builds the classifier the options ask for; prints why not and returns false otherwise.
bool makeClassifier(const QCommandLineParser &p, const CommonOptions &o, dd::LogClassifier *out, dd::LogFormat *format)
{
    if (p.isSet(o.rules)) {
        QFile file(p.value(o.rules));
        if (!file.open(QIODevice::ReadOnly)) {
            printError(QStringLiteral("%1: %2").arg(file.fileName(), file.errorString()));
            return false;
        }
        QString error;
        auto loaded = dd::LogClassifier::fromRules(file.readAll(), file.fileName(), &error);
        if (!loaded) {
            printError(error);
            return false;
        }
        *out = *loaded;
    } else if (!out->loadError().isEmpty()) {
        printError(out->loadError());
        return false;
    }
    if (p.isSet(o.logFormat)) {
        QString error;
        if (!out->setAccessLogFormat(p.value(o.logFormat), &error)) {
            printError(error);
            return false;
        }
    }
    if (p.isSet(o.nginxConfig)) {
        const QString path = p.value(o.nginxConfig);
        const dd::NginxLogFormats formats = dd::readNginxLogFormats(path);
        if (!formats.readable) {
            printError(formats.problems.value(0, QStringLiteral("%1: cannot be read").arg(path)));
            return false;
        }
        QStringList problems = formats.problems;
        if (dd::addNginxLogFormats(out, formats, &problems) == 0)
            problems << QStringLiteral("%1 defines no usable log_format; access logs are read as 'combined'").arg(path);
        for (const QString &problem : std::as_const(problems))
            printError(problem);
    }
    if (p.isSet(o.timezone)) {
        const QTimeZone zone(p.value(o.timezone).toUtf8());
        if (!zone.isValid()) {
            printError(QStringLiteral("unknown time zone '%1'").arg(p.value(o.timezone)));
            return false;
        }
        out->setTimeZone(zone);
    }
    *format = dd::LogFormat::Auto;
    if (p.isSet(o.format)) {
        const auto f = dd::logFormatFromName(p.value(o.format));
        if (!f) {
            printError(QStringLiteral("unknown format '%1' (one of: %2)")
                           .arg(p.value(o.format), dd::logFormatNames().join(QStringLiteral(", "))));
            return false;
        }
        *format = *f;
    }
    return true;
}

// Lines go out as soon as they are classified, through one large stdio buffer.
class LineWriter
{
public:
    LineWriter(bool asText, bool withText) : m_asText(asText), m_withText(withText)
    {
        std::setvbuf(stdout, nullptr, _IOFBF, 1 << 20);
    }
    void write(const QList<dd::ClassifiedLine> &lines)
    {
        for (const dd::ClassifiedLine &l : lines) {
            QByteArray out;
            if (m_asText) {
                const QString what = !l.causeId.isEmpty() ? l.causeId
                                     : l.signal.isEmpty() ? QStringLiteral("-")
                                                          : l.signal;
                out = QStringLiteral("%1:%2 %3 %4 %5 %6\n")
                          .arg(l.file)
                          .arg(l.line)
                          .arg(l.timeUtc.isValid() ? l.timeUtc.toString(Qt::ISODateWithMs) : QStringLiteral("-"),
                               l.format, what, l.ruleId.isEmpty() ? QStringLiteral("-") : l.ruleId)
                          .toUtf8();
            } else {
                out = l.toJsonLine(m_withText);
                out += '\n';
            }
            std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
        }
    }
    void flush() { std::fflush(stdout); }

private:
    bool m_asText;
    bool m_withText;
};

QString printable(const QDateTime &t)
{
    return t.isValid() ? t.toString(Qt::ISODateWithMs) : QStringLiteral("-");
}

void printSummary(const dd::LogSummary &s)
{
    QTextStream out(stdout);
    out << s.records << " records, " << s.classified << " classified, in " << s.files.size() << " input(s)\n";
    for (const dd::LogFileReport &f : s.files) {
        out << "  " << f.file << ": "
            << (f.readable ? QStringLiteral("%1 lines, %2")
                                 .arg(f.lines)
                                 .arg(f.format.isEmpty() ? QStringLiteral("empty") : f.format)
                           : QStringLiteral("unreadable"))
            << '\n';
    }
    if (s.entries.isEmpty()) {
        out << "No line names a cause.\n";
        return;
    }
    out << '\n'
        << QStringLiteral("%1 %2 %3 %4 %5\n")
               .arg(QStringLiteral("CAUSE / SIGNAL"), -38)
               .arg(QStringLiteral("KIND"), -8)
               .arg(QStringLiteral("LINES"), 9)
               .arg(QStringLiteral("FIRST (UTC)"), -25)
               .arg(QStringLiteral("LAST (UTC)"));
    for (const dd::LogSummaryEntry &e : s.entries) {
        out << QStringLiteral("%1 %2 %3 %4 %5\n")
                   .arg(e.id, -38)
                   .arg(dd::lineKindName(e.kind), -8)
                   .arg(e.count, 9)
                   .arg(printable(e.first), -25)
                   .arg(printable(e.last));
    }
}

bool printSummaryAs(bool json, const QString &jsonFile, const dd::LogSummary &s)
{
    if (!json) {
        printSummary(s);
        return true;
    }
    return writeJsonOutput(QJsonDocument(s.toJson()).toJson(QJsonDocument::Indented), jsonFile);
}

// Lines of a stream source (journal, container, remote host) to the writer; its failure is the
// one line on stderr, and the loop ends when the source does.
void wireSource(dd::LogStreamSource *source, QEventLoop *loop, LineWriter *writer, bool printLines,
                bool *failure = nullptr)
{
    QObject::connect(source, &dd::LogStreamSource::linesClassified, loop, [=](const QList<dd::ClassifiedLine> &lines) {
        if (printLines) {
            writer->write(lines);
            writer->flush();
        }
        for (const dd::ClassifiedLine &l : lines) {
            if (failure)
                *failure = *failure || l.isFailure();
        }
    });
    QObject::connect(source, &dd::LogStreamSource::problemFound, loop, [](const QString &m) { printError(m); });
    QObject::connect(source, &dd::LogStreamSource::sourceFailed, loop, [](const QString &m) { printError(m); });
    QObject::connect(source, &dd::LogStreamSource::followStopped, loop, &QEventLoop::quit);
}

int exitCodeFor(const dd::LogSummary &s)
{
    if (s.hasFailure())
        return ExitCode::Problem;
    return s.hasUnreadable() ? ExitCode::Usage : ExitCode::Healthy;
}

int runClassify(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Classifies log lines against the failure catalog; prints one JSON object per line "
                       "{file, line, time, format, cause, fields} (cause is null when no rule matched).\n"
                       "Exit code 1 when a line names a failure."));
    parser.addPositionalArgument(QStringLiteral("classify"), QStringLiteral("The subcommand."),
                                 QStringLiteral("classify"));
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("Log files; '-' reads standard input (a paste)."),
                                 QStringLiteral("FILE...|-"));
    CommonOptions common;
    common.addTo(parser);
    const QCommandLineOption summaryOpt(
        QStringLiteral("summary"), QStringLiteral("Print counts per cause with first and last time instead of lines."));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("With --summary: JSON on stdout."));
    const QCommandLineOption jsonFileOpt(QStringLiteral("json-file"), QStringLiteral("With --summary: JSON to FILE."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption tailOpt(QStringLiteral("tail"), QStringLiteral("Read only the last BYTES of each file."),
                                     QStringLiteral("BYTES"));
    const QCommandLineOption untilOpt(QStringLiteral("until"), QStringLiteral("With --journal: entries until TIME."),
                                      QStringLiteral("TIME"));
    parser.addOptions({summaryOpt, jsonOpt, jsonFileOpt, tailOpt, untilOpt});
    int exitCode = 0;
    if (!parseArguments(parser, args, &exitCode))
        return exitCode;
    const QStringList files = parser.positionalArguments().mid(1);
    const bool journal = common.readsJournal(parser);
    if (files.isEmpty() == !journal) {
        printError(journal ? QStringLiteral("logs classify reads FILE... or --journal UNIT, not both")
                           : QStringLiteral("logs classify needs FILE..., - or --journal UNIT (see --help)"));
        return ExitCode::Usage;
    }
    dd::LogClassifier classifier;
    dd::LogScanOptions options;
    if (!makeClassifier(parser, common, &classifier, &options.format))
        return ExitCode::Usage;
    const bool summary = parser.isSet(summaryOpt);
    options.emitLines = !summary;
    options.onlyClassified = parser.isSet(common.classified);
    options.batchSize = 1024;
    if (parser.isSet(tailOpt)) {
        bool ok = false;
        options.tailBytes = parser.value(tailOpt).toLongLong(&ok);
        if (!ok || options.tailBytes <= 0) {
            printError(QStringLiteral("--tail needs a positive number of bytes"));
            return ExitCode::Usage;
        }
    }

    LineWriter writer(parser.isSet(common.text), parser.isSet(common.withText));
    dd::LogSummary result;
    QEventLoop loop;
    if (journal) {
        dd::JournalSource source;
        source.setClassifier(classifier);
        source.setOnlyClassified(options.onlyClassified);
        source.setFollow(false);
        common.configure(&source, parser);
        source.setUntil(parser.value(untilOpt));
        wireSource(&source, &loop, &writer, options.emitLines);
        source.start();
        if (source.isRunning())
            loop.exec();
        writer.flush();
        if (source.hasFailed())
            return ExitCode::Usage;
        result = source.summary();
        if (summary &&
            !printSummaryAs(parser.isSet(jsonOpt) || parser.isSet(jsonFileOpt), parser.value(jsonFileOpt), result))
            return ExitCode::Incomplete;
        return exitCodeFor(result);
    }
    dd::LogScanner scanner;
    scanner.setClassifier(classifier);
    QObject::connect(&scanner, &dd::LogScanner::linesClassified, &loop,
                     [&writer](const QList<dd::ClassifiedLine> &lines) { writer.write(lines); });
    QObject::connect(&scanner, &dd::LogScanner::problemFound, &loop, [](const QString &m) { printError(m); });
    QObject::connect(&scanner, &dd::LogScanner::scanFinished, &loop, [&](const dd::LogSummary &s) {
        result = s;
        loop.quit();
    });
    scanner.scan(files, options);
    loop.exec();
    writer.flush();
    if (summary &&
        !printSummaryAs(parser.isSet(jsonOpt) || parser.isSet(jsonFileOpt), parser.value(jsonFileOpt), result))
        return ExitCode::Incomplete;
    return exitCodeFor(result);
}

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(signalPipe[1], &c, 1);
}

// The stream source the options name, or null for files; prints why not on a bad combination.
std::unique_ptr<dd::LogStreamSource> makeStreamSource(const QCommandLineParser &p, const CommonOptions &o,
                                                      const QCommandLineOption &docker, const QCommandLineOption &ssh,
                                                      const QStringList &paths, bool *ok)
{
    *ok = false;
    const int kinds = int(o.readsJournal(p)) + int(p.isSet(docker)) + int(p.isSet(ssh));
    if (kinds > 1) {
        printError(QStringLiteral("logs follow takes one of --journal, --docker and --ssh"));
        return nullptr;
    }
    if (kinds == 0) {
        *ok = !paths.isEmpty();
        if (!*ok)
            printError(QStringLiteral("logs follow needs FILE or GLOB, --journal, --docker or --ssh (see --help)"));
        return nullptr;
    }
    if (!p.isSet(ssh) && !paths.isEmpty()) {
        printError(QStringLiteral("files are followed on their own, not with --journal or --docker"));
        return nullptr;
    }
    if (o.readsJournal(p)) {
        auto source = std::make_unique<dd::JournalSource>();
        o.configure(source.get(), p);
        *ok = true;
        return source;
    }
    if (p.isSet(docker)) {
        auto source = std::make_unique<dd::DockerLogSource>();
        source->setContainer(p.value(docker));
        *ok = true;
        return source;
    }
    const QString bad = dd::SshTailSource::checkArguments(p.value(ssh), paths);
    if (!bad.isEmpty()) {
        printError(bad);
        return nullptr;
    }
    auto source = std::make_unique<dd::SshTailSource>();
    source->setHost(p.value(ssh));
    source->setFiles(paths);
    *ok = true;
    return source;
}

int runFollow(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Follows log files like tail -F (rotation, truncation, new files matching a glob), a "
                       "systemd unit's journal, a Docker container's log (Engine API socket; DOCKER_HOST) or files "
                       "on another host (ssh HOST tail -F; DD_SSH overrides ssh), and prints each new line "
                       "classified, one JSON object per line. Stops on Ctrl-C."));
    parser.addPositionalArgument(QStringLiteral("follow"), QStringLiteral("The subcommand."), QStringLiteral("follow"));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Files or quoted glob patterns."),
                                 QStringLiteral("FILE|GLOB..."));
    CommonOptions common;
    common.addTo(parser);
    const QCommandLineOption fromStartOpt(
        QStringLiteral("from-start"), QStringLiteral("Read existing content first instead of starting at the end."));
    const QCommandLineOption forOpt(QStringLiteral("for"), QStringLiteral("Stop after SECONDS."),
                                    QStringLiteral("SECONDS"));
    const QCommandLineOption dockerOpt(QStringLiteral("docker"),
                                       QStringLiteral("Follow the log of CONTAINER through the Docker Engine API."),
                                       QStringLiteral("CONTAINER"));
    const QCommandLineOption sshOpt(QStringLiteral("ssh"),
                                    QStringLiteral("Follow FILE... on HOST through 'ssh HOST tail -F' (your ssh "
                                                   "config and agent; nothing is stored)."),
                                    QStringLiteral("HOST"));
    parser.addOptions({fromStartOpt, forOpt, dockerOpt, sshOpt});
    int exitCode = 0;
    if (!parseArguments(parser, args, &exitCode))
        return exitCode;
    const QStringList paths = parser.positionalArguments().mid(1);
    dd::LogClassifier classifier;
    dd::LogFormat format = dd::LogFormat::Auto;
    bool ok = false;
    std::unique_ptr<dd::LogStreamSource> source = makeStreamSource(parser, common, dockerOpt, sshOpt, paths, &ok);
    if (!ok || !makeClassifier(parser, common, &classifier, &format))
        return ExitCode::Usage;
    int stopAfterMs = 0;
    if (parser.isSet(forOpt)) {
        const double seconds = parser.value(forOpt).toDouble(&ok);
        if (!ok || seconds <= 0) {
            printError(QStringLiteral("--for needs a positive number of seconds"));
            return ExitCode::Usage;
        }
        stopAfterMs = int(seconds * 1000);
    }

    LineWriter writer(parser.isSet(common.text), parser.isSet(common.withText));
    bool failure = false;
    QEventLoop loop;
    dd::LogFollower follower;
    std::function<void()> stop;
    if (source) {
        if (auto *docker = qobject_cast<dd::DockerLogSource *>(source.get()))
            docker->setFormat(format);
        else if (auto *ssh = qobject_cast<dd::SshTailSource *>(source.get()))
            ssh->setFormat(format);
        source->setClassifier(classifier);
        source->setFromStart(parser.isSet(fromStartOpt));
        source->setOnlyClassified(parser.isSet(common.classified));
        wireSource(source.get(), &loop, &writer, true, &failure);
        stop = [&source] { source->stop(); };
    } else {
        follower.setClassifier(classifier);
        follower.setFormat(format);
        follower.setFromStart(parser.isSet(fromStartOpt));
        follower.setOnlyClassified(parser.isSet(common.classified));
        QObject::connect(&follower, &dd::LogFollower::linesClassified, &loop,
                         [&](const QList<dd::ClassifiedLine> &lines) {
                             writer.write(lines);
                             writer.flush();
                             for (const dd::ClassifiedLine &l : lines)
                                 failure = failure || l.isFailure();
                         });
        QObject::connect(&follower, &dd::LogFollower::problemFound, &loop, [](const QString &m) { printError(m); });
        QObject::connect(&follower, &dd::LogFollower::followStopped, &loop, &QEventLoop::quit);
        stop = [&follower] { follower.stop(); };
    }

    // SIGINT/SIGTERM reach the event loop through a pipe (a handler may only write(2)).
    if (::pipe(signalPipe) != 0) {
        printError(QStringLiteral("cannot create a pipe for signals"));
        return ExitCode::Incomplete;
    }
    QSocketNotifier notifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &loop, [&stop] { stop(); });
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    if (stopAfterMs > 0)
        QTimer::singleShot(stopAfterMs, &loop, [&stop] { stop(); });
    bool running = true;
    if (source) {
        source->start();
        running = source->isRunning();
    } else {
        follower.follow(paths);
        if (follower.followedFiles().isEmpty())
            printError(
                QStringLiteral("no file matches %1 yet; waiting for one to appear").arg(paths.join(QLatin1Char(' '))));
    }
    if (running)
        loop.exec();
    writer.flush();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (source && source->hasFailed())
        return ExitCode::Usage;
    return failure ? ExitCode::Problem : ExitCode::Healthy;
}

int runRules(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Lists the classification rules (resources/logs/rules.json)."));
    parser.addPositionalArgument(QStringLiteral("rules"), QStringLiteral("The subcommand."), QStringLiteral("rules"));
    int exitCode = 0;
    if (!parseArguments(parser, args, &exitCode))
        return exitCode;
    const dd::LogClassifier classifier;
    if (!classifier.loadError().isEmpty()) {
        printError(classifier.loadError());
        return ExitCode::Incomplete;
    }
    QTextStream out(stdout);
    const auto &rules = classifier.rules();
    for (const dd::LogRule &r : rules.rules()) {
        const dd::RuleOutcome &o = rules.outcomes().at(r.outcome);
        out << QStringLiteral("%1 %2 %3\n").arg(r.id, -32).arg(dd::lineKindName(o.kind), -8).arg(o.id);
    }
    return ExitCode::Healthy;
}

} // namespace

int runLogsCommand(const QStringList &args)
{
    const QString sub = args.value(1);
    // The subcommand parsers see "logs SUB ...": QCommandLineParser skips the first word.
    if (sub == QLatin1String("classify"))
        return runClassify(args);
    if (sub == QLatin1String("follow"))
        return runFollow(args);
    if (sub == QLatin1String("rules"))
        return runRules(args);
    if (sub == QLatin1String("formats")) {
        QTextStream(stdout) << dd::logFormatNames().join(QLatin1Char('\n')) << '\n';
        return ExitCode::Healthy;
    }
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        QTextStream(stdout) << usage;
        return ExitCode::Healthy;
    }
    printError(sub.isEmpty() ? QStringLiteral("logs needs a subcommand: classify, follow, rules, formats")
                             : QStringLiteral("unknown logs subcommand '%1' (see logs --help)").arg(sub));
    return ExitCode::Usage;
}
