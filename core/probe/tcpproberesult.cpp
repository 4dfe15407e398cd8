#include "tcpproberesult.h"

namespace dd {

namespace {

QVariant msFact(double ms)
{
    return ms < 0 ? QVariant() : QVariant(ms);
}

} // namespace

QStringList TcpProbeResult::failedAddresses() const
{
    QStringList result;
    for (const TcpAttempt &attempt : attempts) {
        if (attempt.outcome != ProbeOutcome::Ok)
            result.append(attempt.address);
    }
    return result;
}

QVariantMap TcpProbeResult::facts() const
{
    QStringList addresses;
    QVariantList attemptFacts;
    for (const TcpAttempt &attempt : attempts) {
        addresses.append(attempt.address);
        attemptFacts.append(QVariantMap{{QStringLiteral("address"), attempt.address},
                                        {QStringLiteral("outcome"), probeOutcomeName(attempt.outcome)},
                                        {QStringLiteral("connect_ms"), msFact(attempt.connectMs)}});
    }
    return QVariantMap{
        {QStringLiteral("outcome"), probeOutcomeName(outcome)},
        {QStringLiteral("connect_ms"), msFact(connectMs)},
        {QStringLiteral("dns_ms"), msFact(dnsMs)},
        {QStringLiteral("host"), host},
        {QStringLiteral("port"), int(port)},
        {QStringLiteral("addresses"), addresses},
        {QStringLiteral("failed_addresses"), failedAddresses()},
        {QStringLiteral("attempts"), attemptFacts},
    };
}

} // namespace dd
