// IPv4 fragment reassembly: crafted captures whose HTTP request and response travel in fragmented
// datagrams (in order, reversed, duplicated, overlapping, interleaved, on Ethernet), checked through
// the analyzer; and the defragmenter's bounds (timeout, pending datagrams, bytes) and bad input.
#include "capture/captureanalyzer.h"
#include "capture/ipv4defragmenter.h"

#include "../data/capture/packetbuilder.h"

#include <QTest>

#include <algorithm>

using namespace capturetest;
using namespace dd;

namespace {

/// Splits an IPv4 packet into fragments of `piece` payload bytes (a multiple of 8), id `id`.
QList<QByteArray> fragmentIp(const QByteArray &ip, int piece, quint16 id)
{
    const int headerLength = (quint8(ip.at(0)) & 0x0f) * 4;
    const QByteArray payload = ip.mid(headerLength);
    QList<QByteArray> out;
    for (int offset = 0; offset < payload.size(); offset += piece) {
        const QByteArray part = payload.mid(offset, piece);
        const bool more = offset + piece < payload.size();
        QByteArray f = ip.left(headerLength);
        qToBigEndian<quint16>(quint16(headerLength + part.size()), f.data() + 2);
        qToBigEndian<quint16>(id, f.data() + 4);
        qToBigEndian<quint16>(quint16((more ? 0x2000 : 0) | (offset / 8)), f.data() + 6);
        out.append(f + part);
    }
    return out;
}

/// One fragment covering payload bytes [offset, offset + length) of `ip`.
QByteArray fragmentAt(const QByteArray &ip, int offset, int length, quint16 id)
{
    const int headerLength = (quint8(ip.at(0)) & 0x0f) * 4;
    const QByteArray part = ip.mid(headerLength + offset, length);
    const bool more = offset + part.size() < ip.size() - headerLength;
    QByteArray f = ip.left(headerLength);
    qToBigEndian<quint16>(quint16(headerLength + part.size()), f.data() + 2);
    qToBigEndian<quint16>(id, f.data() + 4);
    qToBigEndian<quint16>(quint16((more ? 0x2000 : 0) | (offset / 8)), f.data() + 6);
    return f + part;
}

QByteArray ipOf(const QByteArray &rawFrame)
{
    return rawFrame; // Link::Raw: the frame is the IP packet
}

} // namespace

class TestCaptureFragments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reassembledExchange_data();
    void reassembledExchange();
    void neverCompleted();
    void timeout();
    void boundedPending();
    void boundedBytes();
    void invalidFragments_data();
    void invalidFragments();
    void conflictingEnds();
};

void TestCaptureFragments::reassembledExchange_data()
{
    QTest::addColumn<QString>("order");
    QTest::addColumn<bool>("ethernet");
    QTest::newRow("in order") << QStringLiteral("forward") << false;
    QTest::newRow("reversed") << QStringLiteral("reverse") << false;
    QTest::newRow("first fragment duplicated") << QStringLiteral("duplicate") << false;
    QTest::newRow("overlapping fragments") << QStringLiteral("overlap") << false;
    QTest::newRow("interleaved with another datagram") << QStringLiteral("interleave") << false;
    QTest::newRow("Ethernet frames") << QStringLiteral("forward") << true;
}

void TestCaptureFragments::reassembledExchange()
{
    QFETCH(QString, order);
    QFETCH(bool, ethernet);
    const TcpScript s = largeExchange(Link::Raw, localhost(), localhost(), t0);

    QList<Packet> packets;
    quint16 id = 7;
    int fragments = 0;
    for (const Packet &p : std::as_const(s.packets)) {
        const QByteArray ip = ipOf(p.data);
        if (ip.size() <= 1500) {
            packets.append({p.timeNs, ethernet ? frame(Link::Ethernet, ip) : ip, 0, 0});
            continue;
        }
        QList<QByteArray> parts;
        if (order == QLatin1String("overlap")) {
            // 0-1000, 496-1496 (overlaps both neighbours, same bytes), 1000-end in 1000s.
            const int payload = ip.size() - 20;
            parts << fragmentAt(ip, 0, 1000, id) << fragmentAt(ip, 496, 1000, id);
            for (int off = 1000; off < payload; off += 1000)
                parts << fragmentAt(ip, off, 1000, id);
        } else {
            parts = fragmentIp(ip, 1480, id);
        }
        if (order == QLatin1String("reverse"))
            std::reverse(parts.begin(), parts.end());
        if (order == QLatin1String("duplicate"))
            parts.insert(2, parts.first());
        for (int i = 0; i < parts.size(); ++i) {
            packets.append({p.timeNs + i, ethernet ? frame(Link::Ethernet, parts.at(i)) : parts.at(i), 0, 0});
            if (order == QLatin1String("interleave")) {
                // Another (never completed) datagram from the same hosts, with another id.
                QByteArray other = fragmentIp(ip, 1480, quint16(id + 100)).at(0);
                packets.append({p.timeNs + i, other, 0, 0});
            }
        }
        fragments += int(parts.size());
        ++id;
    }
    QVERIFY(fragments >= 4);
    const QByteArray file = pcapFile(ethernet ? 1 : 101, packets, false, true);
    CaptureAnalyzer analyzer;
    analyzer.feed(file.constData(), file.size());
    analyzer.finish();
    const CaptureAnalysis a = analyzer.result();
    QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
    QCOMPARE(a.reassembledDatagrams, 2);
    QCOMPARE(a.conversations.size(), 1);
    QCOMPARE(a.tcpPackets, qint64(s.packets.size()));
    QCOMPARE(a.packets, qint64(packets.size()));
    QCOMPARE(a.otherPackets, a.packets - a.tcpPackets);
    QCOMPARE(a.httpRequests, 1);
    QCOMPARE(a.statusCounts.value(502), 1);
    QCOMPARE(a.exchanges.size(), 1);
    QCOMPARE(a.exchanges.at(0).target, QStringLiteral("/upload"));
    QCOMPARE(a.exchanges.at(0).contentLength, 2500);
    const TcpConversation &c = a.conversations.at(0);
    QCOMPARE(c.retransmissions[0] + c.retransmissions[1], 0);
    for (const CaptureWarning &w : a.warnings)
        QVERIFY2(w.kind != QLatin1String("ip-fragment-invalid"), qPrintable(w.message));
}

void TestCaptureFragments::neverCompleted()
{
    // The last fragment of a request never arrives: nothing of the datagram reaches TCP, and
    // the analysis says so once the timeout passed.
    const QByteArray ip = ipTcp(localhost(), 40001, localhost(), 80, 1, 1, PSH | ACK, QByteArray(3000, 'x'));
    const QList<QByteArray> parts = fragmentIp(ip, 1480, 9);
    QList<Packet> packets{{t0, parts.at(0), 0, 0}, {t0 + 1000, parts.at(1), 0, 0}};
    // Something else 31 s later moves capture time past the reassembly timeout.
    const QByteArray late = fragmentIp(ip, 1480, 10).at(0);
    packets.append({t0 + 31000000000LL, late, 0, 0});
    const QByteArray file = pcapFile(101, packets);
    CaptureAnalyzer analyzer;
    analyzer.feed(file.constData(), file.size());
    analyzer.finish();
    const CaptureAnalysis a = analyzer.result();
    QCOMPARE(a.tcpPackets, 0);
    QCOMPARE(a.reassembledDatagrams, 0);
    QCOMPARE(a.otherPackets, 3);
    bool lost = false;
    for (const CaptureWarning &w : a.warnings)
        lost = lost || w.kind == QLatin1String("ip-fragment-lost");
    QVERIFY(lost);
}

void TestCaptureFragments::timeout()
{
    Ipv4Defragmenter d(1000);
    const QByteArray ip = ipTcp(localhost(), 1, localhost(), 2, 1, 1, ACK, QByteArray(64, 'x'));
    const QList<QByteArray> parts = fragmentIp(ip, 40, 1);
    QCOMPARE(parts.size(), 3);
    QByteArray out;
    const auto add = [&](const QByteArray &f, qint64 t) {
        return d.add(reinterpret_cast<const quint8 *>(f.constData()), f.size(), t, &out);
    };
    QCOMPARE(add(parts.at(0), 0), Ipv4Defragmenter::Result::Pending);
    QCOMPARE(add(parts.at(1), 1000), Ipv4Defragmenter::Result::Pending); // exactly at the limit: kept
    QCOMPARE(d.pendingCount(), 1);
    QCOMPARE(add(parts.at(2), 1001), Ipv4Defragmenter::Result::Pending); // the first two expired before it
    QCOMPARE(d.expiredCount(), 1);
    QCOMPARE(d.pendingCount(), 1);
    QCOMPARE(add(parts.at(0), 1500), Ipv4Defragmenter::Result::Pending);
    QCOMPARE(add(parts.at(1), 1600), Ipv4Defragmenter::Result::Complete);
    // The first fragment's header (id 1, DF not set by fragmentIp) with the whole length.
    QByteArray expected = ip;
    qToBigEndian<quint16>(1, expected.data() + 4);
    qToBigEndian<quint16>(0, expected.data() + 6);
    QCOMPARE(out, expected);
}

void TestCaptureFragments::boundedPending()
{
    Ipv4Defragmenter d;
    const QByteArray ip = ipTcp(localhost(), 1, localhost(), 2, 1, 1, ACK, QByteArray(64, 'x'));
    QByteArray out;
    for (int id = 0; id < Ipv4Defragmenter::maxPending + 44; ++id) {
        const QByteArray f = fragmentIp(ip, 48, quint16(id)).at(0);
        QCOMPARE(d.add(reinterpret_cast<const quint8 *>(f.constData()), f.size(), id, &out),
                 Ipv4Defragmenter::Result::Pending);
        QVERIFY(d.pendingCount() <= Ipv4Defragmenter::maxPending);
    }
    QCOMPARE(d.pendingCount(), Ipv4Defragmenter::maxPending);
    QCOMPARE(d.evictedCount(), 44);
    // The newest datagram is still there and completes; the oldest was dropped.
    const QByteArray last = fragmentIp(ip, 48, quint16(Ipv4Defragmenter::maxPending + 43)).at(1);
    QCOMPARE(d.add(reinterpret_cast<const quint8 *>(last.constData()), last.size(), 1000, &out),
             Ipv4Defragmenter::Result::Complete);
    const QByteArray first = fragmentIp(ip, 48, 0).at(1);
    QCOMPARE(d.add(reinterpret_cast<const quint8 *>(first.constData()), first.size(), 1000, &out),
             Ipv4Defragmenter::Result::Pending);
}

void TestCaptureFragments::boundedBytes()
{
    // Datagrams of nearly 64 KiB whose last fragment never comes: the bytes held stay bounded.
    Ipv4Defragmenter d;
    const QByteArray ip = ipTcp(localhost(), 1, localhost(), 2, 1, 1, ACK, QByteArray(60000, 'x'));
    QByteArray out;
    for (int id = 0; id < 200; ++id) {
        QList<QByteArray> parts = fragmentIp(ip, 8000, quint16(id));
        parts.removeLast();
        for (const QByteArray &f : std::as_const(parts))
            QCOMPARE(d.add(reinterpret_cast<const quint8 *>(f.constData()), f.size(), id, &out),
                     Ipv4Defragmenter::Result::Pending);
        QVERIFY2(d.pendingBytes() <= Ipv4Defragmenter::maxPendingBytes + 65536, QByteArray::number(d.pendingBytes()));
    }
    QVERIFY(d.evictedCount() > 0);
}

void TestCaptureFragments::invalidFragments_data()
{
    QTest::addColumn<QByteArray>("fragment");
    QTest::addColumn<int>("available"); // -1: all of it
    const QByteArray ip = ipTcp(localhost(), 1, localhost(), 2, 1, 1, ACK, QByteArray(100, 'x'));
    QByteArray odd = fragmentAt(ip, 0, 60, 1); // more fragments follow, but 60 is not a multiple of 8
    QTest::newRow("non-last fragment not a multiple of 8") << odd << -1;
    QByteArray beyond = fragmentAt(ip, 0, 40, 2);
    qToBigEndian<quint16>(quint16(0x2000 | 8190), beyond.data() + 6); // offset 65520 + 40 bytes
    QTest::newRow("past 65535 bytes") << beyond << -1;
    QTest::newRow("cut by snaplen") << fragmentAt(ip, 0, 40, 3) << 30;
    QByteArray empty = fragmentAt(ip, 0, 40, 4).left(20);
    qToBigEndian<quint16>(quint16(20), empty.data() + 2);
    QTest::newRow("no payload") << empty << -1;
}

void TestCaptureFragments::invalidFragments()
{
    QFETCH(QByteArray, fragment);
    QFETCH(int, available);
    Ipv4Defragmenter d;
    QByteArray out;
    QCOMPARE(d.add(reinterpret_cast<const quint8 *>(fragment.constData()), available < 0 ? fragment.size() : available,
                   0, &out),
             Ipv4Defragmenter::Result::Invalid);
    QCOMPARE(d.pendingCount(), 0);
    QVERIFY(out.isEmpty());
}

void TestCaptureFragments::conflictingEnds()
{
    Ipv4Defragmenter d;
    const QByteArray ip = ipTcp(localhost(), 1, localhost(), 2, 1, 1, ACK, QByteArray(100, 'x'));
    QByteArray out;
    const QByteArray end1 = fragmentAt(ip, 80, 40, 5);               // last: ends at 120
    const QByteArray end2 = fragmentAt(ip, 80, 32, 5).left(20 + 32); // cut copy: claims to end at 112
    QByteArray end2Last = end2;
    qToBigEndian<quint16>(quint16(20 + 32), end2Last.data() + 2);
    qToBigEndian<quint16>(quint16(80 / 8), end2Last.data() + 6); // MF clear
    QCOMPARE(d.add(reinterpret_cast<const quint8 *>(end1.constData()), end1.size(), 0, &out),
             Ipv4Defragmenter::Result::Pending);
    QCOMPARE(d.add(reinterpret_cast<const quint8 *>(end2Last.constData()), end2Last.size(), 0, &out),
             Ipv4Defragmenter::Result::Invalid);
    QCOMPARE(d.pendingCount(), 0);
}

QTEST_GUILESS_MAIN(TestCaptureFragments)
#include "tst_capturefragments.moc"
