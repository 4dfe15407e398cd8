#include "lab/dssimulator.h"
#include "labfixture.h"

#include <QTemporaryDir>
#include <QTest>

// The ConvertService round trip's second half: the fileUrl DS returns is fetched as the storage
// would, and its failures are named. Against Fault Lab stacks (front proxy, DS's own nginx with
// secure_link on /cache/files, the docservice simulator), and the simulator reached under an
// address whose port nothing listens on.
class TestProbeConvertResult : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resultLink_data();
    void resultLink();
    void resultUrlUnreachable();
};

void TestProbeConvertResult::resultLink_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("outcome");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("cause");

    QTest::newRow("healthy") << QStringLiteral("healthy") << QStringLiteral("ok") << 200 << QString();
    QTest::newRow("secure link secrets differ") << QStringLiteral("secure-link-mismatch") << QStringLiteral("ok") << 403
                                                << QStringLiteral("secure-link-mismatch");
}

void TestProbeConvertResult::resultLink()
{
    QFETCH(QString, scenario);
    QFETCH(QString, outcome);
    QFETCH(int, status);
    QFETCH(QString, cause);

    LabFixture lab;
    QString error;
    QVERIFY2(lab.start(scenario, &error), qPrintable(error));
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Docserver;
    spec.target = lab.profile().publicUrl.toString();
    spec.secretFile = lab.profile().jwtSecretFile;
    spec.serveOn = QStringLiteral("127.0.0.1:0");
    spec.timeoutMs = 8000;
    const dd::ProbeResult result = LabFixture::runProbe(spec);
    QVERIFY2(!result.evidence.isEmpty(), qPrintable(result.error));
    const dd::Evidence &convert = result.evidence.constLast();
    QCOMPARE(convert.id, QStringLiteral("probe.docserver.convert"));
    const QVariantMap &facts = convert.facts;
    const QString context = convert.summary + QLatin1Char('\n') + convert.detail;
    // The conversion itself succeeds in every one of these stacks: only its result link differs.
    QVERIFY2(facts.value(QStringLiteral("convert_error")).toInt() == 0 &&
                 facts.value(QStringLiteral("fetched")).toBool(),
             qPrintable(context));
    QVERIFY2(facts.value(QStringLiteral("file_url")).toString().contains(QStringLiteral("/cache/files/")),
             qPrintable(context));
    QCOMPARE(facts.value(QStringLiteral("result_outcome")).toString(), outcome);
    QCOMPARE(facts.value(QStringLiteral("result_status")).toInt(), status);
    QCOMPARE(facts.value(QStringLiteral("result_cause")).toString(), cause);
    QCOMPARE(facts.value(QStringLiteral("result_cause")).isNull(), cause.isEmpty());
    QVERIFY(facts.value(QStringLiteral("result_ms")).toDouble() >= 0);
    QVERIFY2(convert.summary.contains(QStringLiteral("; result GET ")), qPrintable(convert.summary));
    if (cause.isEmpty()) {
        // The simulator's "conversion" stores the source as the result: the .docx we served.
        QCOMPARE(facts.value(QStringLiteral("result_bytes")).toLongLong(),
                 facts.value(QStringLiteral("served_bytes")).toLongLong());
        QCOMPARE(convert.health, dd::Health::Ok);
    } else {
        QCOMPARE(convert.health, dd::Health::Failed);
        QVERIFY2(convert.detail.contains(QStringLiteral("secure_link")), qPrintable(convert.detail));
    }
}

void TestProbeConvertResult::resultUrlUnreachable()
{
    // Document Server builds the fileUrl from the Host its request came with. Reached through
    // --connect-to while the URL names a port where nothing listens (a proxy that publishes DS
    // under an address the storage cannot reach), the link points there.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    dd::DocserviceConfig config;
    config.allowPrivateIpAddress = true;
    config.cacheDir = dir.path();
    dd::DsSimulator ds;
    ds.setConfig(config);
    QString error;
    QVERIFY2(ds.listen(0, &error), qPrintable(error));
    const quint16 deadPort = LabFixture::freePort();
    QVERIFY(deadPort != 0);
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Docserver;
    spec.target = QStringLiteral("http://127.0.0.1:%1/").arg(deadPort);
    spec.connectTo = QStringLiteral("127.0.0.1:%1").arg(ds.port());
    spec.serveOn = QStringLiteral("127.0.0.1:0");
    spec.timeoutMs = 8000;
    const dd::ProbeResult result = LabFixture::runProbe(spec);
    ds.close();
    QVERIFY2(!result.evidence.isEmpty(), qPrintable(result.error));
    const dd::Evidence &convert = result.evidence.constLast();
    const QVariantMap &facts = convert.facts;
    QVERIFY2(facts.value(QStringLiteral("convert_error")).toInt() == 0 &&
                 facts.value(QStringLiteral("fetched")).toBool(),
             qPrintable(convert.summary + QLatin1Char('\n') + convert.detail));
    QVERIFY2(facts.value(QStringLiteral("file_url"))
                 .toString()
                 .startsWith(QStringLiteral("http://127.0.0.1:%1/cache/files/").arg(deadPort)),
             qPrintable(facts.value(QStringLiteral("file_url")).toString()));
    QCOMPARE(facts.value(QStringLiteral("result_outcome")).toString(), QStringLiteral("refused"));
    QVERIFY(!facts.value(QStringLiteral("result_status")).isValid());
    QCOMPARE(facts.value(QStringLiteral("result_cause")).toString(),
             QStringLiteral("ds-result-url-unreachable-from-storage"));
    QCOMPARE(convert.health, dd::Health::Failed);
    QVERIFY2(convert.detail.contains(QStringLiteral("X-Forwarded")), qPrintable(convert.detail));
}

QTEST_GUILESS_MAIN(TestProbeConvertResult)
#include "tst_probe_convertresult.moc"
