#include "diagnosis/decisiontree.h"
#include "model/causecatalog.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

class TestCauseCatalog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void builtInCoversTheDomainCatalog()
    {
        const dd::CauseCatalog catalog = dd::CauseCatalog::builtIn();
        // The stable ids are the ones ../shared/domain/causes.md lists; read them from there when
        // it is beside the checkout, so the two cannot drift apart.
        QFile domain(QStringLiteral(DD_SOURCE_DIR "/../shared/domain/causes.md"));
        if (!domain.open(QIODevice::ReadOnly))
            QSKIP("shared/domain/causes.md is not beside this checkout");
        const QString text = QString::fromUtf8(domain.readAll());
        const QRegularExpression listLine(QStringLiteral(R"(All cause ids \(52\): ([^\n]+)\.)"));
        const QRegularExpressionMatch m = listLine.match(text);
        QVERIFY(m.hasMatch());
        QStringList ids = m.captured(1).split(QStringLiteral(", "));
        ids << QStringLiteral("upstream-refused") << QStringLiteral("upstream-reset");
        QCOMPARE(ids.size(), 54);
        for (const QString &id : std::as_const(ids))
            QVERIFY2(catalog.contains(id), qPrintable(id));
        QCOMPARE(catalog.causes().size(), ids.size());
    }

    void everyCauseIsComplete()
    {
        const dd::CauseCatalog catalog = dd::CauseCatalog::builtIn();
        for (const dd::Cause &c : catalog.causes()) {
            QVERIFY2(!c.title.isEmpty(), qPrintable(c.id));
            QVERIFY2(!c.fix.isEmpty(), qPrintable(c.id));
            QVERIFY2(!c.explanation.isEmpty(), qPrintable(c.id));
            QVERIFY2(c.hop.contains(QLatin1String("->")), qPrintable(c.id + QLatin1String(": hop ") + c.hop));
            for (const QString &ref : c.references)
                QVERIFY2(ref.startsWith(QLatin1String("https://")), qPrintable(ref));
        }
    }

    void treeNamesOnlyKnownCauses()
    {
        const dd::CauseCatalog catalog = dd::CauseCatalog::builtIn();
        const dd::DecisionTree tree = dd::DecisionTree::builtIn();
        QVERIFY(tree.validate().isEmpty());
        const QStringList concluded = tree.concludedCauses();
        QVERIFY(concluded.contains(QStringLiteral("ds-docservice-down")));
        QVERIFY(concluded.contains(QStringLiteral("upstream-refused")));
        QVERIFY(concluded.contains(QStringLiteral("upstream-timeout")));
        QVERIFY(concluded.contains(QStringLiteral("healthcheck-false")));
        QVERIFY(concluded.contains(QString::fromLatin1(dd::kHealthy)));
        for (const QString &id : concluded) {
            if (id == QLatin1String(dd::kHealthy) || id == QLatin1String(dd::kInconclusive) ||
                id == QLatin1String(dd::kCauseFromFact))
                continue;
            QVERIFY2(catalog.contains(id), qPrintable(QStringLiteral("tree names unknown cause ") + id));
        }
    }

    void rejectsMalformedCatalogs_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{") << QStringLiteral("c.json: not a JSON object");
        QTest::newRow("no causes") << QByteArray("{}") << QStringLiteral("field 'causes' must be an array");
        QTest::newRow("bad id") << QByteArray(R"({"causes":[{"id":"Bad Id","title":"t","fix":"f"}]})")
                                << QStringLiteral("causes[0].id 'Bad Id'");
        QTest::newRow("duplicate")
            << QByteArray(R"({"causes":[{"id":"a","title":"t","fix":"f"},{"id":"a","title":"t","fix":"f"}]})")
            << QStringLiteral("causes[1].id 'a' appears twice");
        QTest::newRow("no fix") << QByteArray(R"({"causes":[{"id":"a","title":"t"}]})")
                                << QStringLiteral("cause 'a' needs a title and a fix");
    }
    void rejectsMalformedCatalogs()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        dd::CauseCatalog catalog;
        QString error;
        QVERIFY(!catalog.loadFromData(json, QStringLiteral("c.json"), &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void lookup()
    {
        const dd::CauseCatalog catalog = dd::CauseCatalog::builtIn();
        const dd::Cause *c = catalog.cause(QStringLiteral("ds-docservice-down"));
        QVERIFY(c);
        QCOMPARE(c->id, QStringLiteral("ds-docservice-down"));
        QVERIFY(!catalog.cause(QStringLiteral("no-such-cause")));
    }
};

QTEST_GUILESS_MAIN(TestCauseCatalog)
#include "tst_causecatalog.moc"
