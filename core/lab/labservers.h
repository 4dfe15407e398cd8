#pragma once

#include "lab/httpserver.h"

#include <QString>

namespace dd {

class ServerProcess;

/**
 * Real dependency servers from Debian's packages, set up to run on 127.0.0.1:`port` with every
 * file under `dir` (which must exist). As root, PostgreSQL runs as the postgres user.
 */
namespace labservers {

/// PostgreSQL 15: initdb (trust auth, superuser "onlyoffice"), then `sql` run in single-user mode
/// on database "postgres" before the server starts (e.g. a task_result table).
ServerProcess *createPostgres(const QString &dir, quint16 port, const QString &sql, QObject *parent);
/// redis-server without persistence.
ServerProcess *createRedis(const QString &dir, quint16 port, QObject *parent);
/// Erlang's port mapper in the foreground on 127.0.0.1:`port`, started before a RabbitMQ node so
/// that the node does not spawn a daemonized epmd nobody stops.
ServerProcess *createEpmd(quint16 port, QObject *parent);
/// A RabbitMQ node of its own (node name, epmd port and distribution port unique to `port`),
/// registering with the epmd on `epmdPort`.
ServerProcess *createRabbitMq(const QString &dir, quint16 port, quint16 epmdPort, quint16 distPort, QObject *parent);

/// The directory of PostgreSQL 15's programs (DD_PG_BINDIR overrides).
QString postgresBinDir();

/// task_result as DS >= 7.2 creates it (schema/postgresql/createdb.sql), or without `tenant` as before 7.2.
QString taskResultSql(bool withTenant);

/// A small HTTP app: DS's test example on :3000, or a foreign app that took docservice's port.
void serveExampleApp(HttpServer *server);
/// A gunicorn/Django-like app (Seafile's seahub on :8000): 404 pages with its own Server header.
void serveForeignApp(HttpServer *server);

/**
 * An integrator running in a container (a Go storage app such as filebrowser): it receives DS's
 * callbacks on its published port and, for a saved document (status 2 or 6), downloads `url`
 * from its own network namespace, logging "failed to download updated document: Get ...: dial
 * tcp ..." to `logFile` when that address is not reachable from inside the container.
 */
void serveContainerIntegrator(HttpServer *server, const QString &logFile);

} // namespace labservers
} // namespace dd
