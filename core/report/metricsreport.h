#pragma once

#include "model/diagnosis.h"

#include <QString>

namespace dd {

/// The diagnosis as Prometheus text exposition format, for node_exporter's textfile collector:
/// verdict, per-link health and latency, per-probe outcome and phase timings.
QString renderMetrics(const Diagnosis &diagnosis);

/// Escapes a Prometheus label value (backslash, double quote, newline).
QString prometheusLabel(const QString &value);

} // namespace dd
