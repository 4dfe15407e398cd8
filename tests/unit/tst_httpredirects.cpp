#include "probe/httpredirects.h"

#include <QTest>

using dd::HttpProbeResult;
using dd::HttpRedirectChain;
using dd::HttpRequestSpec;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

HttpProbeResult answer(const QString &url, const QByteArray &method, int status, const QByteArray &location,
                       const Headers &headers = {}, const QByteArray &body = {})
{
    HttpProbeResult r;
    r.request.url = QUrl(url);
    r.request.method = method;
    r.request.headers = headers;
    r.request.body = body;
    r.request.connectTo = QStringLiteral("10.0.0.5:8080");
    r.outcome = dd::ProbeOutcome::Ok;
    r.status = status;
    r.reason = "Moved";
    if (!location.isNull())
        r.headers.append({"Location", location});
    return r;
}

QStringList names(const Headers &headers)
{
    QStringList out;
    for (const auto &h : headers)
        out << QString::fromLatin1(h.first);
    return out;
}

} // namespace

// The rules HttpRedirectChain follows from one answer to the next request (as curl -L does).
class TestHttpRedirects : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nextRequest_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("location");
        QTest::addColumn<QString>("nextUrl");
        QTest::addColumn<QByteArray>("nextMethod");
        QTest::addColumn<bool>("bodyKept");
        QTest::addColumn<bool>("sameOrigin"); // caller's Host/Authorization/Cookie and connect-to kept

        const QString base = QStringLiteral("https://docs.example.com/ds/welcome");
        QTest::newRow("301 relative") << base << QByteArray("GET") << 301 << QByteArray("index.html")
                                      << QStringLiteral("https://docs.example.com/ds/index.html") << QByteArray("GET")
                                      << true << true;
        QTest::newRow("302 absolute path, fragment dropped")
            << base << QByteArray("GET") << 302 << QByteArray("/welcome/#top")
            << QStringLiteral("https://docs.example.com/welcome/") << QByteArray("GET") << true << true;
        QTest::newRow("303 after POST is a GET")
            << base << QByteArray("POST") << 303 << QByteArray("/done")
            << QStringLiteral("https://docs.example.com/done") << QByteArray("GET") << false << true;
        QTest::newRow("302 after POST is a GET, as curl and browsers do")
            << base << QByteArray("POST") << 302 << QByteArray("/done")
            << QStringLiteral("https://docs.example.com/done") << QByteArray("GET") << false << true;
        QTest::newRow("307 keeps POST and body")
            << base << QByteArray("POST") << 307 << QByteArray("/again")
            << QStringLiteral("https://docs.example.com/again") << QByteArray("POST") << true << true;
        QTest::newRow("308 keeps PUT") << base << QByteArray("PUT") << 308 << QByteArray("/again")
                                       << QStringLiteral("https://docs.example.com/again") << QByteArray("PUT") << true
                                       << true;
        QTest::newRow("to http: another origin")
            << base << QByteArray("GET") << 301 << QByteArray("http://docs.example.com/ds/welcome")
            << QStringLiteral("http://docs.example.com/ds/welcome") << QByteArray("GET") << true << false;
        QTest::newRow("another port: another origin")
            << base << QByteArray("GET") << 302 << QByteArray("https://docs.example.com:8443/x")
            << QStringLiteral("https://docs.example.com:8443/x") << QByteArray("GET") << true << false;
        QTest::newRow("explicit default port: same origin")
            << base << QByteArray("GET") << 302 << QByteArray("https://DOCS.example.com:443/x")
            << QStringLiteral("https://docs.example.com:443/x") << QByteArray("GET") << true << true;
    }

    void nextRequest()
    {
        QFETCH(QString, url);
        QFETCH(QByteArray, method);
        QFETCH(int, status);
        QFETCH(QByteArray, location);
        QFETCH(QString, nextUrl);
        QFETCH(QByteArray, nextMethod);
        QFETCH(bool, bodyKept);
        QFETCH(bool, sameOrigin);

        const Headers headers{{"Host", "docs.example.com"},
                              {"Authorization", "Bearer x"},
                              {"Cookie", "a=b"},
                              {"Content-Type", "application/json"},
                              {"X-Trace", "1"}};
        const HttpProbeResult r = answer(url, method, status, location, headers, "{\"c\":1}");
        HttpRequestSpec next;
        QString error;
        QVERIFY2(HttpRedirectChain::nextRequest(r, &next, &error), qPrintable(error));
        QVERIFY(error.isEmpty());
        QCOMPARE(next.url.toString(), nextUrl);
        QCOMPARE(next.method, nextMethod);
        QCOMPARE(next.body.isEmpty(), !bodyKept);
        const QStringList sent = names(next.headers);
        QCOMPARE(sent.contains(QStringLiteral("Content-Type")), bodyKept);
        QVERIFY(sent.contains(QStringLiteral("X-Trace")));
        for (const QString &name : {QStringLiteral("Host"), QStringLiteral("Authorization"), QStringLiteral("Cookie")})
            QCOMPARE(sent.contains(name), sameOrigin);
        QCOMPARE(next.connectTo.isEmpty(), !sameOrigin);
    }

    void notFollowed_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("location");
        QTest::addColumn<QString>("error"); // empty: not a redirect at all

        QTest::newRow("200") << 200 << QByteArray("/elsewhere") << QString();
        QTest::newRow("304 is not a redirect to follow") << 304 << QByteArray("/x") << QString();
        QTest::newRow("redirect without Location") << 302 << QByteArray() << QStringLiteral("has no Location header");
        QTest::newRow("empty Location") << 301 << QByteArray("  ") << QStringLiteral("has no Location header");
        QTest::newRow("ftp") << 301 << QByteArray("ftp://files.example/x")
                             << QStringLiteral("is not an http:// or https:// URL");
        QTest::newRow("javascript") << 302 << QByteArray("javascript:alert(1)")
                                    << QStringLiteral("is not an http:// or https:// URL");
    }

    void notFollowed()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, location);
        QFETCH(QString, error);
        HttpRequestSpec next;
        QString why;
        QVERIFY(!HttpRedirectChain::nextRequest(
            answer(QStringLiteral("http://127.0.0.1:8080/"), "GET", status, location), &next, &why));
        QCOMPARE(why.isEmpty(), error.isEmpty());
        QVERIFY2(why.contains(error), qPrintable(why));
        QVERIFY(!why.contains(QLatin1Char('\n')));
    }

    void failedHopIsNotFollowed()
    {
        HttpProbeResult r = answer(QStringLiteral("http://127.0.0.1:8080/"), "GET", 301, "/x");
        r.outcome = dd::ProbeOutcome::ClosedEarly;
        HttpRequestSpec next;
        QString why;
        QVERIFY(!HttpRedirectChain::nextRequest(r, &next, &why));
        QVERIFY(why.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHttpRedirects)
#include "tst_httpredirects.moc"
