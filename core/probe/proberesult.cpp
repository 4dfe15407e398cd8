#include "proberesult.h"

#include <QJsonArray>

#include <cmath>

namespace dd {

namespace {

int severity(Health health)
{
    switch (health) {
    case Health::Unknown:
        return 0;
    case Health::Ok:
        return 1;
    case Health::Degraded:
        return 2;
    case Health::Failed:
        return 3;
    }
    return 0;
}

} // namespace

Health worseHealth(Health a, Health b)
{
    return severity(a) >= severity(b) ? a : b;
}

QVariant msFact(double ms)
{
    return ms < 0 ? QVariant() : QVariant(std::round(ms * 1000.0) / 1000.0);
}

QJsonObject probeResultToJson(const ProbeResult &result)
{
    auto ms = [](double v) { return v < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(std::round(v * 1000) / 1000); };
    QJsonArray evidence;
    for (const Evidence &e : result.evidence) {
        evidence.append(QJsonObject{{QStringLiteral("id"), e.id},
                                    {QStringLiteral("kind"), e.kind},
                                    {QStringLiteral("health"), healthName(e.health)},
                                    {QStringLiteral("summary"), e.summary},
                                    {QStringLiteral("detail"), e.detail},
                                    {QStringLiteral("excerpt"), e.excerpt},
                                    {QStringLiteral("latency_ms"), ms(e.latencyMs)},
                                    {QStringLiteral("facts"), QJsonObject::fromVariantMap(e.facts)}});
    }
    const ProbeTimings &t = result.timings;
    return QJsonObject{
        {QStringLiteral("schema"), QStringLiteral("docserver-doctor.probe.%1/1").arg(result.kind)},
        {QStringLiteral("kind"), result.kind},
        {QStringLiteral("target"), result.target},
        {QStringLiteral("outcome"), probeOutcomeName(result.outcome)},
        {QStringLiteral("healthy"), result.isHealthy()},
        {QStringLiteral("health"), healthName(result.health)},
        {QStringLiteral("error"), result.error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(result.error)},
        {QStringLiteral("timings_ms"), QJsonObject{{QStringLiteral("dns"), ms(t.dns)},
                                                   {QStringLiteral("connect"), ms(t.connect)},
                                                   {QStringLiteral("tls"), ms(t.tls)},
                                                   {QStringLiteral("ttfb"), ms(t.ttfb)},
                                                   {QStringLiteral("total"), ms(t.total)}}},
        {QStringLiteral("facts"),
         result.evidence.isEmpty() ? QJsonObject() : QJsonObject::fromVariantMap(result.evidence.constFirst().facts)},
        {QStringLiteral("evidence"), evidence}};
}

QVariantMap ProbeTimings::facts() const
{
    return {{QStringLiteral("dns_ms"), msFact(dns)},
            {QStringLiteral("connect_ms"), msFact(connect)},
            {QStringLiteral("tls_ms"), msFact(tls)},
            {QStringLiteral("ttfb_ms"), msFact(ttfb)},
            {QStringLiteral("total_ms"), msFact(total)}};
}

} // namespace dd
