#include "evidence.h"

namespace dd {

QString evidenceSourceName(EvidenceSource source)
{
    switch (source) {
    case EvidenceSource::Probe:
        return QStringLiteral("probe");
    case EvidenceSource::Log:
        return QStringLiteral("log");
    case EvidenceSource::Capture:
        return QStringLiteral("capture");
    case EvidenceSource::Config:
        return QStringLiteral("config");
    case EvidenceSource::Host:
        return QStringLiteral("host");
    case EvidenceSource::User:
        return QStringLiteral("user");
    }
    return QString();
}

QString healthName(Health health)
{
    switch (health) {
    case Health::Unknown:
        return QStringLiteral("unknown");
    case Health::Ok:
        return QStringLiteral("ok");
    case Health::Degraded:
        return QStringLiteral("degraded");
    case Health::Failed:
        return QStringLiteral("failed");
    }
    return QString();
}

} // namespace dd
