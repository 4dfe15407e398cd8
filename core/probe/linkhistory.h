#pragma once

#include "proberesult.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace dd {

/// One measurement of a topology link by the ProbeScheduler.
struct LinkSample
{
    QString linkId; ///< topology link id, "proxy->dsnginx"
    QString kind;   ///< probe kind that measured it
    QString target; ///< what it probed (redacted)
    QDateTime time; ///< when the probe started (UTC)
    ProbeOutcome outcome = ProbeOutcome::Error;
    Health health = Health::Unknown;
    double latencyMs = -1; ///< the probe's main latency (TCP handshake, PING, ...), -1 if none
    ProbeTimings timings;  ///< phases, ms since the probe started
    QString summary;       ///< the main evidence's one line
};

/// Builds a sample from a finished probe.
LinkSample linkSampleFrom(const QString &linkId, const ProbeResult &result);

/**
 * The last `capacity` samples of one link, oldest first: a ring, so appending never grows it
 * past its capacity (720 samples = one hour at the default 5 s interval). A value type.
 */
class LinkHistory
{
public:
    explicit LinkHistory(qsizetype capacity = 720);

    void append(const LinkSample &sample);
    void clear();
    void setCapacity(qsizetype capacity); ///< keeps the newest samples that fit

    qsizetype size() const { return m_samples.size(); }
    qsizetype capacity() const { return m_capacity; }
    bool isEmpty() const { return m_samples.isEmpty(); }
    /// 0 is the oldest kept sample.
    const LinkSample &at(qsizetype index) const;
    const LinkSample &latest() const { return at(size() - 1); }
    QList<LinkSample> samples() const;

    /// Median latency of the samples that have one, or -1.
    double medianLatencyMs() const;
    /// How many kept samples did not end with outcome Ok.
    qsizetype failureCount() const;

private:
    QList<LinkSample> m_samples;
    qsizetype m_capacity;
    qsizetype m_start = 0; ///< index of the oldest sample once the ring is full
};

} // namespace dd

Q_DECLARE_METATYPE(dd::LinkSample)
