#pragma once

#include "model/diagnosis.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace dd {

/// What changed between two runs: causes fixed, still failing or new; links that changed health.
struct Comparison
{
    struct Change
    {
        QString id;    ///< cause id or link id
        QString state; ///< "fixed", "still-failing", "new" (causes); "recovered", "broke" (links)
        QString detail;
    };
    QString previousStatus;
    QString currentStatus;
    QList<Change> causes;
    QList<Change> links;
};

/// Compares the verdict causes (the first-ranked cause of each run, plus any cause ranked at or
/// above `threshold`) and the link health of two diagnoses.
Comparison compareDiagnoses(const Diagnosis &previous, const Diagnosis &current, double threshold = 0.5);

QJsonObject comparisonToJson(const Comparison &comparison);
QString comparisonToText(const Comparison &comparison);

} // namespace dd
