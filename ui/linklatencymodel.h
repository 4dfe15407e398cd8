#pragma once

#include "model/evidence.h"
#include "report/latencychart.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QStringList>

namespace dd {

struct Diagnosis;
struct LinkSample;

/// The phases of one request on one topology link (the report draws the same samples).
using LatencySample = LatencyHistorySample;

/**
 * Latency samples of the topology links, oldest first, one row per sample: what the latency
 * charts read. Bounded per link (the oldest samples of a link go first) and filled in batches.
 */
class LinkLatencyModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { TimeColumn, LinkColumn, ConnectColumn, TtfbColumn, TotalColumn, ColumnCount };
    enum Roles {
        LinkIdRole = Qt::UserRole + 1,
        TimeRole,      ///< QDateTime (UTC)
        TimeMsRole,    ///< qint64 ms since the epoch
        LatencyMsRole, ///< double: the phase of a phase column, or -1 when not measured
    };
    Q_ENUM(Columns)
    Q_ENUM(Roles)

    explicit LinkLatencyModel(QObject *parent = nullptr);

    /// One sample per link that an evidence list measured: the `*.connect_ms`, `*.ttfb_ms` and
    /// `*.total_ms` facts, or `latencyMs` as the connect time when no fact gives it.
    static QList<LatencySample> samplesFromEvidence(const EvidenceList &evidence);
    /// A ProbeScheduler sample: its phase timings, or its latency as the connect time.
    static LatencySample fromLinkSample(const LinkSample &sample);

    /// Appends in one batch (samples without any value are skipped), then drops the oldest
    /// samples of every link holding more than maximumSamplesPerLink().
    void addSamples(const QList<LatencySample> &samples);
    void addSample(const LatencySample &sample);
    /// Adds what one diagnosis run measured.
    void addDiagnosis(const Diagnosis &diagnosis);
    void clear();

    const QList<LatencySample> &samples() const { return m_samples; }
    /// The links that have samples, in the order they were first seen.
    QStringList links() const { return m_links; }
    int sampleCount(const QString &link) const { return m_perLink.value(link); }

    int maximumSamplesPerLink() const { return m_maximumPerLink; }
    void setMaximumSamplesPerLink(int samples);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// The phase a column shows, -1 when it shows none.
    static double phaseValue(const LatencySample &sample, int column);

Q_SIGNALS:
    void linksChanged();

private:
    void trimToMaximum();
    void recountLinks();

    QList<LatencySample> m_samples;
    QHash<QString, int> m_perLink;
    QStringList m_links;
    int m_maximumPerLink = 500;
};

} // namespace dd
