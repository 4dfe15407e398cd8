#pragma once

#include <QByteArrayView>
#include <QString>
#include <QVariant>

namespace dd {

/// Output of log text: decoding (invalid UTF-8 and NUL bytes become U+FFFD) and redaction of
/// secrets — JWTs, credential query parameters, Authorization values, URL passwords.
namespace logredact {

QString text(QByteArrayView raw);
/// A field's value for output: numbers for errno/status/connection/pid, redacted text else.
QVariant fieldValue(const QString &name, QByteArrayView raw, bool jsonEscaped);
/// Decodes the body of a JSON string (without its quotes).
QString unescapeJson(QByteArrayView raw);

} // namespace logredact
} // namespace dd
