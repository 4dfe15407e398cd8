#include "lab/blackholelistener.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace dd {

namespace {

QString systemError(const char *what)
{
    return QStringLiteral("%1: %2").arg(QLatin1String(what), QString::fromLocal8Bit(std::strerror(errno)));
}

} // namespace

BlackholeListener::~BlackholeListener()
{
    close();
}

bool BlackholeListener::listen(quint16 port, QString *error)
{
    close();
    m_listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listener < 0) {
        *error = systemError("socket");
        return false;
    }
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    socklen_t length = sizeof address;
    if (::bind(m_listener, reinterpret_cast<sockaddr *>(&address), length) != 0 || ::listen(m_listener, 0) != 0 ||
        ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        *error = systemError("bind/listen on 127.0.0.1");
        close();
        return false;
    }
    m_port = ntohs(address.sin_port);
    // With a backlog of 0 one completed connection fills the queue; the second filler's SYN is
    // already dropped (it stays in SYN-SENT, retransmitting, until close()).
    for (int &filler : m_fillers) {
        filler = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (filler < 0 ||
            (::connect(filler, reinterpret_cast<sockaddr *>(&address), length) != 0 && errno != EINPROGRESS)) {
            *error = systemError("connect to the listener");
            close();
            return false;
        }
    }
    pollfd first = {m_fillers[0], POLLOUT, 0};
    if (::poll(&first, 1, 2000) != 1) {
        *error = QStringLiteral("the first connection to the listener did not complete");
        close();
        return false;
    }
    return true;
}

void BlackholeListener::close()
{
    for (int &filler : m_fillers) {
        if (filler >= 0)
            ::close(filler);
        filler = -1;
    }
    if (m_listener >= 0)
        ::close(m_listener);
    m_listener = -1;
    m_port = 0;
}

} // namespace dd
