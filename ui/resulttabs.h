#pragma once

#include "model/diagnosis.h"

#include <QTabWidget>

class QTableView;

namespace dd {

class EvidenceModel;
class FindingsModel;
class LatencyChartPanel;
class LinkLatencyModel;
struct LatencyHistorySample;
using LatencySample = LatencyHistorySample;

/**
 * What a diagnosis found, one tab each: the ranked findings, the evidence, and the per-link
 * latency charts. Owns the models behind them; the window tells it what arrived.
 */
class ResultTabs : public QTabWidget
{
    Q_OBJECT
public:
    explicit ResultTabs(QWidget *parent = nullptr);

    /// Empties findings and evidence; the latency history stays (it spans runs).
    void clearResults();
    /// Empties the latency history (another deployment).
    void clearLatency();
    /// One piece of evidence as it arrives during a run.
    void addEvidence(const Evidence &evidence);
    int evidenceCount() const;
    /// Shows a diagnosis's findings and evidence, and brings the findings forward when it found a problem.
    void showDiagnosis(const Diagnosis &diagnosis);
    /// Adds the latency one diagnosis run measured (one sample per link).
    void addLatency(const Diagnosis &diagnosis);
    void addLatencySamples(const QList<LatencySample> &samples);
    /// The latency history the charts show, oldest first (the HTML report draws it too).
    QList<LatencySample> latencySamples() const;
    /// Shows the evidence tab with that item selected; false when no row has that id.
    bool selectEvidence(const QString &evidenceId);
    void showLatency();

private:
    QWidget *createPage(QTableView *view, const QString &title, const QString &subtitle);

    FindingsModel *m_findings;
    EvidenceModel *m_evidence;
    LinkLatencyModel *m_latency;
    QTableView *m_findingsView = nullptr;
    QTableView *m_evidenceView = nullptr;
    QWidget *m_findingsPage = nullptr;
    QWidget *m_evidencePage = nullptr;
    LatencyChartPanel *m_latencyPanel = nullptr;
};

} // namespace dd
