// The Fault Lab's scenario catalog: every reproducible cause has a scenario, and the scenario file
// is validated strictly (its values end up in nginx configs).
#include "lab/lab.h"
#include "lab/labscenarios.h"
#include "model/causecatalog.h"

#include <QHash>
#include <QTest>

class TestLabCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reproducibleCausesHaveScenarios()
    {
        // Reproducible causes the lab has no scenario for yet, each with why (README, "Fault Lab").
        const QHash<QString, QString> missing;
        const dd::CauseCatalog catalog = dd::CauseCatalog::builtIn();
        QVERIFY(!catalog.causes().isEmpty());
        for (const dd::Cause &cause : catalog.causes()) {
            if (!cause.reproducible) {
                QVERIFY2(!dd::Lab::hasScenario(cause.id), qPrintable(cause.id));
                continue;
            }
            QVERIFY2(dd::Lab::hasScenario(cause.id) != missing.contains(cause.id), qPrintable(cause.id));
        }
        // Every scenario says what it starts.
        const QList<dd::LabScenario> scenarios = dd::Lab::scenarios();
        for (const dd::LabScenario &s : scenarios)
            QVERIFY2(!s.components.isEmpty() && s.components.first().startsWith(QLatin1String("front proxy ")),
                     qPrintable(s.id));
    }

    void scenarioFileErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        const QByteArray head =
            "{\"scenarios\":[{\"id\":\"x\",\"title\":\"X\",\"frontUpstream\":\"ds-nginx\",\"docservice\":\"healthy\"";
        QTest::newRow("not json") << QByteArray("{") << QStringLiteral("t.json: not valid JSON at offset");
        QTest::newRow("no list") << QByteArray("{}")
                                 << QStringLiteral("t.json: field 'scenarios': missing or not an array");
        QTest::newRow("unknown field") << head + ",\"frontUpsteam\":\"x\"}]}"
                                       << QStringLiteral("t.json: scenarios[0] field 'frontUpsteam': unknown field");
        QTest::newRow("bad enum")
            << QByteArray("{\"scenarios\":[{\"id\":\"x\",\"title\":\"X\",\"frontUpstream\":\"moon\",\"docservice\":"
                          "\"healthy\"}]}")
            << QStringLiteral("scenarios[0] field 'frontUpstream': 'moon' is not one of ds-nginx, refusing-port");
        // Values end up in nginx configs: nothing that could close a directive gets through.
        QTest::newRow("config injection")
            << head + ",\"frontReadTimeout\":\"2s; include /etc/passwd\"}]}"
            << QStringLiteral("scenarios[0] field 'frontReadTimeout': '2s; include /etc/passwd' does not match");
        QTest::newRow("secret with spaces")
            << head + ",\"dsJwtSecret\":\"a b\"}]}" << QStringLiteral("field 'dsJwtSecret'");
        QTest::newRow("out of range") << head + ",\"docserviceWorkers\":9}]}"
                                      << QStringLiteral("field 'docserviceWorkers': not a whole number from 1 to 2");
        QTest::newRow("duplicate id")
            << QByteArray("{\"scenarios\":[{\"id\":\"x\",\"title\":\"X\",\"frontUpstream\":\"ds-nginx\",\"docservice\":"
                          "\"healthy\"},"
                          "{\"id\":\"x\",\"title\":\"X\",\"frontUpstream\":\"ds-nginx\",\"docservice\":\"healthy\"}]}")
            << QStringLiteral("scenarios[1] field 'id': duplicate 'x'");
    }

    void scenarioFileErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QList<dd::LabScenarioSpec> specs;
        QString message;
        QVERIFY(!dd::parseLabScenarios(json, QStringLiteral("t.json"), &specs, &message));
        QVERIFY2(message.contains(error), qPrintable(message));
        QVERIFY(!message.contains(QLatin1Char('\n')));
    }
};

QTEST_GUILESS_MAIN(TestLabCatalog)
#include "tst_lab_catalog.moc"
