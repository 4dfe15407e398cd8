#pragma once

// Internal to core/probe (uses QtNetwork types).

#include "probeoutcome.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace dd {

/**
 * One non-blocking TCP connect, reported by signal with the exact errno behind a failure.
 *
 * QAbstractSocket cannot be used for this step: it folds EHOSTUNREACH, ENETUNREACH and
 * ETIMEDOUT into one NetworkError, and when the peer accepts and resets at once (docker-proxy
 * in front of a stopped container does this) it silently reconnects in a loop instead of
 * reporting anything. The connected descriptor is handed over to a QTcpSocket/QSslSocket.
 */
class SocketConnector : public QObject
{
    Q_OBJECT
public:
    explicit SocketConnector(QObject *parent = nullptr);
    ~SocketConnector() override;

    /// Starts connecting; the result always arrives from the event loop.
    void connectTo(const QHostAddress &address, quint16 port);
    /// Stops connecting and closes the socket; no signal follows.
    void abort();

    /**
     * When the handshake completed, in milliseconds on `clock` (which must have been started
     * before connectTo()). Valid in and after connected(). The kernel may finish a handshake
     * inside connect() itself (loopback does); that moment is taken with a zero-timeout poll
     * right after the call, as curl does, while the result is still delivered from the event
     * loop's next turn, which is therefore not counted as connect time.
     */
    double establishedAtMs(const QElapsedTimer &clock) const;

Q_SIGNALS:
    /// The handshake completed; the receiver now owns `descriptor` and must close it.
    void connected(qintptr descriptor);
    void failed(dd::ProbeOutcome outcome, const QString &error);

private:
    void onWritable();
    void fail(int error);

    QSocketNotifier *m_notifier = nullptr;
    QElapsedTimer m_established; ///< started when the handshake was seen complete
    int m_fd = -1;
    quint64 m_generation = 0;
};

/// The outcome for an errno seen while connecting or reading.
ProbeOutcome outcomeForErrno(int error);

} // namespace dd
