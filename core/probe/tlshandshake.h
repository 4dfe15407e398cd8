#pragma once

// Internal to core/probe.

#include <QObject>
#include <QString>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace dd {

/**
 * One non-blocking OpenSSL client handshake on a connected socket, driven by the event loop
 * through two socket notifiers: what TlsProbe and TlsVersionSweep share. It owns the socket,
 * the context and the SSL from start() until release() (or its destruction), and verifies
 * nothing: callers judge the result.
 */
class TlsHandshake : public QObject
{
    Q_OBJECT
public:
    explicit TlsHandshake(QObject *parent = nullptr);
    ~TlsHandshake() override;

    /**
     * Takes `fd` and `ctx`, sends `serverName` as SNI unless it is an IP literal, and starts the
     * handshake; a signal may come before start() returns. A receiver may call release().
     */
    void start(int fd, SSL_CTX *ctx, const QString &serverName);
    /// Frees the SSL, the context and the notifiers and closes the socket; no signal follows.
    void release();
    /// While started and not released; the SSL of the handshake (for its results after succeeded()).
    bool isActive() const { return m_ssl != nullptr; }
    SSL *ssl() const { return m_ssl; }

Q_SIGNALS:
    void succeeded();
    /// `sslError` from SSL_get_error(), `savedErrno` right after the failing call, `reason`
    /// OpenSSL's error queue (empty when it had nothing to say).
    void failed(int sslError, int savedErrno, const QString &reason);

private:
    void drive();

    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    SSL_CTX *m_ctx = nullptr;
    SSL *m_ssl = nullptr;
    int m_fd = -1;
};

} // namespace dd
