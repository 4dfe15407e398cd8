#pragma once

#include "latencychart.h"
#include "model/diagnosis.h"

#include <QByteArray>
#include <QJsonObject>

namespace dd {

/// The diagnose JSON contract (schema "docserver-doctor.diagnosis/1"): verdict, ranked causes,
/// evidence, the decision path, the topology, the environment it ran in (tool version, host)
/// and the inputs it was given, evidence correlated across sources, and the latency history the
/// GUI measured (when given), so a re-rendered report keeps its charts. Secrets are redacted
/// from every string.
QJsonObject diagnosisToJson(const Diagnosis &diagnosis, const QList<LatencyHistorySample> &history = {});
QByteArray diagnosisToJsonBytes(const Diagnosis &diagnosis, const QList<LatencyHistorySample> &history = {});

} // namespace dd
