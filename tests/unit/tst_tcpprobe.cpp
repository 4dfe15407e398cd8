#include "probe/probeevidence.h"
#include "probe/tcpprobe.h"

#include <QNetworkInterface>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using dd::ProbeOutcome;
using dd::TcpProbe;
using dd::TcpProbeResult;

namespace {

// A port nobody listens on: bound once to get it from the kernel, then released.
quint16 closedPort(const QHostAddress &address = QHostAddress(QHostAddress::LocalHost))
{
    QTcpServer server;
    if (!server.listen(address, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

bool hasIpv6Loopback()
{
    return QNetworkInterface::allAddresses().contains(QHostAddress(QHostAddress::LocalHostIPv6));
}

TcpProbeResult runProbe(const QString &host, quint16 port, int timeoutMs = 3000)
{
    TcpProbe probe;
    QSignalSpy spy(&probe, &TcpProbe::finished);
    probe.start(host, port, timeoutMs);
    if (!spy.wait(timeoutMs + 5000))
        return TcpProbeResult();
    return spy.at(0).at(0).value<TcpProbeResult>();
}

const dd::TcpAttempt *attemptFor(const TcpProbeResult &result, const QString &address)
{
    for (const dd::TcpAttempt &attempt : result.attempts) {
        if (attempt.address == address)
            return &attempt;
    }
    return nullptr;
}

} // namespace

class TestTcpProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connects();
    void refused();
    void localhostTriesBothFamilies_data();
    void localhostTriesBothFamilies();
    void rejectsBadInput();
    void cancels();
    void mayBeDeletedInItsFinishedHandler();
    void restartDropsTheEarlierRun();
    void evidence();
};

void TestTcpProbe::connects()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    const TcpProbeResult result = runProbe(QStringLiteral("127.0.0.1"), server.serverPort());
    QCOMPARE(result.outcome, ProbeOutcome::Ok);
    QVERIFY(result.error.isEmpty());
    QCOMPARE(result.attempts.size(), 1);
    QCOMPARE(result.attempts.at(0).address, QStringLiteral("127.0.0.1"));
    QCOMPARE(result.attempts.at(0).outcome, ProbeOutcome::Ok);
    QVERIFY(result.connectMs >= 0);
    QVERIFY(result.connectMs < 1000);
    QCOMPARE(result.connectMs, result.attempts.at(0).connectMs);
    QVERIFY(result.dnsMs >= 0);

    const QVariantMap facts = result.facts();
    QCOMPARE(facts.value(QStringLiteral("outcome")).toString(), QStringLiteral("ok"));
    QCOMPARE(facts.value(QStringLiteral("addresses")).toStringList(), QStringList{QStringLiteral("127.0.0.1")});
    QVERIFY(facts.value(QStringLiteral("failed_addresses")).toStringList().isEmpty());
    QVERIFY(facts.value(QStringLiteral("connect_ms")).toDouble() >= 0);
}

void TestTcpProbe::refused()
{
    const quint16 port = closedPort();
    QVERIFY(port != 0);

    const TcpProbeResult result = runProbe(QStringLiteral("127.0.0.1"), port);
    QCOMPARE(result.outcome, ProbeOutcome::Refused);
    QCOMPARE(result.attempts.size(), 1);
    QCOMPARE(result.attempts.at(0).outcome, ProbeOutcome::Refused);
    QCOMPARE(result.connectMs, -1.0);
    QVERIFY2(result.error.contains(QStringLiteral("127.0.0.1:%1").arg(port)), qPrintable(result.error));
    QCOMPARE(result.facts().value(QStringLiteral("outcome")).toString(), QStringLiteral("refused"));
    QCOMPARE(result.facts().value(QStringLiteral("failed_addresses")).toStringList(),
             QStringList{QStringLiteral("127.0.0.1")});
}

void TestTcpProbe::localhostTriesBothFamilies_data()
{
    QTest::addColumn<bool>("listenV4");
    QTest::addColumn<bool>("listenV6");
    QTest::addColumn<ProbeOutcome>("expected");
    QTest::addColumn<ProbeOutcome>("v4");
    QTest::addColumn<ProbeOutcome>("v6");

    QTest::newRow("IPv4 listener only") << true << false << ProbeOutcome::Ok << ProbeOutcome::Ok
                                        << ProbeOutcome::Refused;
    QTest::newRow("IPv6 listener only") << false << true << ProbeOutcome::Ok << ProbeOutcome::Refused
                                        << ProbeOutcome::Ok;
    QTest::newRow("both") << true << true << ProbeOutcome::Ok << ProbeOutcome::Ok << ProbeOutcome::Ok;
    // The first address tried is ::1, so its failure is the one reported.
    QTest::newRow("neither") << false << false << ProbeOutcome::Refused << ProbeOutcome::Refused
                             << ProbeOutcome::Refused;
}

void TestTcpProbe::localhostTriesBothFamilies()
{
    QFETCH(bool, listenV4);
    QFETCH(bool, listenV6);
    QFETCH(ProbeOutcome, expected);
    QFETCH(ProbeOutcome, v4);
    QFETCH(ProbeOutcome, v6);
    if (!hasIpv6Loopback())
        QSKIP("this machine has no ::1");

    QTcpServer v6Server;
    QVERIFY(v6Server.listen(QHostAddress::LocalHostIPv6, 0));
    const quint16 port = v6Server.serverPort();
    if (!listenV6)
        v6Server.close();
    QTcpServer v4Server;
    if (listenV4)
        QVERIFY2(v4Server.listen(QHostAddress::LocalHost, port), qPrintable(v4Server.errorString()));

    const TcpProbeResult result = runProbe(QStringLiteral("localhost"), port);
    QCOMPARE(result.attempts.size(), 2);
    QCOMPARE(result.attempts.at(0).address, QStringLiteral("::1"));
    QCOMPARE(result.attempts.at(1).address, QStringLiteral("127.0.0.1"));
    QCOMPARE(result.outcome, expected);
    QCOMPARE(attemptFor(result, QStringLiteral("127.0.0.1"))->outcome, v4);
    QCOMPARE(attemptFor(result, QStringLiteral("::1"))->outcome, v6);
    QCOMPARE(result.facts().value(QStringLiteral("addresses")).toStringList(),
             (QStringList{QStringLiteral("::1"), QStringLiteral("127.0.0.1")}));
}

void TestTcpProbe::rejectsBadInput()
{
    const TcpProbeResult result = runProbe(QStringLiteral("127.0.0.1"), 0);
    QCOMPARE(result.outcome, ProbeOutcome::Error);
    QVERIFY(!result.error.isEmpty());
}

void TestTcpProbe::cancels()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    TcpProbe probe;
    QSignalSpy spy(&probe, &TcpProbe::finished);
    probe.start(QStringLiteral("127.0.0.1"), server.serverPort(), 3000);
    QVERIFY(probe.isRunning());
    probe.cancel();
    QVERIFY(!probe.isRunning());
    QCOMPARE(spy.count(), 0); // reported from the event loop, not from inside cancel()
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 5000);
    QCOMPARE(spy.at(0).at(0).value<TcpProbeResult>().outcome, ProbeOutcome::Cancelled);
    probe.cancel(); // no second report
    QCoreApplication::sendPostedEvents();
    QCOMPARE(spy.count(), 1);
}

void TestTcpProbe::mayBeDeletedInItsFinishedHandler()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    auto *probe = new TcpProbe;
    int reports = 0;
    ProbeOutcome outcome = ProbeOutcome::Error;
    connect(probe, &TcpProbe::finished, this, [&](const TcpProbeResult &result) {
        ++reports;
        outcome = result.outcome;
        delete probe;
    });
    probe->start(QStringLiteral("127.0.0.1"), server.serverPort(), 3000);
    QTRY_COMPARE_WITH_TIMEOUT(reports, 1, 5000);
    QCOMPARE(outcome, ProbeOutcome::Ok);
}

void TestTcpProbe::restartDropsTheEarlierRun()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const quint16 refusedPort = closedPort();
    TcpProbe probe;
    QSignalSpy spy(&probe, &TcpProbe::finished);
    probe.start(QStringLiteral("127.0.0.1"), refusedPort, 3000);
    probe.start(QStringLiteral("127.0.0.1"), server.serverPort(), 3000);
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 5000);
    const TcpProbeResult result = spy.at(0).at(0).value<TcpProbeResult>();
    QCOMPARE(result.port, server.serverPort());
    QCOMPARE(result.outcome, ProbeOutcome::Ok);
}

void TestTcpProbe::evidence()
{
    TcpProbeResult result;
    result.host = QStringLiteral("localhost");
    result.port = 8000;
    result.outcome = ProbeOutcome::Ok;
    result.connectMs = 0.25;
    result.attempts = {{QStringLiteral("::1"), ProbeOutcome::Refused, -1, QStringLiteral("[::1]:8000: refused")},
                       {QStringLiteral("127.0.0.1"), ProbeOutcome::Ok, 0.25, QString()}};
    const dd::Evidence evidence = dd::tcpEvidence(result);
    QCOMPARE(evidence.kind, QStringLiteral("tcp"));
    QCOMPARE(evidence.health, dd::Health::Degraded);
    QVERIFY2(evidence.summary.contains(QStringLiteral("localhost:8000")), qPrintable(evidence.summary));
    QVERIFY2(evidence.summary.contains(QStringLiteral("::1 refused")), qPrintable(evidence.summary));
    QCOMPARE(evidence.latencyMs, 0.25);
    QVERIFY(evidence.id.isEmpty());
    QVERIFY(evidence.node.isEmpty());
    QCOMPARE(evidence.facts.value(QStringLiteral("failed_addresses")).toStringList(),
             QStringList{QStringLiteral("::1")});

    result.outcome = ProbeOutcome::Refused;
    result.attempts[1].outcome = ProbeOutcome::Refused;
    QCOMPARE(dd::tcpEvidence(result).health, dd::Health::Failed);
}

QTEST_GUILESS_MAIN(TestTcpProbe)
#include "tst_tcpprobe.moc"
