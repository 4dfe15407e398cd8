#include "probespec.h"

#include "convertroundtrip.h"

#include "util/hostport.h"
#include "util/redact.h"

#include <QUrl>

namespace dd {

namespace {

struct KindName
{
    ProbeKind kind;
    const char *name;
};

constexpr KindName kindNames[] = {
    {ProbeKind::Tcp, "tcp"},
    {ProbeKind::Dns, "dns"},
    {ProbeKind::Http, "http"},
    {ProbeKind::Tls, "tls"},
    {ProbeKind::WebSocket, "websocket"},
    {ProbeKind::Docserver, "docserver"},
    {ProbeKind::Redis, "redis"},
    {ProbeKind::Postgres, "postgres"},
    {ProbeKind::Amqp, "amqp"},
    {ProbeKind::Host, "host"},
};

QString checkUrl(const ProbeSpec &spec, const QStringList &schemes)
{
    const QUrl url(spec.target, QUrl::StrictMode);
    if (url.isValid() && !url.host().isEmpty() && schemes.contains(url.scheme().toLower()))
        return QString();
    const QString shown = redactJwts(spec.target);
    if (!spec.target.contains(QLatin1String("://")))
        return QStringLiteral("'%1' has no scheme; did you mean http://%1 ?").arg(shown);
    return QStringLiteral("'%1' is not a %2 URL with a host").arg(shown, schemes.join(QLatin1Char('/')));
}

QString checkHostPort(const ProbeSpec &spec, quint16 defaultPort)
{
    HostPort ignored;
    QString error;
    if (!parseHostPort(spec.target, &ignored, &error, defaultPort))
        return error;
    return QString();
}

QString checkServeOn(const ProbeSpec &spec)
{
    QString host;
    quint16 port = 0;
    QString error;
    if (!ConvertRoundTrip::parseServeOn(spec.serveOn, &host, &port, &error))
        return error;
    if (!spec.serveUrl.isEmpty()) {
        const QUrl url(spec.serveUrl, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() || url.scheme() != QLatin1String("http"))
            return QStringLiteral("--serve-url '%1' is not an http:// URL with a host").arg(spec.serveUrl);
    } else if (host == QLatin1String("0.0.0.0") || host == QLatin1String("::")) {
        return QStringLiteral("--serve-on %1 listens on every address: give --serve-url with the one Document "
                              "Server should fetch from")
            .arg(spec.serveOn);
    }
    return QString();
}

} // namespace

QString probeKindName(ProbeKind kind)
{
    for (const KindName &k : kindNames) {
        if (k.kind == kind)
            return QLatin1String(k.name);
    }
    return QString();
}

bool probeKindFromName(const QString &name, ProbeKind *kind)
{
    for (const KindName &k : kindNames) {
        if (name == QLatin1String(k.name)) {
            *kind = k.kind;
            return true;
        }
    }
    return false;
}

QList<ProbeKind> allProbeKinds()
{
    QList<ProbeKind> kinds;
    for (const KindName &k : kindNames)
        kinds.append(k.kind);
    return kinds;
}

QString validateProbeSpec(const ProbeSpec &spec)
{
    if (spec.timeoutMs <= 0 || spec.connectTimeoutMs <= 0)
        return QStringLiteral("timeouts must be positive numbers of milliseconds");
    if (!spec.secretKeychain.isEmpty() && spec.kind != ProbeKind::Docserver)
        return QStringLiteral("a keychain secret is for the docserver probe only");
    if (!spec.secretKeychain.isEmpty() && !spec.secretFile.isEmpty())
        return QStringLiteral("give the JWT secret from a file or from the keychain, not both");
    switch (spec.kind) {
    case ProbeKind::Http:
        return checkUrl(spec, {QStringLiteral("http"), QStringLiteral("https")});
    case ProbeKind::Docserver: {
        const QString error = checkUrl(spec, {QStringLiteral("http"), QStringLiteral("https")});
        if (!error.isEmpty() || spec.serveOn.isEmpty())
            return error;
        return checkServeOn(spec);
    }
    case ProbeKind::WebSocket:
        return checkUrl(spec,
                        {QStringLiteral("http"), QStringLiteral("https"), QStringLiteral("ws"), QStringLiteral("wss")});
    case ProbeKind::Tls:
        if (spec.target.contains(QLatin1String("://")))
            return checkUrl(spec, {QStringLiteral("https"), QStringLiteral("wss")});
        return checkHostPort(spec, 443);
    case ProbeKind::Tcp:
        return checkHostPort(spec, 0);
    case ProbeKind::Redis:
        return checkHostPort(spec, 6379);
    case ProbeKind::Postgres:
        return checkHostPort(spec, 5432);
    case ProbeKind::Amqp:
        return checkHostPort(spec, 5672);
    case ProbeKind::Dns: {
        const QString host = spec.target.trimmed();
        if (host.isEmpty() || host.size() > 253 || host.contains(QLatin1Char(' ')) || host.contains(QLatin1Char('/')))
            return QStringLiteral("'%1' is not a host name").arg(spec.target);
        return QString();
    }
    case ProbeKind::Host: {
        if (spec.target.trimmed().isEmpty())
            return QString();
        const QStringList parts = spec.target.split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &part : parts) {
            bool ok = false;
            const int port = part.trimmed().toInt(&ok);
            if (!ok || port <= 0 || port > 65535)
                return QStringLiteral("'%1' is not a comma-separated list of TCP ports").arg(spec.target);
        }
        return QString();
    }
    }
    return QString();
}

} // namespace dd
