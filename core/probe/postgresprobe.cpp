#include "postgresprobe.h"

#include "plainstream.h"
#include "probeevidence.h"
#include "socketsupport.h"
#include "tcpdialer.h"
#include "util/hostport.h"

#include <QSocketNotifier>
#include <QtEndian>

#include <libpq-fe.h>

namespace dd {

namespace {

constexpr qint32 protocol30 = 196608;

QByteArray int32(qint32 v)
{
    char bytes[4];
    qToBigEndian(v, bytes);
    return QByteArray(bytes, 4);
}

// Fields of an ErrorResponse ('E'): S severity, C SQLSTATE, M message.
QMap<char, QByteArray> errorFields(const QByteArray &body)
{
    QMap<char, QByteArray> fields;
    qsizetype pos = 0;
    while (pos < body.size() && body.at(pos) != '\0') {
        const char type = body.at(pos);
        const qsizetype end = body.indexOf('\0', pos + 1);
        if (end < 0)
            break;
        fields.insert(type, body.mid(pos + 1, end - pos - 1));
        pos = end + 1;
    }
    return fields;
}

QString firstLine(const QString &text)
{
    return text.trimmed().section(QLatin1Char('\n'), 0, 0);
}

} // namespace

PostgresProbe::PostgresProbe(QObject *parent) : DependencyProbe(parent) {}

PostgresProbe::~PostgresProbe()
{
    abort();
}

QMap<QString, QStringList> PostgresProbe::expectedColumns()
{
    // schema/postgresql/createdb.sql of Document Server 7.2 and later (tenant since 7.2).
    return {{QStringLiteral("task_result"),
             {QStringLiteral("tenant"), QStringLiteral("id"), QStringLiteral("status"), QStringLiteral("status_info"),
              QStringLiteral("created_at"), QStringLiteral("last_open_date"), QStringLiteral("user_index"),
              QStringLiteral("change_id"), QStringLiteral("callback"), QStringLiteral("baseurl"),
              QStringLiteral("password"), QStringLiteral("additional")}},
            {QStringLiteral("doc_changes"),
             {QStringLiteral("tenant"), QStringLiteral("id"), QStringLiteral("change_id"), QStringLiteral("user_id"),
              QStringLiteral("user_id_original"), QStringLiteral("user_name"), QStringLiteral("change_data"),
              QStringLiteral("change_date")}}};
}

QByteArray PostgresProbe::startupMessage(const QByteArray &user, const QByteArray &database)
{
    const QByteArray body = int32(protocol30) + "user" + '\0' + user + '\0' + "database" + '\0' + database + '\0' +
                            "application_name" + '\0' + "docserver-doctor" + '\0' + '\0';
    return int32(qint32(body.size() + 4)) + body;
}

QString PostgresProbe::authMethodOf(const QByteArray &message)
{
    if (message.size() < 9 || message.at(0) != 'R')
        return QString();
    const qint32 code = qFromBigEndian<qint32>(message.constData() + 5);
    switch (code) {
    case 0:
        return QStringLiteral("trust");
    case 2:
        return QStringLiteral("kerberos");
    case 3:
        return QStringLiteral("password");
    case 5:
        return QStringLiteral("md5");
    case 7:
        return QStringLiteral("gss");
    case 9:
        return QStringLiteral("sspi");
    case 10: {
        // AuthenticationSASL lists the mechanisms, NUL-terminated, after the code.
        const QList<QByteArray> mechanisms = message.mid(9).split('\0');
        for (const QByteArray &mechanism : mechanisms) {
            if (mechanism.startsWith("SCRAM-SHA-256"))
                return QStringLiteral("scram-sha-256");
        }
        return QStringLiteral("sasl");
    }
    default:
        return QStringLiteral("code-%1").arg(code);
    }
}

QString PostgresProbe::errorClassOf(const QString &message)
{
    const struct
    {
        const char *text;
        const char *errorClass;
    } patterns[] = {
        {"password authentication failed", "auth-failed"},
        {"authentication failed", "auth-failed"},
        {"no password supplied", "password-required"},
        {"no pg_hba.conf entry", "no-hba-entry"},
        {"pg_hba.conf rejects", "no-hba-entry"},
        {"server does not support SSL", "ssl-unsupported"},
        {"SSL off", "ssl-required"},
        {"no encryption", "ssl-required"},
        {"role", "role-missing"},
        {"database", "database-missing"},
        {"too many connections", "too-many-connections"},
        {"remaining connection slots", "too-many-connections"},
        {"starting up", "starting-up"},
        {"shutting down", "shutting-down"},
        {"Connection refused", "refused"},
        {"timeout expired", "timeout"},
    };
    for (const auto &pattern : patterns) {
        if (message.contains(QLatin1String(pattern.text), Qt::CaseInsensitive)) {
            const QString errorClass = QLatin1String(pattern.errorClass);
            // "role ... does not exist" / "database ... does not exist" only.
            if ((errorClass == QLatin1String("role-missing") || errorClass == QLatin1String("database-missing")) &&
                !message.contains(QLatin1String("does not exist")))
                continue;
            return errorClass;
        }
    }
    return QStringLiteral("other");
}

QString PostgresProbe::stage() const
{
    return QStringLiteral("stage '%1'").arg(stageName());
}

QString PostgresProbe::stageName() const
{
    switch (m_stage) {
    case Stage::Connect:
        return QStringLiteral("connect");
    case Stage::Startup:
        return QStringLiteral("startup");
    case Stage::Auth:
        return QStringLiteral("auth");
    case Stage::Query:
        return QStringLiteral("query");
    case Stage::Schema:
        return QStringLiteral("schema");
    case Stage::Done:
        return QStringLiteral("done");
    }
    return QString();
}

void PostgresProbe::start(const ProbeSpec &spec)
{
    m_peekBuffer.clear();
    m_password.clear();
    m_stage = Stage::Connect;
    m_querySentMs = -1;
    HostPort target;
    if (!beginExchange(spec, 5432, &target, &m_password))
        return;
    static const QStringList sslModes{QStringLiteral("disable"),   QStringLiteral("allow"),
                                      QStringLiteral("prefer"),    QStringLiteral("require"),
                                      QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
    if (!spec.sslMode.isEmpty() && !sslModes.contains(spec.sslMode)) {
        complete(
            ProbeOutcome::Error,
            QStringLiteral("'%1' is not a libpq sslmode (%2)").arg(spec.sslMode, sslModes.join(QStringLiteral(", "))));
        return;
    }
    m_host = target.host;
    m_port = target.port;
    dial(target);
}

void PostgresProbe::onConnected(qintptr descriptor, double, double)
{
    m_address = m_dialer->address();
    m_stage = Stage::Startup;
    // A peek of our own first: the startup message answers which authentication the server wants.
    attachStream(descriptor);
    const QByteArray user = spec().user.isEmpty() ? QByteArray("onlyoffice") : spec().user.toUtf8();
    const QByteArray database = spec().database.isEmpty() ? QByteArray("onlyoffice") : spec().database.toUtf8();
    m_exchange.append(QStringLiteral("> StartupMessage user=%1 database=%2")
                          .arg(QString::fromUtf8(user), QString::fromUtf8(database)));
    m_stream->write(startupMessage(user, database));
}

void PostgresProbe::onBytes(const QByteArray &data)
{
    m_peekBuffer += data;
    if (m_peekBuffer.size() < 5)
        return;
    const char type = m_peekBuffer.at(0);
    const qint32 length = qFromBigEndian<qint32>(m_peekBuffer.constData() + 1);
    if ((type != 'R' && type != 'E') || length < 4 || length > 65536) {
        complete(ProbeOutcome::Malformed,
                 QStringLiteral("%1: the server does not speak the PostgreSQL protocol").arg(endpoint()));
        return;
    }
    if (m_peekBuffer.size() < length + 1)
        return;
    const QByteArray message = m_peekBuffer.left(length + 1);
    if (type == 'E') {
        const auto fields = errorFields(message.mid(5));
        const QString text = QString::fromUtf8(fields.value('M'));
        m_exchange.append(
            QStringLiteral("< ErrorResponse %1 %2: %3")
                .arg(QString::fromLatin1(fields.value('S')), QString::fromLatin1(fields.value('C')), text));
        m_facts.insert(QStringLiteral("sqlstate"), QString::fromLatin1(fields.value('C')));
        m_facts.insert(QStringLiteral("server_error"), text);
        m_facts.insert(QStringLiteral("error_class"), errorClassOf(text));
        m_facts.insert(QStringLiteral("auth_ok"), false);
        complete(ProbeOutcome::Ok, QString());
        return;
    }
    const QString method = authMethodOf(message);
    m_facts.insert(QStringLiteral("auth_method"), method);
    m_exchange.append(QStringLiteral("< Authentication request: %1").arg(method));
    // The peek ends here: nothing secret was sent. libpq does the real connection.
    m_stream->close();
    startLibpq();
}

void PostgresProbe::startLibpq()
{
    m_stage = Stage::Auth;
    const QByteArray host = m_host.toUtf8();
    const QByteArray hostaddr = m_address.toUtf8();
    const QByteArray port = QByteArray::number(m_port);
    const QByteArray user = spec().user.isEmpty() ? QByteArray("onlyoffice") : spec().user.toUtf8();
    const QByteArray database = spec().database.isEmpty() ? QByteArray("onlyoffice") : spec().database.toUtf8();
    const QByteArray sslMode = spec().sslMode.isEmpty() ? QByteArray("prefer") : spec().sslMode.toUtf8();
    QList<const char *> keys{"host", "hostaddr", "port", "user", "dbname", "sslmode", "application_name"};
    QList<const char *> values{host.constData(),     hostaddr.constData(), port.constData(),  user.constData(),
                               database.constData(), sslMode.constData(),  "docserver-doctor"};
    if (!m_password.isEmpty()) {
        keys.append("password");
        values.append(m_password.constData());
    }
    keys.append(nullptr);
    values.append(nullptr);
    m_exchange.append(QStringLiteral("> libpq connect sslmode=%1%2")
                          .arg(QString::fromLatin1(sslMode),
                               m_password.isEmpty() ? QString() : QStringLiteral(" password=********")));
    m_conn = PQconnectStartParams(keys.constData(), values.constData(), 0);
    if (!m_conn || PQstatus(m_conn) == CONNECTION_BAD) {
        const QString error = m_conn ? firstLine(QString::fromUtf8(PQerrorMessage(m_conn)))
                                     : QStringLiteral("libpq could not allocate a connection");
        complete(ProbeOutcome::Error, error);
        return;
    }
    watchSocket(true);
}

void PostgresProbe::watchSocket(bool forWrite)
{
    const int fd = PQsocket(m_conn);
    const auto type = forWrite ? QSocketNotifier::Write : QSocketNotifier::Read;
    if (m_notifier && (m_notifierFd != fd || m_notifier->type() != type)) {
        m_notifier->setEnabled(false);
        m_notifier->deleteLater();
        m_notifier = nullptr;
    }
    if (!m_notifier) {
        m_notifierFd = fd;
        m_notifier = new QSocketNotifier(fd, type, this);
        connect(m_notifier, &QSocketNotifier::activated, this, [this] {
            if (m_stage == Stage::Auth)
                pollConnect();
            else
                onQueryReadable();
        });
    }
    m_notifier->setEnabled(true);
}

void PostgresProbe::pollConnect()
{
    switch (PQconnectPoll(m_conn)) {
    case PGRES_POLLING_READING:
        watchSocket(false);
        return;
    case PGRES_POLLING_WRITING:
        watchSocket(true);
        return;
    case PGRES_POLLING_FAILED: {
        const QString error = firstLine(QString::fromUtf8(PQerrorMessage(m_conn)));
        m_exchange.append(QStringLiteral("< ") + error);
        m_facts.insert(QStringLiteral("auth_ok"), false);
        m_facts.insert(QStringLiteral("server_error"), error);
        m_facts.insert(QStringLiteral("error_class"), errorClassOf(error));
        complete(ProbeOutcome::Ok, QString());
        return;
    }
    case PGRES_POLLING_OK:
        break;
    default:
        return;
    }
    m_facts.insert(QStringLiteral("auth_ok"), true);
    m_facts.insert(QStringLiteral("password_used"), PQconnectionUsedPassword(m_conn) == 1);
    const int version = PQserverVersion(m_conn);
    m_facts.insert(QStringLiteral("server_version"), QStringLiteral("%1.%2").arg(version / 10000).arg(version % 10000));
    const bool ssl = PQsslInUse(m_conn) == 1;
    m_facts.insert(QStringLiteral("ssl_in_use"), ssl);
    m_facts.insert(QStringLiteral("ssl_protocol"),
                   ssl ? QString::fromLatin1(PQsslAttribute(m_conn, "protocol")) : QString());
    m_exchange.append(QStringLiteral("< connected: server %1%2")
                          .arg(m_facts.value(QStringLiteral("server_version")).toString(),
                               ssl ? QStringLiteral(", SSL ") + m_facts.value(QStringLiteral("ssl_protocol")).toString()
                                   : QStringLiteral(", no SSL")));
    PQsetnonblocking(m_conn, 1);
    m_stage = Stage::Query;
    sendQuery("SELECT 1");
}

void PostgresProbe::sendQuery(const QByteArray &sql)
{
    m_exchange.append(QStringLiteral("> ") + QString::fromUtf8(sql.left(80)));
    m_querySentMs = elapsedMs(m_clock);
    if (PQsendQuery(m_conn, sql.constData()) != 1) {
        complete(ProbeOutcome::Error, firstLine(QString::fromUtf8(PQerrorMessage(m_conn))));
        return;
    }
    // A short query goes out at once; the read notifier does the rest.
    PQflush(m_conn);
    watchSocket(false);
}

void PostgresProbe::onQueryReadable()
{
    if (PQconsumeInput(m_conn) != 1) {
        complete(ProbeOutcome::ClosedEarly, firstLine(QString::fromUtf8(PQerrorMessage(m_conn))));
        return;
    }
    PQflush(m_conn);
    while (isRunning() && m_conn && !PQisBusy(m_conn)) {
        PGresult *result = PQgetResult(m_conn);
        if (!result) {
            // The query is done; move on.
            if (m_stage == Stage::Query) {
                m_stage = Stage::Schema;
                // pg_catalog rather than information_schema: the latter hides tables this role has
                // no privilege on, which would read as "missing".
                sendQuery("SELECT c.relname::text, a.attname::text FROM pg_catalog.pg_attribute a "
                          "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
                          "WHERE c.relname IN ('task_result', 'doc_changes') AND c.relkind IN ('r', 'p') "
                          "AND a.attnum > 0 AND NOT a.attisdropped AND pg_catalog.pg_table_is_visible(c.oid) "
                          "ORDER BY 1, a.attnum");
            } else {
                m_stage = Stage::Done;
                complete(ProbeOutcome::Ok, QString());
            }
            return;
        }
        onQueryResult(result);
        PQclear(result);
    }
}

void PostgresProbe::onQueryResult(void *raw)
{
    auto *result = static_cast<PGresult *>(raw);
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_TUPLES_OK) {
        const QString error = firstLine(QString::fromUtf8(PQresultErrorMessage(result)));
        m_exchange.append(QStringLiteral("< ") + error);
        m_facts.insert(QStringLiteral("server_error"), error);
        m_facts.insert(QStringLiteral("sqlstate"), QString::fromLatin1(PQresultErrorField(result, PG_DIAG_SQLSTATE)));
        if (m_stage == Stage::Query)
            m_facts.insert(QStringLiteral("select1"), false);
        return;
    }
    if (m_stage == Stage::Query) {
        const bool one = PQntuples(result) == 1 && QByteArray(PQgetvalue(result, 0, 0)) == "1";
        m_facts.insert(QStringLiteral("select1"), one);
        m_facts.insert(QStringLiteral("query_ms"), msFact(elapsedMs(m_clock) - m_querySentMs));
        m_exchange.append(QStringLiteral("< %1").arg(one ? QStringLiteral("1") : QStringLiteral("unexpected result")));
        return;
    }
    QMap<QString, QStringList> found;
    for (int row = 0; row < PQntuples(result); ++row)
        found[QString::fromUtf8(PQgetvalue(result, row, 0))].append(QString::fromUtf8(PQgetvalue(result, row, 1)));
    const auto expected = expectedColumns();
    QStringList missingTables;
    QVariantMap missingColumns;
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        if (!found.contains(it.key())) {
            missingTables.append(it.key());
            continue;
        }
        QStringList missing;
        for (const QString &column : it.value()) {
            if (!found.value(it.key()).contains(column))
                missing.append(column);
        }
        if (!missing.isEmpty())
            missingColumns.insert(it.key(), missing);
    }
    m_facts.insert(QStringLiteral("tables"), QStringList(found.keys()));
    m_facts.insert(QStringLiteral("missing_tables"), missingTables);
    m_facts.insert(QStringLiteral("missing_columns"), missingColumns);
    m_facts.insert(QStringLiteral("schema_ok"), missingTables.isEmpty() && missingColumns.isEmpty());
    m_exchange.append(QStringLiteral("< tables: %1")
                          .arg(found.isEmpty() ? QStringLiteral("none") : found.keys().join(QStringLiteral(", "))));
}

void PostgresProbe::complete(ProbeOutcome outcome, const QString &error)
{
    if (!isRunning())
        return;
    m_result.outcome = outcome;
    m_result.error = error;
    m_result.timings.total = elapsedMs(m_clock);
    QVariantMap facts = m_facts;
    facts.insert(m_result.timings.facts());
    facts.insert(QStringLiteral("outcome"), probeOutcomeName(outcome));
    facts.insert(QStringLiteral("stage"), stageName());
    for (const char *key : {"auth_method", "auth_ok", "error_class", "sqlstate", "server_version", "ssl_in_use",
                            "select1", "schema_ok"}) {
        if (!facts.contains(QLatin1String(key)))
            facts.insert(QLatin1String(key), QVariant());
    }
    Evidence evidence;
    evidence.kind = QStringLiteral("postgres");
    evidence.time = m_result.startedAt;
    evidence.excerpt = m_exchange.join(QLatin1Char('\n'));
    if (!facts.value(QStringLiteral("query_ms")).isNull())
        evidence.latencyMs = facts.value(QStringLiteral("query_ms")).toDouble();
    else if (m_result.timings.connect >= 0)
        evidence.latencyMs = m_result.timings.connect - qMax(0.0, m_result.timings.dns);
    evidence.facts = facts;

    const QString target = m_result.target;
    const bool schemaOk = facts.value(QStringLiteral("schema_ok")).toBool();
    if (outcome != ProbeOutcome::Ok) {
        evidence.health = Health::Failed;
        evidence.summary =
            QStringLiteral("PostgreSQL %1: %2 in stage '%3'").arg(target, probeOutcomeName(outcome), stageName());
    } else if (!facts.value(QStringLiteral("auth_ok")).toBool()) {
        evidence.health = Health::Failed;
        evidence.summary = QStringLiteral("PostgreSQL %1: connection refused by the server (%2): %3")
                               .arg(target, facts.value(QStringLiteral("error_class")).toString(),
                                    facts.value(QStringLiteral("server_error")).toString());
    } else if (!facts.value(QStringLiteral("select1")).toBool()) {
        evidence.health = Health::Failed;
        evidence.summary = QStringLiteral("PostgreSQL %1: connected, but SELECT 1 failed: %2")
                               .arg(target, facts.value(QStringLiteral("server_error")).toString());
    } else if (!schemaOk) {
        evidence.health = Health::Failed;
        QStringList parts;
        const QStringList missingTables = facts.value(QStringLiteral("missing_tables")).toStringList();
        if (!missingTables.isEmpty())
            parts.append(QStringLiteral("missing tables %1").arg(missingTables.join(QStringLiteral(", "))));
        const QVariantMap missingColumns = facts.value(QStringLiteral("missing_columns")).toMap();
        for (auto it = missingColumns.cbegin(); it != missingColumns.cend(); ++it)
            parts.append(
                QStringLiteral("%1 lacks %2").arg(it.key(), it.value().toStringList().join(QStringLiteral(", "))));
        evidence.summary =
            QStringLiteral("PostgreSQL %1: connected (%2), but the Document Server schema is not "
                           "what it expects: %3")
                .arg(target, facts.value(QStringLiteral("auth_method")).toString(), parts.join(QStringLiteral("; ")));
    } else {
        evidence.health = Health::Ok;
        evidence.summary = QStringLiteral("PostgreSQL %1: %2, auth %3, SELECT 1 in %4, schema ok")
                               .arg(target, facts.value(QStringLiteral("server_version")).toString(),
                                    facts.value(QStringLiteral("auth_method")).toString(),
                                    formatMs(facts.value(QStringLiteral("query_ms")).toDouble()));
    }
    evidence.detail = dependencyDetail(error, m_dialer->failures(), m_result.timings, QStringLiteral("first answer"));
    m_result.evidence = {evidence};
    finishRun(m_result);
}

void PostgresProbe::abort()
{
    stopExchange();
    if (m_notifier) {
        m_notifier->setEnabled(false);
        m_notifier->deleteLater();
        m_notifier = nullptr;
    }
    if (m_conn) {
        PQfinish(m_conn);
        m_conn = nullptr;
    }
}

} // namespace dd
