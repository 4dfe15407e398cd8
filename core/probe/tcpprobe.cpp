#include "tcpprobe.h"

#include "hostresolver.h"
#include "socketconnector.h"
#include "socketsupport.h"
#include "util/hostport.h"

#include <QTimer>

#include <unistd.h>

namespace dd {

TcpProbe::TcpProbe(QObject *parent) : QObject(parent), m_resolver(new HostResolver(this)), m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_resolver, &HostResolver::lookedUp, this, &TcpProbe::onLookedUp);
    connect(m_resolver, &HostResolver::lookupFailed, this,
            [this](const QString &error) { finish(ProbeOutcome::DnsFailed, error); });
    connect(m_timer, &QTimer::timeout, this, &TcpProbe::onTimeout);
}

TcpProbe::~TcpProbe()
{
    discardConnectors();
}

void TcpProbe::start(const QString &host, quint16 port, int timeoutMs)
{
    ++m_generation;
    discardConnectors();
    m_timer->stop();
    m_result = TcpProbeResult();
    m_result.host = host;
    m_result.port = port;
    m_result.startedAt = QDateTime::currentDateTimeUtc();
    m_timeoutMs = qMax(1, timeoutMs);
    m_running = true;
    m_clock.start();
    if (host.isEmpty() || port == 0) {
        finish(ProbeOutcome::Error,
               QStringLiteral("'%1': expected a host and a port from 1 to 65535").arg(formatHostPort(host, port)));
        return;
    }
    m_resolver->lookUp(host, m_timeoutMs);
}

void TcpProbe::cancel()
{
    if (m_running)
        finish(ProbeOutcome::Cancelled, QStringLiteral("cancelled"));
}

void TcpProbe::onLookedUp(const QList<QHostAddress> &addresses)
{
    m_result.dnsMs = elapsedMs(m_clock);
    for (const QHostAddress &address : addresses) {
        TcpAttempt attempt;
        attempt.address = addressText(address);
        // Resolvers may list an address twice (one entry per socket type).
        bool seen = false;
        for (const TcpAttempt &other : std::as_const(m_result.attempts))
            seen = seen || other.address == attempt.address;
        if (seen)
            continue;
        const int index = int(m_result.attempts.size());
        m_result.attempts.append(attempt);
        auto *connector = new SocketConnector(this);
        m_connectors.append(connector);
        m_attemptClocks.append(QElapsedTimer());
        connect(connector, &SocketConnector::connected, this,
                [this, index](qintptr descriptor) { onConnected(index, descriptor); });
        connect(connector, &SocketConnector::failed, this, [this, index](ProbeOutcome outcome, const QString &error) {
            onFailed(index, outcome,
                     formatHostPort(m_result.attempts.at(index).address, m_result.port) + QStringLiteral(": ") + error);
        });
        m_attemptClocks[index].start();
        connector->connectTo(address, m_result.port);
    }
    m_timer->start(m_timeoutMs);
}

void TcpProbe::onConnected(int index, qintptr descriptor)
{
    ::close(int(descriptor));
    TcpAttempt &attempt = m_result.attempts[index];
    attempt.outcome = ProbeOutcome::Ok;
    SocketConnector *connector = std::exchange(m_connectors[index], nullptr);
    attempt.connectMs = connector->establishedAtMs(m_attemptClocks.at(index));
    connector->deleteLater();
    finishIfDone();
}

void TcpProbe::onFailed(int index, ProbeOutcome outcome, const QString &error)
{
    SocketConnector *connector = std::exchange(m_connectors[index], nullptr);
    if (!connector)
        return;
    TcpAttempt &attempt = m_result.attempts[index];
    attempt.outcome = outcome;
    attempt.error = error;
    connector->abort();
    connector->deleteLater();
    finishIfDone();
}

void TcpProbe::onTimeout()
{
    for (int i = 0; i < m_connectors.size(); ++i) {
        if (m_connectors.at(i)) {
            onFailed(i, ProbeOutcome::TimedOut,
                     QStringLiteral("%1: no answer to the connection request within %2 ms")
                         .arg(formatHostPort(m_result.attempts.at(i).address, m_result.port))
                         .arg(m_timeoutMs));
        }
        if (!m_running)
            return;
    }
}

void TcpProbe::finishIfDone()
{
    for (const SocketConnector *connector : std::as_const(m_connectors)) {
        if (connector)
            return;
    }
    const TcpAttempt *firstOk = nullptr;
    const TcpAttempt *firstFailure = nullptr;
    for (const TcpAttempt &attempt : std::as_const(m_result.attempts)) {
        if (attempt.outcome == ProbeOutcome::Ok && !firstOk)
            firstOk = &attempt;
        if (attempt.outcome != ProbeOutcome::Ok && !firstFailure)
            firstFailure = &attempt;
    }
    if (firstOk) {
        m_result.connectMs = firstOk->connectMs;
        finish(ProbeOutcome::Ok, QString());
    } else if (firstFailure) {
        QStringList errors;
        for (const TcpAttempt &attempt : std::as_const(m_result.attempts))
            errors.append(attempt.error);
        finish(firstFailure->outcome, errors.join(QLatin1String("; ")));
    } else {
        finish(ProbeOutcome::DnsFailed, QStringLiteral("%1 resolved to no address").arg(m_result.host));
    }
}

void TcpProbe::finish(ProbeOutcome outcome, const QString &error)
{
    m_running = false;
    m_timer->stop();
    m_resolver->cancel();
    discardConnectors();
    m_result.outcome = outcome;
    m_result.error = error;
    for (TcpAttempt &attempt : m_result.attempts) {
        if (outcome == ProbeOutcome::Cancelled && attempt.outcome == ProbeOutcome::Error && attempt.error.isEmpty()) {
            attempt.outcome = ProbeOutcome::Cancelled;
            attempt.error = QStringLiteral("cancelled");
        }
    }
    // Emitted from the event loop so that a handler may delete this probe.
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation, result = m_result] {
            if (generation == m_generation)
                Q_EMIT finished(result);
        },
        Qt::QueuedConnection);
}

void TcpProbe::discardConnectors()
{
    for (SocketConnector *connector : std::as_const(m_connectors)) {
        if (!connector)
            continue;
        connector->abort();
        connector->deleteLater();
    }
    m_connectors.clear();
    m_attemptClocks.clear();
}

} // namespace dd
