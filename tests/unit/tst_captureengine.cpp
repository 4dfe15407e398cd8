// CaptureEngine: analysis on its own thread, signals, failures, streams, cancel, both readers.
#include "../data/capture/packetbuilder.h"

#include "capture/captureengine.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace capturetest;
using Side = capturetest::TcpScript;

namespace {

constexpr int timeoutMs = 30000;

/// `count` HTTP exchanges, each on its own connection, one of them a 502.
QList<Packet> traffic(int count)
{
    QList<Packet> all;
    for (int i = 0; i < count; ++i) {
        TcpScript s(Link::Ethernet, localhost(), quint16(20000 + i % 40000), localhost(), 8080, t0 + i * 1000000LL);
        s.handshake();
        s.send(Side::Client, "GET /x HTTP/1.1\r\nHost: h\r\n\r\n");
        s.send(Side::Server, i == 0 ? QByteArray("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                                    : QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        s.close(Side::Client);
        s.close(Side::Server);
        all += s.packets;
    }
    return all;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        return QString();
    return path;
}

} // namespace

class TestCaptureEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void analyzesFile();
    void failures_data();
    void failures();
    void truncatedFileStillFinishes();
    void stream();
    void newAnalysisAbandonsTheRunningOne();
    void cancel();
    void destroyedWhileRunning();
    void readers_data();
    void readers();

private:
    QTemporaryDir m_dir;
    QString m_small;
    QString m_big;
};

void TestCaptureEngine::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_small = writeFile(m_dir, QStringLiteral("small.pcap"), pcapFile(1, traffic(10)));
    m_big = writeFile(m_dir, QStringLiteral("big.pcap"), pcapFile(1, traffic(20000)));
    QVERIFY(!m_small.isEmpty() && !m_big.isEmpty());
}

void TestCaptureEngine::analyzesFile()
{
    dd::CaptureEngine engine;
    QSignalSpy started(&engine, &dd::CaptureEngine::analysisStarted);
    QSignalSpy progressed(&engine, &dd::CaptureEngine::analysisProgressed);
    QSignalSpy finished(&engine, &dd::CaptureEngine::analysisFinished);
    QSignalSpy failed(&engine, &dd::CaptureEngine::analysisFailed);
    engine.analyzeFile(m_big);
    QCOMPARE(started.count(), 1);
    QVERIFY(engine.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, timeoutMs);
    QVERIFY(!engine.isRunning());
    QCOMPARE(failed.count(), 0);
    const auto a = finished.at(0).at(0).value<dd::CaptureAnalysis>();
    QCOMPARE(a.source, m_big);
    QCOMPARE(a.packets, 20000 * 7);
    QCOMPARE(a.conversations.size(), 20000);
    QCOMPARE(a.statusCounts.value(200), 19999);
    QCOMPARE(a.statusCounts.value(502), 1);
    QCOMPARE(a.failing.size(), 1);
    QVERIFY(progressed.count() >= 1);
    const QList<QVariant> last = progressed.constLast();
    QCOMPARE(last.at(0).toLongLong(), QFileInfo(m_big).size());
    QCOMPARE(last.at(2).toLongLong(), 20000 * 7);
}

void TestCaptureEngine::failures_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error");
    QTest::newRow("missing") << QStringLiteral("missing.pcap") << QByteArray() << QStringLiteral("cannot open");
    QTest::newRow("not a capture") << QStringLiteral("notes.txt") << QByteArray("hello, this is text\n")
                                   << QStringLiteral("not a pcap or pcapng capture");
    QTest::newRow("empty") << QStringLiteral("empty.pcap") << QByteArray("") << QStringLiteral("empty input");
    QTest::newRow("directory") << QString() << QByteArray() << QStringLiteral("it is a directory");
}

void TestCaptureEngine::failures()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    QString path = m_dir.filePath(name);
    if (!content.isEmpty() || name == QLatin1String("empty.pcap"))
        path = writeFile(m_dir, name, content);
    if (name.isEmpty())
        path = m_dir.path();
    dd::CaptureEngine engine;
    QSignalSpy finished(&engine, &dd::CaptureEngine::analysisFinished);
    QSignalSpy failed(&engine, &dd::CaptureEngine::analysisFailed);
    engine.analyzeFile(path);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, timeoutMs);
    QCOMPARE(finished.count(), 0);
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.contains(error), qPrintable(message));
    QVERIFY2(message.contains(path), qPrintable(message)); // names the input
    QVERIFY(!message.contains(QLatin1Char('\n')));
}

void TestCaptureEngine::truncatedFileStillFinishes()
{
    const QByteArray full = pcapFile(1, traffic(10));
    const QString path = writeFile(m_dir, QStringLiteral("cut.pcap"), full.left(full.size() - 11));
    dd::CaptureEngine engine;
    QSignalSpy finished(&engine, &dd::CaptureEngine::analysisFinished);
    engine.analyzeFile(path);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, timeoutMs);
    const auto a = finished.at(0).at(0).value<dd::CaptureAnalysis>();
    QVERIFY(a.truncated);
    QCOMPARE(a.packets, 69);
    QCOMPARE(a.warnings.constFirst().kind, QStringLiteral("truncated-file"));
}

void TestCaptureEngine::stream()
{
    const QByteArray file = pcapngFile({{1, 9}}, traffic(50));
    dd::CaptureEngine engine;
    QSignalSpy started(&engine, &dd::CaptureEngine::analysisStarted);
    QSignalSpy finished(&engine, &dd::CaptureEngine::analysisFinished);
    engine.startStream(QStringLiteral("live:lo"));
    for (qsizetype i = 0; i < file.size(); i += 333)
        engine.feed(file.mid(i, 333));
    engine.finishStream();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, timeoutMs);
    QCOMPARE(started.at(0).at(0).toString(), QStringLiteral("live:lo"));
    const auto a = finished.at(0).at(0).value<dd::CaptureAnalysis>();
    QCOMPARE(a.source, QStringLiteral("live:lo"));
    QCOMPARE(a.format, dd::CaptureFormat::PcapNg);
    QCOMPARE(a.packets, 350);
    QCOMPARE(a.httpResponses, 50);
    QCOMPARE(a.failing.size(), 1);
}

void TestCaptureEngine::newAnalysisAbandonsTheRunningOne()
{
    dd::CaptureEngine engine;
    QSignalSpy finished(&engine, &dd::CaptureEngine::analysisFinished);
    QSignalSpy failed(&engine, &dd::CaptureEngine::analysisFailed);
    engine.analyzeFile(m_big);
    engine.analyzeFile(m_small);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, timeoutMs);
    QCOMPARE(finished.at(0).at(0).value<dd::CaptureAnalysis>().source, m_small);
    // A third run proves the first one's late signals never arrive: exactly one result each.
    engine.analyzeFile(m_small);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, timeoutMs);
    QCOMPARE(failed.count(), 0);
}

void TestCaptureEngine::cancel()
{
    dd::CaptureEngine engine;
    QSignalSpy finished(&engine, &dd::CaptureEngine::analysisFinished);
    QSignalSpy failed(&engine, &dd::CaptureEngine::analysisFailed);
    engine.analyzeFile(m_big);
    engine.cancel();
    QVERIFY(!engine.isRunning());
    engine.analyzeFile(m_small);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, timeoutMs);
    QCOMPARE(finished.at(0).at(0).value<dd::CaptureAnalysis>().source, m_small);
    QCOMPARE(failed.count(), 0);
}

void TestCaptureEngine::destroyedWhileRunning()
{
    auto engine = std::make_unique<dd::CaptureEngine>();
    QSignalSpy finished(engine.get(), &dd::CaptureEngine::analysisFinished);
    engine->analyzeFile(m_big);
    engine.reset(); // stops the worker; must neither hang nor crash
    QCOMPARE(finished.count(), 0);
}

void TestCaptureEngine::readers_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::newRow("pcap") << pcapFile(1, traffic(200));
    QTest::newRow("pcap nanoseconds") << pcapFile(1, traffic(200), false, true);
    QTest::newRow("pcapng") << pcapngFile({{1, 6}}, traffic(200));
}

void TestCaptureEngine::readers()
{
    QFETCH(QByteArray, file);
    const QString path = writeFile(m_dir, QStringLiteral("readers.cap"), file);
    dd::CaptureAnalysis results[2];
    for (int i = 0; i < 2; ++i) {
        dd::CaptureEngine engine;
        dd::CaptureOptions options;
        options.useLibpcap = i == 1;
        engine.setOptions(options);
        QSignalSpy finished(&engine, &dd::CaptureEngine::analysisFinished);
        engine.analyzeFile(path);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, timeoutMs);
        results[i] = finished.at(0).at(0).value<dd::CaptureAnalysis>();
    }
    QCOMPARE(results[1].format, results[0].format);
    QCOMPARE(results[1].packets, results[0].packets);
    QCOMPARE(results[1].conversations.size(), results[0].conversations.size());
    QCOMPARE(results[1].statusCounts, results[0].statusCounts);
    QCOMPARE(results[1].firstNs, results[0].firstNs);
    QCOMPARE(results[1].lastNs, results[0].lastNs);
    QCOMPARE(results[1].failing.size(), 1);
}

QTEST_GUILESS_MAIN(TestCaptureEngine)
#include "tst_captureengine.moc"
