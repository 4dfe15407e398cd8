#include "resulttabs.h"

#include "charts/latencychartpanel.h"
#include "evidencemodel.h"
#include "findingsmodel.h"
#include "linklatencymodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace dd {

namespace {

QTableView *createTableView(QAbstractItemModel *model, const QString &objectName, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(objectName);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setWordWrap(true);
    view->setShowGrid(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    return view;
}

} // namespace

ResultTabs::ResultTabs(QWidget *parent)
    : QTabWidget(parent), m_findings(new FindingsModel(this)), m_evidence(new EvidenceModel(this)),
      m_latency(new LinkLatencyModel(this))
{
    setObjectName(QStringLiteral("resultTabs"));
    setDocumentMode(true);

    m_findingsView = createTableView(m_findings, QStringLiteral("findingsView"), this);
    QHeaderView *findingsHeader = m_findingsView->horizontalHeader();
    findingsHeader->setSectionResizeMode(QHeaderView::ResizeToContents);
    findingsHeader->setSectionResizeMode(FindingsModel::CauseColumn, QHeaderView::Interactive);
    findingsHeader->resizeSection(FindingsModel::CauseColumn, 200);
    findingsHeader->setSectionResizeMode(FindingsModel::FixColumn, QHeaderView::Stretch);
    m_findingsView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    m_evidenceView = createTableView(m_evidence, QStringLiteral("evidenceView"), this);
    // One line per item, elided; the tooltip has the whole text. Wrapped rows would need
    // resizing to contents on every insert and resize, O(rows) each time.
    m_evidenceView->setWordWrap(false);
    m_evidenceView->setTextElideMode(Qt::ElideRight);
    QHeaderView *evidenceHeader = m_evidenceView->horizontalHeader();
    evidenceHeader->setSectionResizeMode(QHeaderView::ResizeToContents);
    evidenceHeader->setSectionResizeMode(EvidenceModel::SummaryColumn, QHeaderView::Stretch);

    m_latencyPanel = new LatencyChartPanel(m_latency, this);

    // Tabs, not side by side: with the wizard docked beside them, each table needs the full width.
    m_findingsPage = createPage(m_findingsView, tr("Findings"), tr("most likely cause first"));
    m_evidencePage = createPage(m_evidenceView, tr("Evidence"), tr("what was observed"));
    addTab(m_findingsPage, tr("Findings"));
    addTab(m_evidencePage, tr("Evidence"));
    addTab(m_latencyPanel, tr("Latency"));
    setTabToolTip(indexOf(m_latencyPanel), tr("Connect, first byte and total time per topology link"));
}

QWidget *ResultTabs::createPage(QTableView *view, const QString &title, const QString &subtitle)
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(new QLabel(QStringLiteral("<b>%1</b> — %2").arg(title, subtitle), page));
    layout->addWidget(view);
    return page;
}

void ResultTabs::clearResults()
{
    m_findings->clear();
    m_evidence->clear();
}

void ResultTabs::clearLatency()
{
    m_latency->clear();
}

void ResultTabs::addEvidence(const Evidence &evidence)
{
    m_evidence->addEvidence(evidence);
    m_evidenceView->scrollToBottom();
}

int ResultTabs::evidenceCount() const
{
    return m_evidence->rowCount();
}

void ResultTabs::showDiagnosis(const Diagnosis &diagnosis)
{
    m_findings->setCauses(diagnosis.causes);
    m_evidence->setEvidence(diagnosis.evidence);
    // The ranked causes when there are some; otherwise what was observed.
    if (diagnosis.status == VerdictStatus::Problem)
        setCurrentWidget(m_findingsPage);
    else if (currentWidget() == m_findingsPage)
        setCurrentWidget(m_evidencePage);
}

void ResultTabs::addLatency(const Diagnosis &diagnosis)
{
    m_latency->addDiagnosis(diagnosis);
}

void ResultTabs::addLatencySamples(const QList<LatencySample> &samples)
{
    m_latency->addSamples(samples);
}

bool ResultTabs::selectEvidence(const QString &evidenceId)
{
    for (int row = 0; row < m_evidence->rowCount(); ++row) {
        const QModelIndex index = m_evidence->index(row, EvidenceModel::SummaryColumn);
        if (index.data(EvidenceModel::EvidenceIdRole).toString() != evidenceId)
            continue;
        setCurrentWidget(m_evidencePage);
        m_evidenceView->selectRow(row);
        m_evidenceView->scrollTo(index, QAbstractItemView::PositionAtCenter);
        return true;
    }
    return false;
}

void ResultTabs::showLatency()
{
    setCurrentWidget(m_latencyPanel);
}

QList<LatencySample> ResultTabs::latencySamples() const
{
    return m_latency->samples();
}

} // namespace dd
