// Symptom tests of the lab scenarios whose cause sits in the front proxy or between it and
// Document Server's nginx: status at the client, the exact nginx error-log line, the websocket
// handshake and the URLs Document Server generates; each lab is stopped with nothing left behind.
#include "labsymptoms.h"

#include <QTest>

using B = Symptom::Base;

class TestLabProxy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scenario_data()
    {
        QTest::addColumn<QList<Symptom>>("symptoms");
        const QString front = QStringLiteral("front");
        const QString refused =
            QStringLiteral("connect() failed (111: Connection refused) while connecting to upstream");
        const QByteArray p1Page = "<center>nginx/";
        const QString websocketPath = QStringLiteral("8.2.0-143/doc/lab/c/?EIO=4&transport=websocket");

        QTest::newRow("ds-nginx-down") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck")).expect(502, p1Page).logs(front, refused),
            Symptom::get(QStringLiteral("healthcheck"), B::DsNginx)
                .expect(0)
                .logs(QStringLiteral("ds-nginx"), QStringLiteral("[emerg] ")),
            Symptom::get(QStringLiteral("welcome/"), B::DsNginx)
                .expect(0)
                .logs(QStringLiteral("ds-nginx"), QStringLiteral(": unknown \"cache_tag\" variable"))};
        QTest::newRow("wrong-upstream-port")
            << QList<Symptom>{Symptom::get(QStringLiteral("healthcheck")).expect(200, "true"),
                              Symptom::get(QStringLiteral("web-apps/apps/api/documents/api.js"))
                                  .expect(404, "Cannot GET /web-apps/apps/api/documents/api.js"),
                              Symptom::get(QStringLiteral("welcome/")).expect(404)};
        QTest::newRow("upstream-scheme-mismatch") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(502, p1Page)
                .logs(front, QStringLiteral("SSL routines::wrong version number) while SSL handshaking to upstream"))};
        QTest::newRow("tls-upstream-verify-failed")
            << QList<Symptom>{Symptom::get(QStringLiteral("healthcheck"))
                                  .expect(502, p1Page)
                                  .logs(front, QStringLiteral("upstream SSL certificate verify error: (18:self-signed "
                                                              "certificate) while SSL handshaking to upstream"))};
        QTest::newRow("backend-unreachable-network") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(504, p1Page)
                .logs(front,
                      QStringLiteral("upstream timed out (110: Connection timed out) while connecting to upstream"))};
        QTest::newRow("backend-bound-loopback")
            << QList<Symptom>{Symptom::get(QStringLiteral("healthcheck")).expect(502, p1Page).logs(front, refused),
                              Symptom::get(QStringLiteral("healthcheck"), B::DsNginx).expect(0)};
        QTest::newRow("localhost-ipv6-mismatch") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(200, "true")
                .logs(front, refused + QStringLiteral(", client: 127.0.0.1, server: localhost, request: \"GET "
                                                      "/healthcheck HTTP/1.1\", upstream: \"http://[::1]:")),
            Symptom::get(QStringLiteral("healthcheck")).expect(200, "true")};
        QTest::newRow("request-body-too-large") << QList<Symptom>{
            Symptom::get(QStringLiteral("upload/lab-document"))
                .post(QByteArray(2 * 1024 * 1024, 'x'))
                .expect(413)
                .logs(front, QStringLiteral("client intended to send too large body: 2097152 bytes")),
            Symptom::get(QStringLiteral("upload/lab-document")).post(QByteArray(100 * 1024, 'x')).expect(404)};
        QTest::newRow("websocket-upgrade-missing") << QList<Symptom>{
            Symptom::websocketHandshake(websocketPath)
                .expect(400, "{\"code\":3,\"message\":\"Bad request\"}")
                .logs(QStringLiteral("docservice"), QStringLiteral("io.connection_error code=3, message=Bad request")),
            Symptom::websocketHandshake(websocketPath, B::DsNginx).expect(101)};
        QTest::newRow("websocket-path-rule-outdated") << QList<Symptom>{
            Symptom::websocketHandshake(websocketPath)
                .expect(400, "{\"code\":3,\"message\":\"Bad request\"}")
                .logs(QStringLiteral("docservice"), QStringLiteral("io.connection_error code=3, message=Bad request"))};
        QTest::newRow("socketio-query-lost") << QList<Symptom>{
            Symptom::get(QStringLiteral("8.2.0-143/doc/lab/c/?EIO=4&transport=polling"))
                .expect(400, "{\"code\":0,\"message\":\"Transport unknown\"}")
                .logs(QStringLiteral("docservice"),
                      QStringLiteral("io.connection_error code=0, message=Transport unknown")),
            Symptom::get(QStringLiteral("8.2.0-143/doc/lab/c/?EIO=4&transport=polling"), B::DsNginx).expect(200, "0{")};
        Symptom idle = Symptom::websocketHandshake(websocketPath).expect(101);
        idle.closedWithinMs = 2000;
        // nginx logs this timeout at info level only, so the error log stays silent.
        QTest::newRow("websocket-idle-timeout") << QList<Symptom>{idle};
        QTest::newRow("forwarded-proto-mismatch")
            << QList<Symptom>{Symptom::get(QString()).expect(302).header("Location", "http://127.0.0.1:"),
                              Symptom::convert().expect(200, "\"fileUrl\":\"http://127.0.0.1:")};
        QTest::newRow("missing-host-header")
            << QList<Symptom>{// The front proxy's proxy_redirect repairs the redirect; the URLs in bodies stay wrong.
                              Symptom::get(QString()).expect(302),
                              Symptom::convert().expect(200, "\"fileUrl\":\"http://docserver/cache/files/data/check_")};
        QTest::newRow("virtual-path-prefix-missing") << QList<Symptom>{
            Symptom::get(QString()).expect(302).header("Location", ":/welcome/").header("Location", "/welcome/"),
            Symptom::get(QStringLiteral("/welcome/")).expect(404),
            Symptom::get(QStringLiteral("welcome/")).expect(200)};
        QTest::newRow("frame-blocked-by-proxy-headers") << QList<Symptom>{
            Symptom::get(QStringLiteral("web-apps/apps/api/documents/api.js"))
                .expect(200)
                .header("X-Frame-Options", "SAMEORIGIN"),
            Symptom::get(QStringLiteral("healthcheck")).expect(200, "true").header("X-Frame-Options", "SAMEORIGIN")};
        QTest::newRow("dns-resolve-failed") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(502, p1Page)
                .logs(front, QStringLiteral(
                                 "onlyoffice-documentserver.lab.invalid could not be resolved (3: Host not found)")),
            Symptom::get(QStringLiteral("healthcheck"), B::DsNginx).expect(200, "true")};
        QTest::newRow("apache-missing-proxy-modules") << QList<Symptom>{
            Symptom::websocketHandshake(websocketPath)
                .expect(500)
                .logs(front, QStringLiteral("AH01144: No protocol handler was valid for the URL /8.2.0-143/doc/lab/c/ "
                                            "(scheme 'ws'). If you are using a DSO version of mod_proxy, make sure the "
                                            "proxy submodules are included in the configuration using LoadModule.")),
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(500)
                .header("Server", "Apache/2.4")
                .logs(front, QStringLiteral("(scheme 'http')")),
            Symptom::get(QStringLiteral("healthcheck"), B::DsNginx).expect(200, "true")};
        QTest::newRow("upstream-refused")
            << QList<Symptom>{Symptom::get(QStringLiteral("healthcheck")).expect(502, p1Page).logs(front, refused)};
        QTest::newRow("upstream-timeout") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(504, "<center>nginx</center>")
                .logs(
                    QStringLiteral("ds-nginx"),
                    QStringLiteral(
                        "upstream timed out (110: Connection timed out) while reading response header from upstream"))};
        QTest::newRow("ds-docservice-down")
            << QList<Symptom>{Symptom::get(QStringLiteral("healthcheck"))
                                  .expect(502, "<center>nginx</center>")
                                  .logs(QStringLiteral("ds-nginx"), refused),
                              Symptom::get(QStringLiteral("web-apps/apps/api/documents/api.js")).expect(200)};
    }

    void scenario()
    {
        QFETCH(QList<Symptom>, symptoms);
        QString failure;
        QVERIFY2(verifyScenario(QString::fromLatin1(QTest::currentDataTag()), symptoms, &failure), qPrintable(failure));
    }
};

QTEST_GUILESS_MAIN(TestLabProxy)
#include "tst_lab_proxy.moc"
