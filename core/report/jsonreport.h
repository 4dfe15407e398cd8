#pragma once

#include "model/diagnosis.h"

#include <QByteArray>
#include <QJsonObject>

namespace dd {

/// The diagnose JSON contract (schema "docserver-doctor.diagnosis/1"): verdict, ranked causes,
/// evidence, the decision path, the topology, the environment it ran in (tool version, host)
/// and the inputs it was given. Secrets are redacted from every string.
QJsonObject diagnosisToJson(const Diagnosis &diagnosis);
QByteArray diagnosisToJsonBytes(const Diagnosis &diagnosis);

} // namespace dd
