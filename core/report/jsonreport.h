#pragma once

#include "model/diagnosis.h"

#include <QByteArray>
#include <QJsonObject>

namespace dd {

/// The diagnose JSON contract (schema "docserver-doctor.diagnosis/1"): verdict, ranked causes,
/// evidence and the decision path. Secrets are redacted from every string.
QJsonObject diagnosisToJson(const Diagnosis &diagnosis);
QByteArray diagnosisToJsonBytes(const Diagnosis &diagnosis);

/// Removes secrets from free text: tokens and signatures in URLs and JSON, Bearer values,
/// passwords in URLs.
QString redactSecrets(const QString &text);

} // namespace dd
