// The view math behind the report's charts and timeline: axis scales, latency collection per
// link and reading a capture's exchange text back into steps.
#include "report/exchangetimeline.h"
#include "report/latencychart.h"

#include <QTest>

class TestReportCharts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void niceScale_data()
    {
        QTest::addColumn<double>("max");
        QTest::addColumn<double>("step");
        QTest::addColumn<double>("top");
        QTest::addColumn<int>("ticks");
        QTest::newRow("nothing measured") << 0.0 << 1.0 << 1.0 << 1;
        QTest::newRow("negative") << -3.0 << 1.0 << 1.0 << 1;
        QTest::newRow("sub-millisecond") << 0.8 << 0.2 << 0.8 << 4;
        QTest::newRow("exact multiple") << 10.0 << 2.0 << 10.0 << 5;
        QTest::newRow("just above") << 31.0 << 10.0 << 40.0 << 4;
        QTest::newRow("4.9 ms") << 4.9 << 1.0 << 5.0 << 5;
        QTest::newRow("a slow upstream") << 12500.0 << 5000.0 << 15000.0 << 3;
    }
    void niceScale()
    {
        QFETCH(double, max);
        QFETCH(double, step);
        QFETCH(double, top);
        QFETCH(int, ticks);
        const dd::AxisScale s = dd::niceScale(max);
        QCOMPARE(s.step, step);
        QCOMPARE(s.top, top);
        QCOMPARE(s.ticks, ticks);
        QVERIFY(s.top >= max);
    }

    void collectsPhasesPerLinkInTopologyOrder()
    {
        dd::Profile p;
        p.publicUrl = QUrl(QStringLiteral("https://docs.example.com/"));
        p.docserverUrl = QUrl(QStringLiteral("http://10.0.0.5:8080/"));
        dd::Diagnosis d;
        d.topology = dd::Topology::fromProfile(p);
        dd::Evidence ds;
        ds.id = QStringLiteral("probe.http.docserver");
        ds.link = QStringLiteral("proxy->dsnginx");
        ds.facts = {{QStringLiteral("docserver.connect_ms"), 0.8},
                    {QStringLiteral("docserver.ttfb_ms"), QVariant()},
                    {QStringLiteral("docserver.total_ms"), 4.9}};
        dd::Evidence pub = ds;
        pub.id = QStringLiteral("probe.http.public");
        pub.link = QStringLiteral("browser->proxy");
        pub.facts = {{QStringLiteral("public.connect_ms"), 1.5}};
        dd::Evidence log = pub; // a log line's timing is not a probe's
        log.source = dd::EvidenceSource::Log;
        dd::Evidence noTiming = pub;
        noTiming.facts = {{QStringLiteral("public.status"), 502}};
        d.evidence = {ds, pub, log, noTiming};
        const QList<dd::LatencyHistorySample> history = {
            {QStringLiteral("proxy->dsnginx"), QDateTime::fromSecsSinceEpoch(20, Qt::UTC), 1.0, -1, 3.0},
            {QStringLiteral("proxy->dsnginx"), QDateTime::fromSecsSinceEpoch(10, Qt::UTC), -1, -1, -1},
            {QStringLiteral("elsewhere"), QDateTime::fromSecsSinceEpoch(10, Qt::UTC), 1.0, -1, -1}};
        const QList<dd::LinkLatency> links = dd::collectLinkLatencies(d, history);
        QCOMPARE(links.size(), 3);
        QCOMPARE(links.at(0).link, QStringLiteral("browser->proxy"));
        QCOMPARE(links.at(0).probes.size(), 1);
        QCOMPARE(links.at(0).probes.first().label, QStringLiteral("public"));
        QCOMPARE(links.at(1).link, QStringLiteral("proxy->dsnginx"));
        const dd::PhaseTiming &t = links.at(1).probes.first();
        QCOMPARE(t.connectMs, 0.8);
        QCOMPARE(t.ttfbMs, -1.0);
        QCOMPARE(t.totalMs, 4.9);
        QCOMPARE(links.at(1).history.size(), 2);
        QVERIFY(!links.at(1).history.first().hasValue()); // sorted by time
        QCOMPARE(links.at(2).link, QStringLiteral("elsewhere"));
        QCOMPARE(dd::medianLatency(links.at(1).history), 3.0); // the total, not the connect time
        QCOMPARE(dd::medianLatency(links.at(2).history), 1.0);
        QCOMPARE(dd::medianLatency({}), -1.0);
    }

    void historyDrawsALinePerMeasuredPhase()
    {
        dd::LinkLatency l;
        l.link = QStringLiteral("proxy->dsnginx");
        const QDateTime t0 = QDateTime::fromSecsSinceEpoch(0, Qt::UTC);
        l.history = {
            {l.link, t0, 0.5, 4.0, 4.5}, {l.link, t0.addSecs(5), -1, -1, -1}, {l.link, t0.addSecs(10), 0.7, 9.0, 9.4}};
        const QString svg = dd::renderHistoryChartSvg(l);
        QCOMPARE(svg.count(QStringLiteral("<polyline")), 3);
        QCOMPARE(svg.count(QStringLiteral("no answer</title>")), 1);
        QVERIFY(svg.contains(QStringLiteral(">00:00:00<")));
        QVERIFY(svg.contains(QStringLiteral(">00:00:10<")));
        QVERIFY(svg.contains(QStringLiteral(">ms</text>")));
        // Only connect measured: one line, one legend entry.
        for (auto &s : l.history) {
            s.ttfbMs = -1;
            s.totalMs = -1;
        }
        const QString connectOnly = dd::renderHistoryChartSvg(l);
        QCOMPARE(connectOnly.count(QStringLiteral("<polyline")), 1);
        QVERIFY(!connectOnly.contains(QStringLiteral(">ttfb<")));
    }

    void timelineFromExchangeText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("steps");
        QTest::newRow("refused upstream")
            << QStringLiteral("client \u2192 proxy 127.0.0.1:8080: GET / answered 502 at 10:02:03.214; proxy \u2192 "
                              "127.0.0.1:8000: SYN answered by RST 0.1 ms earlier")
            << QStringList{QStringLiteral("|client|proxy 127.0.0.1:8080|GET /"),
                           QStringLiteral("|proxy|127.0.0.1:8000|SYN answered by RST 0.1 ms earlier"),
                           QStringLiteral("10:02:03.214|proxy 127.0.0.1:8080|client|answered 502")};
        QTest::newRow("no upstream")
            << QStringLiteral("client \u2192 proxy 10.0.0.1:80: POST /x answered 504 at 10:00:00.000; no upstream "
                              "connection from the proxy in the capture around it")
            << QStringList{QStringLiteral("|client|proxy 10.0.0.1:80|POST /x"),
                           QStringLiteral("|||no upstream connection from the proxy in the capture around it"),
                           QStringLiteral("10:00:00.000|proxy 10.0.0.1:80|client|answered 504")};
        QTest::newRow("not an exchange") << QStringLiteral("something else")
                                         << QStringList{QStringLiteral("|||something else")};
    }
    void timelineFromExchangeText()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, steps);
        QStringList got;
        for (const dd::TimelineStep &s : dd::timelineFromExchangeText(text))
            got << QStringList{s.time, s.from, s.to, s.event}.join(QLatin1Char('|'));
        QCOMPARE(got, steps);
    }

    void sequenceDiagramHasOneLifelinePerParticipant()
    {
        const QList<dd::TimelineStep> steps = dd::timelineFromExchangeText(
            QStringLiteral("client \u2192 proxy 127.0.0.1:8080: GET / answered 502 at 10:02:03.214; proxy \u2192 "
                           "127.0.0.1:8000: SYN answered by RST 0.1 ms earlier"));
        const QString svg = dd::renderSequenceSvg(steps, QStringLiteral("x7"));
        // client, proxy (named with its address once) and the upstream.
        QCOMPARE(svg.count(QStringLiteral("stroke-dasharray")), 3);
        QCOMPARE(svg.count(QStringLiteral(">proxy 127.0.0.1:8080<")), 1);
        QCOMPARE(svg.count(QStringLiteral("marker-end=\"url(#x7-arrow)\"")), 3);
        QVERIFY(svg.contains(QStringLiteral("<marker id=\"x7-arrow\"")));
    }
};

QTEST_GUILESS_MAIN(TestReportCharts)
#include "tst_reportcharts.moc"
