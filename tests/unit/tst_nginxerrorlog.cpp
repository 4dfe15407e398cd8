#include "logs/nginxerrorlog.h"

#include <QTest>

class TestNginxErrorLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void classifies_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("cause");
        QTest::addColumn<int>("errnum");
        QTest::addColumn<QString>("upstream");
        QTest::newRow("refused")
            << QStringLiteral(
                   "2024/10/22 13:51:56 [error] 123#123: *45 connect() failed (111: Connection refused) while "
                   "connecting to "
                   "upstream, client: 172.18.0.1, server: , request: \"GET /healthcheck HTTP/1.1\", upstream: "
                   "\"http://127.0.0.1:8000/healthcheck\", host: \"localhost\"")
            << QStringLiteral("upstream-refused") << 111 << QStringLiteral("http://127.0.0.1:8000/healthcheck");
        QTest::newRow("refused, Unknown error text")
            << QStringLiteral("2023/02/01 10:00:00 [error] 31#31: *7 connect() failed (111: Unknown error) while "
                              "connecting to upstream, "
                              "client: 10.0.0.2, server: , request: \"GET / HTTP/1.1\", upstream: "
                              "\"http://[::1]:8000/\", host: \"x\"")
            << QStringLiteral("upstream-refused") << 111 << QStringLiteral("http://[::1]:8000/");
        QTest::newRow("docker prefix")
            << QStringLiteral(
                   "onlyoffice-1  | 2024/01/05 08:00:01 [error] 9#9: *1 connect() failed (111: Connection refused) "
                   "while "
                   "connecting to upstream, client: 1.2.3.4, server: _, request: \"GET /example/ HTTP/1.1\", upstream: "
                   "\"http://127.0.0.1:3000/\", host: \"docs\"")
            << QStringLiteral("upstream-refused") << 111 << QStringLiteral("http://127.0.0.1:3000/");
        QTest::newRow("read timeout")
            << QStringLiteral("2021/05/04 12:00:00 [error] 7#7: *99 upstream timed out (110: Connection timed out) "
                              "while reading response "
                              "header from upstream, client: 127.0.0.1, server: , request: \"POST /ConvertService.ashx "
                              "HTTP/1.1\", "
                              "upstream: \"http://127.0.0.1:8000/ConvertService.ashx\", host: \"127.0.0.1\"")
            << QStringLiteral("upstream-timeout") << 110 << QStringLiteral("http://127.0.0.1:8000/ConvertService.ashx");
        QTest::newRow("connect timeout") << QStringLiteral("2021/05/04 12:00:00 [error] 7#7: *9 upstream timed out "
                                                           "(110: Connection timed out) while connecting to "
                                                           "upstream, client: 1.1.1.1, server: d, request: \"GET / "
                                                           "HTTP/1.1\", upstream: \"http://10.0.0.5:80/\", host: \"d\"")
                                         << QStringLiteral("backend-unreachable-network") << 110
                                         << QStringLiteral("http://10.0.0.5:80/");
        QTest::newRow("no route")
            << QStringLiteral(
                   "2021/05/04 12:00:00 [error] 7#7: *9 connect() to 10.0.0.5:80 failed (113: No route to host) while "
                   "connecting to upstream, client: 1.1.1.1, server: d, request: \"GET / HTTP/1.1\", upstream: "
                   "\"http://10.0.0.5:80/\", host: \"d\"")
            << QStringLiteral("backend-unreachable-network") << 113 << QStringLiteral("http://10.0.0.5:80/");
        QTest::newRow("selinux") << QStringLiteral("2021/05/04 12:00:00 [crit] 7#7: *9 connect() to 127.0.0.1:8000 "
                                                   "failed (13: Permission denied) while "
                                                   "connecting to upstream, client: 1.1.1.1, server: d, request: \"GET "
                                                   "/ HTTP/1.1\", upstream: \"http://127.0.0.1:8000/\", host: \"d\"")
                                 << QStringLiteral("selinux-denied-upstream") << 13
                                 << QStringLiteral("http://127.0.0.1:8000/");
        QTest::newRow("prematurely closed")
            << QStringLiteral("2020/01/01 00:00:00 [error] 1#1: *2 upstream prematurely closed connection while "
                              "reading response header "
                              "from upstream, client: 1.1.1.1, server: , request: \"POST "
                              "/6.2.0-123/doc/k/c/277/2acemjjw/xhr?t=1 HTTP/1.1\", "
                              "upstream: \"http://127.0.0.1:8000/doc/k/c/277/2acemjjw/xhr?t=1\", host: \"h\"")
            << QStringLiteral("upstream-prematurely-closed") << 0
            << QStringLiteral("http://127.0.0.1:8000/doc/k/c/277/2acemjjw/xhr?t=1");
        QTest::newRow("reset") << QStringLiteral("2020/01/01 00:00:00 [error] 1#1: *2 recv() failed (104: Connection "
                                                 "reset by peer) while reading response "
                                                 "header from upstream, client: 1.1.1.1, server: , request: \"GET / "
                                                 "HTTP/1.1\", upstream: \"http://127.0.0.1:8000/\", host: \"h\"")
                               << QStringLiteral("upstream-reset") << 104 << QStringLiteral("http://127.0.0.1:8000/");
        QTest::newRow("no live upstreams")
            << QStringLiteral("2020/01/01 00:00:00 [error] 1#1: *2 no live upstreams while connecting to upstream, "
                              "client: 1.1.1.1, "
                              "server: , request: \"GET /welcome/ HTTP/1.1\", upstream: "
                              "\"http://docservice/welcome/\", host: \"h\"")
            << QStringLiteral("no-live-upstreams") << 0 << QStringLiteral("http://docservice/welcome/");
        QTest::newRow("scheme mismatch") << QStringLiteral("2020/01/01 00:00:00 [error] 1#1: *2 SSL_do_handshake() "
                                                           "failed (SSL: error:0A00010B:SSL routines::wrong "
                                                           "version number) while SSL handshaking to upstream, client: "
                                                           "1.1.1.1, server: , request: \"GET / HTTP/1.1\", "
                                                           "upstream: \"https://10.0.0.5:80/\", host: \"h\"")
                                         << QStringLiteral("upstream-scheme-mismatch") << 0
                                         << QStringLiteral("https://10.0.0.5:80/");
        QTest::newRow("verify") << QStringLiteral("2020/01/01 00:00:00 [error] 1#1: *2 upstream SSL certificate verify "
                                                  "error: (18:self-signed certificate) "
                                                  "while SSL handshaking to upstream, client: 1.1.1.1, server: , "
                                                  "request: \"GET / HTTP/1.1\", upstream: "
                                                  "\"https://10.0.0.5:443/\", host: \"h\"")
                                << QStringLiteral("tls-upstream-verify-failed") << 0
                                << QStringLiteral("https://10.0.0.5:443/");
        QTest::newRow("resolver") << QStringLiteral("2020/01/01 00:00:00 [error] 1#1: *2 onlyoffice could not be "
                                                    "resolved (3: Host not found), client: 1.1.1.1, "
                                                    "server: , request: \"GET / HTTP/1.1\", host: \"h\"")
                                  << QStringLiteral("dns-resolve-failed") << 3 << QString();
        QTest::newRow("too large") << QStringLiteral(
                                          "2020/01/01 00:00:00 [error] 1#1: *2 client intended to send too large body: "
                                          "221587234 bytes, client: "
                                          "1.1.1.1, server: , request: \"POST /example/upload? HTTP/1.1\", host: \"h\"")
                                   << QStringLiteral("request-body-too-large") << 0 << QString();
        QTest::newRow("unrelated") << QStringLiteral("2020/01/01 00:00:00 [notice] 1#1: signal process started")
                                   << QString() << 0 << QString();
    }
    void classifies()
    {
        QFETCH(QString, line);
        QFETCH(QString, cause);
        QFETCH(int, errnum);
        QFETCH(QString, upstream);
        const auto parsed = dd::parseNginxErrorLine(line);
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->causeId, cause);
        QCOMPARE(parsed->errnum, errnum);
        QCOMPARE(parsed->upstream, upstream);
        QVERIFY(parsed->time.isValid());
    }

    void contextFields()
    {
        const auto p = dd::parseNginxErrorLine(QStringLiteral(
            "2024/10/22 13:51:56 [error] 123#123: *45 connect() failed (111: Connection refused) while connecting to "
            "upstream, client: 172.18.0.1, server: docs, request: \"GET /healthcheck HTTP/1.1\", upstream: "
            "\"http://127.0.0.1:8000/healthcheck\", host: \"localhost:8080\""));
        QVERIFY(p);
        QCOMPARE(p->level, QStringLiteral("error"));
        QCOMPARE(p->connection, 45);
        QCOMPARE(p->client, QStringLiteral("172.18.0.1"));
        QCOMPARE(p->server, QStringLiteral("docs"));
        QCOMPARE(p->request, QStringLiteral("GET /healthcheck HTTP/1.1"));
        QCOMPARE(p->host, QStringLiteral("localhost:8080"));
        QCOMPARE(p->action, QStringLiteral("connecting to upstream"));
    }

    void rejectsNonNginx_data()
    {
        QTest::addColumn<QString>("line");
        QTest::newRow("empty") << QString();
        QTest::newRow("log4js") << QStringLiteral(
            "[2024-10-22T13:51:56.259] [ERROR] nodeJS - [AMQP] Error: connect ECONNREFUSED 127.0.0.1:5672");
        QTest::newRow("binary") << QString::fromLatin1("\x01\x02\xff\xfe 2020/01/01", 16);
        QTest::newRow("access log") << QStringLiteral(
            "127.0.0.1 - - [22/Oct/2024:13:51:56 +0000] \"GET / HTTP/1.1\" 502 157");
    }
    void rejectsNonNginx()
    {
        QFETCH(QString, line);
        QVERIFY(!dd::parseNginxErrorLine(line).has_value());
    }
};

QTEST_GUILESS_MAIN(TestNginxErrorLog)
#include "tst_nginxerrorlog.moc"
