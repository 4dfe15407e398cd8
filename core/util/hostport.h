#pragma once

#include <QString>

namespace dd {

/// A host (name, IPv4 or IPv6 address without brackets) and a TCP port.
struct HostPort
{
    QString host;
    quint16 port = 0;
};

/**
 * Parses "host:port", "[v6]:port" or, when `defaultPort` is not 0, also "host" / "[v6]".
 * A bare IPv6 address ("::1") is accepted only without a port. On failure returns false and
 * sets `error` to one line naming the input.
 */
bool parseHostPort(const QString &text, HostPort *result, QString *error, quint16 defaultPort = 0);

/**
 * Parses an address to listen on: "IP:PORT" or "[v6]:PORT" with an IP literal (no name) and an
 * explicit port from 0 ("any free port") to 65535. On failure returns false and sets `error` to
 * one line, without naming where the text came from (the caller prefixes that).
 */
bool parseListenAddress(const QString &text, HostPort *result, QString *error);

/// "host:port", with brackets around an IPv6 host ("[::1]:8080").
QString formatHostPort(const QString &host, quint16 port);

} // namespace dd
