// The classification rules (resources/logs/rules.json) against real lines, mostly verbatim
// from the failure catalog: tests/data/logs/rulecases.json.
#include "logs/logclassifier.h"
#include "model/causecatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace dd;

class TestLogRules : public QObject
{
    Q_OBJECT

    QJsonObject m_data;
    LogClassifier m_classifier;

    QJsonArray cases() const { return m_data.value(QLatin1String("cases")).toArray(); }

private Q_SLOTS:
    void initTestCase()
    {
        const QString path = QFINDTESTDATA("../data/logs/rulecases.json");
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        m_data = QJsonDocument::fromJson(file.readAll()).object();
        QVERIFY(!cases().isEmpty());
        m_classifier.setTimeZone(QTimeZone::utc());
        QVERIFY2(m_classifier.loadError().isEmpty(), qPrintable(m_classifier.loadError()));
    }

    void builtInRulesLoad() { QVERIFY(m_classifier.rules().rules().size() >= 50); }

    void everyCauseIdIsInTheCatalog()
    {
        const CauseCatalog catalog = CauseCatalog::builtIn();
        QVERIFY(!catalog.causes().isEmpty());
        for (const QString &id : m_classifier.rules().causeIds())
            QVERIFY2(catalog.contains(id), qPrintable(QStringLiteral("rules name unknown cause '%1'").arg(id)));
    }

    void classifies_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("hint");
        QTest::addColumn<QString>("cause");
        QTest::addColumn<QString>("signal");
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QVariantMap>("fields");
        QTest::addColumn<QString>("logFormat");
        for (const QJsonValue &v : cases()) {
            const QJsonObject c = v.toObject();
            QTest::newRow(qPrintable(c.value(QLatin1String("name")).toString()))
                << c.value(QLatin1String("line")).toString() << c.value(QLatin1String("hint")).toString()
                << c.value(QLatin1String("cause")).toString() << c.value(QLatin1String("signal")).toString()
                << c.value(QLatin1String("rule")).toString() << c.value(QLatin1String("format")).toString()
                << c.value(QLatin1String("fields")).toObject().toVariantMap()
                << c.value(QLatin1String("logFormat")).toString();
        }
    }
    void classifies()
    {
        QFETCH(QString, line);
        QFETCH(QString, hint);
        QFETCH(QString, cause);
        QFETCH(QString, signal);
        QFETCH(QString, rule);
        QFETCH(QString, format);
        QFETCH(QVariantMap, fields);
        QFETCH(QString, logFormat);
        // A case may name the nginx log_format its access line was written in.
        LogClassifier classifier = m_classifier;
        QString error;
        if (!logFormat.isEmpty())
            QVERIFY2(classifier.addAccessLogFormat(logFormat, &error), qPrintable(error));
        const ClassifiedLine c = classifier.classify(line, hint);
        QCOMPARE(c.causeId, cause);
        QCOMPARE(c.signal, signal);
        QCOMPARE(c.ruleId, rule);
        QCOMPARE(c.kind == LineKind::Unclassified, cause.isEmpty() && signal.isEmpty());
        if (!format.isEmpty())
            QCOMPARE(c.format, format);
        for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
            QVERIFY2(c.fields.contains(it.key()), qPrintable(QStringLiteral("no field '%1'").arg(it.key())));
            QCOMPARE(c.fields.value(it.key()).toString(), it.value().toString());
        }
        // Nothing that looks like a JWT survives into the output.
        QVERIFY(!c.text.contains(QLatin1String("eyJ")));
        for (const QVariant &value : std::as_const(c.fields))
            QVERIFY(!value.toString().contains(QLatin1String("eyJ")));
    }

    void everyRuleHasATestLine()
    {
        QSet<QString> tested;
        for (const QJsonValue &v : cases())
            tested.insert(v.toObject().value(QLatin1String("rule")).toString());
        for (const LogRule &rule : m_classifier.rules().rules())
            QVERIFY2(tested.contains(rule.id), qPrintable(QStringLiteral("rule %1 has no test line").arg(rule.id)));
    }

    // Every catalog cause is either classified from a line of its own, or listed with the
    // reason why its lines classify as another cause, or as having no log line at all.
    void everyCatalogCauseIsAccountedFor()
    {
        const CauseCatalog catalog = CauseCatalog::builtIn();
        QSet<QString> expected;
        for (const QJsonValue &v : cases())
            expected.insert(v.toObject().value(QLatin1String("cause")).toString());
        const QJsonArray signature = m_data.value(QLatin1String("signatureCauses")).toArray();
        QSet<QString> accounted;
        for (const QJsonValue &v : signature) {
            const QString id = v.toString();
            QVERIFY2(catalog.contains(id), qPrintable(id));
            QVERIFY2(expected.contains(id), qPrintable(QStringLiteral("no test line classifies as %1").arg(id)));
            QVERIFY2(m_classifier.rules().causeIds().contains(id),
                     qPrintable(QStringLiteral("no rule names %1").arg(id)));
            accounted.insert(id);
        }
        const QJsonObject shared = m_data.value(QLatin1String("sharedSignature")).toObject();
        for (auto it = shared.begin(); it != shared.end(); ++it)
            accounted.insert(it.key());
        for (const QJsonValue &v : m_data.value(QLatin1String("noSignature")).toArray())
            accounted.insert(v.toString());
        for (const Cause &cause : catalog.causes()) {
            if (cause.category == QLatin1String("healthy"))
                continue;
            QVERIFY2(accounted.contains(cause.id),
                     qPrintable(QStringLiteral("catalog cause %1 has no rule decision").arg(cause.id)));
        }
    }

    void secretsAreRedacted_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("secret");
        QTest::newRow("jwt in checkJwt")
            << QStringLiteral(
                   "[2024-10-22T13:51:56.259] [WARN] [localhost] [d] [u] nodeJS - checkJwt error: name = "
                   "JsonWebTokenError "
                   "message = invalid signature token = eyJhbGciOiJIUzI1NiJ9.eyJjIjoidmVyc2lvbiJ9.c2VjcmV0c2lnbg")
            << QStringLiteral("c2VjcmV0c2lnbg");
        QTest::newRow("md5 of a secure link")
            << QStringLiteral(
                   "1.2.3.4 - - [22/Oct/2024:13:51:56 +0000] \"GET /cache/files/data/k/o.docx?md5=S3CR3TMD5&expires=1 "
                   "HTTP/1.1\" 403 1 \"-\" \"x\"")
            << QStringLiteral("S3CR3TMD5");
        QTest::newRow("token parameter")
            << QStringLiteral(
                   "[2024-10-22T13:51:56.259] [ERROR] [localhost] [d] [u] nodeJS - error downloadFile:url=https://s/f?"
                   "token=T0PS3CRET&x=1;attempt=1;code:ECONNREFUSED;connect:null Error")
            << QStringLiteral("T0PS3CRET");
        QTest::newRow("bearer") << QStringLiteral("Authorization: Bearer abcdefghijklmnop0123 refused 502 Bad Gateway")
                                << QStringLiteral("abcdefghijklmnop0123");
        QTest::newRow("amqp password") << QStringLiteral("[2024-10-22T13:51:56.259] [ERROR] nodeJS - [AMQP] Error: "
                                                         "connect ECONNREFUSED amqp://guest:hunter2@mq:5672")
                                       << QStringLiteral("hunter2");
    }
    void secretsAreRedacted()
    {
        QFETCH(QString, line);
        QFETCH(QString, secret);
        const ClassifiedLine c = m_classifier.classify(line);
        QVERIFY(c.kind != LineKind::Unclassified);
        QVERIFY2(!c.text.contains(secret), qPrintable(c.text));
        const QByteArray json = QJsonDocument(c.toJson(true)).toJson(QJsonDocument::Compact);
        QVERIFY2(!json.contains(secret.toUtf8()), json.constData());
    }

    void loaderRejectsBadRules_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        const QByteArray head = "{\"schema\":\"docserver-doctor.logrules/1\",\"rules\":[";
        QTest::newRow("no schema") << QByteArray("{\"rules\":[]}") << QStringLiteral("schema");
        QTest::newRow("unknown format")
            << head + "{\"id\":\"a\",\"formats\":[\"nope\"],\"cause\":\"x\",\"match\":{\"any\":[\"abcdef\"]}}]}"
            << QStringLiteral("unknown format");
        QTest::newRow("short literal")
            << head + "{\"id\":\"a\",\"formats\":[\"ds\"],\"cause\":\"x\",\"match\":{\"any\":[\"ab\"]}}]}"
            << QStringLiteral("shorter");
        QTest::newRow("no outcome") << head + "{\"id\":\"a\",\"formats\":[\"ds\"],\"match\":{\"any\":[\"abcdef\"]}}]}"
                                    << QStringLiteral("cause, symptom, healthy");
        QTest::newRow("bad regex") << head + "{\"id\":\"a\",\"formats\":[\"ds\"],\"cause\":\"x\",\"match\":{\"any\":["
                                             "\"abcdef\"],\"regex\":\"((\"}}]}"
                                   << QStringLiteral("regex");
        QTest::newRow("duplicate id")
            << head + "{\"id\":\"a\",\"formats\":[\"ds\"],\"cause\":\"x\",\"match\":{\"any\":[\"abcdef\"]}},"
                      "{\"id\":\"a\",\"formats\":[\"ds\"],\"cause\":\"x\",\"match\":{\"any\":[\"abcdef\"]}}]}"
            << QStringLiteral("duplicate");
        QTest::newRow("no literal") << head + "{\"id\":\"a\",\"formats\":[\"ds\"],\"cause\":\"x\",\"match\":{}}]}"
                                    << QStringLiteral("any");
        QTest::newRow("bad extract regex")
            << head + "{\"id\":\"a\",\"formats\":[\"ds\"],\"cause\":\"x\",\"match\":{\"any\":[\"abcdef\"]},"
                      "\"extract\":[{\"from\":\"message\",\"regex\":\"(?<a>\"}]}]}"
            << QStringLiteral("extract: bad regex");
        QTest::newRow("extract regex without names")
            << head + "{\"id\":\"a\",\"formats\":[\"ds\"],\"cause\":\"x\",\"match\":{\"any\":[\"abcdef\"]},"
                      "\"extract\":[{\"from\":\"message\",\"regex\":\"(a)(b)\"}]}]}"
            << QStringLiteral("without named groups");
    }
    void loaderRejectsBadRules()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        QString error;
        QVERIFY(!LogClassifier::fromRules(json, QStringLiteral("test.json"), &error));
        QVERIFY2(error.startsWith(QLatin1String("test.json: ")), qPrintable(error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    // A rule on a log_format variable ($upstream_status) searches its literals only once a
    // format with that variable is loaded (the rule has no other condition: searched, it would
    // hold for any line with its literal); its regex extractor splits the list.
    void logFormatVariableGatesTheRule()
    {
        const QByteArray json =
            "{\"schema\":\"docserver-doctor.logrules/1\",\"rules\":[{\"id\":\"retry\",\"formats\":[\"nginx-access\"],"
            "\"symptom\":\"s\",\"match\":{\"any\":[\"502, \"],\"logFormatVariable\":\"upstream_status\"},"
            "\"extract\":[{\"from\":\"upstream_status\",\"regex\":\"^(?<first>[^,]+), (?<last>.+)$\"}]}]}";
        QString error;
        auto classifier = LogClassifier::fromRules(json, QStringLiteral("inline"), &error);
        QVERIFY2(classifier, qPrintable(error));
        const QString line = QStringLiteral("10.0.0.2 [22/Oct/2024:13:51:56 +0000] 200 us=502, 200");
        QCOMPARE(classifier->classify(line).kind, LineKind::Unclassified);
        QVERIFY2(classifier->addAccessLogFormat(
                     QStringLiteral("$remote_addr [$time_local] $status us=$upstream_status"), &error),
                 qPrintable(error));
        const ClassifiedLine c = classifier->classify(line);
        QCOMPARE(c.signal, QStringLiteral("s"));
        QCOMPARE(c.fields.value(QStringLiteral("first")).toString(), QStringLiteral("502"));
        QCOMPARE(c.fields.value(QStringLiteral("last")).toString(), QStringLiteral("200"));
        // A format without the variable does not switch the rule on.
        classifier->setAccessLogFormat(QStringLiteral("$remote_addr [$time_local] $status us=$upstream_addr"), &error);
        QCOMPARE(classifier->classify(line).kind, LineKind::Unclassified);
    }

    void firstRuleWinsAndRefinementsNarrow()
    {
        const QByteArray json =
            "{\"schema\":\"docserver-doctor.logrules/1\",\"rules\":[\n"
            "            {\"id\":\"specific\",\"formats\":[\"ds\"],\"cause\":\"c1\",\"match\":{\"any\":[\"boom "
            "happened\"],\"all\":[\"twice\"]}},\n"
            "            {\"id\":\"general\",\"formats\":[\"ds\"],\"cause\":\"c2\",\"match\":{\"any\":[\"boom "
            "happened\"]},\n"
            "             \"extract\":[{\"field\":\"code\",\"after\":\"code=\",\"until\":\" \"}],\n"
            "             \"refine\":[{\"when\":[{\"field\":\"code\",\"in\":[\"7\"]}],\"cause\":\"c3\"}]}]}";
        QString error;
        const auto classifier = LogClassifier::fromRules(json, QStringLiteral("inline"), &error);
        QVERIFY2(classifier, qPrintable(error));
        const QString prefix = QStringLiteral("[2024-10-22T13:51:56.259] [ERROR] nodeJS - ");
        auto line = [&](const char *text) { return QString(prefix + QLatin1String(text)); };
        QCOMPARE(classifier->classify(line("boom happened twice")).causeId, QStringLiteral("c1"));
        QCOMPARE(classifier->classify(line("boom happened code=5 x")).causeId, QStringLiteral("c2"));
        QCOMPARE(classifier->classify(line("boom happened code=7 x")).causeId, QStringLiteral("c3"));
        QCOMPARE(classifier->classify(line("boom happened code=7 x")).fields.value(QStringLiteral("code")),
                 QVariant(QStringLiteral("7")));
        QCOMPARE(classifier->classify(line("nothing")).kind, LineKind::Unclassified);
    }
};

QTEST_GUILESS_MAIN(TestLogRules)
#include "tst_logrules.moc"
