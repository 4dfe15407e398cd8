// HTTP/1.x over reassembled streams: pairing, framing, key headers, timings, WebSocket upgrades,
// garbage and bounded memory.
#include "../data/capture/packetbuilder.h"

#include "capture/captureanalyzer.h"

#include <QTest>

using namespace capturetest;
using Side = capturetest::TcpScript;

namespace {

dd::CaptureAnalysis analyze(const QList<Packet> &packets)
{
    dd::CaptureAnalyzer analyzer;
    const QByteArray file = pcapFile(1, packets);
    analyzer.feed(file.constData(), file.size());
    analyzer.finish();
    return analyzer.result();
}

TcpScript opened()
{
    TcpScript s(Link::Ethernet, localhost(), 40000, localhost(), 8080, t0);
    s.handshake();
    return s;
}

QStringList statusesOf(const dd::CaptureAnalysis &a)
{
    QStringList out;
    for (const dd::HttpExchange &x : a.exchanges)
        out << QStringLiteral("%1 %2 -> %3").arg(x.method, x.target).arg(x.status);
    return out;
}

} // namespace

class TestCaptureHttp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framing_data();
    void framing();
    void keyHeadersAndTiming();
    void headSplitAcrossSegments();
    void interimContinue();
    void websocket_data();
    void websocket();
    void unansweredRequest();
    void responseWithoutRequest();
    void garbageFromClient();
    void garbageFromServer();
    void secretsAreRedacted();
    void errorBodySnippet();
    void storageIsBoundedButCountsAreComplete();
};

void TestCaptureHttp::framing_data()
{
    QTest::addColumn<QList<QByteArray>>("requests");
    QTest::addColumn<QList<QByteArray>>("responses");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("content-length keep-alive")
        << QList<QByteArray>{"GET /a HTTP/1.1\r\nHost: h\r\n\r\n", "GET /b HTTP/1.1\r\nHost: h\r\n\r\n"}
        << QList<QByteArray>{"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                             "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"}
        << QStringList{QStringLiteral("GET /a -> 200"), QStringLiteral("GET /b -> 404")};
    QTest::newRow("pipelined in one segment")
        << QList<QByteArray>{"GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"}
        << QList<QByteArray>{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 503 Service Unavailable\r\n"
                             "Content-Length: 0\r\n\r\n"}
        << QStringList{QStringLiteral("GET /a -> 200"), QStringLiteral("GET /b -> 503")};
    QTest::newRow("chunked response")
        << QList<QByteArray>{"GET /a HTTP/1.1\r\n\r\n", "GET /b HTTP/1.1\r\n\r\n"}
        << QList<QByteArray>{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n10\r\n"
                             "0123456789abcdef\r\n0\r\nX-Trailer: t\r\n\r\n",
                             "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nbad"}
        << QStringList{QStringLiteral("GET /a -> 200"), QStringLiteral("GET /b -> 502")};
    QTest::newRow("request body by content-length")
        << QList<QByteArray>{"POST /upload HTTP/1.1\r\nContent-Length: 11\r\n\r\nGET /fake\r\n",
                             "GET /b HTTP/1.1\r\n\r\n"}
        << QList<QByteArray>{"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
                             "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"}
        << QStringList{QStringLiteral("POST /upload -> 201"), QStringLiteral("GET /b -> 200")};
    QTest::newRow("chunked request body")
        << QList<QByteArray>{"POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nGET \r\n0\r\n\r\n"}
        << QList<QByteArray>{"HTTP/1.1 204 No Content\r\n\r\n"} << QStringList{QStringLiteral("POST /c -> 204")};
    QTest::newRow("HEAD has no body") << QList<QByteArray>{"HEAD /a HTTP/1.1\r\n\r\n", "GET /b HTTP/1.1\r\n\r\n"}
                                      << QList<QByteArray>{"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n",
                                                           "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"}
                                      << QStringList{QStringLiteral("HEAD /a -> 200"), QStringLiteral("GET /b -> 304")};
    QTest::newRow("body until close")
        << QList<QByteArray>{"GET /a HTTP/1.0\r\n\r\n"}
        << QList<QByteArray>{"HTTP/1.0 200 OK\r\n\r\nHTTP/1.1 500 not a response, just body\r\n\r\n"}
        << QStringList{QStringLiteral("GET /a -> 200")};
}

void TestCaptureHttp::framing()
{
    QFETCH(QList<QByteArray>, requests);
    QFETCH(QList<QByteArray>, responses);
    QFETCH(QStringList, expected);
    TcpScript s = opened();
    for (const QByteArray &r : requests)
        s.send(Side::Client, r);
    for (const QByteArray &r : responses)
        s.send(Side::Server, r);
    s.close(Side::Server);
    s.close(Side::Client);
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(statusesOf(a), expected);
    QCOMPARE(a.httpResponses, qint64(expected.size()));
    QCOMPARE(a.unansweredRequests, 0);
}

void TestCaptureHttp::keyHeadersAndTiming()
{
    TcpScript s = opened();
    s.send(Side::Client, "GET /doc/k/c/?EIO=4&transport=polling HTTP/1.1\r\nhost: ds.example.com\r\n"
                         "X-Forwarded-Proto: https\r\nX-Forwarded-Host: office.example.com\r\n"
                         "X-Forwarded-For: 10.0.0.1\r\n\r\n");
    s.send(Side::Server, "HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\nContent-Length: 3\r\n\r\nbad", 1500000);
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(a.exchanges.size(), 1);
    const dd::HttpExchange &x = a.exchanges.at(0);
    QCOMPARE(x.method, QStringLiteral("GET"));
    QCOMPARE(x.target, QStringLiteral("/doc/k/c/?EIO=4&transport=polling"));
    QCOMPARE(x.host, QStringLiteral("ds.example.com"));
    QCOMPARE(x.forwarded, (QStringList{QStringLiteral("X-Forwarded-Proto: https"),
                                       QStringLiteral("X-Forwarded-Host: office.example.com"),
                                       QStringLiteral("X-Forwarded-For: 10.0.0.1")}));
    QCOMPARE(x.status, 502);
    QCOMPARE(x.reason, QStringLiteral("Bad Gateway"));
    QCOMPARE(x.server, QStringLiteral("nginx"));
    QCOMPARE(x.contentLength, 3);
    QCOMPARE(x.timeToFirstByteMs(), 1.5);
    QCOMPARE(x.requestNs, t0 + 400000);
}

void TestCaptureHttp::headSplitAcrossSegments()
{
    TcpScript s = opened();
    const QByteArray request = "GET /split HTTP/1.1\r\nHost: split\r\n\r\n";
    for (char c : request)
        s.send(Side::Client, QByteArray(1, c));
    const QByteArray response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    s.send(Side::Server, response.left(20));
    s.send(Side::Server, response.mid(20));
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(statusesOf(a), QStringList{QStringLiteral("GET /split -> 200")});
    QCOMPARE(a.exchanges.at(0).host, QStringLiteral("split"));
    QCOMPARE(a.exchanges.at(0).requestNs, t0 + 400000); // the first byte's time
}

void TestCaptureHttp::interimContinue()
{
    TcpScript s = opened();
    s.send(Side::Client, "PUT /f HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    s.send(Side::Server, "HTTP/1.1 100 Continue\r\n\r\n");
    s.send(Side::Client, "data");
    s.send(Side::Server, "HTTP/1.1 413 Request Entity Too Large\r\nContent-Length: 0\r\n\r\n");
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(statusesOf(a), QStringList{QStringLiteral("PUT /f -> 413")});
    QVERIFY(!a.statusCounts.contains(100));
}

void TestCaptureHttp::websocket_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<int>("upgrades");
    QTest::addColumn<int>("status");
    QTest::newRow("upgraded") << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                            "Connection: Upgrade\r\n\r\n\x81\x05hello")
                              << 1 << 101;
    QTest::newRow("upgrade headers lost by the proxy")
        << QByteArray("HTTP/1.1 400 Bad Request\r\nContent-Length: 35\r\n\r\n{\"code\":3,\"message\":\"Bad request\"}")
        << 0 << 400;
}

void TestCaptureHttp::websocket()
{
    QFETCH(QByteArray, response);
    QFETCH(int, upgrades);
    QFETCH(int, status);
    TcpScript s = opened();
    s.send(Side::Client, "GET /doc/key/c/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ds\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
    s.send(Side::Server, response);
    s.send(Side::Client, "\x81\x85garbage-after-upgrade");
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(a.websocketRequests, 1);
    QCOMPARE(a.websocketUpgrades, qint64(upgrades));
    QCOMPARE(a.exchanges.at(0).status, status);
    QCOMPARE(a.exchanges.at(0).upgrade, QStringLiteral("websocket"));
    QCOMPARE(a.conversations.at(0).protocol, upgrades ? dd::AppProtocol::WebSocket : dd::AppProtocol::Http);
}

void TestCaptureHttp::unansweredRequest()
{
    TcpScript s = opened();
    s.send(Side::Client, "GET /slow HTTP/1.1\r\n\r\n");
    s.close(Side::Server);
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(a.unansweredRequests, 1);
    QCOMPARE(a.exchanges.size(), 1);
    QCOMPARE(a.exchanges.at(0).status, 0);
    QCOMPARE(a.exchanges.at(0).timeToFirstByteMs(), -1.0);
}

void TestCaptureHttp::responseWithoutRequest()
{
    TcpScript s(Link::Ethernet, localhost(), 40000, localhost(), 8080, t0);
    s.send(Side::Server, "HTTP/1.1 504 Gateway Time-out\r\nContent-Length: 0\r\n\r\n");
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(a.statusCounts.value(504), 1);
    QCOMPARE(a.exchanges.at(0).method, QString());
    QCOMPARE(a.exchanges.at(0).requestLine(), QStringLiteral("(request not captured)"));
}

void TestCaptureHttp::garbageFromClient()
{
    TcpScript s = opened();
    s.send(Side::Client, QByteArray("\x01\x02\x03 binary junk\r\n\r\n", 19));
    s.send(Side::Server, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(a.httpRequests, 0);
    QCOMPARE(a.statusCounts.value(400), 1);
    QCOMPARE(a.warnings.size(), 1);
    QCOMPARE(a.warnings.at(0).kind, QStringLiteral("unknown-protocol"));
}

void TestCaptureHttp::garbageFromServer()
{
    TcpScript s = opened();
    s.send(Side::Client, "GET / HTTP/1.1\r\n\r\n");
    s.send(Side::Server, "SSH-2.0-OpenSSH_9.2\r\n");
    s.send(Side::Client, "GET /again HTTP/1.1\r\n\r\n");
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(a.httpRequests, 2);
    QCOMPARE(a.httpResponses, 0);
    QCOMPARE(a.unansweredRequests, 2);
    bool notHttp = false;
    for (const dd::CaptureWarning &w : a.warnings)
        notHttp |= w.kind == QLatin1String("not-http") && w.message.startsWith(QLatin1String("server sent"));
    QVERIFY(notHttp);
}

void TestCaptureHttp::secretsAreRedacted()
{
    TcpScript s = opened();
    s.send(Side::Client, "GET /cache/files/x?md5=abc&expires=1&token=eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.sig HTTP/1.1\r\n"
                         "Authorization: Bearer secret-value\r\n\r\n");
    s.send(Side::Server, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    const dd::CaptureAnalysis a = analyze(s.packets);
    const QString target = a.exchanges.at(0).target;
    QVERIFY2(!target.contains(QLatin1String("eyJ")) && !target.contains(QLatin1String("abc")), qPrintable(target));
    QVERIFY(target.contains(QLatin1String("expires=1")));
}

void TestCaptureHttp::errorBodySnippet()
{
    TcpScript s = opened();
    s.send(Side::Client, "GET / HTTP/1.1\r\n\r\n");
    s.send(Side::Server, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 50\r\n\r\n<html>\r\n<center>nginx</center>\r\n" +
                             QByteArray(17, ' '));
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(a.exchanges.at(0).bodySnippet, QStringLiteral("<html> <center>nginx</center>"));
}

void TestCaptureHttp::storageIsBoundedButCountsAreComplete()
{
    TcpScript s = opened();
    for (int i = 0; i < 12; ++i) {
        s.send(Side::Client, "GET /" + QByteArray::number(i) + " HTTP/1.1\r\n\r\n");
        const bool error = i == 7 || i == 9;
        s.send(Side::Server, error ? QByteArray("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                                   : QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    }
    dd::CaptureOptions options;
    options.maxStoredExchanges = 4;
    options.maxOrdinaryExchanges = 2; // two of any kind, then only errors
    dd::CaptureAnalyzer analyzer(options);
    const QByteArray file = pcapFile(1, s.packets);
    analyzer.feed(file.constData(), file.size());
    analyzer.finish();
    const dd::CaptureAnalysis a = analyzer.result();
    QCOMPARE(statusesOf(a), (QStringList{QStringLiteral("GET /0 -> 200"), QStringLiteral("GET /1 -> 200"),
                                         QStringLiteral("GET /7 -> 502"), QStringLiteral("GET /9 -> 502")}));
    QCOMPARE(a.unstoredExchanges, 8);
    QCOMPARE(a.statusCounts.value(200), 10);
    QCOMPARE(a.statusCounts.value(502), 2);
    QCOMPARE(a.failing.size(), 2);
}

QTEST_GUILESS_MAIN(TestCaptureHttp)
#include "tst_capturehttp.moc"
