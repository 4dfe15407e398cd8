#include "plainstream.h"

#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace dd {

PlainStream::PlainStream(QObject *parent)
    : QObject(parent), m_readNotifier(new QSocketNotifier(QSocketNotifier::Read, this)),
      m_writeNotifier(new QSocketNotifier(QSocketNotifier::Write, this))
{
    connect(m_readNotifier, &QSocketNotifier::activated, this, &PlainStream::onReadable);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &PlainStream::onWritable);
}

PlainStream::~PlainStream()
{
    close();
}

void PlainStream::attach(qintptr descriptor)
{
    close();
    m_fd = int(descriptor);
    m_firstRead.invalidate();
    m_readNotifier->setSocket(m_fd);
    m_writeNotifier->setSocket(m_fd);
}

void PlainStream::write(const QByteArray &data)
{
    if (m_fd < 0)
        return;
    m_pending += data;
    flush();
    // Reading is armed once the first bytes are on their way: registering with the event loop
    // then overlaps the peer's work instead of delaying the request.
    if (m_fd >= 0 && !m_readNotifier->isEnabled())
        m_readNotifier->setEnabled(true);
}

double PlainStream::firstReadMs(const QElapsedTimer &clock) const
{
    const qint64 now = clock.nsecsElapsed();
    if (!m_firstRead.isValid())
        return double(now) / 1e6;
    return double(qMax<qint64>(0, now - m_firstRead.nsecsElapsed())) / 1e6;
}

void PlainStream::close()
{
    // May run inside a notifier's signal: only disabled here, the notifiers live with this object.
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
    m_pending.clear();
    if (m_fd >= 0)
        ::close(std::exchange(m_fd, -1));
}

void PlainStream::onReadable()
{
    char buffer[16384];
    const int fd = m_fd;
    if (!m_firstRead.isValid())
        m_firstRead.start();
    while (m_fd >= 0 && m_fd == fd) {
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
    if (m_writeNotifier->isEnabled())
        m_writeNotifier->setEnabled(false);
    Q_EMIT allWritten();
}

} // namespace dd
