// diagnose takes the database, Redis and RabbitMQ addresses from Document Server's local.json
// (the profile has no fields for them) and probes each on its own hop: real PostgreSQL and Redis
// from Debian's packages on 127.0.0.1, and a RabbitMQ address where nothing listens. An address
// the configuration supplied that does not listen is also listed as config against reality, with
// the file:line that configured it.
#include "dependencyservers.h"
#include "labfixture.h"

#include "diagnosis/diagnosisengine.h"
#include "lab/loopbackport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

dd::Diagnosis diagnose(const dd::Profile &profile)
{
    dd::DiagnosisEngine engine(dd::CauseCatalog::builtIn(), dd::DecisionTree::builtIn());
    QSignalSpy finished(&engine, &dd::DiagnosisEngine::diagnosisFinished);
    engine.start(profile);
    if (!finished.wait(60000))
        return {};
    return finished.first().first().value<dd::Diagnosis>();
}

} // namespace

class TestDiagnoseServices : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void endpointsFromLocalJson()
    {
        QString error;
        DependencyServer postgres(DependencyServer::Kind::Postgres);
        QVERIFY2(postgres.start(&error), qPrintable(error));
        DependencyServer redis(DependencyServer::Kind::Redis);
        QVERIFY2(redis.start(&error), qPrintable(error));
        const quint16 rabbitPort = LabFixture::freePort(); // nothing listens there
        QVERIFY(rabbitPort != 0);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString localJson = dir.filePath(QStringLiteral("local.json"));
        QFile file(localJson);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral("{\n"
                                  "  \"services\": {\n"
                                  "    \"CoAuthoring\": {\n"
                                  "      \"sql\": {\n"
                                  "        \"type\": \"postgres\",\n"
                                  "        \"dbHost\": \"127.0.0.1\",\n"
                                  "        \"dbPort\": \"%1\"\n"
                                  "      },\n"
                                  "      \"redis\": {\n"
                                  "        \"host\": \"127.0.0.1\",\n"
                                  "        \"port\": %2\n"
                                  "      }\n"
                                  "    }\n"
                                  "  },\n"
                                  "  \"rabbitmq\": {\n"
                                  "    \"url\": \"amqp://guest:guest@127.0.0.1:%3\"\n"
                                  "  }\n"
                                  "}\n")
                       .arg(postgres.port())
                       .arg(redis.port())
                       .arg(rabbitPort)
                       .toUtf8());
        file.close();

        dd::Profile profile;
        profile.dsConfig = localJson;
        profile.startupWatchMs = 0;
        const dd::Diagnosis d = diagnose(profile);
        QVERIFY(!d.evidence.isEmpty());

        struct Expected
        {
            const char *role;
            int line;
            quint16 port;
            bool listening;
        };
        for (const Expected &x :
             {Expected{"database", 6, postgres.port(), true}, Expected{"redis", 10, redis.port(), true},
              Expected{"rabbitmq", 16, rabbitPort, false}}) {
            const QString role = QString::fromLatin1(x.role);
            const QString link = QStringLiteral("docservice->") + role;
            const dd::Evidence *configured = d.evidenceById(QStringLiteral("config.address.") + role);
            QVERIFY2(configured, x.role);
            QCOMPARE(configured->excerpt, QStringLiteral("%1:%2").arg(localJson).arg(x.line));
            QVERIFY2(configured->summary.contains(QStringLiteral("127.0.0.1:%1").arg(x.port)),
                     qPrintable(configured->summary));
            QVERIFY2(!configured->summary.contains(QLatin1String("guest")), qPrintable(configured->summary));

            const dd::Evidence *probe = d.evidenceById(QStringLiteral("probe.tcp.") + role);
            QVERIFY2(probe, x.role);
            QCOMPARE(probe->link, link);
            QCOMPARE(probe->health, x.listening ? dd::Health::Ok : dd::Health::Failed);
            QCOMPARE(probe->facts.value(role + QLatin1String(".tcp")).toString(),
                     x.listening ? QStringLiteral("ok") : QStringLiteral("refused"));

            const dd::Evidence *reality = d.evidenceById(QStringLiteral("config.reality.") + role);
            QCOMPARE(reality != nullptr, !x.listening);
            if (reality) {
                QCOMPARE(reality->link, link);
                QCOMPARE(reality->health, dd::Health::Failed);
                QCOMPARE(reality->excerpt, configured->excerpt);
                QCOMPARE(reality->facts.value(reality->id).toString(), QStringLiteral("not-listening"));
                QVERIFY2(reality->summary.contains(QStringLiteral("127.0.0.1:%1").arg(x.port)),
                         qPrintable(reality->summary));
            }
        }
    }

    // The Fault Lab's local.json names the services a scenario gives docservice. With Document
    // Server's /healthcheck true (healthy, its config given a Redis address nothing here listens
    // on, as a container's own localhost), docservice is known to reach them, so a refusal seen
    // from here is "unreachable from this host", not a failed hop; with the dependency refused
    // (redis-unreachable), the hop fails.
    // Without Document Server's logs, the configured dependency that accepts no connections is
    // the one docservice waits on: the tree names it (at lower confidence than the log would).
    void dependencyNamedWithoutLogs_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("RabbitMQ") << QStringLiteral("rabbitmq-unreachable");
        QTest::newRow("PostgreSQL") << QStringLiteral("docservice-db-unreachable");
        QTest::newRow("Redis") << QStringLiteral("redis-unreachable");
    }
    void dependencyNamedWithoutLogs()
    {
        QFETCH(QString, scenario);
        LabFixture lab;
        QString error;
        QVERIFY2(lab.start(scenario, &error, 30000), qPrintable(error));
        dd::Profile p = lab.profile();
        p.logFiles.clear();
        QVERIFY(!p.dsConfig.isEmpty());
        QElapsedTimer clock;
        clock.start();
        const dd::Diagnosis d = diagnose(p);
        QVERIFY2(d.causeId == scenario, qPrintable(d.causeId + QStringLiteral(": ") + d.summary));
        QVERIFY(d.confidence < 0.8); // the log, when read, is the stronger witness
        QStringList path;
        for (const auto &step : d.path)
            path << step.node;
        QVERIFY2(path.contains(QStringLiteral("configured-dependency-down")), qPrintable(path.join(QLatin1Char(' '))));
        // Nothing to wait for: the start-up watch is skipped when a dependency is down.
        QVERIFY(!d.evidenceById(QStringLiteral("probe.startup")));
        QVERIFY2(clock.elapsed() < p.startupWatchMs, qPrintable(QString::number(clock.elapsed())));
    }

    void labServices_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("role");
        QTest::addColumn<int>("health");
        QTest::addColumn<QString>("reality");
        QTest::newRow("healthy") << QStringLiteral("healthy") << QStringLiteral("redis") << int(dd::Health::Unknown)
                                 << QStringLiteral("unreachable-here");
        QTest::newRow("redis refused") << QStringLiteral("redis-unreachable") << QStringLiteral("redis")
                                       << int(dd::Health::Failed) << QStringLiteral("not-listening");
    }
    void labServices()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, role);
        QFETCH(int, health);
        QFETCH(QString, reality);
        LabFixture lab;
        QString error;
        QVERIFY2(lab.start(scenario, &error, 30000), qPrintable(error));
        dd::Profile p = lab.profile();
        p.startupWatchMs = 0;
        QTemporaryDir dir;
        if (scenario == QLatin1String("healthy")) {
            QFile in(p.dsConfig);
            QVERIFY(in.open(QIODevice::ReadOnly));
            QJsonObject root = QJsonDocument::fromJson(in.readAll()).object();
            QJsonObject services = root.value(QStringLiteral("services")).toObject();
            QJsonObject coAuthoring = services.value(QStringLiteral("CoAuthoring")).toObject();
            QVERIFY(!coAuthoring.contains(role)); // the healthy lab gives docservice no Redis
            const QList<quint16> closed = dd::findFreeLoopbackPorts(1);
            QCOMPARE(closed.size(), 1);
            coAuthoring.insert(role, QJsonObject{{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                                                 {QStringLiteral("port"), closed.first()}});
            services.insert(QStringLiteral("CoAuthoring"), coAuthoring);
            root.insert(QStringLiteral("services"), services);
            p.dsConfig = dir.filePath(QStringLiteral("local.json"));
            QFile out(p.dsConfig);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(QJsonDocument(root).toJson());
        }
        const dd::Diagnosis d = diagnose(p);
        const dd::Evidence *probe = d.evidenceById(QStringLiteral("probe.tcp.") + role);
        QVERIFY(probe);
        QCOMPARE(int(probe->health), health);
        const dd::Evidence *r = d.evidenceById(QStringLiteral("config.reality.") + role);
        QVERIFY(r);
        QCOMPARE(r->facts.value(r->id).toString(), reality);
        QCOMPARE(int(r->health), health);
        if (scenario == QLatin1String("healthy"))
            QCOMPARE(d.status, dd::VerdictStatus::Healthy);
        else
            QCOMPARE(d.causeId, QStringLiteral("redis-unreachable"));
    }

    // The upstream DS's nginx names for docservice (filled into the profile from the config)
    // does not listen in ds-docservice-down: config against reality on dsnginx->docservice.
    void configuredUpstreamNotListening()
    {
        LabFixture lab;
        QString error;
        QVERIFY2(lab.start(QStringLiteral("ds-docservice-down"), &error), qPrintable(error));
        dd::Profile p = lab.profile();
        QVERIFY(!p.proxyConfig.isEmpty() && !p.dsNginxConfig.isEmpty());
        p.docserverUrl = QUrl();
        p.docserviceHost.clear();
        p.docservicePort = 0;
        p.startupWatchMs = 0;
        const dd::Diagnosis d = diagnose(p);
        const dd::Evidence *configured = d.evidenceById(QStringLiteral("config.address.docservice"));
        QVERIFY(configured);
        QVERIFY2(configured->excerpt.startsWith(p.dsNginxConfig), qPrintable(configured->excerpt));
        const dd::Evidence *reality = d.evidenceById(QStringLiteral("config.reality.docservice"));
        QVERIFY(reality);
        QCOMPARE(reality->link, QStringLiteral("dsnginx->docservice"));
        QCOMPARE(reality->excerpt, configured->excerpt);
        QCOMPARE(reality->facts.value(reality->id).toString(), QStringLiteral("not-listening"));
        // Document Server's own nginx, the front proxy's upstream, does listen: nothing to say.
        QVERIFY(d.evidenceById(QStringLiteral("config.address.docserver")));
        QVERIFY(!d.evidenceById(QStringLiteral("config.reality.dsnginx")));
    }
};

QTEST_GUILESS_MAIN(TestDiagnoseServices)
#include "tst_diagnose_services.moc"
