#include "socketconnector.h"

#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace dd {

ProbeOutcome outcomeForErrno(int error)
{
    switch (error) {
    case ECONNREFUSED:
        return ProbeOutcome::Refused;
    case ETIMEDOUT:
        return ProbeOutcome::TimedOut;
    case ECONNRESET:
    case ECONNABORTED:
        return ProbeOutcome::Reset;
    case EHOSTUNREACH:
    case ENETUNREACH:
    case EHOSTDOWN:
    case ENETDOWN:
    case EACCES: // a local firewall rule (REJECT/DROP in OUTPUT) or a security module
    case EPERM:
    case EADDRNOTAVAIL:
    case EAFNOSUPPORT:
        return ProbeOutcome::Unreachable;
    default:
        return ProbeOutcome::Error;
    }
}

SocketConnector::SocketConnector(QObject *parent) : QObject(parent) {}

SocketConnector::~SocketConnector()
{
    abort();
}

void SocketConnector::connectTo(const QHostAddress &address, quint16 port)
{
    abort();
    const quint64 generation = m_generation;
    sockaddr_storage storage = {};
    socklen_t length = 0;
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *sa = reinterpret_cast<sockaddr_in6 *>(&storage);
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&sa->sin6_addr, &bytes, sizeof bytes);
        sa->sin6_scope_id = address.scopeId().toUInt();
        length = sizeof(sockaddr_in6);
    } else {
        auto *sa = reinterpret_cast<sockaddr_in *>(&storage);
        sa->sin_family = AF_INET;
        sa->sin_port = htons(port);
        sa->sin_addr.s_addr = htonl(address.toIPv4Address());
        length = sizeof(sockaddr_in);
    }

    m_fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        const int error = errno;
        QMetaObject::invokeMethod(
            this,
            [this, generation, error] {
                if (generation == m_generation)
                    fail(error);
            },
            Qt::QueuedConnection);
        return;
    }
    int result = 0;
    do {
        result = ::connect(m_fd, reinterpret_cast<const sockaddr *>(&storage), length);
    } while (result < 0 && errno == EINTR);
    const int error = result < 0 ? errno : 0;
    if (result < 0 && error != EINPROGRESS) {
        QMetaObject::invokeMethod(
            this,
            [this, generation, error] {
                if (generation == m_generation)
                    fail(error);
            },
            Qt::QueuedConnection);
        return;
    }
    // Like curl, look once without waiting: on loopback the kernel often completes the handshake
    // inside connect(). That moment is the connect time. The result is still reported through
    // the notifier (SO_ERROR is left for onWritable), so the peer sees the first bytes no sooner
    // than before: a server that closes on accept still gets its close out first.
    m_established.invalidate();
    pollfd ready = {m_fd, POLLOUT, 0};
    if (::poll(&ready, 1, 0) == 1 && ready.revents == POLLOUT)
        m_established.start();
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SocketConnector::onWritable);
}

void SocketConnector::abort()
{
    ++m_generation;
    if (m_notifier) {
        // Possibly called from the notifier's own signal: disable now, delete later.
        m_notifier->setEnabled(false);
        std::exchange(m_notifier, nullptr)->deleteLater();
    }
    if (m_fd >= 0)
        ::close(std::exchange(m_fd, -1));
}

void SocketConnector::onWritable()
{
    int error = 0;
    socklen_t size = sizeof error;
    if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &size) < 0)
        error = errno;
    if (error != 0) {
        fail(error);
        return;
    }
    if (!m_established.isValid())
        m_established.start();
    m_notifier->setEnabled(false);
    std::exchange(m_notifier, nullptr)->deleteLater();
    const int fd = std::exchange(m_fd, -1);
    ++m_generation;
    Q_EMIT connected(fd);
}

double SocketConnector::establishedAtMs(const QElapsedTimer &clock) const
{
    const qint64 now = clock.nsecsElapsed();
    if (!m_established.isValid())
        return double(now) / 1e6;
    return double(qMax<qint64>(0, now - m_established.nsecsElapsed())) / 1e6;
}

void SocketConnector::fail(int error)
{
    abort();
    QString text = QString::fromLocal8Bit(std::strerror(error));
    if (error == ECONNRESET)
        text = QStringLiteral("accepted, then reset by the peer");
    Q_EMIT failed(outcomeForErrno(error), text);
}

} // namespace dd
