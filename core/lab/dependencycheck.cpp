#include "lab/dependencycheck.h"

#include <QHostAddress>
#include <QPointer>
#include <QTcpSocket>
#include <QtEndian>
#include <QThread>
#include <QTimer>

#include <libpq-fe.h>

#include <memory>

namespace dd::dependency {

namespace {

// How node's net module words a socket error, as DS's log shows it.
QString nodeSocketError(QAbstractSocket::SocketError error, const DependencyEndpoint &endpoint, bool connected)
{
    const QString address = QStringLiteral("%1:%2").arg(endpoint.host).arg(endpoint.port);
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return QStringLiteral("Error: connect ECONNREFUSED %1").arg(address);
    case QAbstractSocket::SocketTimeoutError:
        return connected ? QStringLiteral("Error: read ETIMEDOUT")
                         : QStringLiteral("Error: connect ETIMEDOUT %1").arg(address);
    case QAbstractSocket::RemoteHostClosedError:
        return connected ? QStringLiteral("Error: read ECONNRESET") : QStringLiteral("Error: socket hang up");
    case QAbstractSocket::HostNotFoundError:
        return QStringLiteral("Error: getaddrinfo ENOTFOUND %1").arg(endpoint.host);
    default:
        return QStringLiteral("Error: connect EHOSTUNREACH %1").arg(address);
    }
}

/// A one-shot conversation over TCP: subclasses feed on bytes and end with finish().
class SocketCheck : public QObject
{
public:
    SocketCheck(QObject *context, const DependencyEndpoint &endpoint, int timeoutMs, Done done)
        : QObject(context), m_endpoint(endpoint), m_done(std::move(done)), m_socket(new QTcpSocket(this))
    {
        connect(m_socket, &QTcpSocket::connected, this, [this] {
            m_connected = true;
            onConnected();
        });
        connect(m_socket, &QTcpSocket::readyRead, this, [this] {
            m_buffer += m_socket->readAll();
            onData();
        });
        connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
            finish(nodeSocketError(error, m_endpoint, m_connected));
        });
        QTimer::singleShot(timeoutMs, this, [this] {
            finish(nodeSocketError(QAbstractSocket::SocketTimeoutError, m_endpoint, m_connected));
        });
    }
    void start() { m_socket->connectToHost(QHostAddress(m_endpoint.host), m_endpoint.port); }

protected:
    virtual void onConnected() = 0;
    virtual void onData() = 0;
    void finish(const QString &error)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_socket->disconnect(this);
        m_socket->disconnectFromHost();
        const Done done = m_done;
        deleteLater();
        done(error);
    }

    DependencyEndpoint m_endpoint;
    Done m_done;
    QTcpSocket *m_socket;
    QByteArray m_buffer;
    bool m_connected = false;
    bool m_finished = false;
};

class RedisPing : public SocketCheck
{
public:
    using SocketCheck::SocketCheck;

protected:
    void onConnected() override { m_socket->write("*1\r\n$4\r\nPING\r\n"); }
    void onData() override
    {
        const qsizetype end = m_buffer.indexOf("\r\n");
        if (end < 0)
            return;
        const QByteArray line = m_buffer.left(end);
        if (line == "+PONG")
            return finish(QString());
        // ioredis wraps server errors ("-NOAUTH Authentication required.") in a ReplyError.
        finish(QStringLiteral("ReplyError: %1").arg(QString::fromUtf8(line.mid(1))));
    }
};

// AMQP 0-9-1 as amqplib speaks it: protocol header, Start/Start-Ok (PLAIN), Tune/Tune-Ok, Open/Open-Ok.
class AmqpHandshake : public SocketCheck
{
public:
    using SocketCheck::SocketCheck;

protected:
    void onConnected() override { m_socket->write(QByteArray("AMQP\x00\x00\x09\x01", 8)); }

    void onData() override
    {
        if (m_buffer.startsWith("AMQP"))
            return finish(
                QStringLiteral("Error: Handshake terminated by server: the broker speaks another AMQP version"));
        while (m_buffer.size() >= 7) {
            const quint32 size = qFromBigEndian<quint32>(m_buffer.constData() + 3);
            if (quint32(m_buffer.size()) < size + 8)
                return;
            const QByteArray payload = m_buffer.mid(7, size);
            const auto type = quint8(m_buffer.at(0));
            m_buffer.remove(0, size + 8);
            if (type != 1 || payload.size() < 4)
                continue; // heartbeats and the like
            if (!onMethod(qFromBigEndian<quint16>(payload.constData()),
                          qFromBigEndian<quint16>(payload.constData() + 2), payload.mid(4)))
                return;
        }
    }

private:
    static QByteArray shortString(const QByteArray &s) { return char(quint8(s.size())) + s; }
    static QByteArray longString(const QByteArray &s)
    {
        QByteArray size(4, '\0');
        qToBigEndian<quint32>(quint32(s.size()), size.data());
        return size + s;
    }
    void sendMethod(quint16 classId, quint16 methodId, const QByteArray &arguments)
    {
        QByteArray payload(4, '\0');
        qToBigEndian<quint16>(classId, payload.data());
        qToBigEndian<quint16>(methodId, payload.data() + 2);
        payload += arguments;
        QByteArray frame(7, '\0');
        frame[0] = 1;
        qToBigEndian<quint32>(quint32(payload.size()), frame.data() + 3);
        m_socket->write(frame + payload + char(0xCE));
    }

    // Returns false once the conversation is over.
    bool onMethod(quint16 classId, quint16 methodId, const QByteArray &args)
    {
        if (classId != 10)
            return true;
        const QByteArray user = m_endpoint.user.isEmpty() ? QByteArrayLiteral("guest") : m_endpoint.user.toUtf8();
        const QByteArray password = m_endpoint.password.isEmpty() && m_endpoint.user.isEmpty()
                                        ? QByteArrayLiteral("guest")
                                        : m_endpoint.password.toUtf8();
        switch (methodId) {
        case 10: { // Start; amqplib's client properties ask for a Close frame on refused logins
            const QByteArray capability = shortString("authentication_failure_close") + "t\x01";
            const QByteArray properties = shortString("capabilities") + 'F' + longString(capability) +
                                          shortString("product") + 'S' + longString("amqplib");
            sendMethod(10, 11,
                       longString(properties) + shortString("PLAIN") + longString('\0' + user + '\0' + password) +
                           shortString("en_US"));
            return true;
        }
        case 30: { // Tune: amqplib 0.10.5 (DS <= 8.3) asks for frame_max 4096
            QByteArray tuneOk(8, '\0');
            qToBigEndian<quint16>(args.size() >= 2 ? qFromBigEndian<quint16>(args.constData()) : quint16(0),
                                  tuneOk.data());
            qToBigEndian<quint32>(4096, tuneOk.data() + 2);
            qToBigEndian<quint16>(0, tuneOk.data() + 6);
            sendMethod(10, 31, tuneOk);
            const QByteArray vhost =
                m_endpoint.database.isEmpty() ? QByteArrayLiteral("/") : m_endpoint.database.toUtf8();
            sendMethod(10, 40, shortString(vhost) + shortString({}) + char(0));
            return true;
        }
        case 41: { // Open-Ok: connected; say goodbye politely
            QByteArray close(2, '\0');
            qToBigEndian<quint16>(200, close.data());
            sendMethod(10, 50, close + shortString("bye") + QByteArray(4, '\0'));
            m_socket->flush();
            finish(QString());
            return false;
        }
        case 50: { // Close from the broker: refused credentials, vhost, frame size...
            const quint16 code = args.size() >= 2 ? qFromBigEndian<quint16>(args.constData()) : 0;
            const int textLength = args.size() >= 3 ? quint8(args.at(2)) : 0;
            const QString text = QString::fromUtf8(args.mid(3, textLength));
            const QString name = code == 403   ? QStringLiteral("ACCESS-REFUSED")
                                 : code == 530 ? QStringLiteral("NOT-ALLOWED")
                                 : code == 501 ? QStringLiteral("FRAME-ERROR")
                                               : QStringLiteral("CONNECTION-FORCED");
            finish(QStringLiteral("Error: Handshake terminated by server: %1 (%2) with message \"%3\"")
                       .arg(code)
                       .arg(name, text));
            return false;
        }
        default:
            return true;
        }
    }
};

template <typename Check>
void runSocketCheck(QObject *context, const DependencyEndpoint &endpoint, int timeoutMs, const Done &done)
{
    auto *check = new Check(context, endpoint, timeoutMs, done);
    check->start();
}

PostgresResult queryPostgres(const DependencyEndpoint &endpoint, int timeoutMs)
{
    PostgresResult result;
    const QByteArray conninfo = QStringLiteral("host=%1 port=%2 dbname=%3 user=%4 connect_timeout=%5")
                                    .arg(endpoint.host)
                                    .arg(endpoint.port)
                                    .arg(endpoint.database.isEmpty() ? QStringLiteral("onlyoffice") : endpoint.database,
                                         endpoint.user.isEmpty() ? QStringLiteral("onlyoffice") : endpoint.user)
                                    .arg(qMax(1, timeoutMs / 1000))
                                    .toUtf8();
    // The password goes in as a separate parameter so it never sits in a string that could be logged.
    const QByteArray password = endpoint.password.toUtf8();
    const char *keys[] = {"dbname", "password", nullptr};
    const char *values[] = {conninfo.constData(), password.isEmpty() ? nullptr : password.constData(), nullptr};
    PGconn *connection = PQconnectdbParams(keys, values, 1);
    if (PQstatus(connection) != CONNECTION_OK) {
        const QString message = QString::fromUtf8(PQerrorMessage(connection)).trimmed();
        if (message.contains(QLatin1String("Connection refused")))
            result.error = QStringLiteral("Error: connect ECONNREFUSED %1:%2").arg(endpoint.host).arg(endpoint.port);
        else if (message.contains(QLatin1String("timeout")))
            result.error = QStringLiteral("Error: connect ETIMEDOUT %1:%2").arg(endpoint.host).arg(endpoint.port);
        else // node-postgres prints the server's message after "error: "
            result.error = QStringLiteral("error: %1")
                               .arg(message.section(QLatin1String("FATAL:  "), -1).section(QLatin1Char('\n'), 0, 0));
        PQfinish(connection);
        return result;
    }
    PGresult *rows = PQexec(connection, "SELECT column_name FROM information_schema.columns WHERE table_name = "
                                        "'task_result' ORDER BY ordinal_position");
    if (PQresultStatus(rows) != PGRES_TUPLES_OK) {
        result.error =
            QStringLiteral("error: %1").arg(QString::fromUtf8(PQresultErrorField(rows, PG_DIAG_MESSAGE_PRIMARY)));
    } else {
        for (int i = 0; i < PQntuples(rows); ++i)
            result.columns.append(QString::fromUtf8(PQgetvalue(rows, i, 0)));
        result.tableExists = !result.columns.isEmpty();
    }
    PQclear(rows);
    PQfinish(connection);
    return result;
}

} // namespace

void checkAmqp(QObject *context, const DependencyEndpoint &endpoint, int timeoutMs, const Done &done)
{
    runSocketCheck<AmqpHandshake>(context, endpoint, timeoutMs, done);
}

void checkRedis(QObject *context, const DependencyEndpoint &endpoint, int timeoutMs, const Done &done)
{
    runSocketCheck<RedisPing>(context, endpoint, timeoutMs, done);
}

void checkPostgres(QObject *context, const DependencyEndpoint &endpoint, int timeoutMs,
                   const std::function<void(const PostgresResult &)> &done)
{
    // libpq's connect blocks, so it runs on a thread of its own; the result comes back queued.
    auto result = std::make_shared<PostgresResult>();
    QThread *thread = QThread::create([result, endpoint, timeoutMs] { *result = queryPostgres(endpoint, timeoutMs); });
    QPointer<QObject> guard(context);
    QObject::connect(thread, &QThread::finished, context, [thread, result, done, guard] {
        thread->deleteLater();
        if (guard)
            done(*result);
    });
    // If the context goes first, the thread still finishes and deletes itself.
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

QStringList expectedTaskResultColumns()
{
    return {QStringLiteral("tenant"),      QStringLiteral("id"),         QStringLiteral("status"),
            QStringLiteral("status_info"), QStringLiteral("created_at"), QStringLiteral("last_open_date"),
            QStringLiteral("user_index"),  QStringLiteral("change_id"),  QStringLiteral("callback"),
            QStringLiteral("baseurl"),     QStringLiteral("password"),   QStringLiteral("additional")};
}

} // namespace dd::dependency
