#pragma once

#include "probeoutcome.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QVariantMap>

namespace dd {

/// One connect attempt to one resolved address.
struct TcpAttempt
{
    QString address; ///< "127.0.0.1", "::1"
    ProbeOutcome outcome = ProbeOutcome::Error;
    double connectMs = -1; ///< handshake time of this attempt, from its SYN to the SYN-ACK
    QString error;
};

/// What a TcpProbe found: one attempt per address the host resolved to.
struct TcpProbeResult
{
    QString host;
    quint16 port = 0;
    ProbeOutcome outcome = ProbeOutcome::Error; ///< Ok if any address connected; else the first attempt's failure
    double connectMs = -1;                      ///< of the first successful attempt (handshake only)
    double dnsMs = -1;                          ///< name lookup time (0 for address literals)
    QString error;                              ///< one line, human readable; empty when Ok
    QList<TcpAttempt> attempts;                 ///< in resolver order
    QDateTime startedAt;                        ///< UTC

    /// Addresses whose attempt failed, in resolver order.
    QStringList failedAddresses() const;

    /**
     * Keys: "outcome" (name), "connect_ms", "dns_ms", "host", "port", "addresses" (list),
     * "failed_addresses" (list), "attempts" (list of {address, outcome, connect_ms}).
     */
    QVariantMap facts() const;
};

} // namespace dd

Q_DECLARE_METATYPE(dd::TcpProbeResult)
