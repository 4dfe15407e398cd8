#include "probecliutil.h"

#include "probe/activeprobe.h"
#include "probe/probeevidence.h"
#include "util/hostport.h"
#include "util/secretfile.h"

#include <QFile>
#include <QTextStream>

#include <memory>

using namespace probecli;

namespace {

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
     "verification against the system store without fetching intermediates (as Node.js and PHP curl);\n"
     "then which of TLS 1.0, 1.1, 1.2 and 1.3 the server accepts, one handshake each.",
     "ca-file servername no-version-sweep"},
    {dd::ProbeKind::WebSocket, "URL",
     "Document Server's co-editing handshake through URL: GET /doc/<key>/c/?EIO=4&transport=websocket\n"
     "with the Upgrade headers, expecting 101 (or, with --polling, an engine.io open packet).",
     "key polling connect-to insecure"},
    {dd::ProbeKind::Docserver, "URL",
     "checks a Document Server address: /healthcheck body, /welcome/, api.js, /info/info.json and\n"
     "CommandService {\"c\":\"version\"} signed with the JWT secret (header and body); with --serve-on\n"
     "also the ConvertService round trip: DS must fetch a .docx this tool serves on that address.",
     "jwt-secret-file jwt-secret-keychain jwt-header connect-to insecure serve-on serve-url"},
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
     "this host: listening TCP sockets with bind address and owner, Document Server units, and the\n"
     "onlyoffice/documentserver containers of the Docker Engine ($DOCKER_HOST or /var/run/docker.sock).",
     ""},
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

} // namespace

int runProbeGeneric(dd::ProbeKind kind, const QStringList &args)
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
        {QStringLiteral("jwt-secret-keychain"),
         QStringLiteral("System keychain entry holding the JWT secret (store it with 'secret set NAME')."),
         QStringLiteral("NAME")},
        {QStringLiteral("jwt-header"), QStringLiteral("Header for the token (default Authorization)."),
         QStringLiteral("NAME")},
        {QStringLiteral("password-file"), QStringLiteral("File holding the password (never printed)."),
         QStringLiteral("FILE")},
        {QStringLiteral("user"), QStringLiteral("User name."), QStringLiteral("NAME")},
        {QStringLiteral("database"), QStringLiteral("Database (default onlyoffice)."), QStringLiteral("NAME")},
        {QStringLiteral("sslmode"), QStringLiteral("libpq sslmode (default prefer)."), QStringLiteral("MODE")},
        {QStringLiteral("vhost"), QStringLiteral("Virtual host (default /)."), QStringLiteral("VHOST")},
        {QStringLiteral("no-version-sweep"), QStringLiteral("Skip the handshakes with one TLS version each.")},
        {QStringLiteral("serve-on"),
         QStringLiteral("Serve a .docx on IP:PORT (port 0: any) and ask ConvertService to convert it."),
         QStringLiteral("IP:PORT")},
        {QStringLiteral("serve-url"),
         QStringLiteral("Base URL Document Server fetches that file from (default http://IP:PORT)."),
         QStringLiteral("URL")},
    };
    for (const QCommandLineOption &option : optional) {
        if (applies.contains(option.names().constLast()))
            parser.addOption(option);
    }
    QString given;
    int exitCode = 0;
    if (!parseProbeCommandLine(parser, args, name, QLatin1String(help->target), &given, &exitCode,
                               kind == dd::ProbeKind::Host))
        return exitCode;
    auto value = [&](const char *option) {
        const QString n = QLatin1String(option);
        return applies.contains(n) ? parser.value(n) : QString();
    };
    dd::ProbeSpec spec;
    spec.kind = kind;
    spec.target = given;
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
    spec.secretKeychain = value("jwt-secret-keychain");
    if (!value("jwt-header").isEmpty())
        spec.jwtHeader = value("jwt-header").toLatin1();
    spec.user = value("user");
    spec.database = value("database");
    spec.sslMode = value("sslmode");
    spec.vhost = value("vhost");
    spec.serveOn = value("serve-on");
    spec.serveUrl = value("serve-url");
    spec.tlsVersionSweep =
        !(applies.contains(QLatin1String("no-version-sweep")) && parser.isSet(QStringLiteral("no-version-sweep")));
    if (!spec.serveUrl.isEmpty() && spec.serveOn.isEmpty()) {
        printError(QStringLiteral("probe %1: --serve-url needs --serve-on").arg(name));
        return ExitCode::Usage;
    }

    QString error = dd::validateProbeSpec(spec);
    if (error.isEmpty() && !spec.secretFile.isEmpty()) {
        QByteArray ignored;
        dd::readSecretFile(spec.secretFile, &ignored, &error);
    }
    if (error.isEmpty() && !spec.secretKeychain.isEmpty())
        error = keychainProblem(spec.secretKeychain, spec.timeoutMs);
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
