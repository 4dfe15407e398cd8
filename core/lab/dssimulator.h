#pragma once

#include <QHash>
#include <QObject>
#include <QString>

class QTcpServer;
class QTcpSocket;

namespace dd {

/**
 * A stand-in for Document Server's docservice (the node process behind DS's nginx): a minimal
 * HTTP/1.1 server on 127.0.0.1, one request per connection, answering like docservice 8.2 does:
 *
 * - GET /healthcheck: always HTTP 200, body `true`, or `false` in Mode::HealthcheckFalse
 * - GET /info/info.json: server and build information
 * - POST /coauthoring/CommandService.ashx (and /command) `{"c":"version"}`: `{"error":0,"version":"8.2.0.143"}`
 * - anything else: 404
 *
 * In Mode::Hang it accepts connections and reads requests but never answers (a stuck docservice,
 * for upstream read timeouts). Given a log file, it appends docservice-style log4js lines to it.
 */
class DsSimulator : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Healthy, HealthcheckFalse, Hang };
    Q_ENUM(Mode)

    explicit DsSimulator(QObject *parent = nullptr);
    ~DsSimulator() override;

    /// Listens on 127.0.0.1:`port` (0 picks a free port). On failure sets `error` and returns false.
    bool listen(quint16 port, QString *error);
    /// Stops listening and drops every open connection (hanging ones included).
    void close();
    bool isListening() const;
    quint16 port() const;

    void setMode(Mode mode);
    Mode mode() const { return m_mode; }

    /// The docservice log (out.log) to append to; empty writes no log.
    void setLogFile(const QString &path);
    QString logFile() const { return m_logFile; }

    /// The error text logged after "healthCheck error " in Mode::HealthcheckFalse.
    void setHealthcheckError(const QString &text);

    /// The version the simulator reports, "8.2.0.143".
    static QString version();

Q_SIGNALS:
    /// A complete request was read (also in Mode::Hang, where it is never answered).
    void requestReceived(const QString &method, const QString &path);

private:
    struct Response
    {
        int status = 200;
        QByteArray contentType;
        QByteArray body;
    };

    void acceptConnections();
    void readRequest(QTcpSocket *socket);
    void dropConnection(QTcpSocket *socket);
    Response route(const QByteArray &method, const QByteArray &path, const QByteArray &body);
    Response commandService(const QByteArray &body) const;
    void writeResponse(QTcpSocket *socket, const Response &response, bool withBody = true) const;
    void log(const char *level, const QString &message) const;

    QTcpServer *m_server = nullptr;
    struct Connection
    {
        QByteArray buffer;     ///< bytes of the request read so far
        bool complete = false; ///< the request was read (and answered, unless hanging)
    };

    QHash<QTcpSocket *, Connection> m_connections;
    Mode m_mode = Mode::Healthy;
    QString m_logFile;
    QString m_healthcheckError;
};

} // namespace dd
