#include "diagnosis.h"

namespace dd {

QString verdictStatusName(VerdictStatus status)
{
    switch (status) {
    case VerdictStatus::Problem:
        return QStringLiteral("problem");
    case VerdictStatus::Healthy:
        return QStringLiteral("healthy");
    case VerdictStatus::Inconclusive:
        return QStringLiteral("inconclusive");
    }
    return QString();
}

const Evidence *Diagnosis::evidenceById(const QString &id) const
{
    for (const Evidence &e : evidence) {
        if (e.id == id)
            return &e;
    }
    return nullptr;
}

} // namespace dd
