#pragma once

#include "logformat.h"
#include "logstreamsource.h"

#include <memory>

class QLocalSocket;

namespace dd {

class DockerLogStream;

/**
 * A container's log through the Docker Engine API on its unix socket (GET
 * /containers/{id}/logs?follow=1&stdout=1&stderr=1&timestamps=1), without the docker CLI.
 * stdout and stderr are classified as separate streams (nginx writes its error log to stderr
 * and its access log to stdout in the official images). The socket is DOCKER_HOST when that
 * is a unix:// address, else /var/run/docker.sock.
 */
class DockerLogSource : public LogStreamSource
{
    Q_OBJECT
public:
    explicit DockerLogSource(QObject *parent = nullptr);
    ~DockerLogSource() override;

    void setContainer(const QString &container) { m_container = container; }
    void setSocketPath(const QString &path) { m_socketPath = path; }
    void setFormat(LogFormat format) { m_format = format; }
    /// Follow new lines (the default) or read the stored log and end.
    void setFollow(bool follow) { m_follow = follow; }

    /// DOCKER_HOST's unix socket, /var/run/docker.sock without DOCKER_HOST, empty for tcp:// and others.
    static QString defaultSocketPath();
    /// The request line's target for `container`.
    static QByteArray logsTarget(const QString &container, bool follow, bool fromStart);

    void start() override;
    void stop() override;

private:
    void payload(int stream, QByteArrayView data);
    void connectionError();

    QString m_container;
    QString m_socketPath;
    LogFormat m_format = LogFormat::Auto;
    bool m_follow = true;
    bool m_stopping = false;
    QLocalSocket *m_socket = nullptr;
    std::unique_ptr<DockerLogStream> m_decoder;
};

} // namespace dd
