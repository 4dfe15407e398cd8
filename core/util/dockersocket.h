#pragma once

#include <QByteArray>
#include <QString>

namespace dd {

/**
 * The unix socket of the Docker Engine for a DOCKER_HOST value, as the docker CLI picks it:
 * PATH for "unix://PATH", /var/run/docker.sock when DOCKER_HOST is unset or empty, and empty
 * for any other endpoint (tcp://, ssh://), which we do not ask: the local socket instead would
 * show another daemon's containers. Shared by the host probe and the Docker log source.
 */
QString dockerSocketPath(const QByteArray &dockerHost);
/// dockerSocketPath() of this process's DOCKER_HOST.
QString dockerSocketPath();

} // namespace dd
