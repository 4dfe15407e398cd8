#pragma once

#include "diagnosis/decisiontree.h"
#include "model/causecatalog.h"
#include "model/diagnosis.h"

#include <QObject>
#include <QPointer>

namespace dd {

class EvidenceCollector;
struct TreeWalk;

/**
 * Runs a diagnosis: gathers evidence for a profile (probes, logs), walks the decision tree
 * over it and ranks the causes. Commands in, past-tense signals out; start() returns at once.
 */
class DiagnosisEngine : public QObject
{
    Q_OBJECT
public:
    DiagnosisEngine(CauseCatalog catalog, DecisionTree tree, QObject *parent = nullptr);
    ~DiagnosisEngine() override;

    bool isRunning() const;

    /// Answers to the questions nothing observable decides ("user.<fact>" → choice), used by
    /// the next start() and by rewalk().
    void setAnswers(const QVariantMap &answers);
    QVariantMap answers() const { return m_answers; }

    /// Walks the tree again over a finished diagnosis's evidence with the current answers,
    /// without probing again (the wizard answering a question).
    Diagnosis rewalk(const Diagnosis &diagnosis) const;

public Q_SLOTS:
    void start(const dd::Profile &profile);
    void cancel();

Q_SIGNALS:
    void diagnosisStarted();
    void evidenceAvailable(const dd::Evidence &evidence);
    void diagnosisFinished(const dd::Diagnosis &diagnosis);
    void diagnosisFailed(const QString &reason);

private:
    void finish();
    Diagnosis conclude(Diagnosis d, const QVariantMap &facts) const;
    void preferNamedAlternative(TreeWalk *walk, const EvidenceList &evidence) const;
    void corroborate(RankedCause *main, const Diagnosis &diagnosis) const;

    CauseCatalog m_catalog;
    DecisionTree m_tree;
    Profile m_profile;
    QDateTime m_started;
    QPointer<EvidenceCollector> m_collector;
    QVariantMap m_answers;
};

} // namespace dd
