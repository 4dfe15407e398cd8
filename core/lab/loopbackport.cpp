#include "lab/loopbackport.h"

#include <QHostAddress>
#include <QTcpServer>

#include <memory>
#include <vector>

namespace dd {

QList<quint16> findFreeLoopbackPorts(int count)
{
    // All servers stay bound until every port is known, so the kernel cannot hand out one twice.
    std::vector<std::unique_ptr<QTcpServer>> servers;
    QList<quint16> ports;
    for (int i = 0; i < count; ++i) {
        auto server = std::make_unique<QTcpServer>();
        if (!server->listen(QHostAddress::LocalHost, 0))
            return {};
        ports.append(server->serverPort());
        servers.push_back(std::move(server));
    }
    return ports;
}

quint16 findFreeLoopbackPort()
{
    const QList<quint16> ports = findFreeLoopbackPorts(1);
    return ports.isEmpty() ? quint16(0) : ports.first();
}

} // namespace dd
