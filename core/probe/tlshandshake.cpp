#include "tlshandshake.h"

#include "sigpipeguard.h"
#include "tlscertificates.h"

#include <QHostAddress>
#include <QSocketNotifier>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <unistd.h>

namespace dd {

TlsHandshake::TlsHandshake(QObject *parent) : QObject(parent) {}

TlsHandshake::~TlsHandshake()
{
    release();
}

void TlsHandshake::start(int fd, SSL_CTX *ctx, const QString &serverName)
{
    release();
    m_fd = fd;
    m_ctx = ctx;
    m_ssl = SSL_new(m_ctx);
    if (!m_ssl) {
        Q_EMIT failed(SSL_ERROR_SSL, 0, takeOpenSslErrors());
        return;
    }
    SSL_set_fd(m_ssl, m_fd);
    SSL_set_connect_state(m_ssl);
    if (QHostAddress(serverName).isNull())
        SSL_set_tlsext_host_name(m_ssl, serverName.toUtf8().constData());
    m_readNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    m_writeNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &TlsHandshake::drive);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &TlsHandshake::drive);
    drive();
}

void TlsHandshake::drive()
{
    if (!m_ssl)
        return;
    ERR_clear_error();
    errno = 0;
    int rc = 0;
    {
        const SigpipeGuard guard;
        rc = SSL_do_handshake(m_ssl);
    }
    if (rc == 1) {
        Q_EMIT succeeded();
        return;
    }
    const int error = SSL_get_error(m_ssl, rc);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        m_readNotifier->setEnabled(error == SSL_ERROR_WANT_READ);
        m_writeNotifier->setEnabled(error == SSL_ERROR_WANT_WRITE);
        return;
    }
    const int savedErrno = errno;
    Q_EMIT failed(error, savedErrno, takeOpenSslErrors());
}

void TlsHandshake::release()
{
    // Deleted later: release() may run inside a notifier's own activated() signal.
    for (QSocketNotifier *notifier : {m_readNotifier, m_writeNotifier}) {
        if (notifier) {
            notifier->setEnabled(false);
            notifier->deleteLater();
        }
    }
    m_readNotifier = nullptr;
    m_writeNotifier = nullptr;
    if (m_ssl) {
        const SigpipeGuard guard;
        SSL_free(m_ssl);
        m_ssl = nullptr;
    }
    if (m_ctx) {
        SSL_CTX_free(m_ctx);
        m_ctx = nullptr;
    }
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

} // namespace dd
