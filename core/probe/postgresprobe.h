#pragma once

#include "dependencyprobe.h"

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

typedef struct pg_conn PGconn;

namespace dd {

/**
 * Checks PostgreSQL as Document Server's docservice uses it, in two steps:
 *
 * 1. A startup peek on our own socket: connect (refused, timed out, reset told apart), send a
 *    StartupMessage and read the server's first answer, which names the authentication method
 *    (trust, password, md5, SCRAM-SHA-256) or the pg_hba.conf rejection, before any credential
 *    is sent.
 * 2. libpq, non-blocking (PQconnectStartParams/PQconnectPoll on a QSocketNotifier) to the same
 *    address: authentication with the password from ProbeSpec::secretFile, SSL per
 *    ProbeSpec::sslMode (default prefer), `SELECT 1`, then whether task_result and doc_changes
 *    exist with the columns Document Server checks at startup (DocsCoServer.js isSchemaCompatible).
 *
 * User and database default to "onlyoffice". Facts: "outcome", "stage" (connect, startup, auth,
 * query, schema, done), "auth_method", "auth_ok", "error_class" (auth-failed, no-hba-entry,
 * database-missing, role-missing, ssl-required, too-many-connections, starting-up, ...),
 * "sqlstate", "server_version", "ssl_in_use", "ssl_protocol", "select1", "tables",
 * "missing_tables", "missing_columns" (table -> list), "schema_ok", and the timings
 * (connect = TCP, ttfb = first startup answer).
 */
class PostgresProbe : public DependencyProbe
{
    Q_OBJECT
public:
    explicit PostgresProbe(QObject *parent = nullptr);
    ~PostgresProbe() override;

    void start(const ProbeSpec &spec) override;

    /// The columns Document Server expects, by table.
    static QMap<QString, QStringList> expectedColumns();
    /// A StartupMessage (protocol 3.0) for `user` and `database`.
    static QByteArray startupMessage(const QByteArray &user, const QByteArray &database);
    /// The authentication method named by a server's first message ('R' request), or an empty string.
    static QString authMethodOf(const QByteArray &message);
    /// A class for a libpq/server error text: "auth-failed", "no-hba-entry", "database-missing", ...
    static QString errorClassOf(const QString &message);

protected:
    void abort() override;

private:
    enum class Stage { Connect, Startup, Auth, Query, Schema, Done };

    void onConnected(qintptr descriptor, double dnsMs, double connectMs) override;
    void onBytes(const QByteArray &data) override; ///< the startup peek's answer
    void complete(ProbeOutcome outcome, const QString &error) override;
    QString stage() const override;
    void startLibpq();
    void pollConnect();
    void watchSocket(bool forWrite);
    void sendQuery(const QByteArray &sql);
    void onQueryReadable();
    void onQueryResult(void *result);
    QString stageName() const;

    QByteArray m_peekBuffer;
    PGconn *m_conn = nullptr;
    QSocketNotifier *m_notifier = nullptr;
    int m_notifierFd = -1;
    Stage m_stage = Stage::Connect;
    QString m_host;
    QString m_address; ///< the address the peek connected to; libpq uses it too
    quint16 m_port = 0;
    QByteArray m_password;
    double m_querySentMs = -1;
};

} // namespace dd
