#include "commands.h"
#include "probecliutil.h"

#include "probe/probespec.h"

#include <QTextStream>

namespace {

const char kindsHelp[] = "Kinds:\n"
                         "  tcp HOST:PORT   connect to every address HOST resolves to (localhost: ::1 and 127.0.0.1)\n"
                         "  http URL        one HTTP/1.1 exchange, timed phase by phase (dns, connect, tls, sent,\n"
                         "                  first byte, total)\n"
                         "  dns NAME        system resolution (getaddrinfo): every address and the time taken\n"
                         "  tls HOST[:PORT] handshake, chain as sent, name match, expiry, verification without AIA,\n"
                         "                  TLS 1.0/1.1/1.2/1.3 accepted\n"
                         "  websocket URL   Document Server's socket.io handshake (/doc/<key>/c/?EIO=4&transport=...)\n"
                         "  docserver URL   healthcheck, welcome, api.js, info.json, CommandService version (JWT);\n"
                         "                  --serve-on IP:PORT adds the ConvertService round trip\n"
                         "  redis HOST[:PORT]     PING, AUTH, INFO server\n"
                         "  postgres HOST[:PORT]  auth method, login, SELECT 1, Document Server tables\n"
                         "  amqp HOST[:PORT]      AMQP 0-9-1 greeting; with credentials Tune and Open on the vhost\n"
                         "  host [PORTS]    listening sockets of this host, Document Server units and containers\n";

void printKinds()
{
    QTextStream out(stdout);
    out << "Usage: docserver-doctor-cli probe KIND TARGET [options]\n\n"
           "Runs one active check and prints what it saw. 'probe KIND --help' describes each kind.\n\n"
        << kindsHelp << '\n'
        << probecli::exitHelp << '\n';
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
        return runProbeTcp(args);
    if (kind == QLatin1String("http"))
        return runProbeHttp(args);
    dd::ProbeKind probeKind = dd::ProbeKind::Tcp;
    if (dd::probeKindFromName(kind, &probeKind))
        return runProbeGeneric(probeKind, args);
    printError(QStringLiteral("unknown probe kind '%1'; available: tcp, dns, http, tls, websocket, docserver, redis, "
                              "postgres, amqp, host (see probe --help)")
                   .arg(kind));
    return ExitCode::Usage;
}
