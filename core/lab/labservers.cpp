#include "lab/labservers.h"

#include "lab/containernetwork.h"
#include "lab/httpserver.h"
#include "lab/serverprocess.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <pwd.h>
#include <unistd.h>

namespace dd::labservers {

namespace {

// As root, PostgreSQL must run as another user: its directory is handed to postgres and every
// command runs as postgres (dropped in the child, so the server stays our direct child).
ServerCommand asPostgres(const QString &program, const QStringList &arguments)
{
    ServerCommand command{program, arguments};
    if (::geteuid() == 0) {
        if (const passwd *user = ::getpwnam("postgres")) {
            command.uid = int(user->pw_uid);
            command.gid = int(user->pw_gid);
        }
    }
    return command;
}

void giveToPostgres(const QString &dir)
{
    if (::geteuid() != 0)
        return;
    const passwd *user = ::getpwnam("postgres");
    if (!user)
        return;
    const QByteArray path = QFile::encodeName(dir);
    if (::chown(path.constData(), user->pw_uid, user->pw_gid) != 0) {
        // initdb will then say what is wrong.
    }
    // The lab's temporary parent directories must be traversable by postgres.
    QDir parent(dir);
    while (parent.cdUp() && parent.path() != QDir::tempPath() && parent.path() != QLatin1String("/")) {
        QFile::setPermissions(parent.path(), QFile::permissions(parent.path()) | QFile::ExeOther | QFile::ExeGroup);
    }
}

} // namespace

QString postgresBinDir()
{
    const QString fromEnvironment = qEnvironmentVariable("DD_PG_BINDIR");
    return fromEnvironment.isEmpty() ? QStringLiteral("/usr/lib/postgresql/15/bin") : fromEnvironment;
}

QString taskResultSql(bool withTenant)
{
    return QStringLiteral("CREATE TABLE task_result (%1id varchar(255) NOT NULL, status int2 NOT NULL, "
                          "status_info int4 NOT NULL, created_at timestamp without time zone DEFAULT NOW(), "
                          "last_open_date timestamp without time zone NOT NULL, user_index int4 NOT NULL DEFAULT 1, "
                          "change_id int4 NOT NULL DEFAULT 0, callback text NOT NULL, baseurl text NOT NULL, "
                          "password text NULL, additional text NULL, PRIMARY KEY (%2id));")
        .arg(withTenant ? QStringLiteral("tenant varchar(255) NOT NULL, ") : QString(),
             withTenant ? QStringLiteral("tenant, ") : QString());
}

ServerProcess *createPostgres(const QString &dir, quint16 port, const QString &sql, QObject *parent)
{
    auto *server = new ServerProcess(QStringLiteral("PostgreSQL"), parent);
    const QString data = dir + QStringLiteral("/data");
    QDir().mkpath(data);
    giveToPostgres(dir);
    giveToPostgres(data);
    const QString bin = postgresBinDir();
    QList<ServerCommand> preparation{
        asPostgres(bin + QStringLiteral("/initdb"),
                   {QStringLiteral("-D"), data, QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-U"),
                    QStringLiteral("onlyoffice"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                    QStringLiteral("--no-sync"), QStringLiteral("--no-instructions")})};
    if (!sql.isEmpty()) {
        // Single-user mode reads statements from stdin; the SQL is ours (no user input).
        const QString script =
            QStringLiteral("echo \"$1\" | \"$2\"/postgres --single -D \"$3\" -j postgres > /dev/null");
        preparation.append(asPostgres(QStringLiteral("/bin/sh"),
                                      {QStringLiteral("-c"), script, QStringLiteral("sh"), sql, bin, data}));
    }
    server->setPreparation(preparation);
    server->setCommand(
        asPostgres(bin + QStringLiteral("/postgres"),
                   {QStringLiteral("-D"), data, QStringLiteral("-k"), data, QStringLiteral("-p"), QString::number(port),
                    QStringLiteral("-c"), QStringLiteral("listen_addresses=127.0.0.1"), QStringLiteral("-c"),
                    QStringLiteral("fsync=off"), QStringLiteral("-c"), QStringLiteral("logging_collector=off")}));
    server->setReadyCommand({bin + QStringLiteral("/pg_isready"),
                             {QStringLiteral("-q"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                              QStringLiteral("-p"), QString::number(port)}});
    server->setPort(port);
    return server;
}

ServerProcess *createRedis(const QString &dir, quint16 port, QObject *parent)
{
    auto *server = new ServerProcess(QStringLiteral("Redis"), parent);
    server->setCommand(
        {QStringLiteral("/usr/bin/redis-server"),
         {QStringLiteral("--port"), QString::number(port), QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
          QStringLiteral("--dir"), dir, QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"),
          QStringLiteral("no"), QStringLiteral("--daemonize"), QStringLiteral("no")}});
    server->setPort(port);
    server->setStartTimeout(10000);
    return server;
}

ServerProcess *createEpmd(quint16 port, QObject *parent)
{
    auto *server = new ServerProcess(QStringLiteral("epmd"), parent);
    server->setCommand(
        {QStringLiteral("/usr/bin/epmd"),
         {QStringLiteral("-port"), QString::number(port), QStringLiteral("-address"), QStringLiteral("127.0.0.1")}});
    server->setPort(port);
    server->setStartTimeout(10000);
    return server;
}

ServerProcess *createRabbitMq(const QString &dir, quint16 port, quint16 epmdPort, quint16 distPort, QObject *parent)
{
    auto *server = new ServerProcess(QStringLiteral("RabbitMQ"), parent);
    QDir().mkpath(dir + QStringLiteral("/log"));
    QDir().mkpath(dir + QStringLiteral("/mnesia"));
    QFile plugins(dir + QStringLiteral("/enabled_plugins"));
    if (plugins.open(QIODevice::WriteOnly | QIODevice::Truncate))
        plugins.write("[].\n");
    plugins.close();
    QFile config(dir + QStringLiteral("/rabbitmq.conf"));
    if (config.open(QIODevice::WriteOnly | QIODevice::Truncate))
        config.write("listeners.tcp.default = 127.0.0.1:" + QByteArray::number(port) + "\n");
    config.close();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QString node = QStringLiteral("ddlab%1@localhost").arg(port);
    environment.insert(QStringLiteral("HOME"), dir);
    environment.insert(QStringLiteral("RABBITMQ_NODENAME"), node);
    environment.insert(QStringLiteral("RABBITMQ_NODE_PORT"), QString::number(port));
    environment.insert(QStringLiteral("RABBITMQ_NODE_IP_ADDRESS"), QStringLiteral("127.0.0.1"));
    environment.insert(QStringLiteral("RABBITMQ_DIST_PORT"), QString::number(distPort));
    environment.insert(QStringLiteral("ERL_EPMD_PORT"), QString::number(epmdPort));
    environment.insert(QStringLiteral("ERL_EPMD_ADDRESS"), QStringLiteral("127.0.0.1"));
    environment.insert(QStringLiteral("RABBITMQ_MNESIA_BASE"), dir + QStringLiteral("/mnesia"));
    environment.insert(QStringLiteral("RABBITMQ_LOG_BASE"), dir + QStringLiteral("/log"));
    environment.insert(QStringLiteral("RABBITMQ_PID_FILE"), dir + QStringLiteral("/rabbitmq.pid"));
    environment.insert(QStringLiteral("RABBITMQ_ENABLED_PLUGINS_FILE"), dir + QStringLiteral("/enabled_plugins"));
    environment.insert(QStringLiteral("RABBITMQ_CONFIG_FILE"), dir + QStringLiteral("/rabbitmq.conf"));
    environment.insert(QStringLiteral("RABBITMQ_CONF_ENV_FILE"), dir + QStringLiteral("/rabbitmq-env.conf"));
    environment.insert(QStringLiteral("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"),
                       QStringLiteral("-kernel inet_dist_use_interface {127,0,0,1}"));
    server->setEnvironment(environment);
    server->setCommand({QStringLiteral("/usr/lib/rabbitmq/bin/rabbitmq-server"), {}});
    server->setLogFile(dir + QStringLiteral("/log/") + node + QStringLiteral(".log"));
    server->setPort(port);
    server->setStartTimeout(60000);
    return server;
}

void serveExampleApp(HttpServer *server)
{
    server->setHandler([](const HttpRequest &request, const HttpResponder &responder) {
        responder.respond(
            HttpResponse::make(200, "text/html; charset=utf-8",
                               "<!DOCTYPE html><html><head><title>ONLYOFFICE Document Editors</title></head>"
                               "<body>DocServer Doctor Fault Lab stand-in for the test example (" +
                                   QString::fromUtf8(request.path).toHtmlEscaped().toUtf8() + ").</body></html>\n"));
    });
}

void serveForeignApp(HttpServer *server)
{
    server->setServerHeader(QByteArrayLiteral("gunicorn"));
    server->setHandler([](const HttpRequest &, const HttpResponder &responder) {
        responder.respond(
            HttpResponse::make(404, "text/html; charset=utf-8",
                               "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n"
                               "<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this "
                               "server.</p>\n</body>\n</html>\n"));
    });
}

namespace {

void appendIntegratorLog(const QString &path, const QString &message)
{
    // Go's log package: "2006/01/02 15:04:05 message", local time.
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Append))
        file.write(QDateTime::currentDateTime().toString(QStringLiteral("yyyy/MM/dd HH:mm:ss ")).toUtf8() +
                   message.toUtf8() + '\n');
}

} // namespace

void serveContainerIntegrator(HttpServer *server, const QString &logFile)
{
    QDir().mkpath(QFileInfo(logFile).absolutePath());
    server->setServerHeader(QByteArray());
    server->setHandler([server, logFile](const HttpRequest &request, const HttpResponder &responder) {
        if (request.method != "POST" || request.path != "/track")
            return responder.respond(HttpResponse::make(404, "text/plain; charset=utf-8", "404 page not found\n"));
        const QJsonObject callback = QJsonDocument::fromJson(request.body).object();
        const int status = callback.value(QStringLiteral("status")).toInt();
        const QUrl url(callback.value(QStringLiteral("url")).toString());
        responder.respond(HttpResponse::json(200, QByteArrayLiteral("{\"error\":0}")));
        if ((status != 2 && status != 6) || !url.isValid())
            return;
        const QString key = callback.value(QStringLiteral("key")).toString();
        fetchFromContainerNetwork(server, url, 5000, [logFile, url, key](const ContainerFetch &r) {
            if (r.error.isEmpty() && r.status == 200)
                appendIntegratorLog(logFile, QStringLiteral("saved document %1 from Document Server").arg(key));
            else if (r.error.isEmpty())
                appendIntegratorLog(logFile, QStringLiteral("failed to download updated document: %1 status from "
                                                            "GET \"%2\"")
                                                 .arg(r.status)
                                                 .arg(url.toString()));
            else
                appendIntegratorLog(
                    logFile,
                    QStringLiteral("failed to download updated document: Get \"%1\": %2").arg(url.toString(), r.error));
        });
    });
}

} // namespace dd::labservers
