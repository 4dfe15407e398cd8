#include "tcpprobe.h"

#include "hostresolver.h"
#include "socketsupport.h"
#include "util/hostport.h"

#include <QTcpSocket>
#include <QTimer>

namespace dd {

TcpProbe::TcpProbe(QObject *parent)
    : QObject(parent)
    , m_resolver(new HostResolver(this))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_resolver, &HostResolver::lookedUp, this, &TcpProbe::onLookedUp);
    connect(m_resolver, &HostResolver::lookupFailed, this,
            [this](const QString &error) { finish(ProbeOutcome::DnsFailed, error); });
    connect(m_timer, &QTimer::timeout, this, &TcpProbe::onTimeout);
}

TcpProbe::~TcpProbe()
{
    discardSockets();
}

void TcpProbe::start(const QString &host, quint16 port, int timeoutMs)
{
    ++m_generation;
    discardSockets();
    m_timer->stop();
    m_result = TcpProbeResult();
    m_result.host = host;
    m_result.port = port;
    m_result.startedAt = QDateTime::currentDateTimeUtc();
    m_timeoutMs = qMax(1, timeoutMs);
    m_running = true;
    m_clock.start();
    if (host.isEmpty() || port == 0) {
        finish(ProbeOutcome::Error, QStringLiteral("'%1': expected a host and a port from 1 to 65535")
                                        .arg(formatHostPort(host, port)));
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
        auto *socket = new QTcpSocket;
        m_sockets.append(socket);
        m_attemptClocks.append(QElapsedTimer());
        connect(socket, &QTcpSocket::connected, this, [this, index] { onConnected(index); });
        connect(socket, &QTcpSocket::errorOccurred, this, [this, index, socket](QAbstractSocket::SocketError error) {
            onFailed(index, outcomeForConnectError(error),
                     formatHostPort(m_result.attempts.at(index).address, m_result.port) + QStringLiteral(": ")
                         + socket->errorString());
        });
        m_attemptClocks[index].start();
        socket->connectToHost(address, m_result.port);
    }
    m_timer->start(m_timeoutMs);
}

void TcpProbe::onConnected(int index)
{
    TcpAttempt &attempt = m_result.attempts[index];
    attempt.outcome = ProbeOutcome::Ok;
    attempt.connectMs = elapsedMs(m_attemptClocks.at(index));
    QTcpSocket *socket = std::exchange(m_sockets[index], nullptr);
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    socket->deleteLater();
    finishIfDone();
}

void TcpProbe::onFailed(int index, ProbeOutcome outcome, const QString &error)
{
    QTcpSocket *socket = std::exchange(m_sockets[index], nullptr);
    if (!socket)
        return;
    TcpAttempt &attempt = m_result.attempts[index];
    attempt.outcome = outcome;
    attempt.error = error;
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    socket->deleteLater();
    finishIfDone();
}

void TcpProbe::onTimeout()
{
    for (int i = 0; i < m_sockets.size(); ++i) {
        if (m_sockets.at(i)) {
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
    for (const QTcpSocket *socket : std::as_const(m_sockets)) {
        if (socket)
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
    discardSockets();
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

void TcpProbe::discardSockets()
{
    for (QTcpSocket *socket : std::as_const(m_sockets)) {
        if (!socket)
            continue;
        disconnect(socket, nullptr, this, nullptr);
        socket->abort();
        socket->deleteLater();
    }
    m_sockets.clear();
    m_attemptClocks.clear();
}

} // namespace dd
