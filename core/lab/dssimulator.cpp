#include "lab/dssimulator.h"

#include "lab/dslog.h"
#include "lab/httpserver.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

namespace dd {

namespace {

const char *const BuildVersion = "8.2.0";
constexpr int BuildNumber = 143;

// The node stack frames DS's log shows under the error lines (node 18).
const char *const ConnectFrame = "\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)";
const char *const ListenFrame = "\n    at Server.setupListenHandle [as _listen2] (node:net:1817:16)";

} // namespace

DsSimulator::DsSimulator(QObject *parent)
    : QObject(parent), m_server(new HttpServer(this)), m_retryTimer(new QTimer(this)),
      m_healthcheckError(QStringLiteral("Error: EACCES: permission denied, open "
                                        "'/var/lib/onlyoffice/documentserver/App_Data/cache/files/healthcheck.docx'"))
{
    m_retryTimer->setSingleShot(true);
    m_server->setHandler(
        [this](const HttpRequest &request, const HttpResponder &responder) { handle(request, responder); });
    connect(m_server, &HttpServer::requestReceived, this, &DsSimulator::requestReceived);
}

DsSimulator::~DsSimulator()
{
    close();
}

void DsSimulator::setConfig(const DocserviceConfig &config)
{
    m_config = config;
    m_server->setResponseDelay(config.responseDelayMs);
    // A session cookie of 16 KB: more than nginx's default proxy_buffer_size (4k/8k) holds.
    QList<QPair<QByteArray, QByteArray>> extra;
    if (config.fault == DocserviceConfig::Fault::OversizedHeaders)
        extra.append(
            {QByteArrayLiteral("Set-Cookie"), "lab_session=" + QByteArray(16 * 1024, 'x') + "; Path=/; HttpOnly"});
    m_server->setExtraHeaders(extra);
}

QString DsSimulator::version()
{
    return QStringLiteral("%1.%2").arg(QLatin1String(BuildVersion)).arg(BuildNumber);
}

QString DsSimulator::versionPrefix()
{
    return QStringLiteral("%1-%2").arg(QLatin1String(BuildVersion)).arg(BuildNumber);
}

bool DsSimulator::listen(quint16 port, QString *error)
{
    if (m_server->isListening()) {
        if (error)
            *error = tr("the docservice simulator already listens on 127.0.0.1:%1").arg(m_server->port());
        return false;
    }
    if (!m_starting)
        log("WARN", QStringLiteral("Express server starting..."));
    QString listenError;
    bool inUse = false;
    if (!m_server->listen(m_config.listenAddresses, port, &listenError, &inUse)) {
        if (error)
            *error = tr("the docservice simulator cannot listen: %1").arg(listenError);
        if (inUse)
            log("ERROR", QStringLiteral("Error: listen EADDRINUSE: address already in use :::%1").arg(port) +
                             QLatin1String(ListenFrame));
        return false;
    }
    log("WARN", QStringLiteral("Express server listening on port %1 in production-linux mode. Version: %2. Build: %3")
                    .arg(m_server->port())
                    .arg(QLatin1String(BuildVersion))
                    .arg(BuildNumber));
    return true;
}

void DsSimulator::start(quint16 port)
{
    close();
    m_wantedPort = port;
    m_starting = true;
    const int generation = ++m_generation;
    log("WARN", QStringLiteral("Express server starting..."));
    QTimer::singleShot(m_config.startupDelayMs, this, [this, generation] {
        if (generation == m_generation)
            runStartupChecks();
    });
}

void DsSimulator::runStartupChecks()
{
    const int generation = m_generation;
    checkDependencies(true, [this, generation](const QString &dependency, const QString &error, bool retry) {
        if (generation != m_generation || !m_starting)
            return;
        if (dependency.isEmpty())
            return tryListen();
        Q_EMIT startupBlocked(error);
        if (!retry)
            return; // DS returns without listening (schema check) and stays so until restarted
        m_retryTimer->disconnect(this);
        connect(m_retryTimer, &QTimer::timeout, this, &DsSimulator::runStartupChecks);
        m_retryTimer->start(m_config.dependencyRetryMs);
    });
}

void DsSimulator::checkDependencies(
    bool startup, const std::function<void(const QString &dependency, const QString &error, bool retry)> &done)
{
    // Start-up: pubsub and queue (RabbitMQ) first, then the DB schema, then editorData (Redis).
    // /healthcheck: DB first, then editorData, then pubsub/queue (DocsCoServer.js exports.healthCheck).
    const DocserviceConfig config = m_config;
    QPointer<DsSimulator> self(this);
    auto amqp = [self, config, startup](const std::function<void()> &next,
                                        const std::function<void(QString, QString, bool)> &fail) {
        if (!config.rabbitmq.isSet())
            return next();
        dependency::checkAmqp(
            self, config.rabbitmq, config.dependencyTimeoutMs, [self, next, fail, startup](const QString &error) {
                if (!self)
                    return;
                if (error.isEmpty())
                    return next();
                if (startup) {
                    self->log("ERROR", QStringLiteral("[AMQP] ") + error +
                                           (error.contains(QLatin1String("connect E")) ? QLatin1String(ConnectFrame)
                                                                                       : QLatin1String()));
                    return fail(QStringLiteral("rabbitmq"), error, true);
                }
                fail(QStringLiteral("rabbitmq"), QStringLiteral("Error: pubsub"), true);
            });
    };
    auto postgres = [self, config, startup](const std::function<void()> &next,
                                            const std::function<void(QString, QString, bool)> &fail) {
        if (!config.postgres.isSet())
            return next();
        dependency::checkPostgres(
            self, config.postgres, config.dependencyTimeoutMs,
            [self, next, fail, startup](const dependency::PostgresResult &result) {
                if (!self)
                    return;
                if (!result.error.isEmpty()) {
                    if (startup)
                        self->log("ERROR", QStringLiteral("getTableColumns error: ") + result.error);
                    return fail(QStringLiteral("postgres"), result.error, true);
                }
                if (!startup)
                    return next();
                if (!result.tableExists) {
                    const QString message = QStringLiteral("DB table \"task_result\" does not exist");
                    self->log("ERROR", message);
                    return fail(QStringLiteral("postgres"), message, false);
                }
                QStringList missing;
                const QStringList expected = dependency::expectedTaskResultColumns();
                for (const QString &column : expected) {
                    if (!result.columns.contains(column))
                        missing.append(column);
                }
                if (missing.isEmpty())
                    return next();
                QJsonArray info;
                for (const QString &column : result.columns)
                    info.append(QJsonObject{{QStringLiteral("column_name"), column}});
                const QString message =
                    QStringLiteral("DB table \"task_result\" does not contain columns: %1, columns info: %2")
                        .arg(missing.join(QStringLiteral(", ")),
                             QString::fromUtf8(QJsonDocument(info).toJson(QJsonDocument::Compact)));
                self->log("ERROR", message);
                fail(QStringLiteral("postgres"), message, false);
            });
    };
    auto redis = [self, config, startup](const std::function<void()> &next,
                                         const std::function<void(QString, QString, bool)> &fail) {
        if (!config.developerEdition || !config.redis.isSet())
            return next();
        dependency::checkRedis(
            self, config.redis, config.dependencyTimeoutMs, [self, next, fail, startup](const QString &error) {
                if (!self)
                    return;
                if (error.isEmpty())
                    return next();
                if (startup)
                    self->log("ERROR", QStringLiteral("editorData error: ") + error);
                fail(QStringLiteral("redis"), startup ? error : QStringLiteral("Error: editorData"), true);
            });
    };
    const std::function<void(QString, QString, bool)> fail = done;
    const std::function<void()> success = [done] { done(QString(), QString(), false); };
    if (startup)
        amqp([postgres, redis, success, fail] { postgres([redis, success, fail] { redis(success, fail); }, fail); },
             fail);
    else
        postgres([amqp, redis, success, fail] { redis([amqp, success, fail] { amqp(success, fail); }, fail); }, fail);
}

void DsSimulator::tryListen()
{
    QString error;
    if (listen(m_wantedPort, &error)) {
        m_starting = false;
        Q_EMIT listening(m_server->port());
        return;
    }
    Q_EMIT startupBlocked(error);
    // supervisord starts the crashed docservice again.
    const int generation = m_generation;
    QTimer::singleShot(m_config.listenRetryMs, this, [this, generation] {
        if (generation != m_generation || !m_starting)
            return;
        log("WARN", QStringLiteral("Express server starting..."));
        tryListen();
    });
}

void DsSimulator::close()
{
    ++m_generation;
    m_starting = false;
    m_retryTimer->stop();
    m_server->close();
    m_sessions.clear();
}

bool DsSimulator::isListening() const
{
    return m_server->isListening();
}

quint16 DsSimulator::port() const
{
    return m_server->port();
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

void DsSimulator::log(const char *level, const QString &message) const
{
    appendDsLog(m_logFile, level, message);
}

} // namespace dd
