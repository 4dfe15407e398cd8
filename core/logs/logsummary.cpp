#include "logsummary.h"

#include <QJsonArray>

namespace dd {

namespace {

QJsonValue timeJson(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toString(Qt::ISODateWithMs)) : QJsonValue();
}

} // namespace

bool LogSummary::hasFailure() const
{
    for (const LogSummaryEntry &e : entries) {
        if (e.kind == LineKind::Cause || e.kind == LineKind::Symptom)
            return true;
    }
    return false;
}

bool LogSummary::hasUnreadable() const
{
    for (const LogFileReport &f : files) {
        if (!f.readable)
            return true;
    }
    return false;
}

QJsonObject LogSummary::toJson() const
{
    QJsonArray fileArray;
    for (const LogFileReport &f : files) {
        fileArray.append(QJsonObject{
            {QStringLiteral("file"), f.file},
            {QStringLiteral("readable"), f.readable},
            {QStringLiteral("format"), f.format.isEmpty() ? QJsonValue() : QJsonValue(f.format)},
            {QStringLiteral("lines"), f.lines},
            {QStringLiteral("records"), f.records},
            {QStringLiteral("bytes"), f.bytes},
            {QStringLiteral("problems"), QJsonArray::fromStringList(f.problems)},
        });
    }
    QJsonArray entryArray;
    for (const LogSummaryEntry &e : entries) {
        QJsonObject rules;
        for (auto it = e.rules.cbegin(); it != e.rules.cend(); ++it)
            rules.insert(it.key(), it.value());
        entryArray.append(QJsonObject{
            {QStringLiteral("kind"), lineKindName(e.kind)},
            {QStringLiteral("cause"), e.kind == LineKind::Cause ? QJsonValue(e.id) : QJsonValue()},
            {QStringLiteral("signal"), e.kind == LineKind::Cause ? QJsonValue() : QJsonValue(e.id)},
            {QStringLiteral("count"), e.count},
            {QStringLiteral("first"), timeJson(e.first)},
            {QStringLiteral("last"), timeJson(e.last)},
            {QStringLiteral("rules"), rules},
            {QStringLiteral("sample"),
             QJsonObject{{QStringLiteral("file"), e.sampleFile}, {QStringLiteral("line"), e.sampleLine}}},
        });
    }
    return QJsonObject{
        {QStringLiteral("schema"), QStringLiteral("docserver-doctor.logsummary/1")},
        {QStringLiteral("records"), records},
        {QStringLiteral("classified"), classified},
        {QStringLiteral("bytes"), bytes},
        {QStringLiteral("files"), fileArray},
        {QStringLiteral("causes"), entryArray},
    };
}

} // namespace dd
