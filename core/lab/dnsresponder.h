#pragma once

#include <QObject>
#include <QSet>
#include <QString>

class QUdpSocket;

namespace dd {

/**
 * A tiny DNS server on 127.0.0.1 (UDP) for nginx's run-time `resolver`: it knows no name and
 * answers every query NXDOMAIN, as a resolver does for a container name that does not exist (or
 * no longer does) on the proxy's network. Queries are logged by name for tests.
 */
class DnsResponder : public QObject
{
    Q_OBJECT

public:
    explicit DnsResponder(QObject *parent = nullptr);

    bool listen(quint16 port, QString *error);
    void close();
    quint16 port() const;
    QSet<QString> queriedNames() const { return m_queried; }

Q_SIGNALS:
    void queried(const QString &name);

private:
    void answer();

    QUdpSocket *m_socket;
    QSet<QString> m_queried;
};

} // namespace dd
