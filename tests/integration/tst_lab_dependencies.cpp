// The docservice simulator against real PostgreSQL, Redis and RabbitMQ servers (one of each for
// the whole file: RabbitMQ takes tens of seconds to boot): it starts only once all answer,
// /healthcheck re-checks them, and each failure leaves DS's log line.
#include "dependencyservers.h"
#include "labclient.h"
#include "labfixture.h"

#include "lab/dependencycheck.h"
#include "lab/dssimulator.h"
#include "lab/labservers.h"
#include "lab/loopbackport.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

dd::DependencyEndpoint endpoint(quint16 port, const QString &user = {}, const QString &database = {})
{
    dd::DependencyEndpoint e;
    e.port = port;
    e.user = user;
    e.database = database;
    return e;
}

} // namespace

class TestLabDependencies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_postgres.start(&error, dd::labservers::taskResultSql(true)), qPrintable(error));
        QVERIFY2(m_redis.start(&error), qPrintable(error));
        QVERIFY2(m_rabbitmq.start(&error), qPrintable(error));
    }

    void cleanupTestCase()
    {
        const QList<qint64> pids{m_postgres.processId(), m_redis.processId(), m_rabbitmq.processId(),
                                 m_rabbitmq.epmdProcessId()};
        m_postgres.stop();
        m_redis.stop();
        m_rabbitmq.stop();
        // Nothing of ours is left: no server, no epmd, no port.
        for (qint64 pid : pids)
            QVERIFY2(pid == 0 || !LabFixture::processExists(pid), qPrintable(QString::number(pid)));
        for (const QString &dir : {m_postgres.directory(), m_redis.directory(), m_rabbitmq.directory()})
            QVERIFY2(LabFixture::processesMentioning(dir).isEmpty(), qPrintable(dir));
        QVERIFY(LabFixture::processesMentioning(QStringLiteral("-port %1").arg(m_rabbitmq.epmdPort())).isEmpty());
    }

    void checks_data()
    {
        QTest::addColumn<QString>("dependency");
        QTest::addColumn<bool>("reachable");
        QTest::addColumn<QString>("error"); // contained in the error; empty when it must succeed
        QTest::newRow("amqp handshake") << QStringLiteral("amqp") << true << QString();
        QTest::newRow("amqp refused") << QStringLiteral("amqp") << false
                                      << QStringLiteral("Error: connect ECONNREFUSED 127.0.0.1:");
        QTest::newRow("amqp bad credentials") << QStringLiteral("amqp-badauth") << true
                                              << QStringLiteral("Handshake terminated by server: 403 (ACCESS-REFUSED)");
        QTest::newRow("redis ping") << QStringLiteral("redis") << true << QString();
        QTest::newRow("redis refused") << QStringLiteral("redis") << false
                                       << QStringLiteral("Error: connect ECONNREFUSED 127.0.0.1:");
        QTest::newRow("amqp port is not redis") << QStringLiteral("redis-on-amqp") << true << QStringLiteral("Error: ");
    }

    void checks()
    {
        QFETCH(QString, dependency);
        QFETCH(bool, reachable);
        QFETCH(QString, error);
        const quint16 closed = dd::findFreeLoopbackPort();
        QObject context;
        QSignalSpy done(&context, &QObject::objectNameChanged);
        auto finish = [&context](const QString &result) { context.setObjectName(QStringLiteral("done:") + result); };
        if (dependency.startsWith(QLatin1String("amqp"))) {
            dd::DependencyEndpoint e = endpoint(reachable ? m_rabbitmq.port() : closed);
            if (dependency == QLatin1String("amqp-badauth")) {
                e.user = QStringLiteral("nobody");
                e.password = QStringLiteral("wrong");
            }
            dd::dependency::checkAmqp(&context, e, 5000, finish);
        } else {
            const quint16 port = dependency == QLatin1String("redis-on-amqp") ? m_rabbitmq.port()
                                 : reachable                                  ? m_redis.port()
                                                                              : closed;
            dd::dependency::checkRedis(&context, endpoint(port), 5000, finish);
        }
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
        const QString result = context.objectName().mid(5);
        if (error.isEmpty())
            QVERIFY2(result.isEmpty(), qPrintable(result));
        else
            QVERIFY2(result.contains(error), qPrintable(result));
    }

    void postgresColumns_data()
    {
        QTest::addColumn<bool>("withTenant");
        QTest::newRow("DS 7.2+ schema") << true;
        QTest::newRow("DS 7.1 schema") << false;
    }

    void postgresColumns()
    {
        QFETCH(bool, withTenant);
        DependencyServer postgres(DependencyServer::Kind::Postgres);
        QString error;
        QVERIFY2(postgres.start(&error, dd::labservers::taskResultSql(withTenant)), qPrintable(error));
        QObject context;
        dd::dependency::PostgresResult result;
        bool finished = false;
        dd::dependency::checkPostgres(
            &context, endpoint(postgres.port(), QStringLiteral("onlyoffice"), QStringLiteral("postgres")), 5000,
            [&](const dd::dependency::PostgresResult &r) {
                result = r;
                finished = true;
            });
        QTRY_VERIFY_WITH_TIMEOUT(finished, 10000);
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QVERIFY(result.tableExists);
        QCOMPARE(result.columns.contains(QStringLiteral("tenant")), withTenant);
        for (const QString &column : {QStringLiteral("id"), QStringLiteral("status"), QStringLiteral("callback"),
                                      QStringLiteral("baseurl"), QStringLiteral("additional")})
            QVERIFY(result.columns.contains(column));
    }

    void docserviceStartsAfterItsDependencies()
    {
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("docservice/out.log"));
        dd::DocserviceConfig config;
        config.rabbitmq = endpoint(m_rabbitmq.port());
        config.postgres = endpoint(m_postgres.port(), QStringLiteral("onlyoffice"), QStringLiteral("postgres"));
        config.redis = endpoint(m_redis.port());
        config.developerEdition = true;
        dd::DsSimulator docservice;
        docservice.setLogFile(log);
        docservice.setConfig(config);
        QSignalSpy listening(&docservice, &dd::DsSimulator::listening);
        QSignalSpy blocked(&docservice, &dd::DsSimulator::startupBlocked);
        docservice.start(dd::findFreeLoopbackPort());
        QTRY_COMPARE_WITH_TIMEOUT(listening.size(), 1, 15000);
        QCOMPARE(blocked.size(), 0);
        const QUrl base(QStringLiteral("http://127.0.0.1:%1/").arg(docservice.port()));
        labclient::Response health = labclient::send("GET", base.resolved(QUrl(QStringLiteral("healthcheck"))));
        QCOMPARE(health.status, 200);
        QCOMPARE(health.body, QByteArray("true"));

        // Redis goes away while docservice runs: healthcheck turns false and says why.
        DependencyServer redis(DependencyServer::Kind::Redis);
        QString error;
        QVERIFY2(redis.start(&error), qPrintable(error));
        config.redis = endpoint(redis.port());
        docservice.setConfig(config);
        health = labclient::send("GET", base.resolved(QUrl(QStringLiteral("healthcheck"))));
        QCOMPARE(health.body, QByteArray("true"));
        redis.stop();
        health = labclient::send("GET", base.resolved(QUrl(QStringLiteral("healthcheck"))));
        QCOMPARE(health.status, 200);
        QCOMPARE(health.body, QByteArray("false"));
        QVERIFY2(LabFixture::readFile(log).contains(QStringLiteral(
                     "[ERROR] [localhost] [docId] [userId] nodeJS - healthCheck error Error: editorData")),
                 qPrintable(LabFixture::readFile(log)));
    }

    void docserviceWaitsForRabbitMq()
    {
        // The broker's port is closed at first: docservice logs and retries, and listens once a broker answers.
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("out.log"));
        const quint16 closed = dd::findFreeLoopbackPort();
        dd::DocserviceConfig config;
        config.rabbitmq = endpoint(closed);
        config.dependencyRetryMs = 300;
        dd::DsSimulator docservice;
        docservice.setLogFile(log);
        docservice.setConfig(config);
        QSignalSpy listening(&docservice, &dd::DsSimulator::listening);
        QSignalSpy blocked(&docservice, &dd::DsSimulator::startupBlocked);
        const quint16 port = dd::findFreeLoopbackPort();
        docservice.start(port);
        QTRY_VERIFY_WITH_TIMEOUT(blocked.size() >= 2, 10000);
        QVERIFY(listening.isEmpty());
        QVERIFY(!docservice.isListening());
        const QString text = LabFixture::readFile(log);
        QVERIFY2(text.contains(
                     QStringLiteral(
                         "nodeJS - [AMQP] Error: connect ECONNREFUSED 127.0.0.1:%1\n    at TCPConnectWrap.afterConnect")
                         .arg(closed)),
                 qPrintable(text));
        QVERIFY(!text.contains(QStringLiteral("Express server listening")));

        config.rabbitmq = endpoint(m_rabbitmq.port());
        docservice.setConfig(config);
        QTRY_COMPARE_WITH_TIMEOUT(listening.size(), 1, 10000);
        QCOMPARE(docservice.port(), port);
    }

private:
    DependencyServer m_postgres{DependencyServer::Kind::Postgres};
    DependencyServer m_redis{DependencyServer::Kind::Redis};
    DependencyServer m_rabbitmq{DependencyServer::Kind::RabbitMq};
};

QTEST_GUILESS_MAIN(TestLabDependencies)
#include "tst_lab_dependencies.moc"
