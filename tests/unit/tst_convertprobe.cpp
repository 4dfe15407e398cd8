#include "probe/convertroundtrip.h"
#include "probe/minimaldocx.h"
#include "probe/probespec.h"
#include "probe/sourcefileserver.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

namespace {

/// One raw exchange with the server: `request` out, everything until the server closes back.
QByteArray exchange(quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(3000))
        return "not connected";
    socket.write(request);
    QSignalSpy closed(&socket, &QTcpSocket::disconnected);
    // Bounded: the server closes after one answer; 5 s is far beyond that. What it sent stays
    // readable after the close.
    if (closed.isEmpty())
        closed.wait(5000);
    return socket.readAll();
}

} // namespace

// The pieces of the ConvertService round trip that need no Document Server: the generated
// .docx, the --serve-on syntax and the one-shot file server.
class TestConvertProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void crc32();
    void docxIsAZipThatUnzipAccepts();
    void parseServeOn_data();
    void parseServeOn();
    void validatesServeOptions_data();
    void validatesServeOptions();
    void convertErrorNames_data();
    void convertErrorNames();
    void servesTheFileOnce();
    void boundsTheRequestHeaders();
    void refusesToListenOnAName();
};

void TestConvertProbe::crc32()
{
    // The check value of CRC-32/ISO-HDLC.
    QCOMPARE(dd::crc32Of("123456789"), 0xCBF43926u);
    QCOMPARE(dd::crc32Of(QByteArray()), 0u);
}

void TestConvertProbe::docxIsAZipThatUnzipAccepts()
{
    const QByteArray docx = dd::minimalDocx(QStringLiteral("hello <docs> & co"));
    QVERIFY(docx.startsWith("PK\x03\x04"));
    QVERIFY(docx.size() < 4096);
    QCOMPARE(docx.mid(docx.size() - 22, 4), QByteArray("PK\x05\x06"));
    const QString unzip = QStandardPaths::findExecutable(QStringLiteral("unzip"));
    if (unzip.isEmpty())
        QSKIP("unzip is not installed: the archive's structure was only checked by signature");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(QStringLiteral("test.docx")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(docx);
    file.close();
    QProcess test;
    test.start(unzip, {QStringLiteral("-t"), file.fileName()});
    QVERIFY(test.waitForFinished(10000));
    const QByteArray out = test.readAllStandardOutput();
    QVERIFY2(test.exitCode() == 0, out.constData());
    QVERIFY2(out.contains("No errors detected"), out.constData());
    QProcess show;
    show.start(unzip, {QStringLiteral("-p"), file.fileName(), QStringLiteral("word/document.xml")});
    QVERIFY(show.waitForFinished(10000));
    QVERIFY(show.readAllStandardOutput().contains("<w:t>hello &lt;docs&gt; &amp; co</w:t>"));
}

void TestConvertProbe::parseServeOn_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::newRow("any port") << QStringLiteral("127.0.0.1:0") << true << QStringLiteral("127.0.0.1") << 0;
    QTest::newRow("fixed port") << QStringLiteral("127.0.0.1:8099") << true << QStringLiteral("127.0.0.1") << 8099;
    QTest::newRow("ipv6") << QStringLiteral("[::1]:0") << true << QStringLiteral("::1") << 0;
    QTest::newRow("all addresses") << QStringLiteral("0.0.0.0:8099") << true << QStringLiteral("0.0.0.0") << 8099;
    QTest::newRow("a name") << QStringLiteral("localhost:8099") << false << QString() << 0;
    QTest::newRow("no port") << QStringLiteral("127.0.0.1") << false << QString() << 0;
    QTest::newRow("port too big") << QStringLiteral("127.0.0.1:70000") << false << QString() << 0;
    QTest::newRow("nonsense") << QStringLiteral("nonsense") << false << QString() << 0;
}

void TestConvertProbe::parseServeOn()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QString, host);
    QFETCH(int, port);
    QString parsedHost;
    quint16 parsedPort = 1;
    QString error;
    QCOMPARE(dd::ConvertRoundTrip::parseServeOn(text, &parsedHost, &parsedPort, &error), ok);
    if (ok) {
        QCOMPARE(parsedHost, host);
        QCOMPARE(int(parsedPort), port);
    } else {
        QVERIFY2(error.contains(text) && !error.contains(QLatin1Char('\n')), qPrintable(error));
    }
}

void TestConvertProbe::validatesServeOptions_data()
{
    QTest::addColumn<QString>("serveOn");
    QTest::addColumn<QString>("serveUrl");
    QTest::addColumn<QString>("mentions"); // empty: valid
    QTest::newRow("loopback") << QStringLiteral("127.0.0.1:0") << QString() << QString();
    QTest::newRow("all addresses with a URL")
        << QStringLiteral("0.0.0.0:8099") << QStringLiteral("http://storage.internal.test:8099/") << QString();
    QTest::newRow("all addresses without a URL")
        << QStringLiteral("0.0.0.0:8099") << QString() << QStringLiteral("--serve-url");
    QTest::newRow("ftp URL") << QStringLiteral("127.0.0.1:0") << QStringLiteral("ftp://127.0.0.1/")
                             << QStringLiteral("ftp://127.0.0.1/");
    QTest::newRow("bad address") << QStringLiteral("ds.example.test:80") << QString()
                                 << QStringLiteral("ds.example.test");
}

void TestConvertProbe::validatesServeOptions()
{
    QFETCH(QString, serveOn);
    QFETCH(QString, serveUrl);
    QFETCH(QString, mentions);
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Docserver;
    spec.target = QStringLiteral("http://127.0.0.1:8000/");
    spec.serveOn = serveOn;
    spec.serveUrl = serveUrl;
    const QString error = dd::validateProbeSpec(spec);
    if (mentions.isEmpty())
        QVERIFY2(error.isEmpty(), qPrintable(error));
    else
        QVERIFY2(error.contains(mentions), qPrintable(error));
}

void TestConvertProbe::convertErrorNames_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("name");
    QTest::newRow("0") << 0 << QStringLiteral("ok");
    QTest::newRow("-3") << -3 << QStringLiteral("conversion");
    QTest::newRow("-4") << -4 << QStringLiteral("download");
    QTest::newRow("-8") << -8 << QStringLiteral("invalid-token");
    QTest::newRow("-10") << -10 << QStringLiteral("size-limit");
    QTest::newRow("-99") << -99 << QStringLiteral("code--99");
}

void TestConvertProbe::convertErrorNames()
{
    QFETCH(int, code);
    QFETCH(QString, name);
    QCOMPARE(dd::ConvertRoundTrip::convertErrorName(code), name);
}

void TestConvertProbe::servesTheFileOnce()
{
    dd::SourceFileServer server;
    QString error;
    const QByteArray content = dd::minimalDocx(QStringLiteral("x"));
    QVERIFY2(server.listen(QStringLiteral("127.0.0.1"), 0, QStringLiteral("test.docx"), content,
                           "application/octet-stream", &error),
             qPrintable(error));
    QVERIFY(server.port() != 0);
    QVERIFY(server.path().startsWith(QStringLiteral("/docserver-doctor/")));
    QVERIFY(server.path().endsWith(QStringLiteral("/test.docx")));
    const QByteArray path = server.path().toLatin1();

    QByteArray reply = exchange(server.port(), "GET /elsewhere HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY2(reply.startsWith("HTTP/1.1 404 "), reply.constData());
    QVERIFY(!server.hasServed());
    reply = exchange(server.port(), "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    QVERIFY2(reply.startsWith("HTTP/1.1 405 "), reply.constData());

    reply = exchange(server.port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nUser-Agent: Node.js\r\n\r\n");
    QVERIFY2(reply.startsWith("HTTP/1.1 200 OK\r\n"), reply.constData());
    QVERIFY(reply.contains(QByteArray("\r\nContent-Length: " + QByteArray::number(content.size()) + "\r\n")));
    QVERIFY(reply.endsWith(QByteArray("\r\n\r\n" + content)));
    QVERIFY(server.hasServed());

    reply = exchange(server.port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY2(reply.startsWith("HTTP/1.1 410 "), reply.constData());

    const QList<dd::SourceRequest> requests = server.requests();
    QCOMPARE(requests.size(), 4);
    QCOMPARE(requests.at(2).status, 200);
    QCOMPARE(requests.at(2).userAgent, QStringLiteral("Node.js"));
    QCOMPARE(requests.at(2).bytes, qint64(content.size()));
    QVERIFY(requests.at(2).peer.startsWith(QStringLiteral("127.0.0.1:")));
    QCOMPARE(requests.at(3).bytes, qint64(0));
}

void TestConvertProbe::boundsTheRequestHeaders()
{
    dd::SourceFileServer server;
    QString error;
    QVERIFY(server.listen(QStringLiteral("127.0.0.1"), 0, QStringLiteral("a.docx"), "x", "text/plain", &error));
    const QByteArray endless = "GET / HTTP/1.1\r\nX-Filler: " + QByteArray(10 * 1024, 'a');
    const QByteArray reply = exchange(server.port(), endless);
    QVERIFY2(reply.startsWith("HTTP/1.1 400 "), reply.left(100).constData());
    QCOMPARE(server.requests().size(), 1);
    QVERIFY(!server.hasServed());
}

void TestConvertProbe::refusesToListenOnAName()
{
    dd::SourceFileServer server;
    QString error;
    QVERIFY(!server.listen(QStringLiteral("localhost"), 0, QStringLiteral("a.docx"), "x", "text/plain", &error));
    QVERIFY2(error.contains(QStringLiteral("localhost")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestConvertProbe)
#include "tst_convertprobe.moc"
