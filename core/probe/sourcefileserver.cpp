#include "sourcefileserver.h"

#include "docsapi.h"
#include "minimaldocx.h"
#include "socketsupport.h"

#include <QHostAddress>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace dd {

namespace {

constexpr qsizetype maxHeaderBytes = 8 * 1024;
constexpr int connectionTimeoutMs = 10000;
constexpr int maxOpenConnections = 8;
constexpr int maxConnections = 32;

QByteArray statusText(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    default:
        return "Gone";
    }
}

} // namespace

SourceFileServer::SourceFileServer(QObject *parent) : QObject(parent) {}

SourceFileServer::~SourceFileServer()
{
    close();
}

bool SourceFileServer::listen(const QString &address, quint16 port, const QString &fileName, const QByteArray &content,
                              const QByteArray &contentType, QString *error)
{
    close();
    const QHostAddress host(address);
    if (host.isNull()) {
        *error = QStringLiteral("'%1' is not an IP address to listen on").arg(address);
        return false;
    }
    m_server = new QTcpServer(this);
    m_server->setMaxPendingConnections(maxOpenConnections);
    if (!m_server->listen(host, port)) {
        *error = QStringLiteral("cannot listen on %1: %2").arg(endpointText(host, port), m_server->errorString());
        delete m_server;
        m_server = nullptr;
        return false;
    }
    connect(m_server, &QTcpServer::newConnection, this, &SourceFileServer::onNewConnection);
    m_path = QStringLiteral("/docserver-doctor/%1/%2")
                 .arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0'))
                 .arg(fileName);
    m_fileName = fileName;
    m_content = content;
    m_contentType = contentType;
    m_requests.clear();
    m_connectionsSeen = 0;
    m_served = false;
    m_clock.start();
    return true;
}

QString SourceFileServer::serveTestDocument(const QString &host, quint16 port, const QUrl &base, QString *error)
{
    if (!listen(host, port, QStringLiteral("docserver-doctor.docx"),
                minimalDocx(QStringLiteral("DocServer Doctor conversion test")),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", error))
        return QString();
    QUrl served;
    if (base.isEmpty()) {
        served.setScheme(QStringLiteral("http"));
        served.setHost(host);
        served.setPort(this->port());
        served.setPath(m_path);
    } else {
        served = docsApiUrl(base, m_path);
    }
    m_servedUrl = QString::fromUtf8(served.toEncoded());
    return m_servedUrl;
}

void SourceFileServer::close()
{
    if (m_server) {
        m_server->close();
        m_server->deleteLater();
        m_server = nullptr;
    }
    const auto sockets = m_buffers.keys();
    m_buffers.clear();
    m_answered.clear();
    for (QTcpSocket *socket : sockets) {
        disconnect(socket, nullptr, this, nullptr);
        socket->abort();
        socket->deleteLater();
    }
}

bool SourceFileServer::isListening() const
{
    return m_server && m_server->isListening();
}

quint16 SourceFileServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

void SourceFileServer::onNewConnection()
{
    while (m_server && m_server->hasPendingConnections()) {
        QTcpSocket *socket = m_server->nextPendingConnection();
        if (m_buffers.size() >= maxOpenConnections || m_connectionsSeen >= maxConnections) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        ++m_connectionsSeen;
        m_buffers.insert(socket, QByteArray());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { drop(socket); });
        // A client that connects and says nothing (or too slowly) is dropped.
        QTimer::singleShot(connectionTimeoutMs, socket, [this, socket] { drop(socket); });
    }
}

void SourceFileServer::onReadyRead(QTcpSocket *socket)
{
    auto it = m_buffers.find(socket);
    if (it == m_buffers.end())
        return;
    if (m_answered.contains(socket)) {
        socket->readAll();
        return;
    }
    it.value() += socket->read(maxHeaderBytes + 1 - it.value().size());
    const qsizetype end = it.value().indexOf("\r\n\r\n");
    if (end >= 0) {
        const QByteArray head = it.value().left(end);
        it.value().clear();
        answer(socket, head);
    } else if (it.value().size() > maxHeaderBytes) {
        answer(socket, QByteArray());
    }
}

void SourceFileServer::answer(QTcpSocket *socket, const QByteArray &head)
{
    SourceRequest request;
    request.peer = endpointText(socket->peerAddress(), socket->peerPort());
    request.atMs = elapsedMs(m_clock);
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() == 3 && requestLine.at(2).startsWith("HTTP/1.")) {
        request.method = QString::fromLatin1(requestLine.at(0).left(16));
        request.path = QString::fromLatin1(requestLine.at(1).left(200));
    }
    for (const QByteArray &line : lines) {
        if (line.toLower().startsWith("user-agent:"))
            request.userAgent = QString::fromUtf8(line.mid(11).trimmed().left(200));
    }
    const bool isFile = request.path == m_path;
    const bool isGet = request.method == QLatin1String("GET") || request.method == QLatin1String("HEAD");
    request.status = request.method.isEmpty() ? 400 : !isFile ? 404 : !isGet ? 405 : m_served ? 410 : 200;
    const QByteArray body = request.status == 200 ? m_content : QByteArray(statusText(request.status)).append('\n');
    QByteArray response = "HTTP/1.1 " + QByteArray::number(request.status) + ' ' + statusText(request.status) +
                          "\r\nContent-Type: " + (request.status == 200 ? m_contentType : "text/plain") +
                          "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (request.status == 200) {
        response += "Content-Disposition: attachment; filename=\"" + m_fileName.toUtf8() + "\"\r\n";
        m_served = request.method == QLatin1String("GET");
    }
    response += "Connection: close\r\n\r\n";
    if (request.method != QLatin1String("HEAD")) {
        response += body;
        request.bytes = request.status == 200 ? body.size() : 0;
    }
    // One request per connection: what follows is read and dropped, so that closing with
    // unread data does not turn into a reset that could destroy our answer in flight.
    m_answered.insert(socket);
    socket->write(response);
    socket->disconnectFromHost();
    m_requests.append(request);
    Q_EMIT requestAnswered(request);
}

void SourceFileServer::drop(QTcpSocket *socket)
{
    m_answered.remove(socket);
    if (!m_buffers.remove(socket))
        return;
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    socket->deleteLater();
}

} // namespace dd
