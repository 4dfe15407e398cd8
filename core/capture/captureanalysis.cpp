#include "captureanalysis.h"

namespace dd {

qint64 CaptureAnalysis::outcomeCount(TcpOutcome outcome) const
{
    qint64 n = 0;
    for (const TcpConversation &c : conversations) {
        if (c.outcome == outcome)
            ++n;
    }
    return n;
}

qint64 CaptureAnalysis::statusCount(int from, int to) const
{
    qint64 n = 0;
    for (auto it = statusCounts.lowerBound(from); it != statusCounts.cend() && it.key() <= to; ++it)
        n += it.value();
    return n;
}

bool CaptureAnalysis::hasProblems() const
{
    if (statusCount(500, 599) > 0 || !failing.isEmpty())
        return true;
    for (const TcpConversation &c : conversations) {
        if (c.isFailure())
            return true;
    }
    for (const TlsSession &t : tls) {
        if (t.hasFatalAlert())
            return true;
    }
    for (const ProtocolNote &n : notes) {
        if (n.isError)
            return true;
    }
    return false;
}

double CaptureAnalysis::durationMs() const
{
    return captureMs(firstNs, lastNs);
}

} // namespace dd
