#pragma once

#include "lab/httpmessage.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

#include <QTcpSocket>

class QTcpServer;

namespace dd {

class HttpServer;

/// Answers one request later; does nothing when the client has gone meanwhile.
class HttpResponder
{
public:
    HttpResponder() = default;
    HttpResponder(HttpServer *server, QTcpSocket *socket, bool withBody);
    void respond(const HttpResponse &response) const;
    /// The connection, for handlers that take it over after a 101 (nullptr when gone).
    QTcpSocket *socket() const { return m_socket.data(); }

private:
    QPointer<HttpServer> m_server;
    QPointer<QTcpSocket> m_socket;
    bool m_withBody = true;
};

/**
 * The HTTP/1.1 core of the lab's servers (docservice simulator, example app, storage, a foreign
 * app on the docservice port): one request per connection, Content-Length bodies, loopback only.
 * The handler answers through the HttpResponder, at once or later. Fault knobs apply to every
 * request: a delay before the handler runs (slow backend).
 */
class HttpServer : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(const HttpRequest &, const HttpResponder &)>;

    explicit HttpServer(QObject *parent = nullptr);
    ~HttpServer() override;

    void setHandler(Handler handler);
    /// The Server header of every response; empty sends none (Express sends none).
    void setServerHeader(const QByteArray &value);
    /// Delay before a request is handed to the handler.
    void setResponseDelay(int ms);
    /// Headers added to every response (e.g. an oversized cookie).
    void setExtraHeaders(const QList<QPair<QByteArray, QByteArray>> &headers);

    /**
     * Listens on every address of `addresses` with the same `port` (0 picks one, then the other
     * addresses reuse it). On failure closes all, sets `error` (and `addressInUse`) and returns false.
     */
    bool listen(const QList<QHostAddress> &addresses, quint16 port, QString *error, bool *addressInUse = nullptr);
    void close();
    bool isListening() const;
    quint16 port() const;

    /// Writes `response` on `socket` (used by HttpResponder).
    void write(QTcpSocket *socket, const HttpResponse &response, bool withBody);

Q_SIGNALS:
    /// A complete request was read (also when it is never answered).
    void requestReceived(const QString &method, const QString &path);

private:
    struct Connection
    {
        QByteArray buffer;
        bool complete = false;
    };

    void acceptConnections(QTcpServer *server);
    void readRequest(QTcpSocket *socket);
    void dropConnection(QTcpSocket *socket);
    void dispatch(QTcpSocket *socket, const HttpRequest &request);

    QList<QTcpServer *> m_servers;
    QHash<QTcpSocket *, Connection> m_connections;
    QList<QPointer<QTcpSocket>> m_upgraded; ///< taken over after a 101; closed with the server
    Handler m_handler;
    QByteArray m_serverHeader;
    int m_responseDelayMs = 0;
    QList<QPair<QByteArray, QByteArray>> m_extraHeaders;
};

/// The standard reason phrase of `status`.
QByteArray httpReasonPhrase(int status);

} // namespace dd
