#include "classifiedline.h"

namespace {

void appendJsonString(QByteArray &out, const QString &s)
{
    out += '"';
    const QByteArray utf8 = s.toUtf8();
    for (const char c : utf8) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[(c >> 4) & 0xf];
                out += hex[c & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void appendKey(QByteArray &out, const char *key)
{
    out += ',';
    out += '"';
    out += key;
    out += "\":";
}

} // namespace

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

QByteArray ClassifiedLine::toJsonLine(bool withText) const
{
    QByteArray out;
    out.reserve(256 + (withText ? text.size() : 0));
    out += "{\"file\":";
    appendJsonString(out, file);
    appendKey(out, "line");
    out += QByteArray::number(line);
    appendKey(out, "time");
    if (timeUtc.isValid())
        appendJsonString(out, timeUtc.toString(Qt::ISODateWithMs));
    else
        out += "null";
    appendKey(out, "format");
    appendJsonString(out, format);
    appendKey(out, "cause");
    if (causeId.isEmpty())
        out += "null";
    else
        appendJsonString(out, causeId);
    appendKey(out, "fields");
    out += '{';
    bool first = true;
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        if (!first)
            out += ',';
        first = false;
        appendJsonString(out, it.key());
        out += ':';
        if (it.value().typeId() == QMetaType::LongLong || it.value().typeId() == QMetaType::Int)
            out += QByteArray::number(it.value().toLongLong());
        else
            appendJsonString(out, it.value().toString());
    }
    out += '}';
    if (kind != LineKind::Unclassified) {
        appendKey(out, "kind");
        appendJsonString(out, lineKindName(kind));
        appendKey(out, "rule");
        appendJsonString(out, ruleId);
        if (!signal.isEmpty()) {
            appendKey(out, "signal");
            appendJsonString(out, signal);
        }
    }
    if (withText) {
        appendKey(out, "text");
        appendJsonString(out, text);
    }
    out += '}';
    return out;
}

} // namespace dd
