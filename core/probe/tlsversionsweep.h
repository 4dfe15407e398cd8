#pragma once

// Internal to core/probe.

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QVariantMap>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace dd {

class TcpDialer;
class TlsHandshake;

/// How one forced-version handshake went.
struct TlsVersionResult
{
    QString version; ///< "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" (OpenSSL's names)
    QString status;  ///< "accepted", "rejected", "untestable" (not by this OpenSSL), "error", "timed-out"
    QString cipher;  ///< when accepted
    QString detail;  ///< why rejected, untestable or failed
    double ms = -1;  ///< connect and handshake
    QVariantMap toVariant() const;
};

/**
 * Which TLS versions a server accepts: one connection per version, each offering only that
 * version. Security level 0 and every cipher are allowed for the sweep, since Debian's default
 * (SECLEVEL=2) forbids TLS 1.0 and 1.1 on the client; a version this OpenSSL still cannot offer
 * is reported "untestable", not "rejected". Handshakes run one after the other, each bounded by
 * the attempt timeout; finished() always comes from the event loop.
 */
class TlsVersionSweep : public QObject
{
    Q_OBJECT
public:
    explicit TlsVersionSweep(QObject *parent = nullptr);
    ~TlsVersionSweep() override;

    /// `address` should be what the main handshake connected to (an IP literal, no new lookup).
    void start(const QString &address, quint16 port, const QString &serverName, int attemptTimeoutMs);
    /// Stops; the attempts not done are reported "timed-out" by results().
    void abort();
    QList<TlsVersionResult> results() const;
    bool isRunning() const { return m_index >= 0; }

    /// Empty when this OpenSSL can offer `version` (TLS1_VERSION...) alone, else why not.
    static QString localLimitation(int version);
    /// "TLS 1.0 rejected, TLS 1.1 rejected, TLS 1.2 accepted, TLS 1.3 accepted"
    static QString summary(const QList<TlsVersionResult> &results);

Q_SIGNALS:
    void finished();

private:
    void next();
    void scheduleNext();
    void onConnected(qintptr descriptor);
    void onHandshakeFailed(int sslError, int savedErrno, const QString &openSslReason);
    void finishAttempt(const QString &status, const QString &detail, const QString &cipher = QString());
    void release();

    TcpDialer *m_dialer;
    QTimer *m_timer;
    TlsHandshake *m_handshake;
    QString m_address;
    quint16 m_port = 0;
    QString m_serverName;
    int m_attemptTimeoutMs = 3000;
    int m_index = -1;
    quint64 m_generation = 0;
    QList<TlsVersionResult> m_results;
    QElapsedTimer m_clock;
};

} // namespace dd
