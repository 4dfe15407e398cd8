#include "latencychartpanel.h"

#include "linklatencymodel.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QStackedWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>

namespace dd {

namespace {

constexpr std::array<int, 3> kPhaseColumns{LinkLatencyModel::ConnectColumn, LinkLatencyModel::TtfbColumn,
                                           LinkLatencyModel::TotalColumn};
// Blue, purple and slate: none of them a health colour, so a slow line never reads as "failed".
constexpr std::array<QRgb, 3> kPhaseColors{0x1976d2, 0x8e24aa, 0x455a64};

// A single sample still gets a readable time window around it; short enough that a few
// seconds of watching already spread out.
constexpr qint64 kMinimumSpanMs = 10 * 1000;

int phaseIndex(int column)
{
    for (int i = 0; i < int(kPhaseColumns.size()); ++i) {
        if (kPhaseColumns.at(i) == column)
            return i;
    }
    return -1;
}

} // namespace

LatencyChartPanel::LatencyChartPanel(LinkLatencyModel *model, QWidget *parent) : QWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("latencyChartPanel"));

    m_linkCombo = new QComboBox(this);
    m_linkCombo->setObjectName(QStringLiteral("latencyLinkCombo"));
    m_linkCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_linkCombo->setToolTip(tr("The topology link whose latency is drawn"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("latencySummary"));
    m_summary->setTextFormat(Qt::PlainText);

    auto *linkLabel = new QLabel(tr("Link:"), this);
    linkLabel->setBuddy(m_linkCombo);
    auto *top = new QHBoxLayout;
    top->addWidget(linkLabel);
    top->addWidget(m_linkCombo);
    top->addSpacing(12);
    top->addWidget(m_summary, 1);

    createChart();
    m_placeholder = new QLabel(
        tr("No latency measured yet. Every diagnosis run adds one sample per link; Watch samples continuously."), this);
    m_placeholder->setObjectName(QStringLiteral("latencyPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setStyleSheet(QStringLiteral("color: #616161;"));
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_view);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_stack, 1);

    connect(m_linkCombo, &QComboBox::currentIndexChanged, this, &LatencyChartPanel::rebuildSeries);
    connect(m_model, &LinkLatencyModel::linksChanged, this, &LatencyChartPanel::syncLinks);
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { appendRows(first, last); });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &LatencyChartPanel::rebuildSeries);
    connect(m_model, &QAbstractItemModel::modelReset, this, &LatencyChartPanel::rebuildSeries);
    syncLinks();
    rebuildSeries();
}

LatencyChartPanel::~LatencyChartPanel() = default;

void LatencyChartPanel::createChart()
{
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setBackgroundRoundness(0);

    m_timeAxis = new QDateTimeAxis(m_chart);
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_timeAxis->setTickCount(5);
    m_msAxis = new QValueAxis(m_chart);
    m_msAxis->setLabelFormat(QStringLiteral("%.1f"));
    m_msAxis->setTitleText(tr("ms"));
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_msAxis, Qt::AlignLeft);

    const std::array<QString, kPhases> names{tr("connected"), tr("first byte"), tr("complete")};
    for (int i = 0; i < kPhases; ++i) {
        auto *series = new QLineSeries(m_chart);
        series->setName(names.at(i));
        series->setPointsVisible(true);
        QPen pen(QColor::fromRgb(kPhaseColors.at(i)));
        pen.setWidthF(2);
        series->setPen(pen);
        m_chart->addSeries(series);
        series->attachAxis(m_timeAxis);
        series->attachAxis(m_msAxis);
        m_series[i] = series;
    }

    m_view = new QChartView(m_chart, this);
    m_view->setObjectName(QStringLiteral("latencyChartView"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(160);
    m_view->setToolTip(tr("Times since each request started: connected, first response byte, response complete"));
}

QString LatencyChartPanel::currentLink() const
{
    return m_linkCombo->currentData().toString();
}

void LatencyChartPanel::setCurrentLink(const QString &link)
{
    const int index = m_linkCombo->findData(link);
    if (index >= 0)
        m_linkCombo->setCurrentIndex(index);
}

QStringList LatencyChartPanel::links() const
{
    QStringList out;
    for (int i = 0; i < m_linkCombo->count(); ++i)
        out << m_linkCombo->itemData(i).toString();
    return out;
}

int LatencyChartPanel::pointCount(int column) const
{
    const int i = phaseIndex(column);
    return i < 0 ? 0 : int(m_series.at(i)->count());
}

QStringList LatencyChartPanel::seriesNames() const
{
    QStringList out;
    for (const QLineSeries *series : m_series)
        out << series->name();
    return out;
}

void LatencyChartPanel::syncLinks()
{
    const QString current = currentLink();
    const QStringList links = m_model->links();
    m_linkCombo->setEnabled(!links.isEmpty());
    if (links == this->links())
        return;
    {
        const QSignalBlocker blocker(m_linkCombo);
        m_linkCombo->clear();
        for (const QString &link : links)
            m_linkCombo->addItem(link, link);
        const int index = m_linkCombo->findData(current);
        m_linkCombo->setCurrentIndex(index >= 0 ? index : (links.isEmpty() ? -1 : 0));
    }
    rebuildSeries();
}

void LatencyChartPanel::rebuildSeries()
{
    for (QLineSeries *series : m_series)
        series->clear();
    appendRows(0, m_model->rowCount() - 1);
}

void LatencyChartPanel::appendRows(int first, int last)
{
    // A new link's rows arrive before linksChanged(): syncing the combo redraws everything.
    if (links() != m_model->links()) {
        syncLinks();
        return;
    }
    const QString link = currentLink();
    for (int i = 0; i < kPhases; ++i) {
        QList<QPointF> points;
        for (int row = first; row <= last; ++row) {
            const QModelIndex index = m_model->index(row, kPhaseColumns.at(i));
            if (index.data(LinkLatencyModel::LinkIdRole).toString() != link)
                continue;
            const double ms = index.data(LinkLatencyModel::LatencyMsRole).toDouble();
            if (ms >= 0)
                points << QPointF(qreal(index.data(LinkLatencyModel::TimeMsRole).toLongLong()), ms);
        }
        if (!points.isEmpty())
            m_series[i]->append(points);
    }
    updateAxes();
    updateSummary();
}

void LatencyChartPanel::updateAxes()
{
    qreal minX = 0, maxX = 0, maxY = 0;
    bool any = false;
    for (const QLineSeries *series : m_series) {
        const QList<QPointF> points = series->points();
        for (const QPointF &p : points) {
            minX = any ? std::min(minX, p.x()) : p.x();
            maxX = any ? std::max(maxX, p.x()) : p.x();
            maxY = std::max(maxY, p.y());
            any = true;
        }
    }
    m_stack->setCurrentWidget(any ? static_cast<QWidget *>(m_view) : m_placeholder);
    if (!any)
        return;
    if (maxX - minX < kMinimumSpanMs) {
        const qreal pad = (kMinimumSpanMs - (maxX - minX)) / 2;
        minX -= pad;
        maxX += pad;
    }
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(qint64(minX)), QDateTime::fromMSecsSinceEpoch(qint64(maxX)));
    m_msAxis->setRange(0, std::max<qreal>(1.0, maxY * 1.15));
    m_msAxis->applyNiceNumbers();
}

void LatencyChartPanel::updateSummary()
{
    const QString link = currentLink();
    for (int row = m_model->rowCount() - 1; row >= 0; --row) {
        const QModelIndex index = m_model->index(row, LinkLatencyModel::TimeColumn);
        if (index.data(LinkLatencyModel::LinkIdRole).toString() != link)
            continue;
        QStringList parts;
        for (int i = 0; i < kPhases; ++i) {
            const QString text = m_model->index(row, kPhaseColumns.at(i)).data().toString();
            if (!text.isEmpty())
                parts << tr("%1 %2").arg(m_series.at(i)->name(), text);
        }
        const QString time =
            index.data(LinkLatencyModel::TimeRole).toDateTime().toLocalTime().toString(QStringLiteral("HH:mm:ss"));
        m_summary->setText(tr("Latest (%1): %2").arg(time, parts.join(QStringLiteral(" · "))));
        return;
    }
    m_summary->setText(QString());
}

} // namespace dd
