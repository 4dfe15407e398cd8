// Failing exchanges: the upstream connections a proxy opened around each 5xx, the cause the
// packets decide, the timeline; and their conversion to evidence and JSON.
#include "../data/capture/packetbuilder.h"

#include "capture/captureanalyzer.h"
#include "capture/captureevidence.h"
#include "capture/capturejson.h"
#include "report/exchangetimeline.h"

#include <QJsonArray>
#include <QTest>
#include <QTextStream>

using namespace capturetest;
using Side = capturetest::TcpScript;

Q_DECLARE_METATYPE(QList<capturetest::Packet>)

namespace {

constexpr qint64 us = 1000;

dd::CaptureAnalysis analyze(const QList<Packet> &packets, const dd::CaptureOptions &options = dd::CaptureOptions())
{
    dd::CaptureAnalyzer analyzer(options);
    const QByteArray file = pcapFile(1, packets);
    analyzer.feed(file.constData(), file.size());
    analyzer.finish();
    return analyzer.result();
}

/// client → proxy :8080 "GET /healthcheck", answered `status` at `responseAt` (from t0).
QList<Packet> front(int status, qint64 responseAt, const QByteArray &method = "GET /healthcheck")
{
    TcpScript s(Link::Ethernet, localhost(), 50000, localhost(), 8080, t0);
    s.handshake();                                                              // SYN +100 us, SYN-ACK +200, ACK +300
    s.send(Side::Client, method + " HTTP/1.1\r\nHost: ds.example.com\r\n\r\n"); // +400 us
    const QByteArray reason = status == 502 ? "Bad Gateway" : status == 504 ? "Gateway Time-out" : "OK";
    s.send(Side::Server, "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\nContent-Length: 0\r\n\r\n",
           responseAt - s.now() + t0);
    return s.packets;
}

/// The proxy's connection to 127.0.0.1:8000, starting `startAt` after t0.
TcpScript upstream(qint64 startAt, quint16 clientPort = 46000)
{
    return TcpScript(Link::Ethernet, localhost(), clientPort, localhost(), 8000, t0 + startAt, 100 * us);
}

const QByteArray upstreamRequest = "GET /healthcheck HTTP/1.0\r\nHost: ds\r\n\r\n";

} // namespace

class TestCaptureExchange : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void causes_data();
    void causes();
    void timelineText();
    void events();
    void chainedProxies();
    void keepAliveUpstream();
    void unrelatedConnectionsAreIgnored();
    void otherRequestsUpstreamsAreDropped();
    void ordinaryUpstreamExchangesAroundFailures_data();
    void ordinaryUpstreamExchangesAroundFailures();
    void evidence();
    void evidenceTimeline();
    void evidenceOfHealthyCapture();
    void json();
};

void TestCaptureExchange::causes_data()
{
    QTest::addColumn<QList<Packet>>("packets");
    QTest::addColumn<QString>("cause");
    QTest::addColumn<QString>("description");

    {
        TcpScript u = upstream(450 * us);
        u.syn();
        u.reset(Side::Server);
        QTest::newRow("refused") << merged({front(502, 700 * us), u.packets}) << QStringLiteral("upstream-refused")
                                 << QStringLiteral("SYN answered by RST 0.050 ms earlier");
    }
    {
        TcpScript u = upstream(450 * us);
        u.syn();
        u.syn(1000000 * us);
        QTest::newRow("unanswered SYNs, 504")
            << merged({front(504, 2000000 * us), u.packets}) << QStringLiteral("backend-unreachable-network")
            << QStringLiteral("SYN sent 2 time(s), never answered (first 2.00 s earlier)");
    }
    {
        TcpScript u = upstream(450 * us);
        u.handshake();
        u.send(Side::Client, upstreamRequest);
        u.close(Side::Server);
        u.close(Side::Client);
        QTest::newRow("closed before response")
            << merged({front(502, 1500 * us), u.packets}) << QStringLiteral("upstream-prematurely-closed")
            << QStringLiteral("request sent, upstream closed (FIN) with no response byte 0.550 ms earlier");
    }
    {
        TcpScript u = upstream(450 * us);
        u.handshake();
        u.send(Side::Client, upstreamRequest);
        u.reset(Side::Server);
        QTest::newRow("reset after the request")
            << merged({front(502, 1500 * us), u.packets}) << QStringLiteral("upstream-reset")
            << QStringLiteral("request sent, upstream reset (RST) before any response byte 0.550 ms earlier");
    }
    {
        TcpScript u = upstream(450 * us);
        u.handshake();
        u.send(Side::Client, QByteArray("\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00", 10));
        u.send(Side::Server, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        u.close(Side::Server);
        QTest::newRow("TLS to a plain port")
            << merged({front(502, 1500 * us), u.packets}) << QStringLiteral("upstream-scheme-mismatch")
            << QStringLiteral("TLS ClientHello answered with plaintext HTTP 400 0.550 ms earlier");
    }
    {
        TcpScript u = upstream(450 * us);
        u.handshake();
        u.send(Side::Client, upstreamRequest);
        u.close(Side::Client, 60000000 * us);
        QTest::newRow("read timeout, 504")
            << merged({front(504, 61000000 * us), u.packets}) << QStringLiteral("upstream-timeout")
            << QStringLiteral("request sent, no response for 60.00 s; the proxy closed it 999.1 ms earlier");
    }
    {
        TcpScript u = upstream(450 * us);
        u.handshake();
        u.send(Side::Client, upstreamRequest);
        u.send(Side::Server, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        QTest::newRow("upstream fine: not decided")
            << merged({front(502, 2000 * us), u.packets}) << QString()
            << QStringLiteral("GET /healthcheck answered 200 OK 1.05 ms earlier");
    }
}

void TestCaptureExchange::causes()
{
    QFETCH(QList<Packet>, packets);
    QFETCH(QString, cause);
    QFETCH(QString, description);
    const dd::CaptureAnalysis a = analyze(packets);
    QCOMPARE(a.failing.size(), 1);
    const dd::FailingExchange &f = a.failing.at(0);
    QCOMPARE(f.cause, cause);
    QCOMPARE(f.proxy.toString(), QStringLiteral("127.0.0.1:8080"));
    QCOMPARE(f.client.toString(), QStringLiteral("127.0.0.1:50000"));
    QCOMPARE(f.upstreams.size(), 1);
    QCOMPARE(f.upstreams.at(0).upstream.toString(), QStringLiteral("127.0.0.1:8000"));
    QCOMPARE(f.upstreams.at(0).description, description);
    QCOMPARE(f.decisive, cause.isEmpty() ? -1 : 0);
}

void TestCaptureExchange::timelineText()
{
    TcpScript u = upstream(500 * us);
    u.syn(0);
    u.reset(Side::Server);
    const dd::CaptureAnalysis a = analyze(merged({front(502, 700 * us), u.packets}));
    QCOMPARE(a.failing.size(), 1);
    QCOMPARE(a.failing.at(0).text(),
             QStringLiteral("client \u2192 proxy 127.0.0.1:8080: GET /healthcheck answered 502 at 10:02:03.000; "
                            "proxy \u2192 127.0.0.1:8000: SYN answered by RST 0.100 ms earlier"));
}

void TestCaptureExchange::events()
{
    TcpScript u = upstream(450 * us);
    u.handshake();
    u.send(Side::Client, upstreamRequest);
    u.close(Side::Server);
    const dd::CaptureAnalysis a = analyze(merged({front(502, 1500 * us), u.packets}));
    QStringList events;
    for (const dd::TimelineEvent &e : a.failing.at(0).events)
        events << QStringLiteral("%1 %2>%3 %4").arg((e.timeNs - t0) / us).arg(e.from, e.to, e.what);
    QCOMPARE(events, (QStringList{
                         QStringLiteral("400 client>proxy GET /healthcheck"),
                         QStringLiteral("550 proxy>127.0.0.1:8000 SYN"),
                         QStringLiteral("650 127.0.0.1:8000>proxy SYN-ACK"),
                         QStringLiteral("850 proxy>127.0.0.1:8000 GET /healthcheck"),
                         QStringLiteral("950 127.0.0.1:8000>proxy FIN"),
                         QStringLiteral("1500 proxy>client 502 Bad Gateway"),
                     }));
}

void TestCaptureExchange::chainedProxies()
{
    // Front proxy :8080 → DS nginx :8081 → docservice :8000 refused; both proxies answer 502.
    TcpScript hop(Link::Ethernet, localhost(), 46100, localhost(), 8081, t0 + 450 * us, 50 * us);
    hop.handshake();
    hop.send(Side::Client, upstreamRequest); // +650 us
    TcpScript ds = upstream(700 * us);
    ds.syn(0);
    ds.reset(Side::Server, 20 * us);
    hop.send(Side::Server, "HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n", 150 * us);
    const dd::CaptureAnalysis a = analyze(merged({front(502, 1000 * us), hop.packets, ds.packets}));
    QCOMPARE(a.failing.size(), 2);
    for (const dd::FailingExchange &f : a.failing)
        QCOMPARE(f.cause, QStringLiteral("upstream-refused"));
    QCOMPARE(a.failing.at(0).proxy.port, quint16(8080));
    QCOMPARE(a.failing.at(0).upstreams.size(), 2);
    QCOMPARE(a.failing.at(1).proxy.port, quint16(8081));
    QCOMPARE(a.failing.at(1).upstreams.size(), 1);
}

void TestCaptureExchange::keepAliveUpstream()
{
    // The proxy reuses a connection opened long before; the upstream resets it after the request.
    TcpScript u = upstream(-5000000 * us);
    u.handshake();
    u.send(Side::Client, upstreamRequest);
    u.send(Side::Server, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    u.send(Side::Client, upstreamRequest, t0 + 600 * us - u.now()); // after the front request
    u.reset(Side::Server);
    const dd::CaptureAnalysis a = analyze(merged({front(502, 1000 * us), u.packets}));
    QCOMPARE(a.failing.size(), 1);
    QCOMPARE(a.failing.at(0).upstreams.size(), 1);
    QCOMPARE(a.failing.at(0).cause, QStringLiteral("upstream-reset"));
}

void TestCaptureExchange::unrelatedConnectionsAreIgnored()
{
    // Another client of the proxy, and a connection from another host: neither is an upstream.
    TcpScript other(Link::Ethernet, localhost(), 50001, localhost(), 8080, t0 + 450 * us);
    other.syn();
    other.reset(Side::Server);
    TcpScript remote(Link::Ethernet, Address::v4(10, 0, 0, 9), 40000, Address::v4(10, 0, 0, 7), 8000, t0 + 450 * us);
    remote.syn();
    remote.reset(Side::Server);
    const dd::CaptureAnalysis a = analyze(merged({front(502, 1000 * us), other.packets, remote.packets}));
    QCOMPARE(a.failing.size(), 1);
    QVERIFY(a.failing.at(0).upstreams.isEmpty());
    QVERIFY(a.failing.at(0).cause.isEmpty());
    QVERIFY(a.failing.at(0).text().endsWith(
        QLatin1String("; no upstream connection from the proxy in the capture around it")));
}

void TestCaptureExchange::otherRequestsUpstreamsAreDropped()
{
    // A busy proxy: while /healthcheck fails on a refused connect, it forwards another client's
    // /other to a healthy upstream in the same window.
    TcpScript busy = upstream(450 * us, 46001);
    busy.handshake();
    busy.send(Side::Client, "GET /other HTTP/1.0\r\nHost: ds\r\n\r\n");
    busy.send(Side::Server, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    TcpScript refused = upstream(600 * us, 46002);
    refused.syn();
    refused.reset(Side::Server);
    const dd::CaptureAnalysis a = analyze(merged({front(502, 1500 * us), busy.packets, refused.packets}));
    QCOMPARE(a.failing.size(), 1);
    QCOMPARE(a.failing.at(0).upstreams.size(), 1);
    QCOMPARE(a.failing.at(0).upstreams.at(0).upstream.port, quint16(8000));
    QCOMPARE(a.failing.at(0).upstreams.at(0).outcome, dd::TcpOutcome::Refused);
    QCOMPARE(a.failing.at(0).cause, QStringLiteral("upstream-refused"));
}

void TestCaptureExchange::ordinaryUpstreamExchangesAroundFailures_data()
{
    QTest::addColumn<qint64>("answeredAt"); // the busy upstream's 200, from t0
    QTest::addColumn<bool>("inWindow");
    // Ordinary exchanges are not kept beyond the first few; those in a failing exchange's window
    // are, whether they complete before the proxy's 5xx (from the ring) or after it.
    QTest::newRow("before the 502") << qint64(900) << true;
    QTest::newRow("after the 502") << qint64(2500) << true;
    QTest::newRow("outside the window") << qint64(-1) << false;
}

void TestCaptureExchange::ordinaryUpstreamExchangesAroundFailures()
{
    QFETCH(qint64, answeredAt);
    QFETCH(bool, inWindow);
    TcpScript busy = upstream(inWindow ? 450 * us : -900000 * us, 46001);
    busy.handshake();
    busy.send(Side::Client, "GET /other HTTP/1.0\r\nHost: ds\r\n\r\n");
    const qint64 answer = inWindow ? t0 + answeredAt * us : t0 - 800000 * us;
    busy.send(Side::Server, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", answer - busy.now());
    TcpScript refused = upstream(600 * us, 46002);
    refused.syn();
    refused.reset(Side::Server);
    dd::CaptureOptions options;
    options.maxOrdinaryExchanges = 0;
    const dd::CaptureAnalysis a = analyze(merged({front(502, 1500 * us), busy.packets, refused.packets}), options);
    QStringList targets;
    for (const dd::HttpExchange &x : a.exchanges)
        targets << x.target;
    QCOMPARE(targets.contains(QStringLiteral("/other")), inWindow);
    QCOMPARE(a.unstoredExchanges, inWindow ? 0 : 1);
    QCOMPARE(a.failing.size(), 1);
    // The connection that carried another client's request is not one of this exchange's attempts.
    QCOMPARE(a.failing.at(0).upstreams.size(), 1);
    QCOMPARE(a.failing.at(0).upstreams.at(0).outcome, dd::TcpOutcome::Refused);
}

void TestCaptureExchange::evidence()
{
    QList<QList<Packet>> parts;
    for (int i = 0; i < 3; ++i) {
        const qint64 offset = i * 10000 * us;
        TcpScript f(Link::Ethernet, localhost(), quint16(50000 + i), localhost(), 8080, t0 + offset);
        f.handshake();
        f.send(Side::Client, "GET / HTTP/1.1\r\n\r\n");
        TcpScript u(Link::Ethernet, localhost(), quint16(46000 + i), localhost(), 8000, f.now() + 50 * us);
        u.syn();
        u.reset(Side::Server);
        f.send(Side::Server, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n", 300 * us);
        parts << f.packets << u.packets;
    }
    const dd::CaptureAnalysis a = analyze(merged(parts));
    const dd::EvidenceList list = dd::captureEvidence(a);
    QCOMPARE(list.size(), 2); // the summary, and the three exchanges folded into one item
    const dd::Evidence &summary = list.at(0);
    QCOMPARE(summary.source, dd::EvidenceSource::Capture);
    QCOMPARE(summary.id, QStringLiteral("capture.summary"));
    QCOMPARE(summary.health, dd::Health::Failed);
    QCOMPARE(summary.facts.value(QStringLiteral("capture.refused_syns")).toLongLong(), 3);
    QCOMPARE(summary.facts.value(QStringLiteral("capture.unanswered_syns")).toLongLong(), 0);
    QCOMPARE(summary.facts.value(QStringLiteral("capture.http_5xx")).toLongLong(), 3);
    QCOMPARE(summary.facts.value(QStringLiteral("capture.http_502")).toLongLong(), 3);
    QCOMPARE(summary.facts.value(QStringLiteral("capture.cause")).toString(), QStringLiteral("upstream-refused"));
    QVERIFY(!summary.facts.contains(QStringLiteral("cause")));
    const dd::Evidence &exchange = list.at(1);
    QCOMPARE(exchange.kind, QStringLiteral("capture-exchange"));
    QCOMPARE(exchange.facts.value(QStringLiteral("cause")).toString(), QStringLiteral("upstream-refused"));
    QCOMPARE(exchange.facts.value(QStringLiteral("capture.count")).toLongLong(), 3);
    QCOMPARE(exchange.facts.value(QStringLiteral("capture.upstream")).toString(), QStringLiteral("127.0.0.1:8000"));
    QCOMPARE(exchange.facts.value(QStringLiteral("capture.upstream_outcome")).toString(), QStringLiteral("refused"));
    QCOMPARE(exchange.excerpt, a.failing.at(0).text());
    QCOMPARE(exchange.time.toMSecsSinceEpoch(), a.failing.at(0).exchange.responseNs / 1000000);
}

void TestCaptureExchange::evidenceTimeline()
{
    // The report draws the sequence diagram from the events as data, not from the text.
    TcpScript u = upstream(450 * us);
    u.handshake();
    u.send(Side::Client, upstreamRequest);
    u.close(Side::Server);
    const dd::CaptureAnalysis a = analyze(merged({front(502, 1500 * us), u.packets}));
    const dd::EvidenceList list = dd::captureEvidence(a);
    QCOMPARE(list.size(), 2);
    const dd::Evidence &exchange = list.at(1);
    const QVariantList timeline = exchange.facts.value(QStringLiteral("capture.timeline")).toList();
    QCOMPARE(timeline.size(), a.failing.at(0).events.size());
    const QVariantMap first = timeline.at(0).toMap();
    QCOMPARE(first.value(QStringLiteral("time")).toString(), dd::formatCaptureTimeIso(t0 + 400 * us));
    QCOMPARE(first.value(QStringLiteral("from")).toString(), QStringLiteral("client"));
    QCOMPARE(first.value(QStringLiteral("what")).toString(), QStringLiteral("GET /healthcheck"));
    QStringList steps;
    for (const dd::TimelineStep &s : dd::timelineOfEvidence(exchange))
        steps << QStringLiteral("%1 %2>%3 %4").arg(s.time, s.from, s.to, s.event);
    QCOMPARE(steps, (QStringList{
                        QStringLiteral("10:02:03.000 client>proxy GET /healthcheck"),
                        QStringLiteral("10:02:03.000 proxy>127.0.0.1:8000 SYN"),
                        QStringLiteral("10:02:03.000 127.0.0.1:8000>proxy SYN-ACK"),
                        QStringLiteral("10:02:03.000 proxy>127.0.0.1:8000 GET /healthcheck"),
                        QStringLiteral("10:02:03.000 127.0.0.1:8000>proxy FIN"),
                        QStringLiteral("10:02:03.001 proxy>client 502 Bad Gateway"),
                    }));
    // The report's sequence diagram draws every one of those arrows.
    dd::Diagnosis d;
    d.evidence = list;
    QString html;
    QTextStream out(&html);
    dd::writeFailingExchangeSection(d, out);
    out.flush();
    QVERIFY(html.contains(QLatin1String("at the packets' times")));
    QCOMPARE(html.count(QLatin1String("marker-end=")), steps.size());
    QVERIFY(html.contains(QLatin1String(">SYN-ACK</text>")));
    // Evidence saved before the timeline was a fact still draws from its text.
    dd::Evidence old = exchange;
    old.facts.remove(QStringLiteral("capture.timeline"));
    QCOMPARE(dd::timelineOfEvidence(old).constFirst().event, QStringLiteral("GET /healthcheck"));
    QCOMPARE(dd::timelineOfEvidence(old).constLast().event, QStringLiteral("answered 502"));
}

void TestCaptureExchange::evidenceOfHealthyCapture()
{
    const dd::CaptureAnalysis a = analyze(front(200, 700 * us));
    QVERIFY(a.failing.isEmpty());
    const dd::EvidenceList list = dd::captureEvidence(a);
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).health, dd::Health::Ok);
    QCOMPARE(list.at(0).facts.value(QStringLiteral("capture.http_5xx")).toLongLong(), 0);
    QVERIFY(!list.at(0).facts.contains(QStringLiteral("capture.cause")));
    QCOMPARE(list.at(0).latencyMs, 0.1);
}

void TestCaptureExchange::json()
{
    TcpScript u = upstream(500 * us);
    u.syn(0);
    u.reset(Side::Server);
    const dd::CaptureAnalysis a = analyze(merged({front(502, 700 * us), u.packets}));
    const QJsonObject o = dd::captureAnalysisToJson(a);
    QCOMPARE(o.value(QStringLiteral("schema")).toString(), QStringLiteral("docserver-doctor.capture/1"));
    QCOMPARE(o.value(QStringLiteral("flows")).toInt(), 2);
    QCOMPARE(o.value(QStringLiteral("tcp"))
                 .toObject()
                 .value(QStringLiteral("outcomes"))
                 .toObject()
                 .value(QStringLiteral("refused"))
                 .toInt(),
             1);
    QCOMPARE(o.value(QStringLiteral("http"))
                 .toObject()
                 .value(QStringLiteral("status"))
                 .toObject()
                 .value(QStringLiteral("502"))
                 .toInt(),
             1);
    const QJsonObject f = o.value(QStringLiteral("failing_exchanges")).toArray().at(0).toObject();
    QCOMPARE(f.value(QStringLiteral("cause")).toString(), QStringLiteral("upstream-refused"));
    QCOMPARE(f.value(QStringLiteral("text")).toString(), a.failing.at(0).text());
    QCOMPARE(
        f.value(QStringLiteral("upstreams")).toArray().at(0).toObject().value(QStringLiteral("outcome")).toString(),
        QStringLiteral("refused"));
    QCOMPARE(o.value(QStringLiteral("problem_conversations")).toArray().size(), 1);
    QVERIFY(o.value(QStringLiteral("problems")).toBool());
    QVERIFY(!o.contains(QStringLiteral("conversations")));
    dd::CaptureJsonOptions all;
    all.allConversations = true;
    QCOMPARE(dd::captureAnalysisToJson(a, all).value(QStringLiteral("conversations")).toArray().size(), 2);
}

QTEST_GUILESS_MAIN(TestCaptureExchange)
#include "tst_captureexchange.moc"
