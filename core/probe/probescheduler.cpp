#include "probescheduler.h"

#include "activeprobe.h"
#include "docsapi.h"
#include "model/profile.h"
#include "model/topology.h"

#include <QTimer>
#include <QUrl>

namespace dd {

namespace {

QString healthcheckUrl(const QUrl &base)
{
    return docsApiUrl(base, QStringLiteral("/healthcheck")).toString();
}

ProbeSpec specFor(ProbeKind kind, const QString &target, const Profile &profile)
{
    ProbeSpec spec;
    spec.kind = kind;
    spec.target = target;
    spec.connectTimeoutMs = profile.connectTimeoutMs > 0 ? profile.connectTimeoutMs : 3000;
    spec.timeoutMs = profile.requestTimeoutMs > 0 ? profile.requestTimeoutMs : 15000;
    return spec;
}

} // namespace

QList<ScheduledProbe> scheduledProbesFor(const Profile &profile)
{
    QList<ScheduledProbe> probes;
    const bool proxied = profile.hasFrontProxy() && profile.proxyKind != QLatin1String("none");
    if (proxied) {
        probes.append({Topology::linkId(QStringLiteral("browser"), QStringLiteral("proxy")),
                       specFor(ProbeKind::Http, healthcheckUrl(profile.publicUrl), profile)});
    }
    const QString entry = proxied ? QStringLiteral("proxy") : QStringLiteral("browser");
    const QUrl docserver = profile.hasDocserver()                ? profile.docserverUrl
                           : profile.hasFrontProxy() && !proxied ? profile.publicUrl
                                                                 : QUrl();
    if (docserver.isValid() && !docserver.isEmpty()) {
        probes.append({Topology::linkId(entry, QStringLiteral("dsnginx")),
                       specFor(ProbeKind::Http, healthcheckUrl(docserver), profile)});
    }
    if (profile.hasDocservice()) {
        const QString host = profile.docserviceHost.contains(QLatin1Char(':'))
                                 ? QLatin1Char('[') + profile.docserviceHost + QLatin1Char(']')
                                 : profile.docserviceHost;
        probes.append(
            {Topology::linkId(QStringLiteral("dsnginx"), QStringLiteral("docservice")),
             specFor(ProbeKind::Tcp, host + QLatin1Char(':') + QString::number(profile.docservicePort), profile)});
    }
    return probes;
}

ProbeScheduler::ProbeScheduler(QObject *parent) : QObject(parent), m_timer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, &ProbeScheduler::runRound);
}

ProbeScheduler::~ProbeScheduler()
{
    clearProbes();
}

void ProbeScheduler::setProbes(const QList<ScheduledProbe> &probes)
{
    clearProbes();
    m_probes = probes;
    QHash<QString, LinkHistory> kept;
    for (int i = 0; i < m_probes.size(); ++i) {
        const QString &link = m_probes.at(i).linkId;
        if (!kept.contains(link))
            kept.insert(link, m_histories.value(link, LinkHistory(m_capacity)));
        ActiveProbe *probe = createProbe(m_probes.at(i).spec.kind, this);
        connect(probe, &ActiveProbe::finished, this, [this, i](const ProbeResult &result) { onFinished(i, result); });
        m_active.append(probe);
    }
    m_histories = kept;
}

void ProbeScheduler::clearProbes()
{
    for (ActiveProbe *probe : std::as_const(m_active)) {
        disconnect(probe, nullptr, this, nullptr);
        probe->cancel();
        probe->deleteLater();
    }
    m_active.clear();
}

void ProbeScheduler::setInterval(int ms)
{
    m_intervalMs = qMax(1, ms);
    m_timer->setInterval(m_intervalMs);
}

void ProbeScheduler::setHistoryCapacity(qsizetype samples)
{
    m_capacity = qMax<qsizetype>(1, samples);
    for (LinkHistory &history : m_histories)
        history.setCapacity(m_capacity);
}

void ProbeScheduler::start()
{
    if (m_running)
        return;
    m_running = true;
    m_timer->start(m_intervalMs);
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_running)
                runRound();
        },
        Qt::QueuedConnection);
}

void ProbeScheduler::stop()
{
    m_running = false;
    m_timer->stop();
    // Their Cancelled results arrive later and are dropped by onFinished().
    for (ActiveProbe *probe : std::as_const(m_active))
        probe->cancel();
}

void ProbeScheduler::runRound()
{
    Q_EMIT roundStarted(++m_round);
    for (int i = 0; i < m_active.size(); ++i) {
        if (m_active.at(i)->isRunning()) {
            Q_EMIT probeSkipped(m_probes.at(i).linkId, m_probes.at(i).spec.target);
            continue;
        }
        m_active.at(i)->start(m_probes.at(i).spec);
    }
}

void ProbeScheduler::onFinished(int index, const ProbeResult &result)
{
    if (result.outcome == ProbeOutcome::Cancelled || index >= m_probes.size())
        return;
    const QString &link = m_probes.at(index).linkId;
    const LinkSample sample = linkSampleFrom(link, result);
    auto it = m_histories.find(link);
    if (it == m_histories.end())
        it = m_histories.insert(link, LinkHistory(m_capacity));
    it->append(sample);
    Q_EMIT sampleAvailable(sample);
    Q_EMIT resultAvailable(link, result);
}

QStringList ProbeScheduler::linkIds() const
{
    QStringList ids;
    for (const ScheduledProbe &probe : m_probes) {
        if (!ids.contains(probe.linkId))
            ids.append(probe.linkId);
    }
    return ids;
}

int ProbeScheduler::inFlight() const
{
    int count = 0;
    for (const ActiveProbe *probe : m_active)
        count += probe->isRunning() ? 1 : 0;
    return count;
}

} // namespace dd
