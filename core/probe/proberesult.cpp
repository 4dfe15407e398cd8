#include "proberesult.h"

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

QVariantMap ProbeTimings::facts() const
{
    return {{QStringLiteral("dns_ms"), msFact(dns)},
            {QStringLiteral("connect_ms"), msFact(connect)},
            {QStringLiteral("tls_ms"), msFact(tls)},
            {QStringLiteral("ttfb_ms"), msFact(ttfb)},
            {QStringLiteral("total_ms"), msFact(total)}};
}

} // namespace dd
