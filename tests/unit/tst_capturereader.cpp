// The pcap/pcapng reader and the link-layer/IP/TCP decoder, on crafted captures.
#include "../data/capture/packetbuilder.h"

#include "capture/captureanalyzer.h"
#include "capture/packetdecoder.h"
#include "capture/pcapstreamparser.h"

#include <QTest>

using namespace capturetest;

namespace {

dd::CaptureAnalysis analyze(const QByteArray &file, qsizetype chunk = 0)
{
    dd::CaptureAnalyzer analyzer;
    if (chunk <= 0)
        chunk = file.size() > 0 ? file.size() : 1;
    for (qsizetype i = 0; i < file.size(); i += chunk)
        analyzer.feed(file.constData() + i, qMin(chunk, file.size() - i));
    analyzer.finish();
    return analyzer.result();
}

QList<Packet> httpConversation(Link link, const Address &client, const Address &server, qint64 start = t0)
{
    TcpScript s(link, client, 40000, server, 8080, start);
    s.handshake();
    s.send(TcpScript::Client, "GET /healthcheck HTTP/1.1\r\nHost: ds\r\n\r\n");
    s.send(TcpScript::Server, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ntrue");
    s.close(TcpScript::Client);
    s.close(TcpScript::Server);
    s.ack(TcpScript::Client);
    return s.packets;
}

bool hasWarning(const dd::CaptureAnalysis &a, const QString &kind)
{
    for (const dd::CaptureWarning &w : a.warnings) {
        if (w.kind == kind)
            return true;
    }
    return false;
}

/// Collects what a parser hands out.
class Collector : public dd::PacketSink
{
public:
    void packetRead(const dd::RawPacket &packet) override
    {
        times.append(packet.timeNs);
        lengths.append(packet.capturedLength);
        linkTypes.append(packet.linkType);
    }
    QList<qint64> times;
    QList<quint32> lengths;
    QList<int> linkTypes;
};

} // namespace

class TestCaptureReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formats_data();
    void formats();
    void chunkBoundaries_data();
    void chunkBoundaries();
    void linkTypes_data();
    void linkTypes();
    void pcapngSeveralInterfaces();
    void powerOfTwoResolution();
    void notACapture_data();
    void notACapture();
    void truncatedFile();
    void impossibleRecordLength();
    void snaplenCutPacket();
    void cutInsideHeaders();
    void unknownLinkType();
    void nonTcpIsCounted();
    void bpfFilter();
};

void TestCaptureReader::formats_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("format");
    const QList<Packet> packets = httpConversation(Link::Ethernet, localhost(), localhost());
    QTest::newRow("pcap little-endian us") << pcapFile(1, packets) << QStringLiteral("pcap");
    QTest::newRow("pcap big-endian us") << pcapFile(1, packets, true) << QStringLiteral("pcap");
    QTest::newRow("pcap nanoseconds") << pcapFile(1, packets, false, true) << QStringLiteral("pcap");
    QTest::newRow("pcapng little-endian") << pcapngFile({{1, 6}}, packets) << QStringLiteral("pcapng");
    QTest::newRow("pcapng big-endian") << pcapngFile({{1, 6}}, packets, true) << QStringLiteral("pcapng");
    QTest::newRow("pcapng nanoseconds") << pcapngFile({{1, 9}}, packets) << QStringLiteral("pcapng");
}

void TestCaptureReader::formats()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, format);
    const dd::CaptureAnalysis a = analyze(file);
    QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
    QCOMPARE(dd::captureFormatName(a.format), format);
    QCOMPARE(a.packets, 8);
    QCOMPARE(a.tcpPackets, 8);
    QCOMPARE(a.conversations.size(), 1);
    QCOMPARE(a.conversations.at(0).outcome, dd::TcpOutcome::Closed);
    QCOMPARE(a.statusCounts.value(200), 1);
    // Every format keeps at least microseconds: the handshake took 100 us.
    QCOMPARE(a.firstNs, t0 + 100000);
    QCOMPARE(a.conversations.at(0).handshakeRttMs(), 0.1);
    QVERIFY(a.complete);
    QVERIFY(!a.truncated);
}

void TestCaptureReader::chunkBoundaries_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<int>("chunk");
    const QList<Packet> packets = httpConversation(Link::Ethernet, localhost(), localhost());
    for (int chunk : {1, 3, 7, 16, 25, 4096}) {
        QTest::addRow("pcap, %d-byte chunks", chunk) << pcapFile(1, packets) << chunk;
        QTest::addRow("pcapng, %d-byte chunks", chunk) << pcapngFile({{1, 6}}, packets) << chunk;
    }
}

void TestCaptureReader::chunkBoundaries()
{
    QFETCH(QByteArray, file);
    QFETCH(int, chunk);
    const dd::CaptureAnalysis whole = analyze(file);
    const dd::CaptureAnalysis pieces = analyze(file, chunk);
    QVERIFY2(pieces.error.isEmpty(), qPrintable(pieces.error));
    QCOMPARE(pieces.packets, whole.packets);
    QCOMPARE(pieces.bytesRead, qint64(file.size()));
    QCOMPARE(pieces.httpResponses, 1);
    QCOMPARE(pieces.lastNs, whole.lastNs);
}

void TestCaptureReader::linkTypes_data()
{
    QTest::addColumn<int>("link");
    QTest::addColumn<bool>("ipv6");
    for (bool v6 : {false, true}) {
        const char *family = v6 ? "IPv6" : "IPv4";
        QTest::addRow("Ethernet %s", family) << int(Link::Ethernet) << v6;
        QTest::addRow("Ethernet VLAN %s", family) << int(Link::EthernetVlan) << v6;
        QTest::addRow("Linux cooked SLL %s", family) << int(Link::Sll) << v6;
        QTest::addRow("Linux cooked SLL2 %s", family) << int(Link::Sll2) << v6;
        QTest::addRow("null little-endian %s", family) << int(Link::NullLittle) << v6;
        QTest::addRow("null big-endian %s", family) << int(Link::NullBig) << v6;
        QTest::addRow("OpenBSD loop %s", family) << int(Link::Loop) << v6;
        QTest::addRow("raw %s", family) << int(Link::Raw) << v6;
    }
}

void TestCaptureReader::linkTypes()
{
    QFETCH(int, link);
    QFETCH(bool, ipv6);
    const Link l = Link(link);
    const Address address = ipv6 ? Address::loopback6() : localhost();
    const dd::CaptureAnalysis a = analyze(pcapFile(linkTypeOf(l), httpConversation(l, address, address)));
    QCOMPARE(a.tcpPackets, 8);
    QCOMPARE(a.undecodedPackets, 0);
    QCOMPARE(a.conversations.size(), 1);
    const dd::TcpConversation &c = a.conversations.at(0);
    QCOMPARE(c.client.port, quint16(40000));
    QCOMPARE(c.server.port, quint16(8080));
    QCOMPARE(c.client.address.isV6, ipv6);
    QCOMPARE(c.server.toString(), ipv6 ? QStringLiteral("[::1]:8080") : QStringLiteral("127.0.0.1:8080"));
    QCOMPARE(a.statusCounts.value(200), 1);
}

void TestCaptureReader::pcapngSeveralInterfaces()
{
    // A host capture on lo (Ethernet framing) and on "any" (SLL2) in one file.
    QList<Packet> lo = httpConversation(Link::Ethernet, localhost(), localhost());
    QList<Packet> any = httpConversation(Link::Sll2, Address::v4(10, 0, 0, 5), Address::v4(10, 0, 0, 6), t0 + 50000);
    for (Packet &p : any)
        p.interfaceId = 1;
    const dd::CaptureAnalysis a = analyze(pcapngFile({{1, 6}, {276, 9}}, merged({lo, any})));
    QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
    QCOMPARE(a.linkTypes, (QList<int>{1, 276}));
    QCOMPARE(a.tcpPackets, 16);
    QCOMPARE(a.conversations.size(), 2);
    QCOMPARE(a.statusCounts.value(200), 2);
}

void TestCaptureReader::powerOfTwoResolution()
{
    Collector collector;
    dd::PcapStreamParser parser(&collector);
    Packet p;
    p.timeNs = t0 + 500000000; // half a second: exact in 2^-10 units
    p.data = frame(Link::Raw, ipTcp(localhost(), 1, localhost(), 2, 0, 0, SYN, QByteArray()));
    const QByteArray file = pcapngFile({{101, -10}}, {p});
    QVERIFY(parser.feed(file.constData(), file.size()));
    parser.finish();
    QCOMPARE(collector.times, (QList<qint64>{t0 + 500000000}));
}

void TestCaptureReader::notACapture_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("error");
    QTest::newRow("html") << QByteArray("<html><body>not a capture</body></html>")
                          << QStringLiteral("not a pcap or pcapng capture (starts with 3c 68 74 6d)");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("empty input: no capture header");
    QTest::newRow("half a header") << pcapFile(1, {}).left(10) << QStringLiteral("truncated capture header (10 bytes)");
}

void TestCaptureReader::notACapture()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, error);
    dd::CaptureAnalyzer analyzer;
    analyzer.feed(file.constData(), file.size());
    analyzer.finish();
    QVERIFY(analyzer.isUnreadable());
    const dd::CaptureAnalysis a = analyzer.result();
    QCOMPARE(a.error, error);
    QCOMPARE(a.packets, 0);
    QVERIFY(!a.complete);
}

void TestCaptureReader::truncatedFile()
{
    const QList<Packet> packets = httpConversation(Link::Ethernet, localhost(), localhost());
    for (const QByteArray &file : {pcapFile(1, packets), pcapngFile({{1, 6}}, packets)}) {
        const QByteArray cut = file.left(file.size() - 30); // inside the last record
        const dd::CaptureAnalysis a = analyze(cut, 5);
        QVERIFY(a.truncated);
        QVERIFY(a.error.isEmpty());
        QCOMPARE(a.packets, 7);
        QVERIFY(hasWarning(a, QStringLiteral("truncated-file")));
        QCOMPARE(a.statusCounts.value(200), 1); // what was captured before is still analyzed
    }
}

void TestCaptureReader::impossibleRecordLength()
{
    const QList<Packet> packets = httpConversation(Link::Ethernet, localhost(), localhost());
    QByteArray file = pcapFile(1, packets);
    QByteArray bad;
    put32(bad, 0, false);
    put32(bad, 0, false);
    put32(bad, 50000000, false); // 50 MB "captured length"
    put32(bad, 50000000, false);
    file.append(bad);
    file.append(QByteArray(100, 'x'));
    const dd::CaptureAnalysis a = analyze(file);
    QVERIFY(a.error.startsWith(QStringLiteral("corrupt pcap record at byte")));
    QCOMPARE(a.packets, 8);
    QCOMPARE(a.statusCount(200, 200), 1);
    QVERIFY(!a.complete);
}

void TestCaptureReader::snaplenCutPacket()
{
    // The response body is cut by a 96-byte snaplen: the head is complete, the body is a gap.
    TcpScript s(Link::Ethernet, localhost(), 40000, localhost(), 8080, t0);
    s.handshake();
    s.send(TcpScript::Client, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const QByteArray response = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 400\r\n\r\n" + QByteArray(400, 'b');
    s.send(TcpScript::Server, response);
    s.send(TcpScript::Client, "GET /again HTTP/1.1\r\nHost: x\r\n\r\n");
    s.send(TcpScript::Server, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    Packet &big = s.packets[4];
    big.originalLength = quint32(big.data.size());
    big.data.truncate(14 + 20 + 20 + 60);
    const dd::CaptureAnalysis a = analyze(pcapFile(1, s.packets));
    QCOMPARE(a.snaplenCutPackets, 1);
    QVERIFY(hasWarning(a, QStringLiteral("snaplen-cut")));
    QCOMPARE(a.conversations.at(0).missingBytes, quint64(response.size() - 60));
    QCOMPARE(a.statusCounts.value(502), 1);
    QCOMPARE(a.statusCounts.value(200), 1); // the parser stayed in step across the gap
}

void TestCaptureReader::cutInsideHeaders()
{
    QList<Packet> packets = httpConversation(Link::Ethernet, localhost(), localhost());
    packets[0].originalLength = quint32(packets[0].data.size());
    packets[0].data.truncate(30); // inside the IPv4 header
    const dd::CaptureAnalysis a = analyze(pcapFile(1, packets));
    QCOMPARE(a.undecodedPackets, 1);
    QCOMPARE(a.tcpPackets, 7);
    QVERIFY(hasWarning(a, QStringLiteral("cut-header")));
}

void TestCaptureReader::unknownLinkType()
{
    const QList<Packet> packets = httpConversation(Link::Ethernet, localhost(), localhost());
    const dd::CaptureAnalysis a = analyze(pcapFile(147, packets)); // LINKTYPE_USER0
    QCOMPARE(a.packets, 8);
    QCOMPARE(a.undecodedPackets, 8);
    QCOMPARE(a.conversations.size(), 0);
    QVERIFY(hasWarning(a, QStringLiteral("unknown-link-type")));
    QVERIFY(a.warnings.constFirst().message.contains(QStringLiteral("link type 147")));
    QCOMPARE(a.warnings.constFirst().count, 8);
}

void TestCaptureReader::nonTcpIsCounted()
{
    QByteArray arp(12, '\x02');
    put16(arp, 0x0806);
    arp.append(QByteArray(28, '\0'));
    QByteArray udp = frame(Link::Ethernet, ipTcp(localhost(), 53, localhost(), 5353, 0, 0, 0, QByteArray()));
    udp[14 + 9] = 17; // protocol UDP
    const dd::CaptureAnalysis a = analyze(pcapFile(1, {{t0, arp, 0, 0}, {t0 + 1, udp, 0, 0}}));
    QCOMPARE(a.packets, 2);
    QCOMPARE(a.otherPackets, 2);
    QCOMPARE(a.tcpPackets, 0);
}

void TestCaptureReader::bpfFilter()
{
    const QList<Packet> one = httpConversation(Link::Ethernet, localhost(), localhost());
    TcpScript other(Link::Ethernet, localhost(), 40001, localhost(), 9999, t0);
    other.handshake();
    dd::CaptureOptions options;
    options.filter = QStringLiteral("tcp port 8080");
    dd::CaptureAnalyzer analyzer(options);
    const QByteArray file = pcapFile(1, merged({one, other.packets}));
    analyzer.feed(file.constData(), file.size());
    analyzer.finish();
    const dd::CaptureAnalysis a = analyzer.result();
    QCOMPARE(a.packets, 11);
    QCOMPARE(a.filteredPackets, 3);
    QCOMPARE(a.conversations.size(), 1);
    QCOMPARE(a.conversations.at(0).server.port, quint16(8080));
}

QTEST_GUILESS_MAIN(TestCaptureReader)
#include "tst_capturereader.moc"
