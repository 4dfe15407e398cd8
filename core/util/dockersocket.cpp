#include "util/dockersocket.h"

#include <QFile>

namespace dd {

QString dockerSocketPath(const QByteArray &dockerHost)
{
    if (dockerHost.isEmpty())
        return QStringLiteral("/var/run/docker.sock");
    if (dockerHost.startsWith("unix://"))
        return QFile::decodeName(dockerHost.mid(7));
    return QString();
}

QString dockerSocketPath()
{
    return dockerSocketPath(qgetenv("DOCKER_HOST"));
}

} // namespace dd
