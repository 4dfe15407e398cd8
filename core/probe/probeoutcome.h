#pragma once

#include <QMetaType>
#include <QString>

namespace dd {

/// How an active check ended, as a network engineer would name it.
enum class ProbeOutcome {
    Ok,          ///< connected / got a complete response (whatever its HTTP status)
    Refused,     ///< the peer answered the SYN with RST (ECONNREFUSED)
    TimedOut,    ///< no answer within the time allowed (SYN unanswered, or no response)
    Reset,       ///< the peer reset an established connection (RST after connect)
    Unreachable, ///< no route, network unreachable, or blocked locally
    DnsFailed,   ///< the name did not resolve
    ClosedEarly, ///< the peer closed before a complete response
    Malformed,   ///< the peer answered with something that is not the expected protocol
    TlsFailed,   ///< TLS handshake or certificate verification failed
    Cancelled,   ///< stopped by the caller
    Error        ///< anything else (bad input, local resource problem)
};

/// "ok", "refused", "timeout", "reset", "unreachable", "dns-failed", "closed-early",
/// "malformed", "tls-failed", "cancelled", "error".
QString probeOutcomeName(ProbeOutcome outcome);

} // namespace dd

Q_DECLARE_METATYPE(dd::ProbeOutcome)
