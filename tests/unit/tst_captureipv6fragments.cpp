// IPv6 fragment reassembly (RFC 8200 Fragment header): crafted fragments put back into the very
// packet they were cut from (with and without a hop-by-hop header before the Fragment header), an
// HTTP exchange whose datagrams travel fragmented (in order, reversed, duplicated, on Ethernet),
// and bad input: cut fragments, misaligned ones, no Fragment header, beyond 64 KiB, the timeout.
#include "capture/captureanalyzer.h"
#include "capture/ipv6defragmenter.h"

#include "../data/capture/packetbuilder.h"

#include <QTest>

#include <algorithm>

using namespace capturetest;
using namespace dd;

namespace {

/// The fragment header goes after the first `unfragmentable` bytes (40, or 48 after a hop-by-hop
/// header); the rest is cut into pieces of `piece` bytes (a multiple of 8).
QList<QByteArray> fragment6(const QByteArray &ip, int unfragmentable, int piece, quint32 id)
{
    const int nextAt = unfragmentable == 40 ? 6 : 40;
    const char carried = ip.at(nextAt);
    const QByteArray rest = ip.mid(unfragmentable);
    QList<QByteArray> out;
    for (int offset = 0; offset < rest.size(); offset += piece) {
        const bool more = offset + piece < rest.size();
        QByteArray f = ip.left(unfragmentable);
        f[nextAt] = char(44);
        f.append(carried);
        f.append('\0');
        put16(f, quint16(offset | (more ? 1 : 0)));
        put32(f, id);
        f.append(rest.mid(offset, piece));
        qToBigEndian<quint16>(quint16(f.size() - 40), f.data() + 4);
        out.append(f);
    }
    return out;
}

QByteArray tcp6(int payload, bool hopByHop = false)
{
    return ipTcp(Address::loopback6(), 40000, Address::loopback6(), 8000, 1, 1, PSH | ACK, QByteArray(payload, 'x'),
                 65535, hopByHop);
}

Ipv6Defragmenter::Result feed(Ipv6Defragmenter &d, const QByteArray &fragment, qint64 timeNs, QByteArray *out)
{
    return d.add(reinterpret_cast<const quint8 *>(fragment.constData()), fragment.size(), timeNs, out);
}

} // namespace

class TestCaptureIpv6Fragments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rebuildsThePacket_data();
    void rebuildsThePacket();
    void reassembledExchange_data();
    void reassembledExchange();
    void invalidFragments_data();
    void invalidFragments();
    void timeout();
};

void TestCaptureIpv6Fragments::rebuildsThePacket_data()
{
    QTest::addColumn<bool>("hopByHop");
    QTest::addColumn<bool>("reversed");
    QTest::newRow("after the IPv6 header") << false << false;
    QTest::newRow("after a hop-by-hop header") << true << false;
    QTest::newRow("last fragment first") << false << true;
}

void TestCaptureIpv6Fragments::rebuildsThePacket()
{
    QFETCH(bool, hopByHop);
    QFETCH(bool, reversed);
    const QByteArray ip = tcp6(3000, hopByHop);
    QList<QByteArray> parts = fragment6(ip, hopByHop ? 48 : 40, 1232, 77);
    QCOMPARE(parts.size(), 3);
    if (reversed)
        std::reverse(parts.begin(), parts.end());
    Ipv6Defragmenter d;
    QByteArray whole;
    QCOMPARE(feed(d, parts.at(0), t0, &whole), Ipv6Defragmenter::Result::Pending);
    QCOMPARE(feed(d, parts.at(1), t0 + 1, &whole), Ipv6Defragmenter::Result::Pending);
    QCOMPARE(d.pendingCount(), 1);
    QCOMPARE(feed(d, parts.at(2), t0 + 2, &whole), Ipv6Defragmenter::Result::Complete);
    QCOMPARE(whole, ip); // byte for byte: payload length and next header restored
    QCOMPARE(d.pendingCount(), 0);
    QCOMPARE(d.pendingBytes(), 0);
    QCOMPARE(d.reassembledCount(), 1);
}

void TestCaptureIpv6Fragments::reassembledExchange_data()
{
    QTest::addColumn<QString>("order");
    QTest::addColumn<bool>("ethernet");
    QTest::newRow("in order") << QStringLiteral("forward") << false;
    QTest::newRow("reversed") << QStringLiteral("reverse") << false;
    QTest::newRow("first fragment duplicated") << QStringLiteral("duplicate") << false;
    QTest::newRow("Ethernet frames") << QStringLiteral("forward") << true;
}

void TestCaptureIpv6Fragments::reassembledExchange()
{
    QFETCH(QString, order);
    QFETCH(bool, ethernet);
    const TcpScript s = largeExchange(Link::Raw, Address::loopback6(), Address::loopback6(), t0);

    QList<Packet> packets;
    quint32 id = 1;
    for (const Packet &p : std::as_const(s.packets)) {
        const QByteArray &ip = p.data; // Link::Raw: the frame is the IP packet
        QList<QByteArray> parts = ip.size() <= 1280 ? QList<QByteArray>{ip} : fragment6(ip, 40, 1232, id++);
        if (order == QLatin1String("reverse"))
            std::reverse(parts.begin(), parts.end());
        if (order == QLatin1String("duplicate") && parts.size() > 1)
            parts.insert(2, parts.first());
        for (int i = 0; i < parts.size(); ++i)
            packets.append({p.timeNs + i, ethernet ? frame(Link::Ethernet, parts.at(i)) : parts.at(i), 0, 0});
    }
    QCOMPARE(id, quint32(3)); // the request and the response were fragmented
    const QByteArray file = pcapFile(ethernet ? 1 : 101, packets, false, true);
    CaptureAnalyzer analyzer;
    analyzer.feed(file.constData(), file.size());
    analyzer.finish();
    const CaptureAnalysis a = analyzer.result();
    QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
    QCOMPARE(a.reassembledDatagrams, 2);
    QCOMPARE(a.conversations.size(), 1);
    QCOMPARE(a.conversations.at(0).client.toString(), QStringLiteral("[::1]:40000"));
    QCOMPARE(a.tcpPackets, qint64(s.packets.size()));
    QCOMPARE(a.undecodedPackets, 0);
    QCOMPARE(a.httpRequests, 1);
    QCOMPARE(a.statusCounts.value(502), 1);
    QCOMPARE(a.exchanges.size(), 1);
    QCOMPARE(a.exchanges.at(0).target, QStringLiteral("/upload"));
    QCOMPARE(a.exchanges.at(0).contentLength, 2500);
    QCOMPARE(a.conversations.at(0).bytes[0], quint64(s.packets.at(3).data.size() - 60));
    for (const CaptureWarning &w : a.warnings)
        QVERIFY2(!w.kind.startsWith(QLatin1String("ip-fragment")), qPrintable(w.message));
}

void TestCaptureIpv6Fragments::invalidFragments_data()
{
    QTest::addColumn<QByteArray>("fragment");
    QTest::addColumn<int>("captured"); // bytes of it in the capture; -1: all
    const QList<QByteArray> parts = fragment6(tcp6(3000), 40, 1232, 5);
    QTest::newRow("cut by snaplen") << parts.at(0) << 600;
    QByteArray misaligned = fragment6(tcp6(3000), 40, 1236, 5).at(0);
    QTest::newRow("not the last, not a multiple of 8 bytes") << misaligned << -1;
    QTest::newRow("no Fragment header") << tcp6(100) << -1;
    QByteArray far = parts.at(1);
    qToBigEndian<quint16>(quint16(0xfff8 | 1), far.data() + 42); // offset 65528, more to come
    QTest::newRow("beyond 64 KiB") << far << -1;
    QByteArray jumbo = parts.at(0);
    qToBigEndian<quint16>(0, jumbo.data() + 4);
    QTest::newRow("payload length 0 (jumbogram)") << jumbo << -1;
    QTest::newRow("shorter than the IPv6 header") << parts.at(0).left(30) << -1;
}

void TestCaptureIpv6Fragments::invalidFragments()
{
    QFETCH(QByteArray, fragment);
    QFETCH(int, captured);
    Ipv6Defragmenter d;
    QByteArray whole;
    const qint64 available = captured < 0 ? fragment.size() : captured;
    QCOMPARE(d.add(reinterpret_cast<const quint8 *>(fragment.constData()), available, t0, &whole),
             Ipv6Defragmenter::Result::Invalid);
    QCOMPARE(d.pendingCount(), 0);
    QVERIFY(whole.isEmpty());
}

void TestCaptureIpv6Fragments::timeout()
{
    const QList<QByteArray> parts = fragment6(tcp6(3000), 40, 1232, 9);
    Ipv6Defragmenter d(1000);
    QByteArray whole;
    QCOMPARE(feed(d, parts.at(0), 0, &whole), Ipv6Defragmenter::Result::Pending);
    QCOMPARE(feed(d, parts.at(1), 1000, &whole), Ipv6Defragmenter::Result::Pending); // at the limit: kept
    QCOMPARE(feed(d, parts.at(2), 1001, &whole), Ipv6Defragmenter::Result::Pending); // the first two expired
    QCOMPARE(d.expiredCount(), 1);
    QCOMPARE(feed(d, parts.at(0), 1500, &whole), Ipv6Defragmenter::Result::Pending);
    QCOMPARE(feed(d, parts.at(1), 1600, &whole), Ipv6Defragmenter::Result::Complete);
}

QTEST_GUILESS_MAIN(TestCaptureIpv6Fragments)
#include "tst_captureipv6fragments.moc"
