#pragma once

#include "tcpproberesult.h"

#include <QElapsedTimer>
#include <QObject>

QT_BEGIN_NAMESPACE
class QHostAddress;
class QTimer;
QT_END_NAMESPACE

namespace dd {

class HostResolver;
class SocketConnector;

/**
 * Checks that a TCP port accepts connections: resolves the host, then connects to every
 * address it resolved to, in parallel (a proxy's `localhost` upstream may use ::1 or
 * 127.0.0.1, and the two can differ). Each attempt is bounded by the timeout; the lookup is
 * bounded by it too. Connections are closed as soon as they are established; no data is sent.
 * Per address: Ok, Refused, TimedOut (SYN unanswered), Unreachable (no route, local firewall),
 * or Reset (accepted and reset at once, as docker-proxy does for a stopped container).
 *
 * finished() is always emitted from the event loop, never from inside start() or cancel(),
 * so a receiver may delete the probe in its handler.
 */
class TcpProbe : public QObject
{
    Q_OBJECT
public:
    explicit TcpProbe(QObject *parent = nullptr);
    ~TcpProbe() override;

    /// Starts a probe; a probe already running is abandoned without a finished() signal.
    void start(const QString &host, quint16 port, int timeoutMs);
    /// Stops the probe; finished() follows with outcome Cancelled unless it already finished.
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void finished(const dd::TcpProbeResult &result);

private:
    void onLookedUp(const QList<QHostAddress> &addresses);
    void onConnected(int index, qintptr descriptor);
    void onFailed(int index, ProbeOutcome outcome, const QString &error);
    void onTimeout();
    void finishIfDone();
    void finish(ProbeOutcome outcome, const QString &error);
    void discardConnectors();

    HostResolver *m_resolver = nullptr;
    QTimer *m_timer = nullptr;
    QList<SocketConnector *> m_connectors; ///< parallel to m_result.attempts; null once that attempt ended
    QList<QElapsedTimer> m_attemptClocks;
    QElapsedTimer m_clock;
    TcpProbeResult m_result;
    int m_timeoutMs = 0;
    quint64 m_generation = 0;
    bool m_running = false;
};

} // namespace dd
