#pragma once

#include "lab/dependencycheck.h"
#include "lab/httpmessage.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QUrl>

#include <functional>

class QJsonObject;
class QTimer;

namespace dd {

class HttpResponder;
class HttpServer;

/// How the docservice simulator is set up: Document Server's local.json, as far as the lab needs it.
struct DocserviceConfig
{
    /// Misbehaviours of a broken docservice, applied to every request (the healthcheck too).
    enum class Fault { None, Hang, Close, Reset, OversizedHeaders };

    // services.CoAuthoring.token: inbox/outbox JWT
    bool jwtEnabled = false;
    QByteArray jwtSecret; ///< never written to our output
    QByteArray jwtHeader = QByteArrayLiteral("Authorization");
    bool jwtInBody = false;  ///< token.inbox.inBody (JWT_IN_BODY): also read the body's `token` field
    int clockOffsetSecs = 0; ///< docservice's clock minus the real one (clock skew)

    // Dependencies; an unset endpoint is not checked (the lab scenario does not simulate it).
    DependencyEndpoint rabbitmq;
    DependencyEndpoint postgres;
    DependencyEndpoint redis;
    bool developerEdition = false; ///< -de/-ee use Redis for editorData; CE keeps it in memory
    int dependencyRetryMs = 1000;
    int dependencyTimeoutMs = 3000;

    // Downloads (converter) and callbacks
    bool allowPrivateIpAddress = false; ///< request-filtering-agent.allowPrivateIPAddress (DS default false)
    int downloadTimeoutMs = 10000;
    int downloadAttempts = 3;
    QString converterLogFile;
    QString cacheDir;                                                    ///< App_Data: /cache/files lives under it
    QByteArray secureLinkSecret = QByteArrayLiteral("verysecretstring"); ///< storage.fs.secretString
    QHash<QString, QUrl> documents; ///< open documents: key -> callbackUrl (the "info" command calls back)
    int callbackUsers = 1;          ///< editors of each open document

    // Start-up and faults
    QList<QHostAddress> listenAddresses{QHostAddress(QHostAddress::LocalHost)};
    int startupDelayMs = 0;
    int listenRetryMs = 2000; ///< supervisord restarts a docservice that died on EADDRINUSE
    Fault fault = Fault::None;
    int responseDelayMs = 0;
};

/**
 * A stand-in for Document Server's docservice (the node process behind DS's nginx), behaving as
 * docservice 8.2 does (causes.md PART 0):
 *
 * - start(): logs "Express server starting...", waits the start-up delay, then connects to each
 *   configured dependency (RabbitMQ, PostgreSQL and task_result's columns, Redis for the developer
 *   edition), retrying and logging DS's error lines while one fails, and listens only once all
 *   answered; EADDRINUSE on the port is logged and retried. listen() skips all that.
 * - GET /healthcheck: always 200, body `true` or `false` after re-checking the dependencies
 * - GET /info/info.json; POST /coauthoring/CommandService.ashx and /command (HS256 JWT inbox)
 * - POST /ConvertService.ashx and /converter: downloads `url` (private-IP filter, TLS
 *   verification), stores the result under cacheDir and answers a signed /cache/files link
 * - socket.io on /doc/<key>/c/: 101, polling open packets, or engine.io's 400 errors; an editor
 *   that connects to an open document is its session, and "forcesave" then calls back (status 6)
 *   with the saved file linked on the address that editor used
 * - fault knobs: hang, close, reset, oversized headers, slow responses
 *
 * Log lines go to the log files given, in log4js format; secrets go nowhere else.
 */
class DsSimulator : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Healthy, HealthcheckFalse, Hang };
    Q_ENUM(Mode)

    explicit DsSimulator(QObject *parent = nullptr);
    ~DsSimulator() override;

    void setConfig(const DocserviceConfig &config);
    const DocserviceConfig &config() const { return m_config; }

    /// Listens on 127.0.0.1:`port` at once, without start-up checks (0 picks a free port).
    bool listen(quint16 port, QString *error);
    /// Starts as docservice does (see above) on `port`; ends in listening(), or keeps retrying.
    void start(quint16 port);
    /// Stops listening and retrying, and drops every open connection.
    void close();
    bool isListening() const;
    quint16 port() const;

    void setMode(Mode mode);
    Mode mode() const { return m_mode; }

    void setLogFile(const QString &path);
    QString logFile() const { return m_logFile; }
    /// The error text logged after "healthCheck error " in Mode::HealthcheckFalse.
    void setHealthcheckError(const QString &text);

    /// The version the simulator reports, "8.2.0.143".
    static QString version();
    /// The versioned path prefix of the editors, "8.2.0-143".
    static QString versionPrefix();

Q_SIGNALS:
    /// A complete request was read (also in Mode::Hang, where it is never answered).
    void requestReceived(const QString &method, const QString &path);
    void listening(quint16 port);
    /// A start-up step failed and will be retried (the text is DS's log message).
    void startupBlocked(const QString &reason);

private:
    // dssimulator.cpp: life cycle and dependencies
    void runStartupChecks();
    /// Checks RabbitMQ, PostgreSQL, Redis in DS's order; `done(dependency, error, retry)`, empty on success.
    void
    checkDependencies(bool startup,
                      const std::function<void(const QString &dependency, const QString &error, bool retry)> &done);
    void tryListen();
    void log(const char *level, const QString &message) const;

    // dsroutes.cpp
    void handle(const HttpRequest &request, const HttpResponder &responder);
    void healthcheck(const HttpResponder &responder);
    HttpResponse info() const;
    HttpResponse commandService(const HttpRequest &request);
    HttpResponse socketIo(const HttpRequest &request);
    void rememberEditor(const HttpRequest &request);
    bool checkInboxToken(const HttpRequest &request, const QJsonObject &body, QJsonObject *payload, int *errorCode);
    HttpResponse faultResponse() const;

    // dsconversion.cpp
    void convertService(const HttpRequest &request, const HttpResponder &responder);
    void download(const QUrl &url, const QString &key, int attempt, bool viaToken,
                  const std::function<void(bool ok, const QByteArray &data)> &done);
    void postCallback(const QString &key, const QUrl &url, const QJsonObject &data);
    /// Writes `data` as /cache/files/data/<key>/<name> and returns its signed URL on `baseUrl` (empty on failure).
    QString storeCacheFile(const QString &baseUrl, const QString &key, const QString &name,
                           const QByteArray &data) const;

    HttpServer *m_server = nullptr;
    QTimer *m_retryTimer = nullptr;
    DocserviceConfig m_config;
    Mode m_mode = Mode::Healthy;
    QString m_logFile;
    QString m_healthcheckError;
    quint16 m_wantedPort = 0;
    bool m_starting = false;
    int m_generation = 0;
    QSet<QByteArray> m_sessions; ///< engine.io session ids handed out
    /// Open documents with an editor connected: key -> the base URL the editor came in on (its
    /// Host/X-Forwarded-*). Save callbacks link the result there, as DS does: the browser's address.
    QHash<QString, QString> m_editorBase;
};

} // namespace dd
