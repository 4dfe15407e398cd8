#include "probe/activeprobe.h"
#include "probe/dnsprobe.h"

#include <QSignalSpy>
#include <QTest>

#include <netdb.h>

#include <memory>

using dd::ProbeResult;

namespace {

ProbeResult run(const QString &name)
{
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Dns;
    spec.target = name;
    spec.timeoutMs = 5000;
    std::unique_ptr<dd::ActiveProbe> probe(dd::createProbe(dd::ProbeKind::Dns));
    QSignalSpy spy(probe.get(), &dd::ActiveProbe::finished);
    probe->start(spec);
    if (!spy.wait(10000))
        return ProbeResult();
    return spy.at(0).at(0).value<ProbeResult>();
}

} // namespace

// Only names that never leave this machine are resolved here: address literals and localhost
// (the hosts file). Failures are tested on the classification of synthetic getaddrinfo codes.
class TestDnsProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classifiesGetaddrinfoErrors_data();
    void classifiesGetaddrinfoErrors();
    void resolvesLiterals_data();
    void resolvesLiterals();
    void resolvesLocalhost();
    void rejectsBadNames_data();
    void rejectsBadNames();
};

void TestDnsProbe::classifiesGetaddrinfoErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("errorClass");

    QTest::newRow("ok") << 0 << QStringLiteral("ok");
    QTest::newRow("EAI_NONAME") << int(EAI_NONAME) << QStringLiteral("not-found");
    QTest::newRow("EAI_AGAIN") << int(EAI_AGAIN) << QStringLiteral("temporary");
    QTest::newRow("EAI_FAIL") << int(EAI_FAIL) << QStringLiteral("failed");
    QTest::newRow("EAI_SYSTEM") << int(EAI_SYSTEM) << QStringLiteral("system");
#ifdef EAI_NODATA
    QTest::newRow("EAI_NODATA") << int(EAI_NODATA) << QStringLiteral("no-address");
#endif
    QTest::newRow("EAI_MEMORY") << int(EAI_MEMORY) << QStringLiteral("other");
}

void TestDnsProbe::classifiesGetaddrinfoErrors()
{
    QFETCH(int, status);
    QFETCH(QString, errorClass);
    QCOMPARE(dd::DnsProbe::errorClass(status), errorClass);
}

void TestDnsProbe::resolvesLiterals_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("ipv6");

    QTest::newRow("IPv4") << QStringLiteral("127.0.0.1") << QStringLiteral("127.0.0.1") << false;
    QTest::newRow("IPv6") << QStringLiteral("::1") << QStringLiteral("::1") << true;
}

void TestDnsProbe::resolvesLiterals()
{
    QFETCH(QString, name);
    QFETCH(QString, address);
    QFETCH(bool, ipv6);

    const ProbeResult result = run(name);
    QCOMPARE(result.outcome, dd::ProbeOutcome::Ok);
    QCOMPARE(result.evidence.size(), 1);
    const QVariantMap facts = result.evidence.constFirst().facts;
    QCOMPARE(facts.value(QStringLiteral("addresses")).toStringList(), QStringList{address});
    QCOMPARE(facts.value(ipv6 ? QStringLiteral("ipv6") : QStringLiteral("ipv4")).toStringList(), QStringList{address});
    QCOMPARE(facts.value(QStringLiteral("loopback_only")).toBool(), true);
    QCOMPARE(facts.value(QStringLiteral("dual_loopback")).toBool(), false);
    QVERIFY(result.timings.dns >= 0);
    QVERIFY(result.isHealthy());
}

void TestDnsProbe::resolvesLocalhost()
{
    const dd::AddressLookup lookup = dd::DnsProbe::lookUp(QStringLiteral("localhost"));
    QCOMPARE(lookup.status, 0);
    const ProbeResult result = run(QStringLiteral("localhost"));
    QCOMPARE(result.outcome, dd::ProbeOutcome::Ok);
    const QVariantMap facts = result.evidence.constFirst().facts;
    // Whatever the hosts file says, the probe reports exactly what getaddrinfo returned.
    QCOMPARE(facts.value(QStringLiteral("addresses")).toStringList(), lookup.addresses);
    const bool both =
        lookup.addresses.contains(QStringLiteral("::1")) && lookup.addresses.contains(QStringLiteral("127.0.0.1"));
    QCOMPARE(facts.value(QStringLiteral("dual_loopback")).toBool(), both);
    QCOMPARE(result.evidence.constFirst().detail.contains(QStringLiteral("both ::1 and 127.0.0.1")), both);
}

void TestDnsProbe::rejectsBadNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << QString();
    QTest::newRow("blank inside") << QStringLiteral("a b");
    QTest::newRow("a URL") << QStringLiteral("http://x/");
}

void TestDnsProbe::rejectsBadNames()
{
    QFETCH(QString, name);
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Dns;
    spec.target = name;
    QVERIFY(!dd::validateProbeSpec(spec).isEmpty());
}

QTEST_GUILESS_MAIN(TestDnsProbe)
#include "tst_dnsprobe.moc"
