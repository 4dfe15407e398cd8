#include "probe/httpresponseparser.h"

#include <QTest>

using dd::HttpResponseParser;
using Error = HttpResponseParser::Error;

Q_DECLARE_METATYPE(HttpResponseParser::Error)

namespace {

enum class FeedMode { Whole, ByteByByte, Halves };

HttpResponseParser::Limits testLimits()
{
    HttpResponseParser::Limits limits;
    limits.maxHeaderBytes = 64 * 1024;
    limits.maxBodyBytes = 16;
    limits.maxReadBodyBytes = 4096;
    return limits;
}

void feedAll(HttpResponseParser &parser, const QByteArray &input, FeedMode mode)
{
    switch (mode) {
    case FeedMode::Whole:
        parser.feed(input);
        break;
    case FeedMode::ByteByByte:
        for (qsizetype i = 0; i < input.size(); ++i)
            parser.feed(QByteArrayView(input).sliced(i, 1));
        break;
    case FeedMode::Halves:
        parser.feed(QByteArrayView(input).first(input.size() / 2));
        parser.feed(QByteArrayView(input).sliced(input.size() / 2));
        break;
    }
}

QString stateName(const HttpResponseParser &parser)
{
    if (parser.isComplete())
        return QStringLiteral("complete");
    if (parser.hasFailed())
        return QStringLiteral("failed");
    return QStringLiteral("incomplete");
}

} // namespace

class TestHttpResponseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void reportsNonHttpPeers_data();
    void reportsNonHttpPeers();
    void stopsReadingHugeBodies();
    void leavesBytesAfterTheResponse();
    void bodyKeepsOnlyTheLimit();
};

void TestHttpResponseParser::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<bool>("peerCloses");
    QTest::addColumn<QString>("state");
    QTest::addColumn<Error>("error");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("headerName");
    QTest::addColumn<QByteArray>("headerValue");

    const QByteArray get("GET");
    QTest::newRow("content-length") << QByteArray("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 5\r\n\r\nhello")
                                    << get << false << QStringLiteral("complete") << Error::None << 200
                                    << QByteArray("hello") << QByteArray("server") << QByteArray("nginx");
    QTest::newRow("502 from nginx")
        << QByteArray("HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\n"
                      "Content-Length: 11\r\n\r\n<html>502</")
        << get << false << QStringLiteral("complete") << Error::None << 502 << QByteArray("<html>502</")
        << QByteArray("Content-Type") << QByteArray("text/html");
    QTest::newRow("chunked with extension and trailer")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n"
                      "6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n")
        << get << false << QStringLiteral("complete") << Error::None << 200 << QByteArray("hello world")
        << QByteArray("Transfer-Encoding") << QByteArray("chunked");
    QTest::newRow("chunked upper-case hex")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n") << get
        << false << QStringLiteral("complete") << Error::None << 200 << QByteArray("0123456789") << QByteArray()
        << QByteArray();
    QTest::newRow("read until close, closed")
        << QByteArray("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close") << get << true
        << QStringLiteral("complete") << Error::None << 200 << QByteArray("until close") << QByteArray()
        << QByteArray();
    QTest::newRow("read until close, still open")
        << QByteArray("HTTP/1.0 200 OK\r\n\r\npartial") << get << false << QStringLiteral("incomplete") << Error::None
        << 200 << QByteArray("partial") << QByteArray() << QByteArray();
    QTest::newRow("LF-only line ends") << QByteArray(
                                              "HTTP/1.1 404 Not Found\nServer: Apache/2.4.57\nContent-Length: 3\n\nabc")
                                       << get << false << QStringLiteral("complete") << Error::None << 404
                                       << QByteArray("abc") << QByteArray("SERVER") << QByteArray("Apache/2.4.57");
    QTest::newRow("obsolete line folding")
        << QByteArray("HTTP/1.1 200 OK\r\nX-Long: first\r\n \t second\r\nContent-Length: 0\r\n\r\n") << get << false
        << QStringLiteral("complete") << Error::None << 200 << QByteArray() << QByteArray("x-long")
        << QByteArray("first second");
    QTest::newRow("204 ignores Content-Length")
        << QByteArray("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n") << get << false
        << QStringLiteral("complete") << Error::None << 204 << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("304 has no body") << QByteArray("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n") << get << false
                                     << QStringLiteral("complete") << Error::None << 304 << QByteArray()
                                     << QByteArray("etag") << QByteArray("\"x\"");
    QTest::newRow("HEAD has no body") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n")
                                      << QByteArray("HEAD") << false << QStringLiteral("complete") << Error::None << 200
                                      << QByteArray() << QByteArray("content-length") << QByteArray("1234");
    QTest::newRow("100 Continue is skipped")
        << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok") << get
        << false << QStringLiteral("complete") << Error::None << 201 << QByteArray("ok") << QByteArray()
        << QByteArray();
    QTest::newRow("101 Switching Protocols ends the response")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n") << get << false
        << QStringLiteral("complete") << Error::None << 101 << QByteArray() << QByteArray("upgrade")
        << QByteArray("websocket");
    QTest::newRow("empty line before the status line")
        << QByteArray("\r\nHTTP/1.1 200\r\nContent-Length: 0\r\n\r\n") << get << false << QStringLiteral("complete")
        << Error::None << 200 << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("Content-Length repeated with the same value")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nab") << get << false
        << QStringLiteral("complete") << Error::None << 200 << QByteArray("ab") << QByteArray() << QByteArray();
    QTest::newRow("body cut short by close")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc") << get << true << QStringLiteral("failed")
        << Error::ClosedInBody << 200 << QByteArray("abc") << QByteArray() << QByteArray();
    QTest::newRow("chunked body cut short by close")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel") << get << true
        << QStringLiteral("failed") << Error::ClosedInBody << 200 << QByteArray("hel") << QByteArray() << QByteArray();
    QTest::newRow("closed without a byte")
        << QByteArray() << get << true << QStringLiteral("failed") << Error::ClosedBeforeStatus << 0 << QByteArray()
        << QByteArray() << QByteArray();
    QTest::newRow("closed inside the status line")
        << QByteArray("HTTP/1.1 50") << get << true << QStringLiteral("failed") << Error::ClosedBeforeStatus << 0
        << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("closed inside the headers")
        << QByteArray("HTTP/1.1 200 OK\r\nServer: ng") << get << true << QStringLiteral("failed")
        << Error::ClosedInHeaders << 200 << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("garbage") << QByteArray("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n") << get << false
                             << QStringLiteral("failed") << Error::Malformed << 0 << QByteArray() << QByteArray()
                             << QByteArray();
    QTest::newRow("bad status code") << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n") << get << false
                                     << QStringLiteral("failed") << Error::Malformed << 0 << QByteArray()
                                     << QByteArray() << QByteArray();
    QTest::newRow("bad version") << QByteArray("HTTP/x 200 OK\r\n\r\n") << get << false << QStringLiteral("failed")
                                 << Error::Malformed << 0 << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("header line without colon")
        << QByteArray("HTTP/1.1 200 OK\r\nthis is not a header\r\n\r\n") << get << false << QStringLiteral("failed")
        << Error::Malformed << 200 << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("space before the colon")
        << QByteArray("HTTP/1.1 200 OK\r\nServer : nginx\r\n\r\n") << get << false << QStringLiteral("failed")
        << Error::Malformed << 200 << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("conflicting Content-Length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc") << get << false
        << QStringLiteral("failed") << Error::Malformed << 200 << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("bad chunk size") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << get
                                    << false << QStringLiteral("failed") << Error::Malformed << 200 << QByteArray()
                                    << QByteArray() << QByteArray();
    QTest::newRow("huge header") << QByteArray("HTTP/1.1 200 OK\r\nX-Big: " + QByteArray(70 * 1024, 'a') + "\r\n\r\n")
                                 << get << false << QStringLiteral("failed") << Error::HeaderTooLarge << 200
                                 << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("endless status line") << QByteArray("HTTP/1.1 200 " + QByteArray(70 * 1024, 'b')) << get << false
                                         << QStringLiteral("failed") << Error::HeaderTooLarge << 0 << QByteArray()
                                         << QByteArray() << QByteArray();
}

void TestHttpResponseParser::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, method);
    QFETCH(bool, peerCloses);
    QFETCH(QString, state);
    QFETCH(Error, error);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, headerName);
    QFETCH(QByteArray, headerValue);

    for (const FeedMode mode : {FeedMode::Whole, FeedMode::ByteByByte, FeedMode::Halves}) {
        const QByteArray where = "feed mode " + QByteArray::number(int(mode));
        HttpResponseParser parser(testLimits());
        parser.setRequestMethod(method);
        feedAll(parser, input, mode);
        if (peerCloses)
            parser.closed();
        QVERIFY2(stateName(parser) == state,
                 qPrintable(QStringLiteral("%1: state %2 (%3)")
                                .arg(QString::fromLatin1(where), stateName(parser), parser.errorString())));
        QVERIFY2(parser.error() == error, where.constData());
        QVERIFY2(parser.statusCode() == status, where.constData());
        QVERIFY2(parser.body() == body, where.constData());
        QCOMPARE(parser.hasFailed(), !parser.errorString().isEmpty());
        if (!headerName.isEmpty())
            QVERIFY2(parser.header(headerName) == headerValue, where.constData());
    }
}

void TestHttpResponseParser::reportsNonHttpPeers_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("hint");

    QTest::newRow("TLS alert") << QByteArray("\x15\x03\x01\x00\x02\x02\x46", 7) << QStringLiteral("HTTPS port");
    QTest::newRow("SSH banner") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n") << QStringLiteral("SSH");
    QTest::newRow("Redis error") << QByteArray("-ERR unknown command 'GET'\r\n") << QStringLiteral("Redis");
    QTest::newRow("binary") << QByteArray("\x00\x01\x02", 3) << QStringLiteral("\\x00\\x01\\x02");
}

void TestHttpResponseParser::reportsNonHttpPeers()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, hint);

    HttpResponseParser parser;
    parser.feed(input);
    QVERIFY(parser.hasFailed());
    QCOMPARE(parser.error(), Error::Malformed);
    QVERIFY2(parser.errorString().contains(hint), qPrintable(parser.errorString()));
}

void TestHttpResponseParser::stopsReadingHugeBodies()
{
    HttpResponseParser parser(testLimits());
    parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n");
    const QByteArray block(1000, 'x');
    for (int i = 0; i < 10 && !parser.isComplete(); ++i)
        parser.feed(block);
    QVERIFY(parser.isComplete());
    QVERIFY(parser.stoppedReading());
    QVERIFY(parser.isBodyTruncated());
    QCOMPARE(parser.body().size(), 16);
    QCOMPARE(parser.bodyBytesRead(), 4096);
}

void TestHttpResponseParser::leavesBytesAfterTheResponse()
{
    HttpResponseParser parser;
    const QByteArray input("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabEXTRA");
    QCOMPARE(parser.feed(input), input.size() - 5);
    QVERIFY(parser.isComplete());
    QCOMPARE(parser.body(), QByteArray("ab"));
    QCOMPARE(parser.feed("more"), 0);
}

void TestHttpResponseParser::bodyKeepsOnlyTheLimit()
{
    HttpResponseParser parser(testLimits());
    parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n");
    parser.feed(QByteArray(40, 'y'));
    QVERIFY(parser.isComplete());
    QVERIFY(!parser.stoppedReading());
    QVERIFY(parser.isBodyTruncated());
    QCOMPARE(parser.body(), QByteArray(16, 'y'));
    QCOMPARE(parser.bodyBytesRead(), 40);
}

QTEST_GUILESS_MAIN(TestHttpResponseParser)
#include "tst_httpresponseparser.moc"
