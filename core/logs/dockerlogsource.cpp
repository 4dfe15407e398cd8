#include "dockerlogsource.h"

#include "dockerlogstream.h"
#include "util/dockersocket.h"

#include <QFileInfo>
#include <QLocalSocket>
#include <QUrl>

namespace dd {

DockerLogSource::DockerLogSource(QObject *parent) : LogStreamSource(parent) {}

DockerLogSource::~DockerLogSource()
{
    if (m_socket)
        m_socket->disconnect(this);
}

QString DockerLogSource::defaultSocketPath()
{
    return dockerSocketPath();
}

QByteArray DockerLogSource::logsTarget(const QString &container, bool follow, bool fromStart)
{
    QByteArray target = "/containers/" + QUrl::toPercentEncoding(container) + "/logs?";
    if (follow)
        target += "follow=1&";
    target += "stdout=1&stderr=1&timestamps=1";
    // Like tail -F: only what comes next, unless the stored log is wanted.
    if (follow && !fromStart)
        target += "&tail=0";
    return target;
}

void DockerLogSource::start()
{
    if (m_container.isEmpty() || m_container.contains(QLatin1Char('/'))) {
        fail(QStringLiteral("--docker needs a container name or id (docker ps shows them), not '%1'").arg(m_container));
        finish();
        return;
    }
    if (m_socketPath.isEmpty())
        m_socketPath = defaultSocketPath();
    if (m_socketPath.isEmpty()) {
        // A TCP (maybe TLS) Engine endpoint is not read: falling back to the local socket would
        // show another daemon's containers.
        fail(QStringLiteral("DOCKER_HOST is %1: only a unix:// Engine socket can be read; unset DOCKER_HOST to use "
                            "/var/run/docker.sock, or run this on the Docker host")
                 .arg(qEnvironmentVariable("DOCKER_HOST")));
        finish();
        return;
    }
    m_stream.setNumberLines(m_fromStart || !m_follow);
    m_decoder = std::make_unique<DockerLogStream>([this](int stream, QByteArrayView data) { payload(stream, data); });
    m_socket = new QLocalSocket(this);
    connect(m_socket, &QLocalSocket::connected, this, [this] {
        const QByteArray request = "GET " + logsTarget(m_container, m_follow, m_fromStart) +
                                   " HTTP/1.1\r\nHost: docker\r\nUser-Agent: docserver-doctor\r\n\r\n";
        m_socket->write(request);
    });
    connect(m_socket, &QLocalSocket::readyRead, this, [this] {
        while (m_socket->bytesAvailable() > 0) {
            const QByteArray block = m_socket->read(256 << 10);
            if (block.isEmpty() || !m_decoder->feed(block))
                break;
        }
        if (m_decoder->hasFailed()) {
            fail(QStringLiteral("docker %1: %2").arg(m_container, m_decoder->error()));
            m_socket->abort();
            finish();
        } else if (m_decoder->isDone()) {
            m_socket->disconnectFromServer();
        }
    });
    connect(m_socket, &QLocalSocket::disconnected, this, [this] {
        m_decoder->finishInput();
        if (m_decoder->hasFailed() && !m_stopping)
            fail(QStringLiteral("docker %1: %2").arg(m_container, m_decoder->error()));
        else if (m_follow && !m_stopping)
            Q_EMIT problemFound(
                QStringLiteral("docker %1: the log stream ended (the container stopped?)").arg(m_container));
        finish();
    });
    connect(m_socket, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError error) {
        if (error != QLocalSocket::PeerClosedError)
            connectionError();
    });
    setStarted();
    m_socket->connectToServer(m_socketPath, QIODevice::ReadWrite);
}

void DockerLogSource::connectionError()
{
    if (m_stopping)
        return;
    QString hint;
    switch (m_socket->error()) {
    case QLocalSocket::SocketAccessError:
        hint = QStringLiteral("permission denied: add your user to the docker group (sudo usermod -aG docker "
                              "$USER, then log in again) or run with sudo");
        break;
    case QLocalSocket::ServerNotFoundError:
        hint = QFileInfo::exists(m_socketPath)
                   ? QStringLiteral("nothing listens there: is the Docker daemon running (systemctl status docker)?")
                   : QStringLiteral("no such socket: is Docker installed and running? (DOCKER_HOST=unix:///path "
                                    "names another socket)");
        break;
    case QLocalSocket::ConnectionRefusedError:
        hint = QStringLiteral("connection refused: is the Docker daemon running (systemctl status docker)?");
        break;
    default:
        hint = m_socket->errorString();
        break;
    }
    fail(QStringLiteral("cannot read the log of container %1 through %2: %3").arg(m_container, m_socketPath, hint));
    m_socket->abort();
    finish();
}

void DockerLogSource::payload(int stream, QByteArrayView data)
{
    const QString name = stream == DockerLogStream::Stderr ? QStringLiteral("docker:%1/stderr").arg(m_container)
                                                           : QStringLiteral("docker:%1/stdout").arg(m_container);
    feed(name, m_format, data);
}

void DockerLogSource::stop()
{
    m_stopping = true;
    if (m_socket)
        m_socket->abort();
    finish();
}

} // namespace dd
