#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace dd {

/// Where docservice finds one of its dependencies (services.CoAuthoring.sql / rabbitmq / redis).
struct DependencyEndpoint
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    QString user;     ///< PostgreSQL / RabbitMQ user
    QString password; ///< only ever handed to the server, never logged
    QString database; ///< PostgreSQL database, RabbitMQ vhost

    bool isSet() const { return port != 0; }
};

/**
 * The checks docservice runs before it listens and on every /healthcheck, each really talking to
 * the server: an AMQP 0-9-1 connection handshake (RabbitMQ), a PostgreSQL connection with libpq
 * and a look at task_result's columns, a Redis PING. Each reports once through `done` with an
 * empty string on success or the error text node's clients would put in DS's log
 * ("Error: connect ECONNREFUSED 127.0.0.1:5672", ...). `context` bounds the callback's lifetime.
 */
namespace dependency {

using Done = std::function<void(const QString &error)>;

void checkAmqp(QObject *context, const DependencyEndpoint &endpoint, int timeoutMs, const Done &done);
void checkRedis(QObject *context, const DependencyEndpoint &endpoint, int timeoutMs, const Done &done);

/// The result of connecting to PostgreSQL and reading task_result's columns.
struct PostgresResult
{
    QString error; ///< connection or query error (node-postgres style); empty on success
    bool tableExists = false;
    QStringList columns; ///< task_result's columns in table order
};
void checkPostgres(QObject *context, const DependencyEndpoint &endpoint, int timeoutMs,
                   const std::function<void(const PostgresResult &)> &done);

/// The columns docservice 8.x expects in task_result (schema/postgresql/createdb.sql).
QStringList expectedTaskResultColumns();

} // namespace dependency
} // namespace dd
