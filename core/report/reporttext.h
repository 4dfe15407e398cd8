#pragma once

#include "model/diagnosis.h"

#include <QString>

namespace dd {

/**
 * Untrusted text made fit for plain-text output (terminal, metrics, comparisons): secrets
 * redacted, and control characters other than newline and tab replaced by their visible
 * symbol (ESC becomes U+241B), so an ANSI sequence in a Server header or a log line cannot
 * recolour or rewrite the reader's terminal.
 */
QString printableText(const QString &text);

/// Untrusted text for HTML element content or attribute values: secrets redacted, then escaped.
QString safeHtml(const QString &text);

/// The run information with empty fields filled from the running program.
RunInfo effectiveRunInfo(const RunInfo &run);

} // namespace dd
