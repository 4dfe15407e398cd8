// The ring buffer of a triggered live capture: bounded by time and by bytes; the pcapng it writes
// read back by the project's reader, the analyzer and tshark; the recorder that keeps recording
// after a trigger; the trigger itself (a probe of a loopback server, a log line appended).
#include "capture/captureanalyzer.h"
#include "capture/capturetrigger.h"
#include "capture/pcapngwriter.h"
#include "capture/ringbuffer.h"
#include "capture/ringrecorder.h"

#include "../data/capture/packetbuilder.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace dd;

namespace {

constexpr qint64 second = 1000000000;

RawPacket raw(const QByteArray &data, CaptureTime t, int linkType = 1)
{
    RawPacket p;
    p.timeNs = t;
    p.linkType = linkType;
    p.data = reinterpret_cast<const quint8 *>(data.constData());
    p.capturedLength = quint32(data.size());
    p.originalLength = quint32(data.size());
    return p;
}

struct Collected
{
    CaptureTime timeNs;
    int linkType;
    QByteArray data;
    quint32 originalLength;
};

class CollectSink : public PacketSink
{
public:
    void packetRead(const RawPacket &p) override
    {
        packets.append({p.timeNs, p.linkType,
                        QByteArray(reinterpret_cast<const char *>(p.data), qsizetype(p.capturedLength)),
                        p.originalLength});
    }
    QList<Collected> packets;
};

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// A TCP conversation on 127.0.0.1: handshake, GET, 502, close; one frame per entry.
QList<QByteArray> exchangeFrames(quint16 clientPort)
{
    using namespace capturetest;
    const Address lo = localhost();
    const QByteArray request = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";
    const QByteArray response = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
    return {
        frame(Link::Ethernet, ipTcp(lo, clientPort, lo, 80, 100, 0, SYN, {})),
        frame(Link::Ethernet, ipTcp(lo, 80, lo, clientPort, 500, 101, SYN | ACK, {})),
        frame(Link::Ethernet, ipTcp(lo, clientPort, lo, 80, 101, 501, ACK, {})),
        frame(Link::Ethernet, ipTcp(lo, clientPort, lo, 80, 101, 501, PSH | ACK, request)),
        frame(Link::Ethernet, ipTcp(lo, 80, lo, clientPort, 501, 101 + quint32(request.size()), PSH | ACK, response)),
        frame(Link::Ethernet, ipTcp(lo, 80, lo, clientPort, 501 + quint32(response.size()),
                                    101 + quint32(request.size()), FIN | ACK, {}))};
}

/// A server on 127.0.0.1 that answers every request with `status` and counts the requests.
class StatusServer : public QObject
{
public:
    explicit StatusServer(int status)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this, status] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [this, s, status] {
                    m_pending[s] += s->readAll();
                    if (!m_pending[s].contains("\r\n\r\n"))
                        return;
                    ++requests;
                    s->write(QByteArray("HTTP/1.1 ") + QByteArray::number(status) +
                             " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    s->disconnectFromHost();
                    m_pending.remove(s);
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    int requests = 0;

private:
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_pending;
};

} // namespace

class TestCaptureRing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void boundedByTime_data();
    void boundedByTime();
    void boundedByBytes();
    void timeGoingBack();
    void pcapngRoundTrip_data();
    void pcapngRoundTrip();
    void pcapngAnalyzed();
    void pcapngReadByTshark();
    void unwritableFile();
    void recorderKeepsRecordingAfterTrigger();
    void recorderWritesWhenStreamEnds();
    void recorderWithoutTriggerWritesNothing();
    void recorderWritesOneFilePerTrigger();
    void probeTrigger_data();
    void probeTrigger();
    void healthyProbeDoesNotFire();
    void logTrigger();
};

void TestCaptureRing::boundedByTime_data()
{
    QTest::addColumn<int>("packets");
    QTest::addColumn<qint64>("spacingMs");
    QTest::addColumn<qint64>("windowMs");
    QTest::addColumn<int>("kept");
    QTest::newRow("10 s window, 1 packet/s, 30 packets") << 30 << qint64(1000) << qint64(10000) << 11;
    QTest::newRow("window longer than the capture") << 5 << qint64(1000) << qint64(60000) << 5;
    QTest::newRow("500 ms window, 100 ms spacing") << 100 << qint64(100) << qint64(500) << 6;
}

void TestCaptureRing::boundedByTime()
{
    QFETCH(int, packets);
    QFETCH(qint64, spacingMs);
    QFETCH(qint64, windowMs);
    QFETCH(int, kept);
    RingBuffer ring(windowMs * 1000000, 1 << 30);
    const QByteArray data(100, 'x');
    const CaptureTime start = 1700000000 * second;
    for (int i = 0; i < packets; ++i)
        ring.add(raw(data, start + i * spacingMs * 1000000));
    QCOMPARE(ring.packetCount(), kept);
    QCOMPARE(ring.evictedPackets(), qint64(packets - kept));
    QCOMPARE(ring.newestNs(), start + (packets - 1) * spacingMs * 1000000);
    QVERIFY(ring.newestNs() - ring.oldestNs() <= windowMs * 1000000);
    QCOMPARE(ring.bytes(), kept * (100 + RingBuffer::perPacketOverhead));
}

void TestCaptureRing::boundedByBytes()
{
    const qint64 perPacket = 1000 + RingBuffer::perPacketOverhead;
    RingBuffer ring(3600 * second, 10 * perPacket);
    for (int i = 0; i < 25; ++i) {
        QByteArray data(1000, char('a' + i));
        ring.add(raw(data, i * 1000));
        QVERIFY(ring.bytes() <= ring.maxBytes());
    }
    QCOMPARE(ring.packetCount(), 10);
    QCOMPARE(ring.evictedPackets(), 15);
    const std::vector<StoredPacket> held = ring.snapshot();
    QCOMPARE(held.front().data.at(0), char('a' + 15)); // oldest kept
    QCOMPARE(held.back().data.at(0), char('a' + 24));
    ring.clear();
    QCOMPARE(ring.packetCount(), 0);
    QCOMPARE(ring.bytes(), 0);
    QCOMPARE(ring.oldestNs(), -1);
}

void TestCaptureRing::timeGoingBack()
{
    // A packet stamped earlier than the newest (two interfaces) does not move the window back.
    RingBuffer ring(2 * second, 1 << 20);
    const QByteArray d(10, 'x');
    ring.add(raw(d, 10 * second));
    ring.add(raw(d, 11 * second));
    ring.add(raw(d, 9 * second)); // older than the window's start: the front is 10 s, kept
    ring.add(raw(d, 12 * second));
    QCOMPARE(ring.newestNs(), 12 * second);
    QCOMPARE(ring.packetCount(), 4);
    ring.add(raw(d, 14 * second)); // window now starts at 12 s: 10 and 11 go, then 9 is at the front and goes
    QCOMPARE(ring.packetCount(), 2);
    QCOMPARE(ring.oldestNs(), 12 * second);
}

void TestCaptureRing::pcapngRoundTrip_data()
{
    QTest::addColumn<QList<int>>("linkTypes");
    QTest::newRow("Ethernet") << QList<int>{1, 1, 1};
    QTest::newRow("raw IP") << QList<int>{101};
    QTest::newRow("mixed link types: one interface each") << QList<int>{1, 113, 1, 276, 113};
}

void TestCaptureRing::pcapngRoundTrip()
{
    QFETCH(QList<int>, linkTypes);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::vector<StoredPacket> packets;
    for (int i = 0; i < linkTypes.size(); ++i) {
        // Odd sizes exercise the padding; nanoseconds must survive.
        StoredPacket p{1700000000 * second + 123456789 + i * 1001, linkTypes.at(i), quint32(61 + i * 2 + 1000),
                       QByteArray(61 + i * 2, char('0' + i))};
        packets.push_back(p);
    }
    const QString path = dir.filePath(QStringLiteral("ring.pcapng"));
    QString error;
    QVERIFY2(PcapNgWriter::writeFile(path, packets, QStringLiteral("log x names cause y"), &error), qPrintable(error));
    const QByteArray bytes = readAll(path);
    QCOMPARE(bytes.size() % 4, 0);
    QVERIFY(bytes.contains("log x names cause y"));

    CollectSink sink;
    PcapStreamParser parser(&sink);
    // Fed in 7-byte pieces: blocks split across chunks.
    for (qsizetype i = 0; i < bytes.size(); i += 7)
        QVERIFY(parser.feed(bytes.constData() + i, qMin<qsizetype>(7, bytes.size() - i)));
    parser.finish();
    QVERIFY2(!parser.hasFailed(), qPrintable(parser.error()));
    QVERIFY(!parser.isTruncated());
    QCOMPARE(parser.format(), CaptureFormat::PcapNg);
    QCOMPARE(sink.packets.size(), linkTypes.size());
    for (int i = 0; i < linkTypes.size(); ++i) {
        QCOMPARE(sink.packets.at(i).timeNs, packets.at(size_t(i)).timeNs);
        QCOMPARE(sink.packets.at(i).linkType, linkTypes.at(i));
        QCOMPARE(sink.packets.at(i).data, packets.at(size_t(i)).data);
        QCOMPARE(sink.packets.at(i).originalLength, packets.at(size_t(i)).originalLength);
    }
}

void TestCaptureRing::pcapngAnalyzed()
{
    QTemporaryDir dir;
    RingBuffer ring(60 * second, 1 << 20);
    const QList<QByteArray> frames = exchangeFrames(40000);
    for (int i = 0; i < frames.size(); ++i)
        ring.add(raw(frames.at(i), 1700000000 * second + i * 1000000));
    const QString path = dir.filePath(QStringLiteral("ring.pcapng"));
    QString error;
    QVERIFY2(PcapNgWriter::writeFile(path, ring.snapshot(), QString(), &error), qPrintable(error));
    CaptureAnalyzer analyzer;
    const QByteArray bytes = readAll(path);
    analyzer.feed(bytes.constData(), bytes.size());
    analyzer.finish();
    const CaptureAnalysis a = analyzer.result();
    QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
    QCOMPARE(a.packets, qint64(frames.size()));
    QCOMPARE(a.tcpPackets, qint64(frames.size()));
    QCOMPARE(a.conversations.size(), 1);
    QCOMPARE(a.statusCounts.value(502), 1);
}

void TestCaptureRing::pcapngReadByTshark()
{
    const QString tshark = QStandardPaths::findExecutable(QStringLiteral("tshark"));
    if (tshark.isEmpty())
        QSKIP("tshark is not installed");
    QTemporaryDir dir;
    std::vector<StoredPacket> packets;
    const QList<QByteArray> frames = exchangeFrames(40001);
    for (int i = 0; i < frames.size(); ++i)
        packets.push_back({1700000000 * second + 5 + i * 1000, 1, quint32(frames.at(i).size()), frames.at(i)});
    packets.push_back({1700000001 * second, 113, 9000, QByteArray(33, '\0')}); // cut by snaplen: 33 of 9000
    const QString path = dir.filePath(QStringLiteral("ring.pcapng"));
    QString error;
    QVERIFY2(PcapNgWriter::writeFile(path, packets, QStringLiteral("probe failed"), &error), qPrintable(error));
    QProcess p;
    p.start(tshark, {QStringLiteral("-r"), path, QStringLiteral("-T"), QStringLiteral("fields"), QStringLiteral("-e"),
                     QStringLiteral("frame.time_epoch"), QStringLiteral("-e"), QStringLiteral("frame.len"),
                     QStringLiteral("-e"), QStringLiteral("frame.cap_len"), QStringLiteral("-e"),
                     QStringLiteral("frame.interface_id")});
    QVERIFY(p.waitForFinished(60000));
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(p.exitCode() == 0, err.constData());
    const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), qsizetype(packets.size()));
    for (int i = 0; i < lines.size(); ++i) {
        const QList<QByteArray> f = lines.at(i).split('\t');
        QCOMPARE(f.size(), 4);
        const StoredPacket &s = packets.at(size_t(i));
        const QByteArray time =
            QByteArray::number(s.timeNs / second) + '.' + QByteArray::number(s.timeNs % second).rightJustified(9, '0');
        QCOMPARE(f.at(0), time);
        QCOMPARE(f.at(1).toUInt(), s.originalLength);
        QCOMPARE(f.at(2).toInt(), s.data.size());
        QCOMPARE(f.at(3).toInt(), s.linkType == 1 ? 0 : 1);
    }
    QProcess http;
    http.start(tshark, {QStringLiteral("-r"), path, QStringLiteral("-Y"), QStringLiteral("http.response.code == 502")});
    QVERIFY(http.waitForFinished(60000));
    QCOMPARE(http.readAllStandardOutput().trimmed().count('\n'), 0); // exactly one line
}

void TestCaptureRing::unwritableFile()
{
    QString error;
    const QString path = QStringLiteral("/nonexistent-dir-for-test/ring.pcapng");
    QVERIFY(!PcapNgWriter::writeFile(path, {}, QString(), &error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(!error.contains(QLatin1Char('\n')));
}

void TestCaptureRing::recorderKeepsRecordingAfterTrigger()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("after.pcapng"));
    // A 2 s ring; 10 packets a second for 5 s, the trigger at 5 s, 5 more packets after.
    RingRecorder recorder(2 * second, 1 << 20, 100, path);
    QSignalSpy written(&recorder, &RingRecorder::ringWritten);
    QList<capturetest::Packet> before;
    for (int i = 0; i < 50; ++i)
        before.append({1700000000 * second + i * 100000000LL, QByteArray(60, char(i)), 0, 0});
    const QByteArray stream = capturetest::pcapFile(1, before, false, true);
    recorder.feed(stream.left(100));
    recorder.feed(stream.mid(100));
    QVERIFY(!recorder.isTriggered());
    QCOMPARE(recorder.ring().packetCount(), 21); // 2.0 s window at 100 ms spacing: both ends kept
    recorder.trigger(QStringLiteral("because"));
    recorder.trigger(QStringLiteral("ignored: only the first trigger counts"));
    QList<capturetest::Packet> after;
    for (int i = 50; i < 55; ++i)
        after.append({1700000000 * second + i * 100000000LL, QByteArray(60, char(i)), 0, 0});
    const QByteArray more = capturetest::pcapFile(1, after, false, true);
    recorder.feed(more.mid(24)); // the same stream: records only
    QVERIFY(written.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(written.size(), 1, 5000);
    const RingWriteResult r = written.at(0).at(0).value<RingWriteResult>();
    QCOMPARE(r.reason, QStringLiteral("because"));
    QCOMPARE(r.packetsBefore, 21);
    QCOMPARE(r.packets, 26);
    QCOMPARE(r.firstNs, 1700000000 * second + 29 * 100000000LL);
    QCOMPARE(r.lastNs, 1700000000 * second + 54 * 100000000LL);
    QCOMPARE(r.triggerNs, 1700000000 * second + 49 * 100000000LL);
    CollectSink sink;
    PcapStreamParser parser(&sink);
    const QByteArray bytes = readAll(path);
    parser.feed(bytes.constData(), bytes.size());
    parser.finish();
    QVERIFY(!parser.hasFailed());
    QCOMPARE(sink.packets.size(), 26);
    QCOMPARE(sink.packets.first().data, QByteArray(60, char(29)));
    QCOMPARE(sink.packets.last().data, QByteArray(60, char(54)));
    QVERIFY(bytes.contains("because"));
    recorder.feed(more.mid(24)); // after writing: ignored
    recorder.finish();
    QCOMPARE(written.size(), 1);
}

void TestCaptureRing::recorderWritesWhenStreamEnds()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("end.pcapng"));
    // Bytes bound after the trigger: 3 packets fit, the rest are counted as dropped.
    const qint64 cost = 100 + RingBuffer::perPacketOverhead;
    RingRecorder recorder(0, 3 * cost, 60000, path);
    QSignalSpy written(&recorder, &RingRecorder::ringWritten);
    QList<capturetest::Packet> packets;
    for (int i = 0; i < 10; ++i)
        packets.append({i * second, QByteArray(100, 'p'), 0, 0});
    const QByteArray stream = capturetest::pcapFile(1, packets);
    recorder.feed(stream.left(24 + 5 * (16 + 100)));
    recorder.trigger(QStringLiteral("probe failed"));
    recorder.feed(stream.mid(24 + 5 * (16 + 100)));
    recorder.finish(); // long before the 60 s after-time
    QCOMPARE(written.size(), 1);
    const RingWriteResult r = written.at(0).at(0).value<RingWriteResult>();
    QCOMPARE(r.packetsBefore, 3);
    QCOMPARE(r.packets, 6);
    QCOMPARE(r.droppedAfter, 2);
    QVERIFY(QFileInfo::exists(path));
}

void TestCaptureRing::recorderWithoutTriggerWritesNothing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("none.pcapng"));
    RingRecorder recorder(second, 1 << 20, 0, path);
    QSignalSpy written(&recorder, &RingRecorder::ringWritten);
    recorder.feed(capturetest::pcapFile(1, {{0, QByteArray(70, 'x'), 0, 0}}));
    recorder.finish();
    QCOMPARE(recorder.ring().packetCount(), 1);
    QVERIFY(written.isEmpty());
    QVERIFY(!QFileInfo::exists(path));

    RingRecorder garbage(second, 1 << 20, 0, path);
    garbage.feed(QByteArray("this is not a capture at all, just text"));
    QVERIFY(!garbage.streamError().isEmpty());
}

void TestCaptureRing::recorderWritesOneFilePerTrigger()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ring.pcapng"));
    RingRecorder recorder(10 * second, 1 << 20, 0, path, 2);
    QSignalSpy written(&recorder, &RingRecorder::ringWritten);
    QList<capturetest::Packet> packets;
    for (int i = 0; i < 30; ++i)
        packets.append({1700000000 * second + i * second, QByteArray(60, char(i)), 0, 0});
    const QByteArray stream = capturetest::pcapFile(1, packets, false, true);
    const qsizetype header = 24;
    const qsizetype record = 16 + 60;
    recorder.feed(stream.left(header + 10 * record)); // packets 0-9
    recorder.trigger(QStringLiteral("first"));
    QTRY_COMPARE_WITH_TIMEOUT(written.size(), 1, 5000);
    QVERIFY(!recorder.isWritten());
    QVERIFY(!recorder.isTriggered());
    recorder.feed(stream.mid(header + 10 * record, 10 * record)); // packets 10-19
    recorder.trigger(QStringLiteral("second"));
    QTRY_COMPARE_WITH_TIMEOUT(written.size(), 2, 5000);
    QVERIFY(recorder.isWritten());
    recorder.trigger(QStringLiteral("third: over the bound of two files"));
    recorder.feed(stream.mid(header + 20 * record));
    recorder.finish();
    QCOMPARE(written.size(), 2);
    QCOMPARE(recorder.filesWritten(), 2);

    const RingWriteResult one = written.at(0).at(0).value<RingWriteResult>();
    QCOMPARE(one.path, path);
    QCOMPARE(one.reason, QStringLiteral("first"));
    QCOMPARE(one.packets, 10);
    const RingWriteResult two = written.at(1).at(0).value<RingWriteResult>();
    QCOMPARE(two.path, dir.filePath(QStringLiteral("ring-2.pcapng")));
    QCOMPARE(two.reason, QStringLiteral("second"));
    QCOMPARE(two.packetsBefore, 10); // the ring starts empty after each file
    QCOMPARE(two.firstNs, 1700000000 * second + 10 * second);
    CollectSink sink;
    PcapStreamParser parser(&sink);
    const QByteArray bytes = readAll(two.path);
    parser.feed(bytes.constData(), bytes.size());
    parser.finish();
    QVERIFY(!parser.hasFailed());
    QCOMPARE(sink.packets.size(), 10);
    QCOMPARE(sink.packets.first().data, QByteArray(60, char(10)));
    QCOMPARE(sink.packets.last().data, QByteArray(60, char(19)));
    QVERIFY(readAll(path).contains("first"));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("ring-3.pcapng"))));
}

void TestCaptureRing::probeTrigger_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("expected");
    QTest::newRow("502") << 502 << QStringLiteral("answered HTTP/1.1 502");
    QTest::newRow("504") << 504 << QStringLiteral("answered HTTP/1.1 504");
    QTest::newRow("closed port") << 0 << QStringLiteral("failed: refused");
}

void TestCaptureRing::probeTrigger()
{
    QFETCH(int, status);
    QFETCH(QString, expected);
    StatusServer server(status);
    quint16 port = 0;
    if (status > 0) {
        QVERIFY(server.listen());
        port = server.port();
    } else {
        QTcpServer closed; // a port that was free a moment ago, closed again
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        port = closed.serverPort();
    }
    CaptureTrigger trigger;
    QSignalSpy fired(&trigger, &CaptureTrigger::fired);
    trigger.watchProbe(QUrl(QStringLiteral("http://127.0.0.1:%1/healthcheck").arg(port)), 200);
    QTRY_COMPARE_WITH_TIMEOUT(fired.size(), 1, 10000);
    const QString reason = fired.at(0).at(0).toString();
    QVERIFY2(reason.contains(expected), qPrintable(reason));
    QVERIFY(reason.contains(QStringLiteral("127.0.0.1:%1/healthcheck").arg(port)));
    QVERIFY(trigger.hasFired());
    const int requests = server.requests;
    QTest::qWait(600); // three intervals: a fired trigger probes no more
    QCOMPARE(server.requests, requests);
    QCOMPARE(fired.size(), 1);
}

void TestCaptureRing::healthyProbeDoesNotFire()
{
    StatusServer server(200);
    QVERIFY(server.listen());
    CaptureTrigger trigger;
    QSignalSpy fired(&trigger, &CaptureTrigger::fired);
    trigger.watchProbe(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(server.port())), 100);
    // Three answered probes, none of them a failure.
    QTRY_VERIFY_WITH_TIMEOUT(server.requests >= 3, 10000);
    QVERIFY(fired.isEmpty());
    trigger.stop();
}

void TestCaptureRing::logTrigger()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("error.log"));
    QFile log(path);
    QVERIFY(log.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered));
    // Already in the file before watching: not a trigger.
    log.write("2024/10/22 13:51:50 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to "
              "upstream, client: 127.0.0.1, server: , request: \"GET /old HTTP/1.1\", upstream: "
              "\"http://127.0.0.1:9/old\", host: \"a\"\n");
    CaptureTrigger trigger;
    QSignalSpy fired(&trigger, &CaptureTrigger::fired);
    trigger.watchLog(path);
    log.write("2024/10/22 13:51:55 [notice] 1#1: signal process started\n");
    log.write("2024/10/22 13:51:56 [error] 1#1: *2 connect() failed (111: Connection refused) while connecting to "
              "upstream, client: 127.0.0.1, server: , request: \"GET /new HTTP/1.1\", upstream: "
              "\"http://127.0.0.1:9/new\", host: \"a\"\n");
    log.flush();
    QTRY_COMPARE_WITH_TIMEOUT(fired.size(), 1, 10000);
    const QString reason = fired.at(0).at(0).toString();
    QVERIFY2(reason.contains(QStringLiteral("upstream-refused")), qPrintable(reason));
    QVERIFY2(reason.contains(QStringLiteral("/new")), qPrintable(reason));
    QVERIFY2(reason.startsWith(QStringLiteral("log ") + path + QStringLiteral(":3 ")), qPrintable(reason));
}

QTEST_GUILESS_MAIN(TestCaptureRing)
#include "tst_capturering.moc"
