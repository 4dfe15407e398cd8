#include "logredact.h"

#include "byteview.h"
#include "util/redact.h"

#include <QRegularExpression>

namespace dd {
namespace logredact {

namespace {

// Cheap test on the bytes: only text with one of these can hold a secret we redact.
bool mayHoldSecret(QByteArrayView raw)
{
    return bv::contains(raw, '=') || bv::contains(raw, '@') || bv::contains(raw, "eyJ") ||
           bv::contains(raw, "earer ") || bv::contains(raw, "EARER ") || bv::contains(raw, "asic ") ||
           bv::contains(raw, "ASIC ") || bv::contains(raw, "\":");
}

} // namespace

QString text(QByteArrayView raw)
{
    QString s = QString::fromUtf8(raw);
    if (bv::contains(raw, '\0'))
        s.replace(QChar(u'\0'), QChar::ReplacementCharacter);
    return mayHoldSecret(raw) ? redactSecrets(s) : s;
}

QString unescapeJson(QByteArrayView raw)
{
    QByteArray out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c != '\\' || i + 1 >= raw.size()) {
            out += c;
            continue;
        }
        const char e = raw[++i];
        switch (e) {
        case 'n':
            out += '\n';
            break;
        case 't':
            out += '\t';
            break;
        case 'r':
            out += '\r';
            break;
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'u':
            if (i + 4 < raw.size()) {
                bool ok = false;
                const char16_t unit = char16_t(bv::mid(raw, i + 1, 4).toUInt(&ok, 16));
                if (ok) {
                    out += QString(QChar(unit)).toUtf8();
                    i += 4;
                    break;
                }
            }
            out += e;
            break;
        default:
            out += e;
            break; // \" \\ \/
        }
    }
    return QString::fromUtf8(out);
}

QVariant fieldValue(const QString &name, QByteArrayView raw, bool jsonEscaped)
{
    if (name == QLatin1String("errno") || name == QLatin1String("status") || name == QLatin1String("connection") ||
        name == QLatin1String("pid")) {
        bool ok = false;
        const qlonglong v = raw.toLongLong(&ok);
        if (ok)
            return v;
    }
    QString s = jsonEscaped ? unescapeJson(raw) : QString::fromUtf8(raw);
    if (bv::contains(raw, '\0'))
        s.replace(QChar(u'\0'), QChar::ReplacementCharacter);
    return mayHoldSecret(raw) ? redactSecrets(s) : s;
}

} // namespace logredact
} // namespace dd
