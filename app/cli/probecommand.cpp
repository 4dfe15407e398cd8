#include "cliutil.h"
#include "commands.h"

#include "probe/activeprobe.h"
#include "probe/httpprobe.h"
#include "probe/probeevidence.h"
#include "probe/tcpprobe.h"
#include "util/hostport.h"
#include "util/redact.h"
#include "util/secretfile.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <memory>

namespace {

const char kindsHelp[] = "Kinds:\n"
                         "  tcp HOST:PORT   connect to every address HOST resolves to (localhost: ::1 and 127.0.0.1)\n"
                         "  http URL        one HTTP/1.1 exchange, timed phase by phase (dns, connect, tls, sent,\n"
                         "                  first byte, total)\n"
                         "  dns NAME        system resolution (getaddrinfo): every address and the time taken\n"
                         "  tls HOST[:PORT] handshake, chain as sent, name match, expiry, verification without AIA\n"
                         "  websocket URL   Document Server's socket.io handshake (/doc/<key>/c/?EIO=4&transport=...)\n"
                         "  docserver URL   healthcheck, welcome, api.js, info.json, CommandService version (JWT)\n"
                         "  redis HOST[:PORT]     PING, AUTH, INFO server\n"
                         "  postgres HOST[:PORT]  auth method, login, SELECT 1, Document Server tables\n"
                         "  amqp HOST[:PORT]      AMQP 0-9-1 greeting; with credentials Tune and Open on the vhost\n"
                         "  host [PORTS]    listening sockets of this host and Document Server units\n";

const char exitHelp[] = "Exit status: 0 the probe ran and the target is healthy (tcp: connected; http: a complete\n"
                        "response with status below 500), 1 it ran and found a problem (refused, timeout, reset,\n"
                        "closed early, malformed, TLS or DNS failure, or HTTP status 500 and above), 2 bad usage,\n"
                        "3 could not complete.";

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
    // One pass of the event loop first: its one-time set-up is not part of the exchange timed.
    QCoreApplication::processEvents();
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
    if (!parseArguments(parser, foldOptionalJsonValue(args, JsonFileWord::NamedJson), &exitCode))
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
    if (!parseArguments(parser, foldOptionalJsonValue(args, JsonFileWord::NamedJson), &exitCode))
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

struct KindHelp
{
    dd::ProbeKind kind;
    const char *target;
    const char *description;
    const char *options; ///< which of the optional options below apply
};

const KindHelp kindHelps[] = {
    {dd::ProbeKind::Dns, "NAME", "resolves NAME with getaddrinfo (hosts file included) and lists every address.", ""},
    {dd::ProbeKind::Tls, "HOST[:PORT]|https://URL",
     "TLS handshake with OpenSSL: protocol, cipher, the chain as sent, name match, expiry, and\n"
     "verification against the system store without fetching intermediates (as Node.js and PHP curl).",
     "ca-file servername"},
    {dd::ProbeKind::WebSocket, "URL",
     "Document Server's co-editing handshake through URL: GET /doc/<key>/c/?EIO=4&transport=websocket\n"
     "with the Upgrade headers, expecting 101 (or, with --polling, an engine.io open packet).",
     "key polling connect-to insecure"},
    {dd::ProbeKind::Docserver, "URL",
     "checks a Document Server address: /healthcheck body, /welcome/, api.js, /info/info.json and\n"
     "CommandService {\"c\":\"version\"} signed with the JWT secret (header and body).",
     "jwt-secret-file jwt-header connect-to insecure"},
    {dd::ProbeKind::Redis, "HOST[:PORT]", "Redis: AUTH (with --password-file), PING, INFO server.",
     "password-file user"},
    {dd::ProbeKind::Postgres, "HOST[:PORT]",
     "PostgreSQL: the authentication method offered, login (libpq), SELECT 1, and the Document Server\n"
     "tables task_result and doc_changes with their columns.",
     "password-file user database sslmode"},
    {dd::ProbeKind::Amqp, "HOST[:PORT]",
     "AMQP 0-9-1: Connection.Start (product, version); with --user or --password-file also\n"
     "Start-Ok, Tune (frame_max) and Open on the vhost.",
     "password-file user vhost"},
    {dd::ProbeKind::Host, "[PORT,PORT...]",
     "this host: listening TCP sockets with bind address and owner, Document Server units.", ""},
};

const KindHelp *helpFor(dd::ProbeKind kind)
{
    for (const KindHelp &help : kindHelps) {
        if (help.kind == kind)
            return &help;
    }
    return nullptr;
}

void printResultText(const dd::ProbeResult &result)
{
    QTextStream out(stdout);
    for (const dd::Evidence &evidence : result.evidence) {
        out << '[' << dd::healthName(evidence.health) << "] " << evidence.summary << '\n';
        const QStringList details = evidence.detail.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString &line : details)
            out << "    " << line << '\n';
        if (!evidence.excerpt.isEmpty() && result.evidence.size() == 1) {
            out << '\n';
            const QStringList lines = evidence.excerpt.split(QLatin1Char('\n'));
            for (const QString &line : lines)
                out << "  | " << line << '\n';
        }
    }
    if (result.evidence.isEmpty() && !result.error.isEmpty())
        out << "error: " << result.error << '\n';
    const dd::ProbeTimings &t = result.timings;
    out << "\noutcome " << dd::probeOutcomeName(result.outcome) << "; ms since start: dns " << dd::formatMs(t.dns)
        << ", connect " << dd::formatMs(t.connect) << ", tls " << dd::formatMs(t.tls) << ", first reply "
        << dd::formatMs(t.ttfb) << ", total " << dd::formatMs(t.total) << '\n';
}

int runGeneric(dd::ProbeKind kind, const QStringList &args)
{
    const KindHelp *help = helpFor(kind);
    const QString name = dd::probeKindName(kind);
    const QStringList applies = QString::fromLatin1(help->options).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("probe %1 %2 - %3\n").arg(name, QLatin1String(help->target), QLatin1String(help->description)) +
        QLatin1String(exitHelp));
    parser.addPositionalArgument(name, QStringLiteral("The probe kind."), name);
    parser.addPositionalArgument(QStringLiteral("TARGET"), QStringLiteral("What to check."),
                                 QLatin1String(help->target));
    parser.addOption(
        {QStringLiteral("timeout"), QStringLiteral("Bound on the whole check (default 10000)."), QStringLiteral("MS")});
    parser.addOption({QStringLiteral("connect-timeout"), QStringLiteral("Per address connect bound (default 3000)."),
                      QStringLiteral("MS")});
    const QList<QCommandLineOption> optional = {
        {QStringLiteral("ca-file"), QStringLiteral("Also verify against this CA bundle (PEM)."),
         QStringLiteral("FILE")},
        {QStringLiteral("servername"), QStringLiteral("Name to send as SNI and to match (default the host)."),
         QStringLiteral("NAME")},
        {QStringLiteral("key"), QStringLiteral("Document key in /doc/<key>/c/ (default docserver-doctor)."),
         QStringLiteral("KEY")},
        {QStringLiteral("polling"), QStringLiteral("Use the socket.io polling transport instead of the upgrade.")},
        {QStringLiteral("connect-to"),
         QStringLiteral("Connect to HOST:PORT instead, keeping the URL's Host header and TLS name."),
         QStringLiteral("HOST:PORT")},
        {{QStringLiteral("k"), QStringLiteral("insecure")}, QStringLiteral("Carry on past certificate problems.")},
        {QStringLiteral("jwt-secret-file"), QStringLiteral("File holding the JWT secret (never printed)."),
         QStringLiteral("FILE")},
        {QStringLiteral("jwt-header"), QStringLiteral("Header for the token (default Authorization)."),
         QStringLiteral("NAME")},
        {QStringLiteral("password-file"), QStringLiteral("File holding the password (never printed)."),
         QStringLiteral("FILE")},
        {QStringLiteral("user"), QStringLiteral("User name."), QStringLiteral("NAME")},
        {QStringLiteral("database"), QStringLiteral("Database (default onlyoffice)."), QStringLiteral("NAME")},
        {QStringLiteral("sslmode"), QStringLiteral("libpq sslmode (default prefer)."), QStringLiteral("MODE")},
        {QStringLiteral("vhost"), QStringLiteral("Virtual host (default /)."), QStringLiteral("VHOST")},
    };
    for (const QCommandLineOption &option : optional) {
        if (applies.contains(option.names().constLast()))
            parser.addOption(option);
    }
    addJsonOptions(parser);
    if (printedHelp(parser, args, QStringLiteral("probe %1 %2 [options]").arg(name, QLatin1String(help->target))))
        return ExitCode::Healthy;
    int exitCode = 0;
    if (!parseArguments(parser, foldOptionalJsonValue(args, JsonFileWord::NamedJson), &exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2 && !(kind == dd::ProbeKind::Host && positional.size() == 1)) {
        printError(
            QStringLiteral("probe %1 takes one %2 (see probe %1 --help)").arg(name, QLatin1String(help->target)));
        return ExitCode::Usage;
    }
    auto value = [&](const char *option) {
        const QString n = QLatin1String(option);
        return applies.contains(n) ? parser.value(n) : QString();
    };
    dd::ProbeSpec spec;
    spec.kind = kind;
    spec.target = positional.value(1);
    if (!intOption(parser, QStringLiteral("timeout"), 10000, &spec.timeoutMs) ||
        !intOption(parser, QStringLiteral("connect-timeout"), 3000, &spec.connectTimeoutMs))
        return ExitCode::Usage;
    spec.caFile = value("ca-file");
    spec.serverName = value("servername");
    spec.docKey = value("key");
    spec.polling = applies.contains(QLatin1String("polling")) && parser.isSet(QStringLiteral("polling"));
    spec.connectTo = value("connect-to");
    spec.ignoreTlsErrors = applies.contains(QLatin1String("insecure")) && parser.isSet(QStringLiteral("insecure"));
    spec.secretFile = kind == dd::ProbeKind::Docserver ? value("jwt-secret-file") : value("password-file");
    if (!value("jwt-header").isEmpty())
        spec.jwtHeader = value("jwt-header").toLatin1();
    spec.user = value("user");
    spec.database = value("database");
    spec.sslMode = value("sslmode");
    spec.vhost = value("vhost");

    QString error = dd::validateProbeSpec(spec);
    if (error.isEmpty() && !spec.secretFile.isEmpty()) {
        QByteArray ignored;
        dd::readSecretFile(spec.secretFile, &ignored, &error);
    }
    if (error.isEmpty() && !spec.caFile.isEmpty() && !QFile::exists(spec.caFile))
        error = QStringLiteral("CA file '%1' does not exist").arg(spec.caFile);
    if (error.isEmpty() && !spec.connectTo.isEmpty()) {
        dd::HostPort ignored;
        if (!dd::parseHostPort(spec.connectTo, &ignored, &error, 1))
            error = QStringLiteral("--connect-to ") + error;
    }
    if (error.isEmpty() && !isToken(QString::fromLatin1(spec.jwtHeader)))
        error = QStringLiteral("--jwt-header '%1' is not a valid header name").arg(QString::fromLatin1(spec.jwtHeader));
    if (!error.isEmpty()) {
        printError(QStringLiteral("probe %1: %2").arg(name, error));
        return ExitCode::Usage;
    }

    std::unique_ptr<dd::ActiveProbe> probe(dd::createProbe(kind));
    dd::ProbeResult result;
    QEventLoop loop;
    QObject::connect(probe.get(), &dd::ActiveProbe::finished, &loop, [&](const dd::ProbeResult &r) {
        result = r;
        loop.quit();
    });
    QCoreApplication::processEvents();
    probe->start(spec);
    loop.exec();

    if (wantsJson(parser)) {
        if (!emitJson(parser, dd::probeResultToJson(result)))
            return ExitCode::Incomplete;
    } else {
        printResultText(result);
    }
    return exitCodeFor(result.outcome, result.isHealthy());
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
        printError(QStringLiteral("probe needs a KIND (see probe --help)"));
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
    dd::ProbeKind probeKind = dd::ProbeKind::Tcp;
    if (dd::probeKindFromName(kind, &probeKind))
        return runGeneric(probeKind, args);
    printError(QStringLiteral("unknown probe kind '%1'; available: tcp, dns, http, tls, websocket, docserver, redis, "
                              "postgres, amqp, host (see probe --help)")
                   .arg(kind));
    return ExitCode::Usage;
}
