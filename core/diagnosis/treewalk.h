#pragma once

#include "decisiontree.h"
#include "model/diagnosis.h"

#include <QVariantMap>

namespace dd {

/// Where a walk of the decision tree ended, and how it got there.
struct TreeWalk
{
    QList<PathStep> path;
    QString cause; ///< a catalog id, kHealthy or kInconclusive
    double confidence = 0;
    QString hop;
    QStringList alternatives;
    QString lastAnswer;
    bool causeFromFact = false; ///< the cause is the value of a fact (a log or config named it)
};

/// Walks `tree` from its root, answering each node from `facts`; each step cites the evidence
/// items that carry the fact it read. Pure: no I/O, no clock.
TreeWalk walkTree(const DecisionTree &tree, const QVariantMap &facts, const EvidenceList &evidence);

} // namespace dd
