#pragma once

#include "model/diagnosis.h"

#include <QByteArray>
#include <QJsonObject>

namespace dd {

/// The diagnose JSON contract (schema "docserver-doctor.diagnosis/1"): verdict, ranked causes,
/// evidence and the decision path. Secrets are redacted from every string.
QJsonObject diagnosisToJson(const Diagnosis &diagnosis);
QByteArray diagnosisToJsonBytes(const Diagnosis &diagnosis);


} // namespace dd
