#include "httpexchange.h"

namespace dd {

double HttpExchange::timeToFirstByteMs() const
{
    if (responseNs < 0)
        return -1;
    const CaptureTime from = requestEndNs >= 0 && requestEndNs <= responseNs ? requestEndNs : requestNs;
    return captureMs(from, responseNs);
}

QString HttpExchange::requestLine() const
{
    if (method.isEmpty())
        return QStringLiteral("(request not captured)");
    return method + QLatin1Char(' ') + target;
}

} // namespace dd
