#include "plainstream.h"

#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace dd {

PlainStream::PlainStream(qintptr descriptor, QObject *parent)
    : QObject(parent), m_readNotifier(new QSocketNotifier(descriptor, QSocketNotifier::Read, this)),
      m_writeNotifier(new QSocketNotifier(descriptor, QSocketNotifier::Write, this)), m_fd(int(descriptor))
{
    m_writeNotifier->setEnabled(false);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &PlainStream::onReadable);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &PlainStream::onWritable);
}

PlainStream::~PlainStream()
{
    close();
}

void PlainStream::write(const QByteArray &data)
{
    if (m_fd < 0)
        return;
    m_pending += data;
    flush();
}

void PlainStream::close()
{
    // May run inside a notifier's signal: disable now, let the notifiers go with this object.
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
    m_pending.clear();
    if (m_fd >= 0)
        ::close(std::exchange(m_fd, -1));
}

void PlainStream::onReadable()
{
    char buffer[16384];
    while (m_fd >= 0) {
        const ssize_t got = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (got > 0) {
            Q_EMIT received(QByteArray(buffer, got));
            continue;
        }
        if (got == 0) {
            close();
            Q_EMIT peerClosed(false);
            return;
        }
        const int error = errno;
        if (error == EINTR)
            continue;
        if (error == EAGAIN || error == EWOULDBLOCK)
            return;
        close();
        if (error == ECONNRESET)
            Q_EMIT peerClosed(true);
        else if (error == EPIPE) // a reset after the peer's FIN: it closed first
            Q_EMIT peerClosed(false);
        else
            Q_EMIT failed(QString::fromLocal8Bit(std::strerror(error)));
        return;
    }
}

void PlainStream::onWritable()
{
    flush();
}

void PlainStream::flush()
{
    while (m_fd >= 0 && !m_pending.isEmpty()) {
        const ssize_t sent = ::send(m_fd, m_pending.constData(), size_t(m_pending.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent >= 0) {
            m_pending.remove(0, sent);
            continue;
        }
        const int error = errno;
        if (error == EINTR)
            continue;
        if (error == EAGAIN || error == EWOULDBLOCK) {
            m_writeNotifier->setEnabled(true);
            return;
        }
        close();
        // Sending fails only once the peer has answered with RST; EPIPE means its FIN came first.
        if (error == ECONNRESET || error == EPIPE)
            Q_EMIT peerClosed(error == ECONNRESET);
        else
            Q_EMIT failed(QString::fromLocal8Bit(std::strerror(error)));
        return;
    }
    if (m_fd < 0)
        return;
    m_writeNotifier->setEnabled(false);
    Q_EMIT allWritten();
}

} // namespace dd
