#include "lab/containernetwork.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QThread>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace dd {

namespace {

constexpr int kMaxResponseBytes = 4096; // the status line is all the storage needs here

// Go's net/http texts for the failures a dial can end with.
QString dialError(const QString &address, int err)
{
    switch (err) {
    case ECONNREFUSED:
        return QStringLiteral("dial tcp %1: connect: connection refused").arg(address);
    case ETIMEDOUT:
        return QStringLiteral("dial tcp %1: i/o timeout").arg(address);
    case ENETUNREACH:
        return QStringLiteral("dial tcp %1: connect: network is unreachable").arg(address);
    default:
        return QStringLiteral("dial tcp %1: connect: %2").arg(address, QString::fromLocal8Bit(std::strerror(err)));
    }
}

bool bringLoopbackUp()
{
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    ifreq request{};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    bool ok = ::ioctl(fd, SIOCGIFFLAGS, &request) == 0;
    request.ifr_flags = short(request.ifr_flags | IFF_UP);
    ok = ok && ::ioctl(fd, SIOCSIFFLAGS, &request) == 0;
    ::close(fd);
    return ok;
}

bool waitFor(int fd, short events, int timeoutMs)
{
    pollfd p{fd, events, 0};
    int rc;
    do
        rc = ::poll(&p, 1, timeoutMs);
    while (rc < 0 && errno == EINTR);
    return rc > 0;
}

// Runs on a thread that has left the host's network: everything here sees only the container's.
ContainerFetch fetchInOwnNamespace(const QUrl &url, int timeoutMs)
{
    ContainerFetch out;
    if (::unshare(CLONE_NEWNET) != 0) {
        out.error = QStringLiteral("cannot create a network namespace for the container (%1): run the lab as root")
                        .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return out;
    }
    bringLoopbackUp();
    const QString host = url.host();
    const int port = url.port(80);
    const QString address = QStringLiteral("%1:%2").arg(host).arg(port);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(quint16(port));
    const QByteArray numeric = host == QLatin1String("localhost") ? QByteArray("127.0.0.1") : host.toLatin1();
    if (url.scheme() != QLatin1String("http") || ::inet_pton(AF_INET, numeric.constData(), &sa.sin_addr) != 1) {
        out.error = QStringLiteral("dial tcp: lookup %1: no such host").arg(host);
        return out;
    }
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        out.error = dialError(address, errno);
        return out;
    }
    QElapsedTimer clock;
    clock.start();
    const auto left = [&clock, timeoutMs] { return int(qMax<qint64>(0, timeoutMs - clock.elapsed())); };
    int err = 0;
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&sa), sizeof sa) != 0) {
        err = errno;
        if (err == EINPROGRESS) {
            socklen_t len = sizeof err;
            err = waitFor(fd, POLLOUT, left()) ? (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len), err) : ETIMEDOUT;
        }
    }
    if (err != 0) {
        ::close(fd);
        out.error = dialError(address, err);
        return out;
    }
    out.connected = true;
    const QByteArray request = "GET " + url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority) +
                               " HTTP/1.1\r\nHost: " + url.authority().toLatin1() +
                               "\r\nUser-Agent: Go-http-client/1.1\r\nConnection: close\r\n\r\n";
    (void)::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL);
    QByteArray response;
    char buffer[1024];
    while (response.size() < kMaxResponseBytes && !response.contains("\r\n") && waitFor(fd, POLLIN, left())) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            break;
        response.append(buffer, n);
    }
    ::close(fd);
    const QList<QByteArray> statusLine = response.left(response.indexOf("\r\n")).split(' ');
    out.status = statusLine.size() >= 2 ? statusLine.at(1).toInt() : 0;
    if (out.status == 0)
        out.error = QStringLiteral("read tcp %1: no response").arg(address);
    return out;
}

} // namespace

void fetchFromContainerNetwork(QObject *context, const QUrl &url, int timeoutMs,
                               const std::function<void(const ContainerFetch &)> &done)
{
    QPointer<QObject> guard(context);
    QThread *thread = QThread::create([guard, url, timeoutMs, done] {
        const ContainerFetch result = fetchInOwnNamespace(url, timeoutMs);
        if (guard)
            QMetaObject::invokeMethod(
                guard.data(),
                [guard, done, result] {
                    if (guard)
                        done(result);
                },
                Qt::QueuedConnection);
    });
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

bool canCreateNetworkNamespace(QString *why)
{
    if (::geteuid() == 0)
        return true;
    if (why)
        *why = QStringLiteral("this scenario runs the integrator in a network namespace of its own, which needs root");
    return false;
}

} // namespace dd
