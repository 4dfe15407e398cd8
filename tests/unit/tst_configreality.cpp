// Config against reality: an address the configuration supplied, and what a TCP probe of it found
// on each address its name resolved to. (The integration test tst_diagnose_services sees the
// not-listening case on real servers; `localhost` resolves to 127.0.0.1 alone on the build
// hosts, so the one-family case is checked here from probe results.)
#include "diagnosis/configreality.h"

#include <QTest>

using namespace dd;

class TestConfigReality : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void versusProbe_data()
    {
        QTest::addColumn<QList<ProbeOutcome>>("outcomes"); // for ::1, then 127.0.0.1
        QTest::addColumn<QString>("fact");                 // empty: no evidence
        QTest::addColumn<int>("health");
        QTest::addColumn<bool>("elsewhere"); // the service using it reports it reachable
        QTest::newRow("both listen") << QList<ProbeOutcome>{ProbeOutcome::Ok, ProbeOutcome::Ok} << QString() << 0
                                     << false;
        QTest::newRow("only IPv4 listens") << QList<ProbeOutcome>{ProbeOutcome::Refused, ProbeOutcome::Ok}
                                           << QStringLiteral("one-family") << int(Health::Degraded) << false;
        QTest::newRow("nothing listens") << QList<ProbeOutcome>{ProbeOutcome::Refused, ProbeOutcome::Refused}
                                         << QStringLiteral("not-listening") << int(Health::Failed) << false;
        QTest::newRow("unanswered") << QList<ProbeOutcome>{ProbeOutcome::TimedOut} << QStringLiteral("not-listening")
                                    << int(Health::Failed) << false;
        QTest::newRow("refused here, reached by docservice")
            << QList<ProbeOutcome>{ProbeOutcome::Refused} << QStringLiteral("unreachable-here") << int(Health::Unknown)
            << true;
        QTest::newRow("reached by docservice, listening")
            << QList<ProbeOutcome>{ProbeOutcome::Ok} << QString() << 0 << true;
    }
    void versusProbe()
    {
        QFETCH(bool, elsewhere);
        QFETCH(QList<ProbeOutcome>, outcomes);
        QFETCH(QString, fact);
        QFETCH(int, health);
        Evidence configured;
        configured.id = QStringLiteral("config.address.redis");
        configured.excerpt = QStringLiteral("/etc/onlyoffice/documentserver/local.json:12");
        TcpProbeResult r;
        r.host = QStringLiteral("localhost");
        r.port = 6379;
        const QStringList addresses{QStringLiteral("::1"), QStringLiteral("127.0.0.1")};
        r.outcome = outcomes.contains(ProbeOutcome::Ok) ? ProbeOutcome::Ok : outcomes.constFirst();
        for (qsizetype i = 0; i < outcomes.size(); ++i)
            r.attempts.append(TcpAttempt{addresses.at(i), outcomes.at(i), 0.2, QString()});

        const std::optional<Evidence> e = collector::configVersusReality(
            configured, r, QStringLiteral("redis"), QStringLiteral("docservice->redis"), elsewhere);
        QCOMPARE(e.has_value(), !fact.isEmpty());
        if (!e)
            return;
        QCOMPARE(e->id, QStringLiteral("config.reality.redis"));
        QCOMPARE(e->facts.value(e->id).toString(), fact);
        QCOMPARE(int(e->health), health);
        QCOMPARE(e->link, QStringLiteral("docservice->redis"));
        QCOMPARE(e->excerpt, configured.excerpt);
        QVERIFY2(e->summary.contains(configured.excerpt) && e->summary.contains(QLatin1String("localhost:6379")),
                 qPrintable(e->summary));
        if (fact == QLatin1String("one-family"))
            QVERIFY2(e->summary.contains(QLatin1String("only 127.0.0.1 accepts")), qPrintable(e->summary));
    }

    // Where each address comes from: local.json over default.json, or the Docker environment.
    void servicesFromConfiguration_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("role");
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("origin"); // file:line, relative to tests/data/config/ds/
        QTest::newRow("local.json database")
            << QStringLiteral("etc-onlyoffice") << QStringLiteral("database") << QStringLiteral("localhost:5432")
            << QStringLiteral("etc-onlyoffice/local.json:6");
        QTest::newRow("local.json rabbitmq")
            << QStringLiteral("etc-onlyoffice") << QStringLiteral("rabbitmq") << QStringLiteral("localhost:5672")
            << QStringLiteral("etc-onlyoffice/local.json:41");
        QTest::newRow("default.json redis")
            << QStringLiteral("etc-onlyoffice") << QStringLiteral("redis") << QStringLiteral("127.0.0.1:6379")
            << QStringLiteral("etc-onlyoffice/default.json:71");
        QTest::newRow("compose DB_HOST") << QStringLiteral("compose.yml") << QStringLiteral("database")
                                         << QStringLiteral("onlyoffice-postgresql:5432")
                                         << QStringLiteral("compose.yml:8");
        QTest::newRow("compose AMQP_URI")
            << QStringLiteral("compose.yml") << QStringLiteral("rabbitmq") << QStringLiteral("onlyoffice-rabbitmq:5672")
            << QStringLiteral("compose.yml:9");
    }
    void servicesFromConfiguration()
    {
        QFETCH(QString, config);
        QFETCH(QString, role);
        QFETCH(QString, address);
        QFETCH(QString, origin);
        const QString data = QStringLiteral(DD_SOURCE_DIR "/tests/data/config/ds/");
        const QList<ConfiguredEndpoint> services = collector::configuredServices(data + config);
        QVERIFY(collector::configuredServices(QString()).isEmpty());
        const auto it = std::find_if(services.cbegin(), services.cend(),
                                     [&](const ConfiguredEndpoint &e) { return e.role == role; });
        QVERIFY2(it != services.cend(), qPrintable(role));
        QVERIFY(std::none_of(services.cbegin(), services.cend(),
                             [](const ConfiguredEndpoint &e) { return e.role == QLatin1String("docservice"); }));
        const Evidence e = collector::configuredServiceEvidence(*it);
        QCOMPARE(e.id, QStringLiteral("config.address.") + role);
        QCOMPARE(e.link, QStringLiteral("docservice->") + role);
        QCOMPARE(e.excerpt, data + origin);
        QVERIFY2(e.summary.contains(address), qPrintable(e.summary));
        QVERIFY2(!e.summary.contains(QLatin1String("guest")), qPrintable(e.summary));
    }
};

QTEST_GUILESS_MAIN(TestConfigReality)
#include "tst_configreality.moc"
