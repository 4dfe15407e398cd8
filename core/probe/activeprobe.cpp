#include "activeprobe.h"

#include "util/redact.h"

#include <QUrl>

namespace dd {

ActiveProbe::ActiveProbe(QObject *parent) : QObject(parent) {}

ActiveProbe::~ActiveProbe() = default;

void ActiveProbe::cancel()
{
    if (m_running)
        finishRun(cancelledResult());
}

quint64 ActiveProbe::beginRun(const ProbeSpec &spec)
{
    if (m_running)
        abort();
    m_spec = spec;
    m_startedAt = QDateTime::currentDateTimeUtc();
    m_running = true;
    return ++m_generation;
}

ProbeResult ActiveProbe::newResult() const
{
    ProbeResult result;
    result.kind = probeKindName(m_spec.kind);
    const QUrl url(m_spec.target);
    result.target =
        url.isValid() && !url.scheme().isEmpty() && !url.host().isEmpty() ? redactUrl(url) : redactJwts(m_spec.target);
    result.startedAt = m_startedAt;
    return result;
}

ProbeResult ActiveProbe::cancelledResult() const
{
    ProbeResult result = newResult();
    result.outcome = ProbeOutcome::Cancelled;
    result.error = QStringLiteral("cancelled");
    return result;
}

void ActiveProbe::finishRun(ProbeResult result)
{
    if (!m_running)
        return;
    m_running = false;
    abort();
    if (result.startedAt.isNull())
        result.startedAt = m_startedAt;
    if (result.timings.total < 0 && m_startedAt.isValid())
        result.timings.total = double(m_startedAt.msecsTo(QDateTime::currentDateTimeUtc()));
    for (const Evidence &evidence : std::as_const(result.evidence))
        result.health = worseHealth(result.health, evidence.health);
    if (result.outcome != ProbeOutcome::Ok)
        result.health = worseHealth(result.health, Health::Failed);
    // Emitted from the event loop so that a handler may delete this probe.
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation, result] {
            if (generation == m_generation && !m_running)
                Q_EMIT finished(result);
        },
        Qt::QueuedConnection);
}

} // namespace dd
