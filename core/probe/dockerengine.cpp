#include "dockerengine.h"

#include "httpresponseparser.h"
#include "probeevidence.h"
#include "proberesult.h"
#include "socketsupport.h"
#include "util/dockersocket.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QTimer>

#include <utility>

namespace dd {

namespace {

constexpr qsizetype maxAnswerBytes = 4 * 1024 * 1024;

QString portText(const QJsonObject &port)
{
    const QString local = QStringLiteral("%1/%2")
                              .arg(port.value(QStringLiteral("PrivatePort")).toInt())
                              .arg(port.value(QStringLiteral("Type")).toString(QStringLiteral("tcp")));
    if (!port.contains(QStringLiteral("PublicPort")))
        return local;
    QString ip = port.value(QStringLiteral("IP")).toString();
    if (ip.contains(QLatin1Char(':')))
        ip = QLatin1Char('[') + ip + QLatin1Char(']');
    return QStringLiteral("%1:%2->%3").arg(ip).arg(port.value(QStringLiteral("PublicPort")).toInt()).arg(local);
}

} // namespace

QVariantMap DockerContainer::toVariant() const
{
    return {{QStringLiteral("id"), id},       {QStringLiteral("name"), name},        {QStringLiteral("image"), image},
            {QStringLiteral("state"), state}, {QStringLiteral("status"), status},    {QStringLiteral("health"), health},
            {QStringLiteral("ports"), ports}, {QStringLiteral("networks"), networks}};
}

DockerEngineClient::DockerEngineClient(QObject *parent) : QObject(parent), m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        finish(QStringLiteral("unreachable"),
               QStringLiteral("%1: no complete answer within %2 ms").arg(m_report.socket).arg(m_timeoutMs));
    });
}

DockerEngineClient::~DockerEngineClient()
{
    abort();
}

QString DockerEngineClient::socketPath(const QByteArray &dockerHost, QString *note)
{
    const QString path = dockerSocketPath(dockerHost);
    if (path.isEmpty() && !dockerHost.startsWith("unix://"))
        *note =
            QStringLiteral("DOCKER_HOST is %1: only unix sockets are asked").arg(QString::fromLocal8Bit(dockerHost));
    return path;
}

QString DockerEngineClient::healthFromStatus(const QString &status)
{
    if (status.contains(QLatin1String("(unhealthy)")))
        return QStringLiteral("unhealthy");
    if (status.contains(QLatin1String("(healthy)")))
        return QStringLiteral("healthy");
    if (status.contains(QLatin1String("(health: starting)")))
        return QStringLiteral("starting");
    return QStringLiteral("none");
}

QList<DockerContainer> DockerEngineClient::parseContainers(const QByteArray &json, int *total, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    *total = 0;
    if (!document.isArray()) {
        *error = parseError.error != QJsonParseError::NoError
                     ? QStringLiteral("the answer is not JSON: %1").arg(parseError.errorString())
                     : QStringLiteral("the answer is not a JSON array of containers");
        return {};
    }
    QList<DockerContainer> containers;
    const QJsonArray list = document.array();
    *total = int(list.size());
    for (const QJsonValue &value : list) {
        const QJsonObject object = value.toObject();
        DockerContainer container;
        container.image = object.value(QStringLiteral("Image")).toString();
        if (!container.isDocumentServer())
            continue;
        container.id = object.value(QStringLiteral("Id")).toString().left(12);
        container.name = object.value(QStringLiteral("Names")).toArray().first().toString();
        if (container.name.startsWith(QLatin1Char('/')))
            container.name.remove(0, 1);
        container.state = object.value(QStringLiteral("State")).toString();
        container.status = object.value(QStringLiteral("Status")).toString();
        // API 1.44+ may carry Health {Status}; older ones only say it inside Status.
        const QString health =
            object.value(QStringLiteral("Health")).toObject().value(QStringLiteral("Status")).toString();
        container.health = health.isEmpty() ? healthFromStatus(container.status) : health;
        const QJsonArray ports = object.value(QStringLiteral("Ports")).toArray();
        for (const QJsonValue &port : ports) {
            const QString text = portText(port.toObject());
            if (!container.ports.contains(text))
                container.ports.append(text);
        }
        const QJsonObject networks =
            object.value(QStringLiteral("NetworkSettings")).toObject().value(QStringLiteral("Networks")).toObject();
        container.networks = networks.keys();
        containers.append(container);
    }
    return containers;
}

void DockerEngineClient::start(int timeoutMs)
{
    abort();
    m_report = DockerReport();
    m_timeoutMs = qMax(1, timeoutMs);
    QString note;
    m_report.socket = socketPath(qgetenv("DOCKER_HOST"), &note);
    if (m_report.socket.isEmpty()) {
        m_report.state = QStringLiteral("not-checked");
        m_report.error = note;
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT finished(m_report); }, Qt::QueuedConnection);
        return;
    }
    if (!QFileInfo::exists(m_report.socket)) {
        m_report.state = QStringLiteral("not-present");
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT finished(m_report); }, Qt::QueuedConnection);
        return;
    }
    m_parser = new HttpResponseParser(HttpResponseParser::Limits{64 * 1024, maxAnswerBytes, qint64(maxAnswerBytes)});
    m_parser->setRequestMethod("GET");
    m_socket = new QLocalSocket(this);
    connect(m_socket, &QLocalSocket::connected, this, [this] {
        m_socket->write("GET /containers/json?all=1 HTTP/1.1\r\nHost: docker\r\nUser-Agent: docserver-doctor\r\n"
                        "Accept: application/json\r\nConnection: close\r\n\r\n");
    });
    connect(m_socket, &QLocalSocket::readyRead, this, &DockerEngineClient::onReadyRead);
    connect(m_socket, &QLocalSocket::disconnected, this, [this] {
        onReadyRead();
        if (!m_parser)
            return;
        m_parser->closed();
        onReadyRead();
        if (m_socket)
            finish(QStringLiteral("error"),
                   QStringLiteral("%1: the connection closed before a complete answer").arg(m_report.socket));
    });
    connect(m_socket, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError error) {
        if (error == QLocalSocket::PeerClosedError)
            return;
        finish(QStringLiteral("unreachable"), QStringLiteral("%1: %2").arg(m_report.socket, m_socket->errorString()));
    });
    m_timer->start(m_timeoutMs);
    m_clock.start();
    m_socket->connectToServer(m_report.socket);
}

void DockerEngineClient::onReadyRead()
{
    if (!m_socket || !m_parser)
        return;
    while (m_socket->bytesAvailable() > 0 && !m_parser->isComplete() && !m_parser->hasFailed())
        m_parser->feed(m_socket->read(64 * 1024));
    if (m_parser->hasFailed()) {
        finish(QStringLiteral("error"),
               QStringLiteral("%1: not an HTTP answer: %2").arg(m_report.socket, m_parser->errorString()));
        return;
    }
    if (!m_parser->isComplete())
        return;
    m_report.ms = elapsedMs(m_clock);
    m_report.apiVersion = QString::fromLatin1(m_parser->header("Api-Version"));
    if (m_parser->statusCode() != 200) {
        finish(QStringLiteral("error"), QStringLiteral("%1: GET /containers/json answered %2: %3")
                                            .arg(m_report.socket)
                                            .arg(m_parser->statusCode())
                                            .arg(QString::fromUtf8(m_parser->body().left(200)).simplified()));
        return;
    }
    if (m_parser->isBodyTruncated()) {
        finish(
            QStringLiteral("error"),
            QStringLiteral("%1: the container list is larger than %2 bytes").arg(m_report.socket).arg(maxAnswerBytes));
        return;
    }
    QString error;
    m_report.containers = parseContainers(m_parser->body(), &m_report.containerCount, &error);
    finish(error.isEmpty() ? QStringLiteral("ok") : QStringLiteral("error"),
           error.isEmpty() ? QString() : QStringLiteral("%1: %2").arg(m_report.socket, error));
}

void DockerEngineClient::finish(const QString &state, const QString &error)
{
    if (!m_socket)
        return;
    m_report.state = state;
    m_report.error = error;
    abort();
    Q_EMIT finished(m_report);
}

void DockerEngineClient::abort()
{
    m_timer->stop();
    if (QLocalSocket *socket = std::exchange(m_socket, nullptr)) {
        disconnect(socket, nullptr, this, nullptr);
        socket->abort();
        socket->deleteLater();
    }
    delete std::exchange(m_parser, nullptr);
}

Evidence dockerEvidence(const DockerReport &report)
{
    Evidence e;
    e.kind = QStringLiteral("host");
    e.source = EvidenceSource::Host;
    e.id = QStringLiteral("probe.host.docker");
    e.time = QDateTime::currentDateTimeUtc();
    QVariantList list;
    QStringList lines;
    bool anyDown = false;
    bool anyStarting = false;
    for (const DockerContainer &container : report.containers) {
        list.append(container.toVariant());
        lines.append(
            QStringLiteral("%1 (%2) %3, health %4, ports %5, networks %6")
                .arg(container.name, container.image, container.state, container.health,
                     container.ports.isEmpty() ? QStringLiteral("none") : container.ports.join(QLatin1Char(' ')),
                     container.networks.isEmpty() ? QStringLiteral("none")
                                                  : container.networks.join(QLatin1Char(' '))));
        anyDown =
            anyDown || container.state != QLatin1String("running") || container.health == QLatin1String("unhealthy");
        anyStarting = anyStarting || container.health == QLatin1String("starting");
    }
    e.facts = {{QStringLiteral("docker"), report.state},
               {QStringLiteral("socket"), report.socket.isEmpty() ? QVariant() : QVariant(report.socket)},
               {QStringLiteral("api_version"), report.apiVersion.isEmpty() ? QVariant() : QVariant(report.apiVersion)},
               {QStringLiteral("container_count"), report.containerCount},
               {QStringLiteral("containers"), list},
               {QStringLiteral("ms"), msFact(report.ms)}};
    e.latencyMs = report.ms;
    if (report.state == QLatin1String("not-present")) {
        e.health = Health::Unknown;
        e.summary = QStringLiteral("docker: not present (no %1)").arg(report.socket);
    } else if (report.state != QLatin1String("ok")) {
        // The tool could not look; that says nothing about Document Server.
        e.health = Health::Unknown;
        e.summary = QStringLiteral("docker: %1: %2").arg(report.state, report.error);
        if (report.error.contains(QLatin1String("ermission")))
            e.detail = QStringLiteral("the socket needs root or membership of the docker group");
    } else if (report.containers.isEmpty()) {
        e.health = Health::Unknown;
        e.summary =
            QStringLiteral("docker: no onlyoffice/documentserver container among %1").arg(report.containerCount);
    } else {
        e.health = anyDown ? Health::Failed : anyStarting ? Health::Degraded : Health::Ok;
        e.summary = QStringLiteral("docker: %1").arg(lines.join(QStringLiteral("; ")));
    }
    e.excerpt = lines.join(QLatin1Char('\n'));
    return e;
}

} // namespace dd
