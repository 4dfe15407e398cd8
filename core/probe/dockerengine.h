#pragma once

#include "model/evidence.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QVariantMap>

QT_BEGIN_NAMESPACE
class QLocalSocket;
class QTimer;
QT_END_NAMESPACE

namespace dd {

class HttpResponseParser;

/// One container as GET /containers/json lists it.
struct DockerContainer
{
    QString id;           ///< the first 12 hex digits
    QString name;         ///< without the leading '/'
    QString image;        ///< "onlyoffice/documentserver:8.2"
    QString state;        ///< "running", "exited", "restarting", ...
    QString status;       ///< "Up 2 hours (healthy)"
    QString health;       ///< "healthy", "unhealthy", "starting" or "none" (no HEALTHCHECK)
    QStringList ports;    ///< "0.0.0.0:8080->80/tcp", "443/tcp" (not published)
    QStringList networks; ///< network names

    bool isDocumentServer() const { return image.contains(QLatin1String("onlyoffice/documentserver")); }
    QVariantMap toVariant() const;
};

/// What the Docker Engine said, or why it could not be asked.
struct DockerReport
{
    /// "not-present" (no socket), "not-checked" (DOCKER_HOST is not unix://), "unreachable"
    /// (socket there, no answer: permissions, daemon down), "error" (bad answer) or "ok".
    QString state = QStringLiteral("not-present");
    QString socket;                    ///< the socket path asked
    QString error;                     ///< one line when not "ok"
    QString apiVersion;                ///< the Api-Version response header
    int containerCount = 0;            ///< all containers listed, Document Server or not
    QList<DockerContainer> containers; ///< the Document Server ones
    double ms = -1;                    ///< request to answer
};

/**
 * Asks the Docker Engine API on its unix socket (HTTP/1.1, GET /containers/json?all=1) which
 * containers run an onlyoffice/documentserver image, with state, health, published ports and
 * networks. The socket is $DOCKER_HOST when that is unix://PATH, else /var/run/docker.sock.
 * Without a socket the report says "not-present": that is not an error. Bounded: 4 MB of
 * answer and the timeout. finished() always comes from the event loop.
 */
class DockerEngineClient : public QObject
{
    Q_OBJECT
public:
    explicit DockerEngineClient(QObject *parent = nullptr);
    ~DockerEngineClient() override;

    void start(int timeoutMs);
    /// Stops; no signal follows.
    void abort();
    bool isRunning() const { return m_socket != nullptr; }
    DockerReport report() const { return m_report; }

    /// The socket to ask for a DOCKER_HOST value (may be empty); empty with `note` when it is
    /// not a unix socket.
    static QString socketPath(const QByteArray &dockerHost, QString *note);
    /// The Document Server containers in a /containers/json answer; `total` gets all of them.
    static QList<DockerContainer> parseContainers(const QByteArray &json, int *total, QString *error);
    /// "healthy", "unhealthy", "starting" or "none" from a Status text such as "Up 5 minutes (healthy)".
    static QString healthFromStatus(const QString &status);

Q_SIGNALS:
    void finished(const dd::DockerReport &report);

private:
    void finish(const QString &state, const QString &error);
    void onReadyRead();

    QLocalSocket *m_socket = nullptr;
    QTimer *m_timer;
    HttpResponseParser *m_parser = nullptr;
    DockerReport m_report;
    QElapsedTimer m_clock;
    int m_timeoutMs = 0;
};

/// Evidence "probe.host.docker" (kind "host"): facts "docker" (the report's state), "socket",
/// "api_version", "container_count", "containers" (list of DockerContainer::toVariant()).
Evidence dockerEvidence(const DockerReport &report);

} // namespace dd

Q_DECLARE_METATYPE(dd::DockerReport)
