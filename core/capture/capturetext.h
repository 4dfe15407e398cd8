#pragma once

#include "captureanalysis.h"

QT_BEGIN_NAMESPACE
class QTextStream;
QT_END_NAMESPACE

namespace dd {

/// The analysis as people read it (the CLI's text output): packets, flows, TCP outcomes, HTTP
/// status counts, TLS problems, protocol notes, failing exchanges (up to 20), failed conversations.
void writeCaptureAnalysisText(const CaptureAnalysis &analysis, QTextStream &out);

} // namespace dd
