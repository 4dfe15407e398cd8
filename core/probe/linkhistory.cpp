#include "linkhistory.h"

#include <algorithm>

namespace dd {

LinkSample linkSampleFrom(const QString &linkId, const ProbeResult &result)
{
    LinkSample sample;
    sample.linkId = linkId;
    sample.kind = result.kind;
    sample.target = result.target;
    sample.time = result.startedAt;
    sample.outcome = result.outcome;
    sample.health = result.health;
    sample.latencyMs = result.latencyMs();
    sample.timings = result.timings;
    sample.summary = result.evidence.isEmpty() ? result.error : result.evidence.constFirst().summary;
    return sample;
}

LinkHistory::LinkHistory(qsizetype capacity) : m_capacity(qMax<qsizetype>(1, capacity)) {}

void LinkHistory::append(const LinkSample &sample)
{
    if (m_samples.size() < m_capacity) {
        m_samples.append(sample);
        return;
    }
    m_samples[m_start] = sample;
    m_start = (m_start + 1) % m_capacity;
}

void LinkHistory::clear()
{
    m_samples.clear();
    m_start = 0;
}

void LinkHistory::setCapacity(qsizetype capacity)
{
    QList<LinkSample> kept = samples();
    m_capacity = qMax<qsizetype>(1, capacity);
    if (kept.size() > m_capacity)
        kept = kept.mid(kept.size() - m_capacity);
    m_samples = kept;
    m_start = 0;
}

const LinkSample &LinkHistory::at(qsizetype index) const
{
    return m_samples.at((m_start + index) % m_samples.size());
}

QList<LinkSample> LinkHistory::samples() const
{
    QList<LinkSample> ordered;
    ordered.reserve(m_samples.size());
    for (qsizetype i = 0; i < m_samples.size(); ++i)
        ordered.append(at(i));
    return ordered;
}

double LinkHistory::medianLatencyMs() const
{
    QList<double> latencies;
    for (const LinkSample &sample : m_samples) {
        if (sample.latencyMs >= 0)
            latencies.append(sample.latencyMs);
    }
    if (latencies.isEmpty())
        return -1;
    std::sort(latencies.begin(), latencies.end());
    const qsizetype mid = latencies.size() / 2;
    return latencies.size() % 2 ? latencies.at(mid) : (latencies.at(mid - 1) + latencies.at(mid)) / 2;
}

qsizetype LinkHistory::failureCount() const
{
    return std::count_if(m_samples.cbegin(), m_samples.cend(),
                         [](const LinkSample &sample) { return sample.outcome != ProbeOutcome::Ok; });
}

} // namespace dd
