#pragma once

#include <QString>
#include <QtGlobal>

namespace dd {

/**
 * A TCP listener on 127.0.0.1 whose accept queue is full and never drained: listen(fd, 0), no
 * accept(), and a connection of our own that fills the one queue slot. The kernel then drops every
 * further SYN, so a client's connect() times out as it does towards a host behind a DROP firewall
 * rule (backend-unreachable-network), without leaving loopback.
 */
class BlackholeListener
{
public:
    BlackholeListener() = default;
    ~BlackholeListener();
    BlackholeListener(const BlackholeListener &) = delete;
    BlackholeListener &operator=(const BlackholeListener &) = delete;

    /// Binds a free port (or `port`) and fills the queue; false with `error` set on failure.
    bool listen(quint16 port, QString *error);
    void close();
    quint16 port() const { return m_port; }
    bool isListening() const { return m_listener >= 0; }

private:
    int m_listener = -1;
    int m_fillers[2] = {-1, -1};
    quint16 m_port = 0;
};

} // namespace dd
