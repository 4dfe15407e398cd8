#include "lab/dssimulator.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTcpServer>
#include <QTcpSocket>

namespace dd {

namespace {

constexpr qsizetype MaxHeaderBytes = 64 * 1024;
constexpr qsizetype MaxBodyBytes = 10 * 1024 * 1024;
const char *const BuildVersion = "8.2.0";
constexpr int BuildNumber = 143;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return QByteArrayLiteral("OK");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 411:
        return QByteArrayLiteral("Length Required");
    case 413:
        return QByteArrayLiteral("Payload Too Large");
    case 431:
        return QByteArrayLiteral("Request Header Fields Too Large");
    default:
        return QByteArrayLiteral("Error");
    }
}

// Express's default 404 page, which docservice returns for unknown routes.
QByteArray notFoundPage(const QByteArray &method, const QByteArray &path)
{
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n"
           "</head>\n<body>\n<pre>Cannot " +
           method + ' ' + path.toPercentEncoding("/?=&.-_~") + "</pre>\n</body>\n</html>\n";
}

} // namespace

DsSimulator::DsSimulator(QObject *parent)
    : QObject(parent), m_server(new QTcpServer(this)),
      m_healthcheckError(QStringLiteral("Error: EACCES: permission denied, open "
                                        "'/var/lib/onlyoffice/documentserver/App_Data/cache/files/healthcheck.docx'"))
{
    connect(m_server, &QTcpServer::newConnection, this, &DsSimulator::acceptConnections);
}

DsSimulator::~DsSimulator()
{
    close();
}

bool DsSimulator::listen(quint16 port, QString *error)
{
    if (m_server->isListening()) {
        if (error)
            *error = tr("the docservice simulator already listens on 127.0.0.1:%1").arg(m_server->serverPort());
        return false;
    }
    log("WARN", QStringLiteral("Express server starting..."));
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        if (error)
            *error =
                tr("the docservice simulator cannot listen on 127.0.0.1:%1: %2").arg(port).arg(m_server->errorString());
        log("ERROR", QStringLiteral("Error: listen EADDRINUSE: address already in use :::%1").arg(port));
        return false;
    }
    log("WARN", QStringLiteral("Express server listening on port %1 in production-linux mode. Version: %2. Build: %3")
                    .arg(m_server->serverPort())
                    .arg(QLatin1String(BuildVersion))
                    .arg(BuildNumber));
    return true;
}

void DsSimulator::close()
{
    m_server->close();
    const QList<QTcpSocket *> sockets = m_connections.keys();
    m_connections.clear();
    for (QTcpSocket *socket : sockets) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}

bool DsSimulator::isListening() const
{
    return m_server->isListening();
}

quint16 DsSimulator::port() const
{
    return m_server->isListening() ? m_server->serverPort() : quint16(0);
}

void DsSimulator::setMode(Mode mode)
{
    m_mode = mode;
}

void DsSimulator::setLogFile(const QString &path)
{
    m_logFile = path;
    if (!path.isEmpty())
        QDir().mkpath(QFileInfo(path).absolutePath());
}

void DsSimulator::setHealthcheckError(const QString &text)
{
    m_healthcheckError = text;
}

QString DsSimulator::version()
{
    return QStringLiteral("%1.%2").arg(QLatin1String(BuildVersion)).arg(BuildNumber);
}

void DsSimulator::acceptConnections()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        m_connections.insert(socket, Connection());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readRequest(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { dropConnection(socket); });
    }
}

void DsSimulator::dropConnection(QTcpSocket *socket)
{
    if (m_connections.remove(socket))
        socket->deleteLater();
}

void DsSimulator::readRequest(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    Connection &connection = it.value();
    const QByteArray data = socket->readAll();
    if (connection.complete)
        return; // one request per connection; a hanging one keeps reading and discarding
    connection.buffer += data;

    const qsizetype headerEnd = connection.buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (connection.buffer.size() > MaxHeaderBytes) {
            connection.complete = true;
            writeResponse(socket, {431, "text/plain", "request header too large\n"});
        }
        return;
    }

    const QList<QByteArray> lines = connection.buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
        connection.complete = true;
        writeResponse(socket, {400, "text/plain", "malformed request line\n"});
        return;
    }
    qsizetype contentLength = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length") {
            bool ok = false;
            contentLength = value.toLongLong(&ok);
            if (!ok || contentLength < 0) {
                connection.complete = true;
                writeResponse(socket, {400, "text/plain", "bad Content-Length\n"});
                return;
            }
        } else if (name == "transfer-encoding" && value.toLower() != "identity") {
            connection.complete = true;
            writeResponse(socket, {411, "text/plain", "the simulator reads Content-Length bodies only\n"});
            return;
        }
    }
    if (contentLength > MaxBodyBytes) {
        connection.complete = true;
        writeResponse(socket, {413, "text/plain", "request body too large\n"});
        return;
    }
    const qsizetype bodyStart = headerEnd + 4;
    if (connection.buffer.size() - bodyStart < contentLength)
        return;

    connection.complete = true;
    const QByteArray method = requestLine.at(0);
    const QByteArray target = requestLine.at(1);
    const QByteArray body = connection.buffer.mid(bodyStart, contentLength);
    connection.buffer.clear();
    const qsizetype query = target.indexOf('?');
    const QByteArray path = query < 0 ? target : target.left(query);

    Q_EMIT requestReceived(QString::fromLatin1(method), QString::fromUtf8(path));
    if (m_mode == Mode::Hang)
        return;
    writeResponse(socket, route(method, path, body), method != "HEAD");
}

DsSimulator::Response DsSimulator::route(const QByteArray &method, const QByteArray &path, const QByteArray &body)
{
    const bool isGet = method == "GET" || method == "HEAD";
    if (isGet && path == "/healthcheck") {
        // docservice answers 200 either way; only the body tells (DocsCoServer.js healthCheck).
        if (m_mode == Mode::HealthcheckFalse) {
            log("ERROR", QStringLiteral("healthCheck error %1").arg(m_healthcheckError));
            return {200, "text/html; charset=utf-8", "false"};
        }
        return {200, "text/html; charset=utf-8", "true"};
    }
    if (isGet && path == "/info/info.json") {
        const QJsonObject serverInfo{{QStringLiteral("buildVersion"), QLatin1String(BuildVersion)},
                                     {QStringLiteral("buildNumber"), BuildNumber},
                                     {QStringLiteral("packageType"), 0}};
        const QJsonObject info{{QStringLiteral("serverInfo"), serverInfo},
                               {QStringLiteral("licenseInfo"), QJsonObject{{QStringLiteral("packageType"), 0}}},
                               {QStringLiteral("quota"), QJsonObject()},
                               {QStringLiteral("connectionsStat"), QJsonObject()}};
        return {200, "application/json; charset=utf-8", QJsonDocument(info).toJson(QJsonDocument::Compact)};
    }
    if (method == "POST" && (path == "/coauthoring/CommandService.ashx" || path == "/command"))
        return commandService(body);
    return {404, "text/html; charset=utf-8", notFoundPage(method, path)};
}

DsSimulator::Response DsSimulator::commandService(const QByteArray &body) const
{
    // Error codes of c_oAscServerCommandErrors: 0 no error, 1 document key, 2 parse error, 5 unknown command.
    QJsonParseError parseError;
    const QJsonDocument request = QJsonDocument::fromJson(body, &parseError);
    QJsonObject answer;
    if (parseError.error != QJsonParseError::NoError || !request.isObject()) {
        answer = {{QStringLiteral("error"), 2}};
    } else {
        const QString command = request.object().value(QStringLiteral("c")).toString();
        const QString key = request.object().value(QStringLiteral("key")).toString();
        if (command == QLatin1String("version")) {
            answer = {{QStringLiteral("error"), 0}, {QStringLiteral("version"), version()}};
        } else if (command == QLatin1String("info") || command == QLatin1String("drop") ||
                   command == QLatin1String("forcesave") || command == QLatin1String("meta")) {
            // The simulator holds no documents, so every key is unknown.
            answer = {{QStringLiteral("error"), 1}};
            if (!key.isEmpty())
                answer.insert(QStringLiteral("key"), key);
        } else {
            answer = {{QStringLiteral("error"), 5}};
        }
    }
    return {200, "application/json; charset=utf-8", QJsonDocument(answer).toJson(QJsonDocument::Compact)};
}

void DsSimulator::writeResponse(QTcpSocket *socket, const Response &response, bool withBody) const
{
    const QByteArray date =
        QLocale::c()
            .toString(QDateTime::currentDateTimeUtc(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
            .toLatin1();
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) +
                      "\r\nContent-Type: " + response.contentType +
                      "\r\nContent-Length: " + QByteArray::number(response.body.size()) + "\r\nDate: " + date +
                      "\r\nConnection: close\r\n\r\n";
    socket->write(withBody ? QByteArray(head + response.body) : head);
    socket->disconnectFromHost();
}

void DsSimulator::log(const char *level, const QString &message) const
{
    if (m_logFile.isEmpty())
        return;
    QFile file(m_logFile);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return;
    // log4js pattern of DS >= 7.2: [%d] [%p] [%X{TENANT}] [%X{DOCID}] [%X{USERID}] %c - %m
    const QString line = QStringLiteral("[%1] [%2] [localhost] [docId] [userId] nodeJS - %3\n")
                             .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")),
                                  QLatin1String(level), message);
    file.write(line.toUtf8());
}

} // namespace dd
