#include "tlsversionsweep.h"

#include "socketsupport.h"
#include "tcpdialer.h"
#include "tlscertificates.h"
#include "tlshandshake.h"

#include <QTimer>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <unistd.h>

namespace dd {

namespace {

struct Version
{
    int number;
    const char *name;
    const char *label;
};

constexpr Version versions[] = {{TLS1_VERSION, "TLSv1", "TLS 1.0"},
                                {TLS1_1_VERSION, "TLSv1.1", "TLS 1.1"},
                                {TLS1_2_VERSION, "TLSv1.2", "TLS 1.2"},
                                {TLS1_3_VERSION, "TLSv1.3", "TLS 1.3"}};
constexpr int versionCount = int(sizeof versions / sizeof versions[0]);

// One version only, at security level 0 so that old versions' signature and cipher limits of
// the system-wide policy (openssl.cnf) do not stop us from asking.
SSL_CTX *newContext(int version)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx)
        return nullptr;
    if (SSL_CTX_set_min_proto_version(ctx, version) != 1 || SSL_CTX_set_max_proto_version(ctx, version) != 1) {
        SSL_CTX_free(ctx);
        return nullptr;
    }
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    return ctx;
}

} // namespace

QVariantMap TlsVersionResult::toVariant() const
{
    return {{QStringLiteral("version"), version},
            {QStringLiteral("status"), status},
            {QStringLiteral("cipher"), cipher.isEmpty() ? QVariant() : QVariant(cipher)},
            {QStringLiteral("detail"), detail.isEmpty() ? QVariant() : QVariant(detail)},
            {QStringLiteral("ms"), ms < 0 ? QVariant() : QVariant(qRound(ms * 1000) / 1000.0)}};
}

TlsVersionSweep::TlsVersionSweep(QObject *parent)
    : QObject(parent), m_dialer(new TcpDialer(this)), m_timer(new QTimer(this)), m_handshake(new TlsHandshake(this))
{
    connect(m_handshake, &TlsHandshake::succeeded, this, [this] {
        finishAttempt(QStringLiteral("accepted"), QString(),
                      QString::fromLatin1(SSL_CIPHER_get_name(SSL_get_current_cipher(m_handshake->ssl()))));
    });
    connect(m_handshake, &TlsHandshake::failed, this, &TlsVersionSweep::onHandshakeFailed);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        finishAttempt(QStringLiteral("timed-out"), QStringLiteral("no handshake within %1 ms").arg(m_attemptTimeoutMs));
    });
    connect(m_dialer, &TcpDialer::connected, this,
            [this](qintptr descriptor, double, double) { onConnected(descriptor); });
    connect(m_dialer, &TcpDialer::failed, this,
            [this](ProbeOutcome, const QString &error, double) { finishAttempt(QStringLiteral("error"), error); });
}

TlsVersionSweep::~TlsVersionSweep()
{
    abort();
}

QString TlsVersionSweep::localLimitation(int version)
{
    SSL_CTX *ctx = newContext(version);
    if (!ctx)
        return QStringLiteral("this OpenSSL (%1) cannot be limited to it")
            .arg(QLatin1String(OpenSSL_version(OPENSSL_VERSION)));
    SSL *ssl = SSL_new(ctx);
    int ciphers = 0;
    if (ssl) {
        if (STACK_OF(SSL_CIPHER) *supported = SSL_get1_supported_ciphers(ssl)) {
            ciphers = sk_SSL_CIPHER_num(supported);
            sk_SSL_CIPHER_free(supported);
        }
        SSL_free(ssl);
    }
    SSL_CTX_free(ctx);
    ERR_clear_error();
    if (ciphers == 0)
        return QStringLiteral("this OpenSSL (%1) has no cipher it may offer with it")
            .arg(QLatin1String(OpenSSL_version(OPENSSL_VERSION)));
    return QString();
}

QString TlsVersionSweep::summary(const QList<TlsVersionResult> &results)
{
    QStringList parts;
    for (const TlsVersionResult &result : results) {
        QString label = result.version;
        for (const Version &v : versions) {
            if (result.version == QLatin1String(v.name))
                label = QLatin1String(v.label);
        }
        parts.append(result.status == QLatin1String("untestable") ? QStringLiteral("%1 not testable here").arg(label)
                                                                  : QStringLiteral("%1 %2").arg(label, result.status));
    }
    return parts.join(QStringLiteral(", "));
}

void TlsVersionSweep::start(const QString &address, quint16 port, const QString &serverName, int attemptTimeoutMs)
{
    abort();
    m_address = address;
    m_port = port;
    m_serverName = serverName;
    m_attemptTimeoutMs = qMax(1, attemptTimeoutMs);
    m_results.clear();
    // The first attempt starts from the event loop, so finished() never comes from inside start().
    m_index = 0;
    scheduleNext();
}

QList<TlsVersionResult> TlsVersionSweep::results() const
{
    QList<TlsVersionResult> all = m_results;
    for (int i = int(all.size()); i < versionCount; ++i) {
        TlsVersionResult missing;
        missing.version = QLatin1String(versions[i].name);
        missing.status = QStringLiteral("timed-out");
        missing.detail = QStringLiteral("not tried: the probe's time ran out");
        all.append(missing);
    }
    return all;
}

void TlsVersionSweep::next()
{
    if (m_index < 0)
        return;
    if (m_index >= versionCount) {
        m_index = -1;
        Q_EMIT finished();
        return;
    }
    m_clock.start();
    const QString limitation = localLimitation(versions[m_index].number);
    if (!limitation.isEmpty()) {
        finishAttempt(QStringLiteral("untestable"), limitation);
        return;
    }
    m_timer->start(m_attemptTimeoutMs);
    m_dialer->dial(m_address, m_port, m_attemptTimeoutMs);
}

void TlsVersionSweep::onConnected(qintptr descriptor)
{
    SSL_CTX *ctx = newContext(versions[m_index].number);
    if (!ctx) {
        ::close(int(descriptor));
        finishAttempt(QStringLiteral("untestable"), takeOpenSslErrors());
        return;
    }
    m_handshake->start(int(descriptor), ctx, m_serverName);
}

void TlsVersionSweep::onHandshakeFailed(int, int savedErrno, const QString &openSslReason)
{
    QString reason = openSslReason;
    if (reason.contains(QLatin1String("no protocols available"))) {
        // This OpenSSL refused to send the ClientHello: a local limit, not the server's answer.
        finishAttempt(QStringLiteral("untestable"), QStringLiteral("this OpenSSL will not offer it: ") + reason);
        return;
    }
    if (reason.isEmpty())
        reason = savedErrno == ECONNRESET ? QStringLiteral("the server reset the connection")
                                          : QStringLiteral("the server closed the connection");
    // Protocol-version alerts, "unsupported protocol", a handshake failure alert (no cipher for
    // that version) or a plain close: the server would not speak this version with us.
    finishAttempt(QStringLiteral("rejected"), reason);
}

void TlsVersionSweep::finishAttempt(const QString &status, const QString &detail, const QString &cipher)
{
    if (m_index < 0 || m_index >= versionCount)
        return;
    TlsVersionResult result;
    result.version = QLatin1String(versions[m_index].name);
    result.status = status;
    result.detail = detail;
    result.cipher = cipher;
    result.ms = elapsedMs(m_clock);
    m_results.append(result);
    release();
    ++m_index;
    scheduleNext();
}

void TlsVersionSweep::scheduleNext()
{
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            if (generation == m_generation)
                next();
        },
        Qt::QueuedConnection);
}

void TlsVersionSweep::release()
{
    m_timer->stop();
    m_dialer->abort();
    m_handshake->release();
}

void TlsVersionSweep::abort()
{
    release();
    m_index = -1;
    ++m_generation;
}

} // namespace dd
