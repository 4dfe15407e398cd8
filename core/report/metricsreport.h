#pragma once

#include "model/diagnosis.h"

#include <QString>

namespace dd {

/// The diagnosis as Prometheus text exposition format, for node_exporter's textfile collector:
/// verdict, per-link health and latency, per-probe outcome and phase timings.
QString renderMetrics(const Diagnosis &diagnosis);

/// A Prometheus label value: secrets redacted, control characters made visible, then backslash,
/// double quote and newline escaped.
QString prometheusLabel(const QString &value);

} // namespace dd
