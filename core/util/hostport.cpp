#include "hostport.h"

#include <QHostAddress>

namespace dd {

namespace {

bool parsePort(const QString &text, quint16 *port)
{
    bool ok = false;
    const uint value = text.toUInt(&ok, 10);
    if (!ok || value == 0 || value > 65535 || text.startsWith(QLatin1Char('+')))
        return false;
    *port = quint16(value);
    return true;
}

bool isValidHostName(const QString &host)
{
    if (host.isEmpty())
        return false;
    for (const QChar c : host) {
        if (c.isSpace() || c == QLatin1Char('/') || c == QLatin1Char('@') || c == QLatin1Char('[') ||
            c == QLatin1Char(']'))
            return false;
    }
    return true;
}

} // namespace

bool parseHostPort(const QString &text, HostPort *result, QString *error, quint16 defaultPort)
{
    const QString input = text.trimmed();
    QString host;
    QString portText;
    if (input.startsWith(QLatin1Char('['))) {
        const qsizetype close = input.indexOf(QLatin1Char(']'));
        if (close < 0) {
            *error = QStringLiteral("'%1': missing ']' after the IPv6 address").arg(text);
            return false;
        }
        host = input.mid(1, close - 1);
        const QString rest = input.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':'))) {
                *error = QStringLiteral("'%1': expected ':PORT' after ']'").arg(text);
                return false;
            }
            portText = rest.mid(1);
            if (portText.isEmpty()) {
                *error = QStringLiteral("'%1': empty port").arg(text);
                return false;
            }
        }
        if (host.isEmpty() || !host.contains(QLatin1Char(':'))) {
            *error = QStringLiteral("'%1': not an IPv6 address in brackets").arg(text);
            return false;
        }
    } else if (input.count(QLatin1Char(':')) > 1) {
        // An unbracketed IPv6 address cannot carry a port: "::1:8080" is ambiguous.
        host = input;
    } else {
        const qsizetype colon = input.lastIndexOf(QLatin1Char(':'));
        host = colon < 0 ? input : input.left(colon);
        if (colon >= 0) {
            portText = input.mid(colon + 1);
            if (portText.isEmpty()) {
                *error = QStringLiteral("'%1': empty port").arg(text);
                return false;
            }
        }
    }
    if (!isValidHostName(host)) {
        *error = QStringLiteral("'%1': missing or invalid host").arg(text);
        return false;
    }
    quint16 port = defaultPort;
    if (!portText.isEmpty() && !parsePort(portText, &port)) {
        *error = QStringLiteral("'%1': port '%2' is not a number from 1 to 65535").arg(text, portText);
        return false;
    }
    if (port == 0) {
        *error = QStringLiteral("'%1': expected HOST:PORT").arg(text);
        return false;
    }
    result->host = host;
    result->port = port;
    return true;
}

bool parseListenAddress(const QString &text, HostPort *result, QString *error)
{
    // parseHostPort() wants ports from 1; 0 ("any free port") is what a listener may ask for.
    const bool anyPort = text.endsWith(QLatin1String(":0"));
    HostPort parsed;
    if (!parseHostPort(anyPort ? text.chopped(1) + QLatin1Char('1') : text, &parsed, error)) {
        *error = QStringLiteral("'%1': expected IP:PORT (port 0 picks a free one)").arg(text);
        return false;
    }
    if (QHostAddress(parsed.host).isNull()) {
        *error = QStringLiteral("'%1': '%2' is not an IP address to listen on").arg(text, parsed.host);
        return false;
    }
    result->host = parsed.host;
    result->port = anyPort ? 0 : parsed.port;
    return true;
}

QString formatHostPort(const QString &host, quint16 port)
{
    if (host.contains(QLatin1Char(':')))
        return QLatin1Char('[') + host + QStringLiteral("]:") + QString::number(port);
    return host + QLatin1Char(':') + QString::number(port);
}

} // namespace dd
