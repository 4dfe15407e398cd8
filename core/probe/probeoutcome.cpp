#include "probeoutcome.h"

namespace dd {

QString probeOutcomeName(ProbeOutcome outcome)
{
    switch (outcome) {
    case ProbeOutcome::Ok:
        return QStringLiteral("ok");
    case ProbeOutcome::Refused:
        return QStringLiteral("refused");
    case ProbeOutcome::TimedOut:
        return QStringLiteral("timeout");
    case ProbeOutcome::Reset:
        return QStringLiteral("reset");
    case ProbeOutcome::Unreachable:
        return QStringLiteral("unreachable");
    case ProbeOutcome::DnsFailed:
        return QStringLiteral("dns-failed");
    case ProbeOutcome::ClosedEarly:
        return QStringLiteral("closed-early");
    case ProbeOutcome::Malformed:
        return QStringLiteral("malformed");
    case ProbeOutcome::TlsFailed:
        return QStringLiteral("tls-failed");
    case ProbeOutcome::Cancelled:
        return QStringLiteral("cancelled");
    case ProbeOutcome::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("error");
}

} // namespace dd
