#pragma once

// Internal to core/probe: these need QtNetwork, which ddcore links privately, so only .cpp
// files include this header.

#include "probeoutcome.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>

namespace dd {

/// "127.0.0.1:8080" or "[::1]:8080".
QString endpointText(const QHostAddress &address, quint16 port);

/// The address without scope decoration, as the user would type it.
QString addressText(const QHostAddress &address);

/**
 * For "localhost" and "*.localhost" (RFC 6761): ::1 when this machine has it, then 127.0.0.1,
 * whatever /etc/hosts says, as curl (since 7.78) and systemd-resolved do. The point is to see
 * both loopback families answer, because a proxy's `localhost` upstream may pick either.
 * Empty for any other name.
 */
QList<QHostAddress> loopbackAddressesFor(const QString &host);

/// Milliseconds since `clock` started, with sub-millisecond precision.
inline double elapsedMs(const QElapsedTimer &clock)
{
    return double(clock.nsecsElapsed()) / 1e6;
}

} // namespace dd
