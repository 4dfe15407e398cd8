#include "classifiedline.h"

namespace dd {

QString lineKindName(LineKind kind)
{
    switch (kind) {
    case LineKind::Cause:
        return QStringLiteral("cause");
    case LineKind::Symptom:
        return QStringLiteral("symptom");
    case LineKind::Healthy:
        return QStringLiteral("healthy");
    case LineKind::Unclassified:
        break;
    }
    return QString();
}

QJsonObject ClassifiedLine::toJson(bool withText) const
{
    QJsonObject o{
        {QStringLiteral("file"), file},
        {QStringLiteral("line"), line},
        {QStringLiteral("time"), timeUtc.isValid() ? QJsonValue(timeUtc.toString(Qt::ISODateWithMs)) : QJsonValue()},
        {QStringLiteral("format"), format},
        {QStringLiteral("cause"), causeId.isEmpty() ? QJsonValue() : QJsonValue(causeId)},
        {QStringLiteral("fields"), QJsonObject::fromVariantMap(fields)},
    };
    if (kind != LineKind::Unclassified) {
        o.insert(QStringLiteral("kind"), lineKindName(kind));
        o.insert(QStringLiteral("rule"), ruleId);
        if (!signal.isEmpty())
            o.insert(QStringLiteral("signal"), signal);
    }
    if (withText)
        o.insert(QStringLiteral("text"), text);
    return o;
}

} // namespace dd
