#pragma once

#include "latencychart.h"
#include "model/diagnosis.h"

#include <QByteArray>
#include <QString>

namespace dd {

/// Reads a diagnosis saved by `diagnose --json` back (schema docserver-doctor.diagnosis/1), so a
/// run on a server can be rendered as a report elsewhere or compared with a later run.
/// Returns false with a one-line `error` naming `origin` when the input is not such a file.
/// `history`, when given, receives the latency history the file carries (the GUI saves it).
bool diagnosisFromJson(const QByteArray &json, const QString &origin, Diagnosis *out, QString *error,
                       QList<LatencyHistorySample> *history = nullptr);

} // namespace dd
