#pragma once

#include "httpproberesult.h"
#include "httpresponseparser.h"

#include <QElapsedTimer>
#include <QObject>

QT_BEGIN_NAMESPACE
class QSslSocket;
class QTimer;
QT_END_NAMESPACE

namespace dd {

class HostResolver;
class PlainStream;
class SocketConnector;

/**
 * One HTTP/1.1 exchange on a raw socket, so that every phase is visible and timed: lookup,
 * connect (each resolved address in turn until one accepts), TLS handshake (https), request
 * sent, first response byte, end. The response is parsed by HttpResponseParser; the outcome
 * says how the exchange ended, the status what the server answered. `Connection: close` is
 * sent, so the server may end an unframed body by closing.
 *
 * finished() is always emitted from the event loop, never from inside start() or cancel(),
 * so a receiver may delete the probe in its handler.
 */
class HttpProbe : public QObject
{
    Q_OBJECT
public:
    explicit HttpProbe(QObject *parent = nullptr);
    ~HttpProbe() override;

    /// Starts a probe; a probe already running is abandoned without a finished() signal.
    void start(const HttpRequestSpec &spec);
    /// Stops the probe; finished() follows with outcome Cancelled unless it already finished.
    void cancel();
    bool isRunning() const { return m_phase != Phase::Idle; }

    /// The bytes start() would send for `spec` (request line, headers, body).
    static QByteArray requestBytes(const HttpRequestSpec &spec);

Q_SIGNALS:
    void finished(const dd::HttpProbeResult &result);

private:
    enum class Phase { Idle, Resolving, Connecting, Handshaking, Waiting, Receiving };

    void connectNext();
    void onConnected(qintptr descriptor);
    void onEncrypted();
    void onSocketError(int socketError);
    void onConnectFailed(ProbeOutcome outcome, const QString &error);
    void sendRequest();
    void onBytesWritten();
    void startTls(qintptr descriptor);
    void readTls();
    void onBytes(const char *data, qsizetype size);
    void onPeerClosed(bool reset);
    void onTimeout();
    void finish(ProbeOutcome outcome, const QString &error);
    void discardConnection();
    QString endpoint() const;

    HostResolver *m_resolver = nullptr;
    SocketConnector *m_connector = nullptr;
    QTimer *m_timer = nullptr;         ///< the whole exchange
    QTimer *m_connectTimer = nullptr;  ///< one connect attempt
    PlainStream *m_stream = nullptr;   ///< http
    QSslSocket *m_tlsSocket = nullptr; ///< https
    HttpRequestSpec m_spec;
    QByteArray m_request; ///< requestBytes(m_spec), built before the clock starts
    HttpProbeResult m_result;
    HttpResponseParser m_parser;
    QElapsedTimer m_clock;
    QString m_connectHost;
    quint16 m_connectPort = 0;
    bool m_isTls = false;
    QStringList m_addresses; ///< resolved, not yet tried
    QString m_currentAddress;
    ProbeOutcome m_firstConnectFailure = ProbeOutcome::Error;
    Phase m_phase = Phase::Idle;
    quint64 m_generation = 0;
};

} // namespace dd
