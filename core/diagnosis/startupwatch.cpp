#include "startupwatch.h"

#include "probe/httpprobe.h"
#include "probe/tcpprobe.h"

#include <QTimer>

namespace dd {

StartupWatch::StartupWatch(QObject *parent) : QObject(parent) {}

void StartupWatch::start(const QUrl &healthcheck, const QString &docserviceHost, quint16 docservicePort, int windowMs,
                         int intervalMs, int probeTimeoutMs)
{
    m_healthcheck = healthcheck;
    m_docserviceHost = docserviceHost;
    m_docservicePort = docservicePort;
    m_windowMs = windowMs;
    m_intervalMs = qMax(50, intervalMs);
    m_probeTimeoutMs = probeTimeoutMs;
    m_clock.start();
    QTimer::singleShot(0, this, &StartupWatch::round);
}

void StartupWatch::round()
{
    ++m_result.rounds;
    m_pending = 1;
    if (m_result.docserviceUpAfterMs < 0 && !m_docserviceHost.isEmpty() && m_docservicePort != 0) {
        ++m_pending;
        auto *tcp = new TcpProbe(this);
        connect(tcp, &TcpProbe::finished, this, [this, tcp](const TcpProbeResult &r) {
            if (r.outcome == ProbeOutcome::Ok && m_result.docserviceUpAfterMs < 0)
                m_result.docserviceUpAfterMs = m_clock.elapsed();
            tcp->deleteLater();
            roundDone();
        });
        tcp->start(m_docserviceHost, m_docservicePort, m_probeTimeoutMs);
    }
    auto *http = new HttpProbe(this);
    connect(http, &HttpProbe::finished, this, [this, http](const HttpProbeResult &r) {
        if (r.outcome == ProbeOutcome::Ok && r.status == 200 && r.body.trimmed() == "true" && !m_result.healthy) {
            m_result.healthy = true;
            m_result.healthyAfterMs = m_clock.elapsed();
        }
        http->deleteLater();
        roundDone();
    });
    HttpRequestSpec spec;
    spec.url = m_healthcheck;
    spec.connectTimeoutMs = m_probeTimeoutMs;
    spec.timeoutMs = m_probeTimeoutMs;
    http->start(spec);
}

void StartupWatch::roundDone()
{
    if (--m_pending > 0 || m_done)
        return;
    if (m_result.healthy || m_clock.elapsed() + m_intervalMs > m_windowMs) {
        m_done = true;
        Q_EMIT finished(m_result);
        return;
    }
    QTimer::singleShot(m_intervalMs, this, &StartupWatch::round);
}

} // namespace dd
