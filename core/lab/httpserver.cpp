#include "lab/httpserver.h"

#include <QDateTime>
#include <QLocale>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace dd {

namespace {

constexpr qsizetype MaxHeaderBytes = 64 * 1024;
constexpr qsizetype MaxBodyBytes = 200 * 1024 * 1024;

QByteArray httpDate()
{
    return QLocale::c()
        .toString(QDateTime::currentDateTimeUtc(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
        .toLatin1();
}

// SO_LINGER with a zero timeout makes close() send RST instead of FIN: a crashing backend.
void resetConnection(QTcpSocket *socket)
{
    const qintptr fd = socket->socketDescriptor();
    if (fd >= 0) {
        struct linger lingerOption = {1, 0};
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &lingerOption, sizeof lingerOption);
    }
    socket->abort();
}

} // namespace

QByteArray httpReasonPhrase(int status)
{
    switch (status) {
    case 101:
        return QByteArrayLiteral("Switching Protocols");
    case 200:
        return QByteArrayLiteral("OK");
    case 302:
        return QByteArrayLiteral("Found");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 403:
        return QByteArrayLiteral("Forbidden");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 411:
        return QByteArrayLiteral("Length Required");
    case 413:
        return QByteArrayLiteral("Payload Too Large");
    case 431:
        return QByteArrayLiteral("Request Header Fields Too Large");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    default:
        return QByteArrayLiteral("Unknown");
    }
}

HttpResponder::HttpResponder(HttpServer *server, QTcpSocket *socket, bool withBody)
    : m_server(server), m_socket(socket), m_withBody(withBody)
{
}

void HttpResponder::respond(const HttpResponse &response) const
{
    if (m_server && m_socket)
        m_server->write(m_socket, response, m_withBody);
}

HttpServer::HttpServer(QObject *parent) : QObject(parent) {}

HttpServer::~HttpServer()
{
    close();
}

void HttpServer::setHandler(Handler handler)
{
    m_handler = std::move(handler);
}

void HttpServer::setServerHeader(const QByteArray &value)
{
    m_serverHeader = value;
}

void HttpServer::setResponseDelay(int ms)
{
    m_responseDelayMs = ms;
}

void HttpServer::setExtraHeaders(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    m_extraHeaders = headers;
}

bool HttpServer::listen(const QList<QHostAddress> &addresses, quint16 port, QString *error, bool *addressInUse)
{
    if (addressInUse)
        *addressInUse = false;
    close();
    for (const QHostAddress &address : addresses) {
        auto *server = new QTcpServer(this);
        if (!server->listen(address, port)) {
            if (error)
                *error =
                    tr("cannot listen on %1 port %2: %3").arg(address.toString()).arg(port).arg(server->errorString());
            if (addressInUse)
                *addressInUse = server->serverError() == QAbstractSocket::AddressInUseError;
            delete server;
            close();
            return false;
        }
        port = server->serverPort();
        connect(server, &QTcpServer::newConnection, this, [this, server] { acceptConnections(server); });
        m_servers.append(server);
    }
    return !m_servers.isEmpty();
}

void HttpServer::close()
{
    for (QTcpServer *server : std::as_const(m_servers)) {
        server->close();
        server->deleteLater();
    }
    m_servers.clear();
    const QList<QTcpSocket *> sockets = m_connections.keys();
    m_connections.clear();
    for (QTcpSocket *socket : sockets) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    for (const QPointer<QTcpSocket> &socket : std::as_const(m_upgraded)) {
        if (socket) {
            socket->abort();
            socket->deleteLater();
        }
    }
    m_upgraded.clear();
}

bool HttpServer::isListening() const
{
    return !m_servers.isEmpty();
}

quint16 HttpServer::port() const
{
    return m_servers.isEmpty() ? quint16(0) : m_servers.first()->serverPort();
}

void HttpServer::acceptConnections(QTcpServer *server)
{
    while (QTcpSocket *socket = server->nextPendingConnection()) {
        socket->setParent(this);
        m_connections.insert(socket, Connection());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readRequest(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { dropConnection(socket); });
    }
}

void HttpServer::dropConnection(QTcpSocket *socket)
{
    if (m_connections.remove(socket))
        socket->deleteLater();
}

void HttpServer::readRequest(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    Connection &connection = it.value();
    if (connection.complete)
        return; // one request per connection; later bytes belong to whoever took the socket over
    connection.buffer += socket->readAll();

    const qsizetype headerEnd = connection.buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (connection.buffer.size() > MaxHeaderBytes) {
            connection.complete = true;
            write(socket, HttpResponse::make(431, "text/plain", "request header too large\n"), true);
        }
        return;
    }
    const QList<QByteArray> lines = connection.buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
        connection.complete = true;
        write(socket, HttpResponse::make(400, "text/plain", "malformed request line\n"), true);
        return;
    }
    HttpRequest request;
    qsizetype contentLength = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        request.headers.append({name, value});
        if (name == "content-length") {
            bool ok = false;
            contentLength = value.toLongLong(&ok);
            if (!ok || contentLength < 0) {
                connection.complete = true;
                write(socket, HttpResponse::make(400, "text/plain", "bad Content-Length\n"), true);
                return;
            }
        } else if (name == "transfer-encoding" && value.toLower() != "identity") {
            connection.complete = true;
            write(socket, HttpResponse::make(411, "text/plain", "the lab reads Content-Length bodies only\n"), true);
            return;
        }
    }
    if (contentLength > MaxBodyBytes) {
        connection.complete = true;
        write(socket, HttpResponse::make(413, "text/plain", "request body too large\n"), true);
        return;
    }
    const qsizetype bodyStart = headerEnd + 4;
    if (connection.buffer.size() - bodyStart < contentLength)
        return;

    connection.complete = true;
    request.method = requestLine.at(0);
    request.target = requestLine.at(1);
    request.body = connection.buffer.mid(bodyStart, contentLength);
    connection.buffer.clear();
    const qsizetype queryStart = request.target.indexOf('?');
    request.path = queryStart < 0 ? request.target : request.target.left(queryStart);
    if (queryStart >= 0)
        request.query.setQuery(QString::fromUtf8(request.target.mid(queryStart + 1)));
    QHostAddress peer = socket->peerAddress();
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4);
    request.peerAddress = (isV4 ? QHostAddress(v4) : peer).toString().toLatin1();

    Q_EMIT requestReceived(QString::fromLatin1(request.method), QString::fromUtf8(request.path));
    if (m_responseDelayMs > 0) {
        QPointer<QTcpSocket> guard(socket);
        QTimer::singleShot(m_responseDelayMs, this, [this, guard, request] {
            if (guard)
                dispatch(guard, request);
        });
        return;
    }
    dispatch(socket, request);
}

void HttpServer::dispatch(QTcpSocket *socket, const HttpRequest &request)
{
    const HttpResponder responder(this, socket, request.method != "HEAD");
    if (m_handler)
        m_handler(request, responder);
    else
        responder.respond(HttpResponse::make(404, "text/plain", "no handler\n"));
}

void HttpServer::write(QTcpSocket *socket, const HttpResponse &response, bool withBody)
{
    switch (response.action) {
    case HttpResponse::Action::Hang:
        return;
    case HttpResponse::Action::Close:
        socket->disconnectFromHost();
        return;
    case HttpResponse::Action::Reset:
        m_connections.remove(socket);
        socket->disconnect(this);
        resetConnection(socket);
        socket->deleteLater();
        return;
    case HttpResponse::Action::Respond:
    case HttpResponse::Action::Upgrade:
        break;
    }
    const bool upgrade = response.action == HttpResponse::Action::Upgrade;
    QByteArray head =
        "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + httpReasonPhrase(response.status) + "\r\n";
    if (!m_serverHeader.isEmpty())
        head += "Server: " + m_serverHeader + "\r\n";
    for (const auto &header : response.headers)
        head += header.first + ": " + header.second + "\r\n";
    for (const auto &header : std::as_const(m_extraHeaders))
        head += header.first + ": " + header.second + "\r\n";
    if (!upgrade) {
        head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\nDate: " + httpDate() +
                "\r\nConnection: close\r\n";
    }
    head += "\r\n";
    socket->write(withBody && !upgrade ? QByteArray(head + response.body) : head);
    if (upgrade) {
        // The connection now belongs to the handler; this server forgets it but keeps it open.
        m_connections.remove(socket);
        socket->disconnect(this);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        m_upgraded.append(socket);
        if (!response.body.isEmpty())
            socket->write(response.body);
        return;
    }
    socket->disconnectFromHost();
}

} // namespace dd
