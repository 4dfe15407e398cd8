#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace dd {

/// The kinds of active check `docserver-doctor-cli probe KIND TARGET` runs.
enum class ProbeKind { Tcp, Dns, Http, Tls, WebSocket, Docserver, Redis, Postgres, Amqp, Host };

/// "tcp", "dns", "http", "tls", "websocket", "docserver", "redis", "postgres", "amqp", "host".
QString probeKindName(ProbeKind kind);
/// Parses a name probeKindName() returns; false for anything else.
bool probeKindFromName(const QString &name, ProbeKind *kind);
/// Every kind, in the order above.
QList<ProbeKind> allProbeKinds();

/**
 * What one active check looks at, for every kind. `target` is a URL (http, websocket,
 * docserver; tls also takes one), HOST:PORT (tcp, tls, redis, postgres, amqp), a host name
 * (dns) or a comma-separated list of ports to look for (host, may be empty).
 * Secrets are referenced by file, never held here.
 */
struct ProbeSpec
{
    ProbeKind kind = ProbeKind::Tcp;
    QString target;
    int timeoutMs = 10000;       ///< bounds the whole check
    int connectTimeoutMs = 3000; ///< bounds one TCP connect
    QString connectTo;           ///< http/websocket/docserver: reach HOST:PORT, keep Host and SNI
    bool ignoreTlsErrors = false;

    QString secretFile;     ///< docserver: JWT secret; redis, postgres, amqp: the password
    QString secretKeychain; ///< docserver: name of the system keychain entry holding the JWT secret
    QByteArray jwtHeader = QByteArrayLiteral("Authorization"); ///< docserver: inbox token header
    QString user;         ///< postgres (default "onlyoffice"), amqp (default "guest"), redis ACL user
    QString database;     ///< postgres (default "onlyoffice")
    QString vhost;        ///< amqp (default "/")
    QString sslMode;      ///< postgres sslmode (default "prefer")
    QString caFile;       ///< tls: also verify against this CA bundle
    QString serverName;   ///< tls: SNI and the name to match (default the target's host)
    QString docKey;       ///< websocket: the document key in /doc/<key>/c/ (default "docserver-doctor")
    bool polling = false; ///< websocket: the socket.io polling transport instead of the upgrade

    QString serveOn;             ///< docserver: IP:PORT to serve a source file on for the ConvertService round trip
    QString serveUrl;            ///< docserver: base URL DS fetches that file from (default http://IP:PORT)
    bool tlsVersionSweep = true; ///< tls: also try TLS 1.0, 1.1, 1.2 and 1.3 one by one
};

/// One line naming what is wrong with `spec` (target syntax, options the kind cannot use), or empty.
QString validateProbeSpec(const ProbeSpec &spec);

} // namespace dd

Q_DECLARE_METATYPE(dd::ProbeSpec)
