#include "cliutil.h"
#include "commands.h"

#include "probe/httpprobe.h"
#include "probe/probeevidence.h"
#include "probe/tcpprobe.h"
#include "util/hostport.h"
#include "util/redact.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace {

const char kindsHelp[] = "Kinds:\n"
                         "  tcp HOST:PORT   connect to every address HOST resolves to (localhost: ::1 and 127.0.0.1)\n"
                         "  http URL        one HTTP/1.1 exchange, timed phase by phase (dns, connect, tls, sent,\n"
                         "                  first byte, total)\n"
                         "Not built yet: dns, tls, websocket, docserver, redis, postgres, amqp, host.\n";

const char exitHelp[] = "Exit status: 0 the probe ran and the target is healthy (tcp: connected; http: a complete\n"
                        "response with status below 500), 1 it ran and found a problem (refused, timeout, reset,\n"
                        "closed early, malformed, TLS or DNS failure, or HTTP status 500 and above), 2 bad usage,\n"
                        "3 could not complete.";

const QStringList notBuiltKinds = {QStringLiteral("dns"),       QStringLiteral("tls"),   QStringLiteral("websocket"),
                                   QStringLiteral("docserver"), QStringLiteral("redis"), QStringLiteral("postgres"),
                                   QStringLiteral("amqp"),      QStringLiteral("host")};

// "--json" takes an optional FILE (architecture: CLI contracts). QCommandLineParser has no
// optional values, and a probe's target is a bare word too, so only a following word that
// names a .json file (or "-", stdout) is taken as the file.
QStringList foldOptionalJsonValue(const QStringList &args)
{
    QStringList out;
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--json") && i + 1 < args.size() &&
            (args.at(i + 1).endsWith(QLatin1String(".json"), Qt::CaseInsensitive) ||
             args.at(i + 1) == QLatin1String("-"))) {
            out << QStringLiteral("--json-file=") + args.at(i + 1);
            ++i;
        } else {
            out << args.at(i);
        }
    }
    return out;
}

void addJsonOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("json"), QStringLiteral("Write JSON to stdout (or --json FILE.json).")});
    parser.addOption({QStringLiteral("json-file"), QStringLiteral("Write JSON to FILE."), QStringLiteral("FILE")});
}

bool intOption(const QCommandLineParser &parser, const QString &name, int fallback, int *value)
{
    if (!parser.isSet(name)) {
        *value = fallback;
        return true;
    }
    bool ok = false;
    *value = parser.value(name).toInt(&ok);
    if (!ok || *value <= 0) {
        printError(QStringLiteral("--%1 '%2' is not a positive number of milliseconds").arg(name, parser.value(name)));
        return false;
    }
    return true;
}

QJsonValue msJson(double ms)
{
    return ms < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(qRound(ms * 1000) / 1000.0);
}

QJsonValue errorJson(const QString &error)
{
    return error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(error);
}

bool emitJson(const QCommandLineParser &parser, const QJsonObject &object)
{
    const QString target =
        parser.isSet(QStringLiteral("json-file")) ? parser.value(QStringLiteral("json-file")) : QStringLiteral("-");
    return writeJsonOutput(QJsonDocument(object).toJson(QJsonDocument::Indented).trimmed(), target);
}

bool wantsJson(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("json")) || parser.isSet(QStringLiteral("json-file"));
}

// Handles --help with a usage line that names the subcommand (QCommandLineParser would name the
// executable's full path); false when help was not asked for.
bool printedHelp(QCommandLineParser &parser, const QStringList &args, const QString &usage)
{
    if (!args.contains(QLatin1String("--help")) && !args.contains(QLatin1String("-h")))
        return false;
    parser.addHelpOption();
    QString text = parser.helpText();
    const qsizetype firstLineEnd = text.indexOf(QLatin1Char('\n'));
    text.replace(0, firstLineEnd, QStringLiteral("Usage: docserver-doctor-cli ") + usage);
    QTextStream(stdout) << text;
    return true;
}

int exitCodeFor(dd::ProbeOutcome outcome, bool healthy)
{
    if (outcome == dd::ProbeOutcome::Error || outcome == dd::ProbeOutcome::Cancelled)
        return ExitCode::Incomplete;
    return healthy ? ExitCode::Healthy : ExitCode::Problem;
}

template <typename Probe, typename Result, typename Start> Result runToEnd(Start start)
{
    Probe probe;
    Result result;
    QEventLoop loop;
    QObject::connect(&probe, &Probe::finished, &loop, [&](const Result &r) {
        result = r;
        loop.quit();
    });
    start(probe);
    loop.exec();
    return result;
}

int runTcp(const QStringList &args)
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
    addJsonOptions(parser);
    if (printedHelp(parser, args, QStringLiteral("probe tcp HOST:PORT [options]")))
        return ExitCode::Healthy;
    int exitCode = 0;
    if (!parseArguments(parser, foldOptionalJsonValue(args), &exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2) {
        printError(QStringLiteral("probe tcp takes one HOST:PORT (see probe tcp --help)"));
        return ExitCode::Usage;
    }
    dd::HostPort target;
    QString error;
    if (!dd::parseHostPort(positional.at(1), &target, &error)) {
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

// An HTTP token (RFC 9110 5.6.2): what a method or a header name may be made of.
bool isToken(const QString &text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f || QStringLiteral("\"(),/:;<=>?@[\\]{}").contains(c))
            return false;
    }
    return true;
}

bool parseHeader(const QString &text, QPair<QByteArray, QByteArray> *header)
{
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    const QString name = colon > 0 ? text.left(colon).trimmed() : QString();
    if (!isToken(name) || text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'))) {
        // The value is not echoed: a malformed header may well be a credential.
        printError(QStringLiteral("-H: a header is not 'Name: value' on one line (name part: '%1')")
                       .arg(colon > 0 ? text.left(qMin<qsizetype>(colon, 40)) : QStringLiteral("none")));
        return false;
    }
    *header = {name.toLatin1(), text.mid(colon + 1).trimmed().toUtf8()};
    return true;
}

QJsonObject httpJson(const dd::HttpProbeResult &result, bool healthy)
{
    QJsonArray headers;
    for (const auto &header : result.headers) {
        headers.append(QJsonObject{
            {QStringLiteral("name"), QString::fromLatin1(header.first)},
            {QStringLiteral("value"), QString::fromUtf8(dd::redactHeaderValue(header.first, header.second))}});
    }
    const dd::HttpTimings &t = result.timings;
    QJsonObject json{
        {QStringLiteral("schema"), QStringLiteral("docserver-doctor.probe.http/1")},
        {QStringLiteral("kind"), QStringLiteral("http")},
        {QStringLiteral("method"), QString::fromLatin1(result.request.method)},
        {QStringLiteral("url"), dd::redactUrl(result.request.url)},
        {QStringLiteral("outcome"), dd::probeOutcomeName(result.outcome)},
        {QStringLiteral("healthy"), healthy},
        {QStringLiteral("error"), errorJson(result.error)},
        {QStringLiteral("peer"), result.peer.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(result.peer)},
        {QStringLiteral("status"), result.status == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(result.status)},
        {QStringLiteral("status_line"), QString::fromUtf8(result.statusLine)},
        {QStringLiteral("server_kind"), result.serverKind()},
        {QStringLiteral("headers"), headers},
        {QStringLiteral("body"), dd::redactJwts(QString::fromUtf8(result.body.left(256)))},
        {QStringLiteral("body_bytes"), result.bodyBytes},
        {QStringLiteral("body_truncated"), result.bodyTruncated},
        {QStringLiteral("failed_connects"), QJsonArray::fromStringList(result.failedConnects)},
        {QStringLiteral("timings_ms"), QJsonObject{{QStringLiteral("dns"), msJson(t.dns)},
                                                   {QStringLiteral("connect"), msJson(t.connect)},
                                                   {QStringLiteral("tls"), msJson(t.tls)},
                                                   {QStringLiteral("sent"), msJson(t.sent)},
                                                   {QStringLiteral("ttfb"), msJson(t.ttfb)},
                                                   {QStringLiteral("total"), msJson(t.total)}}},
    };
    if (!result.request.connectTo.isEmpty())
        json.insert(QStringLiteral("connect_to"), result.request.connectTo);
    if (result.request.url.scheme() == QLatin1String("https")) {
        json.insert(QStringLiteral("tls"),
                    QJsonObject{{QStringLiteral("session"), result.tlsSession},
                                {QStringLiteral("errors"), QJsonArray::fromStringList(result.tlsErrors)}});
    }
    return json;
}

void printHttpText(const dd::HttpProbeResult &result)
{
    QTextStream out(stdout);
    out << dd::httpEvidence(result).summary << '\n';
    out << "outcome  " << dd::probeOutcomeName(result.outcome) << '\n';
    if (!result.peer.isEmpty())
        out << "peer     " << result.peer << '\n';
    if (!result.error.isEmpty())
        out << "error    " << result.error << '\n';
    for (const QString &failure : result.failedConnects)
        out << "tried    " << failure << '\n';
    if (!result.tlsSession.isEmpty())
        out << "tls      " << result.tlsSession << '\n';
    for (const QString &tlsError : result.tlsErrors)
        out << "cert     " << tlsError << '\n';
    if (!result.statusLine.isEmpty()) {
        out << '\n' << result.headerExcerpt() << '\n';
        const QString body = dd::redactJwts(QString::fromUtf8(result.body.left(256)).simplified());
        out << "\nbody (" << result.bodyBytes << " bytes" << (result.bodyTruncated ? ", truncated" : "")
            << "): " << body << '\n';
    }
    const dd::HttpTimings &t = result.timings;
    const QList<QPair<const char *, double>> phases = {{"dns", t.dns},   {"connect", t.connect}, {"tls", t.tls},
                                                       {"sent", t.sent}, {"ttfb", t.ttfb},       {"total", t.total}};
    out << "\nms since start\n";
    for (const auto &phase : phases) {
        out << "  " << QString::fromLatin1(phase.first).leftJustified(8)
            << (phase.second < 0 ? QStringLiteral("-") : QString::number(phase.second, 'f', 3)).rightJustified(12)
            << '\n';
    }
}

int runHttp(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("probe http URL - sends one HTTP/1.1 request on a raw socket and times every phase, like\n"
                       "curl -w. Every address the host resolves to is tried in turn until one connects.\n") +
        QLatin1String(exitHelp));
    parser.addPositionalArgument(QStringLiteral("http"), QStringLiteral("The probe kind."), QStringLiteral("http"));
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("http:// or https:// URL."));
    parser.addOption({{QStringLiteral("H"), QStringLiteral("header")},
                      QStringLiteral("Extra request header 'Name: value' (repeatable)."),
                      QStringLiteral("HEADER")});
    parser.addOption({{QStringLiteral("X"), QStringLiteral("method")},
                      QStringLiteral("Request method (default GET, or POST with --data)."),
                      QStringLiteral("METHOD")});
    parser.addOption(
        {{QStringLiteral("d"), QStringLiteral("data")}, QStringLiteral("Request body."), QStringLiteral("BODY")});
    parser.addOption({QStringLiteral("connect-to"),
                      QStringLiteral("Connect to HOST:PORT instead, keeping the URL's Host header and TLS name."),
                      QStringLiteral("HOST:PORT")});
    parser.addOption({QStringLiteral("timeout"), QStringLiteral("Bound on the whole exchange (default 15000)."),
                      QStringLiteral("MS")});
    parser.addOption({QStringLiteral("connect-timeout"), QStringLiteral("Per address connect bound (default 3000)."),
                      QStringLiteral("MS")});
    parser.addOption({{QStringLiteral("k"), QStringLiteral("insecure")},
                      QStringLiteral("Report certificate problems but carry on (like curl -k).")});
    addJsonOptions(parser);
    if (printedHelp(parser, args, QStringLiteral("probe http URL [options]")))
        return ExitCode::Healthy;
    int exitCode = 0;
    if (!parseArguments(parser, foldOptionalJsonValue(args), &exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2) {
        printError(QStringLiteral("probe http takes one URL (see probe http --help)"));
        return ExitCode::Usage;
    }

    dd::HttpRequestSpec spec;
    spec.url = QUrl(positional.at(1), QUrl::StrictMode);
    const QString scheme = spec.url.scheme();
    if (!spec.url.isValid() || spec.url.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        const QString given = dd::redactJwts(positional.at(1));
        printError(given.contains(QLatin1String("://"))
                       ? QStringLiteral("probe http: '%1' is not an http:// or https:// URL with a host").arg(given)
                       : QStringLiteral("probe http: '%1' has no scheme; did you mean http://%1 ?").arg(given));
        return ExitCode::Usage;
    }
    for (const QString &text : parser.values(QStringLiteral("header"))) {
        QPair<QByteArray, QByteArray> header;
        if (!parseHeader(text, &header))
            return ExitCode::Usage;
        spec.headers.append(header);
    }
    spec.body = parser.value(QStringLiteral("data")).toUtf8();
    spec.method = parser.isSet(QStringLiteral("method")) ? parser.value(QStringLiteral("method")).toLatin1()
                  : parser.isSet(QStringLiteral("data")) ? QByteArray("POST")
                                                         : QByteArray("GET");
    if (!isToken(QString::fromLatin1(spec.method))) {
        printError(QStringLiteral("--method '%1' is not a valid HTTP method").arg(QString::fromLatin1(spec.method)));
        return ExitCode::Usage;
    }
    if (parser.isSet(QStringLiteral("connect-to"))) {
        dd::HostPort ignored;
        QString error;
        spec.connectTo = parser.value(QStringLiteral("connect-to"));
        if (!dd::parseHostPort(spec.connectTo, &ignored, &error, 1)) {
            printError(QStringLiteral("--connect-to ") + error);
            return ExitCode::Usage;
        }
    }
    if (!intOption(parser, QStringLiteral("timeout"), 15000, &spec.timeoutMs) ||
        !intOption(parser, QStringLiteral("connect-timeout"), 3000, &spec.connectTimeoutMs))
        return ExitCode::Usage;
    spec.ignoreTlsErrors = parser.isSet(QStringLiteral("insecure"));

    const dd::HttpProbeResult result =
        runToEnd<dd::HttpProbe, dd::HttpProbeResult>([&](dd::HttpProbe &probe) { probe.start(spec); });
    const bool healthy = result.outcome == dd::ProbeOutcome::Ok && result.status < 500;
    if (wantsJson(parser)) {
        if (!emitJson(parser, httpJson(result, healthy)))
            return ExitCode::Incomplete;
    } else {
        printHttpText(result);
    }
    return exitCodeFor(result.outcome, healthy);
}

void printKinds()
{
    QTextStream out(stdout);
    out << "Usage: docserver-doctor-cli probe KIND TARGET [options]\n\n"
           "Runs one active check and prints what it saw. 'probe KIND --help' describes each kind.\n\n"
        << kindsHelp << '\n'
        << exitHelp << '\n';
}

} // namespace

int runProbeCommand(const QStringList &args)
{
    // args[0] is "probe".
    if (args.size() < 2) {
        printError(QStringLiteral("probe needs a KIND: tcp or http (see probe --help)"));
        return ExitCode::Usage;
    }
    const QString kind = args.at(1);
    if (kind == QLatin1String("--help") || kind == QLatin1String("-h") || kind == QLatin1String("help")) {
        printKinds();
        return ExitCode::Healthy;
    }
    // The parsers see "probe" as the program name, so the kind is their first positional word.
    if (kind == QLatin1String("tcp"))
        return runTcp(args);
    if (kind == QLatin1String("http"))
        return runHttp(args);
    if (notBuiltKinds.contains(kind)) {
        printError(QStringLiteral("probe kind '%1' is not built yet; available: tcp, http").arg(kind));
        return ExitCode::Incomplete;
    }
    printError(QStringLiteral("unknown probe kind '%1'; available: tcp, http (see probe --help)").arg(kind));
    return ExitCode::Usage;
}
