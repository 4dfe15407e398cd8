#pragma once

#include <QWidget>

#include <array>

class QComboBox;
class QLabel;
class QStackedWidget;

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace dd {

class LinkLatencyModel;

/**
 * Latency over time of one topology link (chosen in a combo box): connect, first byte and total,
 * one line each. It only reads a LinkLatencyModel and follows its row signals; all Qt Charts
 * code of the workbench stays in ui/charts/ (Qt Charts is deprecated from Qt 6.10).
 */
class LatencyChartPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LatencyChartPanel(LinkLatencyModel *model, QWidget *parent = nullptr);
    ~LatencyChartPanel() override;

    QString currentLink() const;
    void setCurrentLink(const QString &link);
    /// The links offered in the selector.
    QStringList links() const;
    /// Points drawn for a phase column of LinkLatencyModel (ConnectColumn, TtfbColumn, TotalColumn).
    int pointCount(int column) const;
    /// The series' names as the legend shows them, in column order.
    QStringList seriesNames() const;

private:
    static constexpr int kPhases = 3;

    void createChart();
    void syncLinks();
    void rebuildSeries();
    void appendRows(int first, int last);
    void updateAxes();
    void updateSummary();

    LinkLatencyModel *m_model;
    QComboBox *m_linkCombo = nullptr;
    QLabel *m_summary = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_placeholder = nullptr;
    QChart *m_chart = nullptr;
    QChartView *m_view = nullptr;
    QDateTimeAxis *m_timeAxis = nullptr;
    QValueAxis *m_msAxis = nullptr;
    std::array<QLineSeries *, kPhases> m_series{};
};

} // namespace dd
