#pragma once

#include "diagnosis/decisiontree.h"
#include "model/causecatalog.h"
#include "model/diagnosis.h"

#include <QObject>
#include <QPointer>

namespace dd {

class EvidenceCollector;

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

    CauseCatalog m_catalog;
    DecisionTree m_tree;
    Profile m_profile;
    QDateTime m_started;
    QPointer<EvidenceCollector> m_collector;
};

} // namespace dd
