#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

namespace dd {

/// What an HTTP GET made from a container's own network ended with.
struct ContainerFetch
{
    bool connected = false;
    int status = 0; ///< the response's status, 0 when none was read
    QString error; ///< Go's net/http wording ("dial tcp 127.0.0.1:8282: connect: connection refused"); empty on success
};

/**
 * Fetches `url` (plain http) the way an application in a Docker container does: from a network
 * namespace of its own, where "127.0.0.1" and "localhost" are the container's loopback and
 * nothing of the host listens. The request runs on a worker thread that leaves the host's
 * network (unshare(CLONE_NEWNET), its own loopback brought up), so no packet of it can reach any
 * other address; names other than localhost are not resolved (the namespace has no resolver).
 * Needs CAP_SYS_ADMIN (root); without it `done` gets the error naming what to do. `done` runs on
 * `context`'s thread, at most `timeoutMs` later.
 */
void fetchFromContainerNetwork(QObject *context, const QUrl &url, int timeoutMs,
                               const std::function<void(const ContainerFetch &)> &done);

/// Whether this process may create a network namespace (the lab's container scenarios need it).
bool canCreateNetworkNamespace(QString *why);

} // namespace dd
