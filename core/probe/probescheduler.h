#pragma once

#include "linkhistory.h"
#include "probespec.h"

#include <QHash>
#include <QObject>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace dd {

class ActiveProbe;
struct Profile;

/// One probe the scheduler repeats, and the topology link its samples belong to.
struct ScheduledProbe
{
    QString linkId;
    ProbeSpec spec;
};

/// The probes that measure a profile's links: HTTP /healthcheck to the public URL and to DS's
/// nginx, TCP to docservice (when the profile names it), each with the profile's timeouts.
QList<ScheduledProbe> scheduledProbesFor(const Profile &profile);

/**
 * Continuous mode: re-runs a set of probes every interval (default 5000 ms) and keeps a bounded
 * history per link (LinkHistory, default 720 samples), which the GUI's charts and the report read.
 *
 * Each scheduled probe has its own ActiveProbe; a round skips a probe whose previous run has
 * not finished yet (probeSkipped()), so a dead host costs one probe bounded by its timeout, never
 * a pile of them. The first round runs as soon as start() returns to the event loop.
 */
class ProbeScheduler : public QObject
{
    Q_OBJECT
public:
    explicit ProbeScheduler(QObject *parent = nullptr);
    ~ProbeScheduler() override;

    /// Replaces the probes (stopping any running); histories of links still present are kept.
    void setProbes(const QList<ScheduledProbe> &probes);
    QList<ScheduledProbe> probes() const { return m_probes; }
    void setInterval(int ms);
    int interval() const { return m_intervalMs; }
    /// Samples kept per link; applies to existing histories too.
    void setHistoryCapacity(qsizetype samples);
    qsizetype historyCapacity() const { return m_capacity; }

    void start();
    /// Stops the timer and cancels running probes (their results are dropped).
    void stop();
    bool isRunning() const { return m_running; }
    /// Starts a round now (probes still in flight are skipped).
    void runRound();

    LinkHistory history(const QString &linkId) const { return m_histories.value(linkId, LinkHistory(m_capacity)); }
    QStringList linkIds() const;
    /// How many probes are running right now.
    int inFlight() const;

Q_SIGNALS:
    void sampleAvailable(const dd::LinkSample &sample);
    /// The full result behind a sample, evidence included.
    void resultAvailable(const QString &linkId, const dd::ProbeResult &result);
    /// A round found this probe still running from an earlier round.
    void probeSkipped(const QString &linkId, const QString &target);
    void roundStarted(int round);

private:
    void onFinished(int index, const ProbeResult &result);
    void clearProbes();

    QTimer *m_timer;
    QList<ScheduledProbe> m_probes;
    QList<ActiveProbe *> m_active; ///< parallel to m_probes
    QHash<QString, LinkHistory> m_histories;
    int m_intervalMs = 5000;
    qsizetype m_capacity = 720;
    int m_round = 0;
    bool m_running = false;
};

} // namespace dd
