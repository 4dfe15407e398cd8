#pragma once

#include "model/diagnosis.h"

#include <QString>

class QTextStream;

namespace dd {

/// Escapes text for HTML element content and attribute values.
QString htmlEscape(const QString &text);

/// Writes a self-contained HTML report (inline CSS, no external fetches): verdict first, then
/// ranked causes, the decision path and the evidence. Every untrusted string is escaped.
void writeHtmlReport(const Diagnosis &diagnosis, QTextStream &out);
QString renderHtmlReport(const Diagnosis &diagnosis);

/// Writes the report to a file; returns false and sets `error` (one line) on failure.
bool saveHtmlReport(const Diagnosis &diagnosis, const QString &path, QString *error);

} // namespace dd
