#pragma once

// Internal to core/probe.

#include "activeprobe.h"

#include <QElapsedTimer>
#include <QStringList>
#include <QVariantMap>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace dd {

class PlainStream;
class TcpDialer;
struct HostPort;

/**
 * What the probes of docservice's dependencies (RabbitMQ, PostgreSQL, Redis) share: one TCP
 * connection to HOST[:PORT] through a TcpDialer (every resolved address, classified failures),
 * one overall time limit, a plain stream whose bytes go to onBytes(), the exchange kept as text
 * lines and the facts gathered so far. A subclass speaks its protocol and builds its evidence in
 * complete(); the time limit and an early close end the run through complete() with one line that
 * names the endpoint and where the exchange stood (stage()).
 */
class DependencyProbe : public ActiveProbe
{
    Q_OBJECT
protected:
    explicit DependencyProbe(QObject *parent = nullptr);
    ~DependencyProbe() override;

    /**
     * Starts a run: a fresh result, facts and exchange, and the clock. Parses HOST[:PORT]
     * (`defaultPort` when none is given) and, when the spec names one, reads the secret file into
     * `secret`. False when either fails; the run has then ended with that error.
     */
    bool beginExchange(const ProbeSpec &spec, quint16 defaultPort, HostPort *target, QByteArray *secret);
    /// Arms the overall time limit (ProbeSpec::timeoutMs) and connects.
    void dial(const HostPort &target);
    /// The connected descriptor now carries the exchange: its bytes go to onBytes().
    void attachStream(qintptr descriptor);
    /// Stops the time limit, any connection attempt and the stream; no signal follows.
    void stopExchange();
    /// "127.0.0.1:5672", the address connected to (or being tried).
    QString endpoint() const;
    bool isConnected() const { return m_connected; }

    virtual void onConnected(qintptr descriptor, double dnsMs, double connectMs) = 0;
    virtual void onBytes(const QByteArray &data) = 0;
    /// Ends the run with this outcome: builds the evidence and calls finishRun().
    virtual void complete(ProbeOutcome outcome, const QString &error) = 0;
    /// Where the exchange stands, for a timeout or an early close: "stage 'tune'".
    virtual QString stage() const = 0;
    /// The peer closed or reset the stream: by default the run ends (ClosedEarly or Reset).
    virtual void onPeerClosed(bool reset);

    TcpDialer *m_dialer;
    QTimer *m_timer;
    PlainStream *m_stream;
    QElapsedTimer m_clock;
    ProbeResult m_result;
    QVariantMap m_facts;
    QStringList m_exchange;

private:
    void onTimeout();

    bool m_connected = false;
};

} // namespace dd
