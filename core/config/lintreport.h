#pragma once

#include "config/lintcheckcatalog.h"
#include "config/lintresult.h"

#include <QByteArray>
#include <QString>

namespace dd {

/// The findings as text for a terminal: "file:line: severity: [check] message (cause: id)", the
/// excerpt and the fix, then the configured upstreams and a summary line.
QString lintReportText(const LintResult &result);

/// The findings as JSON (schema "docserver-doctor.lint/1"): inputs, errors, findings,
/// upstreams, endpoints, summary.
QByteArray lintReportJson(const LintResult &result);

/// The findings as SARIF 2.1.0 (one run; rules from the check catalog; one result per finding
/// with its physical location), for code-scanning tools.
QByteArray lintReportSarif(const LintResult &result, const LintCheckCatalog &catalog = LintCheckCatalog::builtIn());

} // namespace dd
