// TCP conversation reconstruction: outcomes, handshake RTT, retransmissions, zero windows,
// out-of-order and duplicated segments, port reuse, bounded buffers.
#include "../data/capture/packetbuilder.h"

#include "capture/captureanalyzer.h"

#include <QTest>

using namespace capturetest;
using dd::TcpOutcome;
using Side = capturetest::TcpScript;

Q_DECLARE_METATYPE(QList<capturetest::Packet>)

namespace {

dd::CaptureAnalysis analyze(const QList<Packet> &packets)
{
    dd::CaptureAnalyzer analyzer;
    const QByteArray file = pcapFile(1, packets);
    analyzer.feed(file.constData(), file.size());
    analyzer.finish();
    return analyzer.result();
}

const QByteArray request = "GET /healthcheck HTTP/1.1\r\nHost: ds\r\n\r\n";
const QByteArray response = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ntrue";

TcpScript script()
{
    return TcpScript(Link::Ethernet, localhost(), 40000, localhost(), 8000, t0);
}

} // namespace

class TestCaptureTcp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void outcomes_data();
    void outcomes();
    void handshakeRtt();
    void bytesAndDuration();
    void retransmissionsAndZeroWindows();
    void outOfOrderAndDuplicates();
    void overlappingRetransmission();
    void portReuse();
    void retransmittedSynIsOneConversation();
    void rolesWithoutHandshake();
    void outOfOrderBufferIsBounded();
    void endlessStreamStaysBounded();
};

void TestCaptureTcp::outcomes_data()
{
    QTest::addColumn<QList<Packet>>("packets");
    QTest::addColumn<TcpOutcome>("outcome");
    QTest::addColumn<bool>("failure");

    {
        TcpScript s = script();
        s.handshake();
        s.send(Side::Client, request);
        s.send(Side::Server, response);
        s.close(Side::Client);
        s.close(Side::Server);
        QTest::newRow("closed") << s.packets << TcpOutcome::Closed << false;
    }
    {
        TcpScript s = script();
        s.syn();
        s.reset(Side::Server, 50000);
        QTest::newRow("refused: SYN answered by RST") << s.packets << TcpOutcome::Refused << true;
    }
    {
        TcpScript s = script();
        s.syn();
        s.syn(1000000000);
        s.syn(2000000000);
        QTest::newRow("unanswered: SYN retransmitted") << s.packets << TcpOutcome::Unanswered << true;
    }
    {
        TcpScript s = script();
        s.syn();
        QTest::newRow("one SYN at the end of the capture is still open") << s.packets << TcpOutcome::Open << false;
    }
    {
        TcpScript s = script();
        s.handshake();
        s.send(Side::Client, request);
        s.close(Side::Server, 3000000);
        s.close(Side::Client);
        QTest::newRow("closed before response") << s.packets << TcpOutcome::ClosedBeforeResponse << true;
    }
    {
        TcpScript s = script();
        s.handshake();
        s.send(Side::Client, request);
        s.reset(Side::Server);
        QTest::newRow("reset after the request") << s.packets << TcpOutcome::ResetAfterData << true;
    }
    {
        TcpScript s = script();
        s.handshake();
        s.send(Side::Client, request);
        s.send(Side::Server, response);
        s.reset(Side::Client);
        QTest::newRow("client reset after the response") << s.packets << TcpOutcome::ResetAfterData << false;
    }
    {
        TcpScript s = script();
        s.handshake();
        s.reset(Side::Server);
        QTest::newRow("reset without data") << s.packets << TcpOutcome::Reset << false;
    }
    {
        TcpScript s = script();
        s.handshake();
        s.send(Side::Client, request);
        s.close(Side::Client, 60000000000LL);
        s.close(Side::Server);
        QTest::newRow("abandoned: the client gave up") << s.packets << TcpOutcome::AbandonedBeforeResponse << true;
    }
    {
        TcpScript s = script();
        s.handshake();
        s.send(Side::Client, request);
        s.send(Side::Server, response);
        QTest::newRow("open") << s.packets << TcpOutcome::Open << false;
    }
}

void TestCaptureTcp::outcomes()
{
    QFETCH(QList<Packet>, packets);
    QFETCH(TcpOutcome, outcome);
    QFETCH(bool, failure);
    const dd::CaptureAnalysis a = analyze(packets);
    QCOMPARE(a.conversations.size(), 1);
    const dd::TcpConversation &c = a.conversations.at(0);
    QCOMPARE(dd::tcpOutcomeName(c.outcome), dd::tcpOutcomeName(outcome));
    QCOMPARE(c.isFailure(), failure);
    QCOMPARE(c.client.port, quint16(40000));
    QCOMPARE(a.hasProblems(), failure);
}

void TestCaptureTcp::handshakeRtt()
{
    TcpScript s = script();
    s.syn();
    s.syn(1000000000);            // retransmitted after 1 s
    s.synAck(250000);             // answered 0.25 ms after the second SYN
    s.ack(Side::Client);
    const dd::TcpConversation c = analyze(s.packets).conversations.at(0);
    QCOMPARE(c.synCount, 2);
    QCOMPARE(c.retransmissions[0], 1u);
    QCOMPARE(c.handshakeRttMs(), 0.25);
    QVERIFY(c.handshakeSeen);
}

void TestCaptureTcp::bytesAndDuration()
{
    TcpScript s = script();
    s.handshake();
    s.send(Side::Client, request);
    s.send(Side::Server, response, 2000000);
    s.close(Side::Client);
    s.close(Side::Server);
    const dd::CaptureAnalysis a = analyze(s.packets);
    const dd::TcpConversation &c = a.conversations.at(0);
    QCOMPARE(c.bytes[0], quint64(request.size()));
    QCOMPARE(c.bytes[1], quint64(response.size()));
    QCOMPARE(c.packets[0], 4u);
    QCOMPARE(c.packets[1], 3u);
    QCOMPARE(c.durationMs(), 2.5);
    QCOMPARE(c.clientDataNs, t0 + 400000);
    QCOMPARE(a.exchanges.size(), 1);
    QCOMPARE(a.exchanges.at(0).timeToFirstByteMs(), 2.0);
}

void TestCaptureTcp::retransmissionsAndZeroWindows()
{
    TcpScript s = script();
    s.handshake();
    s.send(Side::Client, request);
    const quint32 seq = s.nextSeq(Side::Client) - quint32(request.size());
    s.segment(Side::Client, PSH | ACK, request, 200000000, 65535, seq, true); // retransmission
    s.ack(Side::Server, 0);                                                // zero window
    s.ack(Side::Server, 0);
    s.send(Side::Server, response);
    const dd::CaptureAnalysis a = analyze(s.packets);
    const dd::TcpConversation &c = a.conversations.at(0);
    QCOMPARE(c.retransmissions[0], 1u);
    QCOMPARE(c.zeroWindows[1], 2u);
    QCOMPARE(c.bytes[0], quint64(request.size())); // counted once
    QCOMPARE(a.httpRequests, 1);                   // parsed once
    QCOMPARE(a.statusCounts.value(200), 1);
}

void TestCaptureTcp::outOfOrderAndDuplicates()
{
    TcpScript s = script();
    s.handshake();
    const QByteArray a1 = request.left(10);
    const QByteArray a2 = request.mid(10, 10);
    const QByteArray a3 = request.mid(20);
    const quint32 base = s.nextSeq(Side::Client);
    s.segment(Side::Client, PSH | ACK, a1, -1, 65535, base, true);
    s.segment(Side::Client, PSH | ACK, a3, -1, 65535, base + 20, true); // early
    s.segment(Side::Client, PSH | ACK, a1, -1, 65535, base, true);      // duplicate
    s.segment(Side::Client, PSH | ACK, a2, -1, 65535, base + 10, true); // fills the hole
    s.segment(Side::Client, PSH | ACK, a3, -1, 65535, base + 20, true); // duplicate of the early one
    s.segment(Side::Server, PSH | ACK, response, -1, 65535, 5001, true);
    const dd::CaptureAnalysis a = analyze(s.packets);
    const dd::TcpConversation &c = a.conversations.at(0);
    QCOMPARE(c.outOfOrder, 1u);
    QCOMPARE(c.retransmissions[0], 2u);
    QCOMPARE(c.bytes[0], quint64(request.size()));
    QCOMPARE(a.httpRequests, 1);
    QCOMPARE(a.exchanges.size(), 1);
    QCOMPARE(a.exchanges.at(0).target, QStringLiteral("/healthcheck"));
    QCOMPARE(a.exchanges.at(0).host, QStringLiteral("ds"));
    QCOMPARE(a.exchanges.at(0).status, 200);
}

void TestCaptureTcp::overlappingRetransmission()
{
    TcpScript s = script();
    s.handshake();
    const quint32 base = s.nextSeq(Side::Client);
    s.segment(Side::Client, PSH | ACK, request.left(15), -1, 65535, base, true);
    s.segment(Side::Client, PSH | ACK, request.mid(5), -1, 65535, base + 5, true); // 10 old + new bytes
    s.segment(Side::Server, PSH | ACK, response, -1, 65535, 5001, true);
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(a.conversations.at(0).bytes[0], quint64(request.size()));
    QCOMPARE(a.httpRequests, 1);
    QCOMPARE(a.exchanges.at(0).status, 200);
}

void TestCaptureTcp::portReuse()
{
    TcpScript first = script();
    first.handshake();
    first.send(Side::Client, request);
    first.send(Side::Server, response);
    first.close(Side::Client);
    first.close(Side::Server);
    TcpScript second(Link::Ethernet, localhost(), 40000, localhost(), 8000, first.now() + 1000000);
    second.segment(Side::Client, SYN, QByteArray(), -1, 65535, 777777, true);
    second.reset(Side::Server);
    const dd::CaptureAnalysis a = analyze(merged({first.packets, second.packets}));
    QCOMPARE(a.conversations.size(), 2);
    QCOMPARE(a.conversations.at(0).outcome, TcpOutcome::Closed);
    QCOMPARE(a.conversations.at(1).outcome, TcpOutcome::Refused);
}

void TestCaptureTcp::retransmittedSynIsOneConversation()
{
    TcpScript s = script();
    s.syn();
    s.syn(1000000000);
    s.synAck();
    s.ack(Side::Client);
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(a.conversations.size(), 1);
    QCOMPARE(a.conversations.at(0).synCount, 2);
}

void TestCaptureTcp::rolesWithoutHandshake()
{
    // The capture starts mid-conversation, first packet from the server: the ephemeral port is the client.
    TcpScript s = script();
    s.send(Side::Server, response);
    s.send(Side::Client, request);
    const dd::CaptureAnalysis a = analyze(s.packets);
    const dd::TcpConversation &c = a.conversations.at(0);
    QVERIFY(!c.handshakeSeen);
    QCOMPARE(c.client.port, quint16(40000));
    QCOMPARE(c.server.port, quint16(8000));
}

void TestCaptureTcp::outOfOrderBufferIsBounded()
{
    // A hole that never fills, followed by far more data than the buffer holds.
    TcpScript s = script();
    s.handshake();
    const quint32 base = s.nextSeq(Side::Client);
    s.segment(Side::Client, PSH | ACK, request, -1, 65535, base, true);
    const QByteArray chunk(1400, 'x');
    quint32 seq = base + quint32(request.size()) + 1400; // one segment lost
    for (int i = 0; i < 400; ++i, seq += 1400)
        s.segment(Side::Client, PSH | ACK, chunk, 1000, 65535, seq, true);
    const dd::CaptureAnalysis a = analyze(s.packets);
    const dd::TcpConversation &c = a.conversations.at(0);
    QCOMPARE(c.missingBytes, 1400u);
    QCOMPARE(c.bytes[0], quint64(request.size()) + 401 * 1400);
    QVERIFY(c.outOfOrder > 0);
    QCOMPARE(a.httpRequests, 1);
}

void TestCaptureTcp::endlessStreamStaysBounded()
{
    // A server that streams without end (no Content-Length) and a client head that never ends:
    // both are skipped with bounded buffers, and the analysis completes.
    TcpScript s = script();
    s.handshake();
    s.send(Side::Client, request);
    s.send(Side::Server, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
    const QByteArray body(8000, 'b');
    for (int i = 0; i < 2000; ++i)
        s.send(Side::Server, body, 1000);
    TcpScript t(Link::Ethernet, localhost(), 40001, localhost(), 8000, t0);
    t.handshake();
    t.send(Side::Client, "GET / HTTP/1.1\r\n");
    const QByteArray header = "X-Endless: " + QByteArray(7000, 'h') + "\r\n";
    for (int i = 0; i < 20; ++i)
        t.send(Side::Client, header, 1000);
    const dd::CaptureAnalysis a = analyze(merged({s.packets, t.packets}));
    QCOMPARE(a.conversations.size(), 2);
    QCOMPARE(a.conversations.at(0).bytes[1], quint64(8000) * 2000 + 38);
    QCOMPARE(a.statusCounts.value(200), 1);
    bool tooLarge = false;
    for (const dd::CaptureWarning &w : a.warnings)
        tooLarge |= w.kind == QLatin1String("http-head-too-large");
    QVERIFY(tooLarge);
}

QTEST_GUILESS_MAIN(TestCaptureTcp)
#include "tst_capturetcp.moc"
