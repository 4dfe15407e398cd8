#pragma once

// Internal to core/probe.

#include "probeoutcome.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QHostAddress;
class QTimer;
QT_END_NAMESPACE

namespace dd {

class HostResolver;
class SocketConnector;

/**
 * Resolves a host and connects to its addresses in turn until one accepts, each attempt bounded
 * by the connect timeout, for probes that then speak their own protocol on the descriptor.
 * Times are milliseconds since dial(). Results always arrive from the event loop.
 */
class TcpDialer : public QObject
{
    Q_OBJECT
public:
    explicit TcpDialer(QObject *parent = nullptr);
    ~TcpDialer() override;

    void dial(const QString &host, quint16 port, int connectTimeoutMs);
    /// Stops; no signal follows.
    void abort();

    /// "[::1]:6379: Connection refused" for each address that failed, in order.
    QStringList failures() const { return m_failures; }
    /// The address being tried or connected to, "127.0.0.1:6379"; empty while resolving.
    QString endpoint() const;
    /// The address being tried or connected to, "127.0.0.1"; empty while resolving.
    QString address() const { return m_current; }
    bool isResolving() const { return m_resolving; }

Q_SIGNALS:
    /// The receiver owns `descriptor` (non-blocking) and must close it.
    void connected(qintptr descriptor, double dnsMs, double connectMs);
    void failed(dd::ProbeOutcome outcome, const QString &error, double dnsMs);

private:
    void connectNext();
    void attemptFailed(ProbeOutcome outcome, const QString &error);

    HostResolver *m_resolver;
    SocketConnector *m_connector;
    QTimer *m_connectTimer;
    QElapsedTimer m_clock;
    QStringList m_addresses;
    QStringList m_failures;
    QString m_host;
    QString m_current;
    quint16 m_port = 0;
    int m_connectTimeoutMs = 0;
    double m_dnsMs = -1;
    ProbeOutcome m_firstFailure = ProbeOutcome::Error;
    bool m_resolving = false;
};

} // namespace dd
