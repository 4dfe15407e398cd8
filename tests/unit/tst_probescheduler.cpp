#include "model/profile.h"
#include "probe/linkhistory.h"
#include "probe/probescheduler.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using dd::LinkHistory;
using dd::LinkSample;

namespace {

LinkSample sample(int n, double latency, dd::ProbeOutcome outcome = dd::ProbeOutcome::Ok)
{
    LinkSample s;
    s.linkId = QStringLiteral("proxy->dsnginx");
    s.summary = QString::number(n);
    s.latencyMs = latency;
    s.outcome = outcome;
    return s;
}

QStringList summaries(const LinkHistory &history)
{
    QStringList list;
    const QList<LinkSample> samples = history.samples();
    for (const LinkSample &s : samples)
        list.append(s.summary);
    return list;
}

} // namespace

class TestProbeScheduler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void historyIsABoundedRing_data();
    void historyIsABoundedRing();
    void historyStatistics();
    void shrinkingKeepsTheNewest();
    void probesForAProfile();
    void samplesALiveLink();
    void aDeadHostNeverPilesUp();
    void stopIsFinal();
};

void TestProbeScheduler::historyIsABoundedRing_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("appended");
    QTest::addColumn<QStringList>("kept");

    QTest::newRow("under capacity") << 4 << 3
                                    << QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")};
    QTest::newRow("exactly full") << 3 << 3
                                  << QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")};
    QTest::newRow("wrapped") << 3 << 5 << QStringList{QStringLiteral("3"), QStringLiteral("4"), QStringLiteral("5")};
    QTest::newRow("wrapped twice") << 2 << 7 << QStringList{QStringLiteral("6"), QStringLiteral("7")};
}

void TestProbeScheduler::historyIsABoundedRing()
{
    QFETCH(int, capacity);
    QFETCH(int, appended);
    QFETCH(QStringList, kept);

    LinkHistory history(capacity);
    for (int i = 1; i <= appended; ++i)
        history.append(sample(i, i));
    QCOMPARE(history.size(), kept.size());
    QVERIFY(history.size() <= history.capacity());
    QCOMPARE(summaries(history), kept);
    QCOMPARE(history.latest().summary, kept.constLast());
    QCOMPARE(history.at(0).summary, kept.constFirst());
}

void TestProbeScheduler::historyStatistics()
{
    LinkHistory history(10);
    QCOMPARE(history.medianLatencyMs(), -1.0);
    history.append(sample(1, 4));
    history.append(sample(2, -1, dd::ProbeOutcome::TimedOut));
    history.append(sample(3, 1));
    history.append(sample(4, 3, dd::ProbeOutcome::Refused));
    QCOMPARE(history.medianLatencyMs(), 3.0);
    history.append(sample(5, 2));
    QCOMPARE(history.medianLatencyMs(), 2.5);
    QCOMPARE(history.failureCount(), 2);
}

void TestProbeScheduler::shrinkingKeepsTheNewest()
{
    LinkHistory history(5);
    for (int i = 1; i <= 7; ++i)
        history.append(sample(i, i));
    history.setCapacity(2);
    QCOMPARE(summaries(history), (QStringList{QStringLiteral("6"), QStringLiteral("7")}));
    history.append(sample(8, 8));
    QCOMPARE(summaries(history), (QStringList{QStringLiteral("7"), QStringLiteral("8")}));
}

void TestProbeScheduler::probesForAProfile()
{
    dd::Profile profile;
    profile.publicUrl = QUrl(QStringLiteral("https://office.example.test/ds/"));
    profile.proxyKind = QStringLiteral("nginx");
    profile.docserverUrl = QUrl(QStringLiteral("http://127.0.0.1:8080"));
    profile.docserviceHost = QStringLiteral("::1");
    profile.docservicePort = 8000;
    profile.connectTimeoutMs = 1000;
    const QList<dd::ScheduledProbe> probes = dd::scheduledProbesFor(profile);
    QCOMPARE(probes.size(), 3);
    QCOMPARE(probes.at(0).linkId, QStringLiteral("browser->proxy"));
    QCOMPARE(probes.at(0).spec.target, QStringLiteral("https://office.example.test/ds/healthcheck"));
    QCOMPARE(probes.at(1).linkId, QStringLiteral("proxy->dsnginx"));
    QCOMPARE(probes.at(1).spec.target, QStringLiteral("http://127.0.0.1:8080/healthcheck"));
    QCOMPARE(probes.at(2).linkId, QStringLiteral("dsnginx->docservice"));
    QCOMPARE(probes.at(2).spec.kind, dd::ProbeKind::Tcp);
    QCOMPARE(probes.at(2).spec.target, QStringLiteral("[::1]:8000"));
    QCOMPARE(probes.at(2).spec.connectTimeoutMs, 1000);
    for (const dd::ScheduledProbe &probe : probes)
        QVERIFY2(dd::validateProbeSpec(probe.spec).isEmpty(), qPrintable(dd::validateProbeSpec(probe.spec)));
}

void TestProbeScheduler::samplesALiveLink()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Tcp;
    spec.target = QStringLiteral("127.0.0.1:%1").arg(server.serverPort());
    dd::ProbeScheduler scheduler;
    scheduler.setProbes({{QStringLiteral("dsnginx->docservice"), spec}});
    scheduler.setInterval(30);
    scheduler.setHistoryCapacity(3);
    QSignalSpy samples(&scheduler, &dd::ProbeScheduler::sampleAvailable);
    QSignalSpy results(&scheduler, &dd::ProbeScheduler::resultAvailable);
    scheduler.start();
    QVERIFY(samples.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(samples.size() >= 5, 5000);
    scheduler.stop();
    const LinkSample first = samples.at(0).at(0).value<LinkSample>();
    QCOMPARE(first.linkId, QStringLiteral("dsnginx->docservice"));
    QCOMPARE(first.kind, QStringLiteral("tcp"));
    QCOMPARE(first.outcome, dd::ProbeOutcome::Ok);
    QCOMPARE(first.health, dd::Health::Ok);
    QVERIFY(first.latencyMs >= 0);
    QVERIFY(first.timings.connect >= 0);
    QVERIFY(first.time.isValid());
    QVERIFY(results.size() >= 5);
    const LinkHistory history = scheduler.history(QStringLiteral("dsnginx->docservice"));
    QCOMPARE(history.size(), 3);
    QCOMPARE(scheduler.linkIds(), QStringList{QStringLiteral("dsnginx->docservice")});
}

void TestProbeScheduler::aDeadHostNeverPilesUp()
{
    // Accepts (the kernel completes the handshake) and never answers: every HTTP probe runs
    // into its 300 ms timeout while rounds come every 20 ms.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Http;
    spec.target = QStringLiteral("http://127.0.0.1:%1/healthcheck").arg(silent.serverPort());
    spec.timeoutMs = 300;
    dd::ProbeScheduler scheduler;
    scheduler.setProbes({{QStringLiteral("proxy->dsnginx"), spec}});
    scheduler.setInterval(20);
    QSignalSpy samples(&scheduler, &dd::ProbeScheduler::sampleAvailable);
    QSignalSpy skipped(&scheduler, &dd::ProbeScheduler::probeSkipped);
    int maxInFlight = 0;
    connect(&scheduler, &dd::ProbeScheduler::roundStarted, this,
            [&] { maxInFlight = qMax(maxInFlight, scheduler.inFlight()); });
    scheduler.start();
    QTRY_VERIFY_WITH_TIMEOUT(samples.size() >= 2, 5000);
    scheduler.stop();
    QCOMPARE(maxInFlight, 1);
    QVERIFY2(skipped.size() >= 5, qPrintable(QString::number(skipped.size())));
    QCOMPARE(samples.at(0).at(0).value<LinkSample>().outcome, dd::ProbeOutcome::TimedOut);
    QCOMPARE(samples.at(0).at(0).value<LinkSample>().health, dd::Health::Failed);
}

void TestProbeScheduler::stopIsFinal()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Http;
    spec.target = QStringLiteral("http://127.0.0.1:%1/").arg(silent.serverPort());
    spec.timeoutMs = 200;
    dd::ProbeScheduler scheduler;
    scheduler.setProbes({{QStringLiteral("proxy->dsnginx"), spec}});
    QSignalSpy rounds(&scheduler, &dd::ProbeScheduler::roundStarted);
    QSignalSpy samples(&scheduler, &dd::ProbeScheduler::sampleAvailable);
    scheduler.start();
    QTRY_COMPARE_WITH_TIMEOUT(rounds.size(), 1, 2000);
    QCOMPARE(scheduler.inFlight(), 1);
    scheduler.stop();
    QCOMPARE(scheduler.inFlight(), 0);
    QVERIFY(!scheduler.isRunning());
    // The probe's 200 ms timeout passes: nothing may arrive after stop().
    QVERIFY(!samples.wait(500));
    QCOMPARE(samples.size(), 0);
}

QTEST_GUILESS_MAIN(TestProbeScheduler)
#include "tst_probescheduler.moc"
