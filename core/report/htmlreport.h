#pragma once

#include "latencychart.h"
#include "model/diagnosis.h"

#include <QDateTime>
#include <QList>
#include <QString>

class QTextStream;

namespace dd {

/// Escapes text for HTML element content and attribute values; control characters become
/// their visible symbols (ESC is U+241B), so no raw ANSI sequence reaches the page.
QString htmlEscape(const QString &text);

/// What the HTML report may show beyond the diagnosis itself.
struct HtmlReportOptions
{
    /// Latency samples per link over time (the GUI's probe history); drawn as a line per link.
    QList<LatencyHistorySample> latencyHistory;
    /// When the report is rendered; invalid means now. Set it for reproducible output.
    QDateTime generated;
};

/**
 * Writes a self-contained HTML report (inline CSS and SVG, no external fetches, printable):
 * the verdict and fix first, then ranked causes, the topology with the failing hop marked,
 * the decision path, the evidence grouped by source, per-link latency charts, the failing
 * exchange timeline when a capture was analysed, and the environment (versions, what was
 * and was not checked). Every untrusted string is redacted and escaped.
 */
void writeHtmlReport(const Diagnosis &diagnosis, QTextStream &out, const HtmlReportOptions &options = {});
QString renderHtmlReport(const Diagnosis &diagnosis, const HtmlReportOptions &options = {});

/// Writes the report to a file; returns false and sets `error` (one line) on failure.
bool saveHtmlReport(const Diagnosis &diagnosis, const QString &path, QString *error,
                    const HtmlReportOptions &options = {});

} // namespace dd
