#include "capturetrigger.h"

#include "logs/logfollower.h"
#include "probe/httpprobe.h"

#include <QTimer>

#include <utility>

namespace dd {

CaptureTrigger::CaptureTrigger(QObject *parent) : QObject(parent) {}

CaptureTrigger::~CaptureTrigger() = default;

void CaptureTrigger::watchLog(const QString &path)
{
    if (!m_follower) {
        m_follower = std::make_unique<LogFollower>();
        m_follower->setOnlyClassified(true);
        connect(m_follower.get(), &LogFollower::linesClassified, this, &CaptureTrigger::onLines);
        connect(m_follower.get(), &LogFollower::problemFound, this, &CaptureTrigger::problemFound);
    }
    m_follower->follow({path});
    m_logs.append(path);
}

void CaptureTrigger::watchProbe(const QUrl &url, int intervalMs)
{
    m_url = url;
    m_intervalMs = qMax(intervalMs, 100);
    if (!m_probe) {
        m_probe = new HttpProbe(this);
        connect(m_probe, &HttpProbe::finished, this, &CaptureTrigger::onProbeFinished);
        m_probeTimer = new QTimer(this);
        connect(m_probeTimer, &QTimer::timeout, this, &CaptureTrigger::probeNow);
    }
    m_probeTimer->start(m_intervalMs);
    probeNow();
}

void CaptureTrigger::stop()
{
    if (m_follower)
        m_follower->stop();
    if (m_probeTimer)
        m_probeTimer->stop();
    if (m_probe && m_probe->isRunning())
        m_probe->cancel();
}

void CaptureTrigger::rearm()
{
    if (!m_fired)
        return;
    m_fired = false;
    if (m_follower) {
        // A new follower starts at the logs' current ends.
        m_follower.reset();
        const QStringList logs = std::exchange(m_logs, QStringList());
        for (const QString &log : logs)
            watchLog(log);
    }
    if (m_probeTimer)
        m_probeTimer->start(m_intervalMs);
}

void CaptureTrigger::onLines(const QList<ClassifiedLine> &lines)
{
    for (const ClassifiedLine &line : lines) {
        if (m_fired || line.kind != LineKind::Cause)
            continue;
        fire(tr("log %1:%2 names cause %3: %4")
                 .arg(line.file)
                 .arg(line.line)
                 .arg(line.causeId, line.text.left(200).simplified()));
    }
}

void CaptureTrigger::probeNow()
{
    if (m_fired || m_probe->isRunning())
        return;
    HttpRequestSpec spec;
    spec.url = m_url;
    // A probe slower than the interval is itself a failure worth saving the ring for.
    spec.timeoutMs = qMax(m_intervalMs * 3, 3000);
    spec.connectTimeoutMs = qMin(spec.timeoutMs, 3000);
    spec.maxBodyBytes = 1024;
    spec.ignoreTlsErrors = true;
    m_probe->start(spec);
}

void CaptureTrigger::onProbeFinished(const HttpProbeResult &result)
{
    if (m_fired || result.outcome == ProbeOutcome::Cancelled)
        return;
    const QString url = m_url.toDisplayString(QUrl::RemoveUserInfo);
    if (result.outcome != ProbeOutcome::Ok)
        fire(tr("probe %1 failed: %2 (%3)").arg(url, probeOutcomeName(result.outcome), result.error));
    else if (result.status >= 500)
        fire(tr("probe %1 answered %2").arg(url, QString::fromLatin1(result.statusLine).trimmed()));
}

void CaptureTrigger::fire(const QString &reason)
{
    m_fired = true;
    // Stopping the follower flushes lines it still holds into onLines(); m_fired ignores them.
    stop();
    Q_EMIT fired(reason);
}

} // namespace dd
