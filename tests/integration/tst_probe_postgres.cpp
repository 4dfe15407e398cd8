#include "lab/serverprocess.h"
#include "labfixture.h"
#include "probe/activeprobe.h"
#include "probe/postgresprobe.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <pwd.h>
#include <unistd.h>

using dd::ProbeResult;

namespace {

const QString bin = QStringLiteral("/usr/lib/postgresql/15/bin");
const QByteArray password("scram-pass-for-the-test");

// Every role but "trusted" and "rejected" authenticates with SCRAM over TCP; the unix socket
// (used only by the test to set things up) trusts everyone.
const char hbaConf[] = "local all all trust\n"
                       "host all trusted 127.0.0.1/32 trust\n"
                       "host all rejected 127.0.0.1/32 reject\n"
                       "host all all 127.0.0.1/32 scram-sha-256\n";

// Databases: onlyoffice with Document Server's tables, oldschema as before 7.2 (no tenant,
// no doc_changes), empty without any.
const char setupSql[] =
    "CREATE ROLE trusted LOGIN; CREATE ROLE rejected LOGIN;"
    "CREATE DATABASE onlyoffice; CREATE DATABASE oldschema; CREATE DATABASE empty;"
    "\\c onlyoffice\n"
    "CREATE TABLE task_result (tenant varchar(255) NOT NULL, id varchar(255) NOT NULL, status int2 NOT NULL, "
    "status_info int4 NOT NULL, created_at timestamp without time zone DEFAULT NOW(), last_open_date timestamp "
    "without time zone NOT NULL, user_index int4 NOT NULL DEFAULT 1, change_id int4 NOT NULL DEFAULT 0, callback text "
    "NOT NULL, baseurl text NOT NULL, password text NULL, additional text NULL, PRIMARY KEY (tenant, id));"
    "CREATE TABLE doc_changes (tenant varchar(255) NOT NULL, id varchar(255) NOT NULL, change_id int4 NOT NULL, "
    "user_id varchar(255) NOT NULL, user_id_original varchar(255) NOT NULL, user_name varchar(255) NOT NULL, "
    "change_data text NOT NULL, change_date timestamp without time zone NOT NULL, PRIMARY KEY (tenant, id, change_id));"
    "GRANT ALL ON ALL TABLES IN SCHEMA public TO trusted;"
    "\\c oldschema\n"
    "CREATE TABLE task_result (id varchar(255) NOT NULL, status int2 NOT NULL, status_info int4 NOT NULL, "
    "last_open_date timestamp without time zone NOT NULL, user_index int4 NOT NULL DEFAULT 1, change_id int4 NOT NULL "
    "DEFAULT 0, callback text NOT NULL, baseurl text NOT NULL, PRIMARY KEY (id));\n";

dd::ServerCommand asPostgres(const QString &program, const QStringList &arguments)
{
    return {QStringLiteral("/usr/sbin/runuser"),
            QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program} + arguments};
}

bool giveToPostgres(const QString &path)
{
    const passwd *user = ::getpwnam("postgres");
    return user && ::chown(QFile::encodeName(path).constData(), user->pw_uid, user->pw_gid) == 0;
}

} // namespace

// A real PostgreSQL 15 (Debian's) with SCRAM and trust rules, schemas present, old and absent.
class TestProbePostgres : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void connects_data();
    void connects();
    void refused();
    void silentServerTimesOut();
    void authMethodFromTheFirstMessage_data();
    void authMethodFromTheFirstMessage();
    void errorClasses_data();
    void errorClasses();

private:
    ProbeResult run(const QString &user, const QString &database, const QString &passwordFile, quint16 port = 0,
                    int timeoutMs = 8000);

    QTemporaryDir m_dir;
    std::unique_ptr<dd::ServerProcess> m_server;
    quint16 m_port = 0;
    QString m_rightFile;
    QString m_wrongFile;
};

void TestProbePostgres::initTestCase()
{
    if (::geteuid() != 0 || !::getpwnam("postgres"))
        QSKIP("needs root and the postgres user (Debian's postgresql package)");
    QVERIFY(m_dir.isValid());
    const QString dir = m_dir.path();
    QVERIFY(giveToPostgres(dir));
    m_rightFile = m_dir.filePath(QStringLiteral("right"));
    m_wrongFile = m_dir.filePath(QStringLiteral("wrong"));
    const QString pwfile = m_dir.filePath(QStringLiteral("pwfile"));
    for (const auto &[path, content] :
         {std::pair{m_rightFile, QByteArray(password + "\n")}, std::pair{m_wrongFile, QByteArray("nope")},
          std::pair{pwfile, QByteArray(password + "\n")}}) {
        QVERIFY(LabFixture::writeFile(path, content));
        QVERIFY(giveToPostgres(path));
    }
    m_port = LabFixture::freePort();
    QVERIFY(m_port != 0);
    const QString data = dir + QStringLiteral("/data");
    m_server = std::make_unique<dd::ServerProcess>(QStringLiteral("PostgreSQL"));
    m_server->setPreparation(
        {asPostgres(bin + QStringLiteral("/initdb"),
                    {QStringLiteral("-D"), data, QStringLiteral("--auth-local=trust"),
                     QStringLiteral("--auth-host=scram-sha-256"), QStringLiteral("-U"), QStringLiteral("onlyoffice"),
                     QStringLiteral("--pwfile=") + pwfile, QStringLiteral("-E"), QStringLiteral("UTF8"),
                     QStringLiteral("--no-sync")}),
         asPostgres(QStringLiteral("/bin/sh"),
                    {QStringLiteral("-c"), QStringLiteral("printf '%s' \"$1\" > \"$2\""), QStringLiteral("sh"),
                     QString::fromLatin1(hbaConf), data + QStringLiteral("/pg_hba.conf")})});
    m_server->setCommand(
        asPostgres(bin + QStringLiteral("/postgres"),
                   {QStringLiteral("-D"), data, QStringLiteral("-k"), data, QStringLiteral("-p"),
                    QString::number(m_port), QStringLiteral("-c"), QStringLiteral("listen_addresses=127.0.0.1"),
                    QStringLiteral("-c"), QStringLiteral("fsync=off")}));
    m_server->setReadyCommand({bin + QStringLiteral("/pg_isready"),
                               {QStringLiteral("-q"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                                QStringLiteral("-p"), QString::number(m_port)}});
    m_server->setPort(m_port);
    m_server->setStartTimeout(60000);
    QSignalSpy started(m_server.get(), &dd::ServerProcess::started);
    QSignalSpy failed(m_server.get(), &dd::ServerProcess::failed);
    m_server->start();
    QTRY_VERIFY_WITH_TIMEOUT(!started.isEmpty() || !failed.isEmpty(), 90000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));

    QProcess psql;
    psql.start(bin + QStringLiteral("/psql"),
               {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
                QStringLiteral("-h"), data, QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-U"),
                QStringLiteral("onlyoffice"), QStringLiteral("-d"), QStringLiteral("postgres")});
    QVERIFY(psql.waitForStarted());
    psql.write(setupSql);
    psql.closeWriteChannel();
    QVERIFY(psql.waitForFinished(30000));
    QVERIFY2(psql.exitCode() == 0, psql.readAllStandardError().constData());
}

void TestProbePostgres::cleanupTestCase()
{
    if (m_server)
        m_server->stop();
}

ProbeResult TestProbePostgres::run(const QString &user, const QString &database, const QString &passwordFile,
                                   quint16 port, int timeoutMs)
{
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Postgres;
    spec.target = QStringLiteral("127.0.0.1:%1").arg(port ? port : m_port);
    spec.user = user;
    spec.database = database;
    spec.secretFile = passwordFile;
    spec.timeoutMs = timeoutMs;
    std::unique_ptr<dd::ActiveProbe> probe(dd::createProbe(dd::ProbeKind::Postgres));
    QSignalSpy spy(probe.get(), &dd::ActiveProbe::finished);
    probe->start(spec);
    if (!spy.wait(timeoutMs + 5000))
        return ProbeResult();
    return spy.at(0).at(0).value<ProbeResult>();
}

void TestProbePostgres::connects_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("passwordFile");
    QTest::addColumn<QString>("authMethod");
    QTest::addColumn<bool>("authOk");
    QTest::addColumn<QString>("errorClass");
    QTest::addColumn<QVariant>("schemaOk");
    QTest::addColumn<QStringList>("missingTables");
    QTest::addColumn<bool>("healthy");

    QTest::newRow("scram, right password, schema present")
        << QStringLiteral("onlyoffice") << QStringLiteral("onlyoffice") << QStringLiteral("right")
        << QStringLiteral("scram-sha-256") << true << QString() << QVariant(true) << QStringList() << true;
    QTest::newRow("scram, wrong password") << QStringLiteral("onlyoffice") << QStringLiteral("onlyoffice")
                                           << QStringLiteral("wrong") << QStringLiteral("scram-sha-256") << false
                                           << QStringLiteral("auth-failed") << QVariant() << QStringList() << false;
    QTest::newRow("scram, no password") << QStringLiteral("onlyoffice") << QStringLiteral("onlyoffice") << QString()
                                        << QStringLiteral("scram-sha-256") << false
                                        << QStringLiteral("password-required") << QVariant() << QStringList() << false;
    QTest::newRow("trust, schema present")
        << QStringLiteral("trusted") << QStringLiteral("onlyoffice") << QString() << QStringLiteral("trust") << true
        << QString() << QVariant(true) << QStringList() << true;
    QTest::newRow("trust, schema before 7.2")
        << QStringLiteral("trusted") << QStringLiteral("oldschema") << QString() << QStringLiteral("trust") << true
        << QString() << QVariant(false) << QStringList{QStringLiteral("doc_changes")} << false;
    QTest::newRow("trust, no tables") << QStringLiteral("trusted") << QStringLiteral("empty") << QString()
                                      << QStringLiteral("trust") << true << QString() << QVariant(false)
                                      << QStringList{QStringLiteral("doc_changes"), QStringLiteral("task_result")}
                                      << false;
    QTest::newRow("pg_hba rejects") << QStringLiteral("rejected") << QStringLiteral("onlyoffice") << QString()
                                    << QString() << false << QStringLiteral("no-hba-entry") << QVariant()
                                    << QStringList() << false;
    QTest::newRow("database missing") << QStringLiteral("trusted") << QStringLiteral("nosuchdb") << QString()
                                      << QStringLiteral("trust") << false << QStringLiteral("database-missing")
                                      << QVariant() << QStringList() << false;
}

void TestProbePostgres::connects()
{
    QFETCH(QString, user);
    QFETCH(QString, database);
    QFETCH(QString, passwordFile);
    QFETCH(QString, authMethod);
    QFETCH(bool, authOk);
    QFETCH(QString, errorClass);
    QFETCH(QVariant, schemaOk);
    QFETCH(QStringList, missingTables);
    QFETCH(bool, healthy);

    const QString file = passwordFile == QLatin1String("right")   ? m_rightFile
                         : passwordFile == QLatin1String("wrong") ? m_wrongFile
                                                                  : QString();
    const ProbeResult result = run(user, database, file);
    QCOMPARE(result.outcome, dd::ProbeOutcome::Ok);
    QCOMPARE(result.evidence.size(), 1);
    const dd::Evidence &evidence = result.evidence.constFirst();
    const QVariantMap facts = evidence.facts;
    if (!authMethod.isEmpty())
        QCOMPARE(facts.value(QStringLiteral("auth_method")).toString(), authMethod);
    QCOMPARE(facts.value(QStringLiteral("auth_ok")).toBool(), authOk);
    if (!errorClass.isEmpty())
        QCOMPARE(facts.value(QStringLiteral("error_class")).toString(), errorClass);
    QCOMPARE(facts.value(QStringLiteral("schema_ok")), schemaOk);
    if (schemaOk.isValid()) {
        QStringList missing = facts.value(QStringLiteral("missing_tables")).toStringList();
        missing.sort();
        QCOMPARE(missing, missingTables);
        QCOMPARE(facts.value(QStringLiteral("select1")).toBool(), true);
        QCOMPARE(facts.value(QStringLiteral("server_version")).toString().left(3), QStringLiteral("15."));
    }
    if (database == QLatin1String("oldschema")) {
        const QStringList lacking =
            facts.value(QStringLiteral("missing_columns")).toMap().value(QStringLiteral("task_result")).toStringList();
        QCOMPARE(lacking, (QStringList{QStringLiteral("tenant"), QStringLiteral("created_at"),
                                       QStringLiteral("password"), QStringLiteral("additional")}));
    }
    QCOMPARE(result.isHealthy(), healthy);
    QVERIFY(!evidence.excerpt.contains(QString::fromLatin1(password)));
    QVERIFY(!evidence.detail.contains(QString::fromLatin1(password)));
}

void TestProbePostgres::refused()
{
    const ProbeResult result = run(QStringLiteral("onlyoffice"), QString(), QString(), LabFixture::freePort());
    QCOMPARE(result.outcome, dd::ProbeOutcome::Refused);
    QCOMPARE(result.evidence.constFirst().facts.value(QStringLiteral("stage")).toString(), QStringLiteral("connect"));
}

void TestProbePostgres::silentServerTimesOut()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    const ProbeResult result = run(QStringLiteral("onlyoffice"), QString(), QString(), silent.serverPort(), 500);
    QCOMPARE(result.outcome, dd::ProbeOutcome::TimedOut);
    QCOMPARE(result.evidence.constFirst().facts.value(QStringLiteral("stage")).toString(), QStringLiteral("startup"));
}

void TestProbePostgres::authMethodFromTheFirstMessage_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("method");
    QTest::newRow("ok") << QByteArray("R\0\0\0\x08\0\0\0\0", 9) << QStringLiteral("trust");
    QTest::newRow("md5") << QByteArray("R\0\0\0\x0c\0\0\0\x05salt", 13) << QStringLiteral("md5");
    QTest::newRow("cleartext") << QByteArray("R\0\0\0\x08\0\0\0\x03", 9) << QStringLiteral("password");
    QTest::newRow("sasl scram") << QByteArray("R\0\0\0\x17\0\0\0\x0aSCRAM-SHA-256\0\0", 24)
                                << QStringLiteral("scram-sha-256");
    QTest::newRow("error") << QByteArray("E\0\0\0\x08SFATAL\0\0", 14) << QString();
}

void TestProbePostgres::authMethodFromTheFirstMessage()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, method);
    QCOMPARE(dd::PostgresProbe::authMethodOf(message), method);
}

void TestProbePostgres::errorClasses_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("errorClass");
    QTest::newRow("password") << QStringLiteral("FATAL:  password authentication failed for user \"onlyoffice\"")
                              << QStringLiteral("auth-failed");
    QTest::newRow("hba") << QStringLiteral("FATAL:  no pg_hba.conf entry for host \"10.0.0.5\", user \"x\", database "
                                           "\"y\", no encryption")
                         << QStringLiteral("no-hba-entry");
    QTest::newRow("database") << QStringLiteral("FATAL:  database \"onlyoffice\" does not exist")
                              << QStringLiteral("database-missing");
    QTest::newRow("role") << QStringLiteral("FATAL:  role \"onlyoffice\" does not exist")
                          << QStringLiteral("role-missing");
    QTest::newRow("starting") << QStringLiteral("FATAL:  the database system is starting up")
                              << QStringLiteral("starting-up");
    QTest::newRow("slots") << QStringLiteral("FATAL:  sorry, too many connections already")
                           << QStringLiteral("too-many-connections");
}

void TestProbePostgres::errorClasses()
{
    QFETCH(QString, message);
    QFETCH(QString, errorClass);
    QCOMPARE(dd::PostgresProbe::errorClassOf(message), errorClass);
}

QTEST_GUILESS_MAIN(TestProbePostgres)
#include "tst_probe_postgres.moc"
