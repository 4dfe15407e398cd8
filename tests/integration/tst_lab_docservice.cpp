// Symptom tests of the lab scenarios whose cause sits in docservice or its dependencies: each
// scenario is brought up and observed from outside (status at the client, DS's nginx error log,
// docservice's log), then stopped with nothing left behind.
#include "labsymptoms.h"

#include <QTest>

using B = Symptom::Base;

class TestLabDocservice : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scenario_data()
    {
        QTest::addColumn<QList<Symptom>>("symptoms");
        const QString refused =
            QStringLiteral("connect() failed (111: Connection refused) while connecting to upstream");
        const QByteArray p0Page = "<center>nginx</center>";

        QTest::newRow("ds-starting-up") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck")).expect(502, p0Page).logs(QStringLiteral("ds-nginx"), refused),
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(200, "true")
                .retryFor(20000)
                .logs(QStringLiteral("docservice"), QStringLiteral("Express server listening on port"))};
        QTest::newRow("rabbitmq-unreachable") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck")).expect(502, p0Page).logs(QStringLiteral("ds-nginx"), refused),
            Symptom::get(QStringLiteral("welcome/"))
                .expect(200)
                .logs(QStringLiteral("docservice"),
                      QStringLiteral("nodeJS - [AMQP] Error: connect ECONNREFUSED 127.0.0.1:"))};
        QTest::newRow("docservice-db-unreachable") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(502, p0Page)
                .logs(QStringLiteral("docservice"),
                      QStringLiteral("getTableColumns error: Error: connect ECONNREFUSED 127.0.0.1:"))};
        QTest::newRow("db-schema-mismatch") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(502, p0Page)
                .logs(QStringLiteral("docservice"), QStringLiteral("DB table \"task_result\" does not contain columns: "
                                                                   "tenant, columns info: [{\"column_name\":\"id\"}"))};
        QTest::newRow("redis-unreachable") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(502, p0Page)
                .logs(QStringLiteral("docservice"),
                      QStringLiteral("nodeJS - editorData error: Error: connect ECONNREFUSED 127.0.0.1:"))};
        QTest::newRow("port-8000-conflict") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(404, "<title>Not Found</title>")
                .logs(QStringLiteral("docservice"),
                      QStringLiteral("Error: listen EADDRINUSE: address already in use :::")),
            Symptom::get(QStringLiteral("healthcheck"), B::Docservice).expect(404).header("Server", "gunicorn")};
        QTest::newRow("example-not-started") << QList<Symptom>{
            Symptom::get(QStringLiteral("welcome/")).expect(200),
            Symptom::get(QStringLiteral("healthcheck")).expect(200, "true"),
            Symptom::get(QStringLiteral("example/"))
                .expect(502, p0Page)
                .logs(QStringLiteral("ds-nginx"),
                      refused + QStringLiteral(", client: 127.0.0.1, server: , request: \"GET /example/ HTTP/1.1\", "
                                               "upstream: \"http://127.0.0.1:"))};
        QTest::newRow("upstream-prematurely-closed") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(502, p0Page)
                .logs(QStringLiteral("ds-nginx"),
                      QStringLiteral(
                          "upstream prematurely closed connection while reading response header from upstream"))};
        QTest::newRow("upstream-reset") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(502, p0Page)
                .logs(
                    QStringLiteral("ds-nginx"),
                    QStringLiteral(
                        "recv() failed (104: Connection reset by peer) while reading response header from upstream"))};
        QTest::newRow("upstream-header-too-big") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(502, p0Page)
                .logs(QStringLiteral("ds-nginx"),
                      QStringLiteral("upstream sent too big header while reading response header from upstream"))};
        QTest::newRow("no-live-upstreams") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck")).expect(502, p0Page).logs(QStringLiteral("ds-nginx"), refused),
            // docservice is up now ...
            Symptom::get(QStringLiteral("healthcheck"), B::Docservice)
                .expect(200, "true")
                .retryFor(10000)
                .logs(QStringLiteral("docservice"), QStringLiteral("Express server listening on port")),
            // ... and DS's nginx still will not try it for fail_timeout.
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(502, p0Page)
                .logs(QStringLiteral("ds-nginx"), QStringLiteral("no live upstreams while connecting to upstream"))};
        QTest::newRow("socketio-session-unknown")
            << QList<Symptom>{Symptom::get(QStringLiteral("8.2.0-143/doc/lab/c/?EIO=4&transport=polling"))
                                  .expect(200, "0{\"maxPayload\""),
                              Symptom::get(QStringLiteral("8.2.0-143/doc/lab/c/?EIO=4&transport=polling&sid={sid}"))
                                  .expect(400, "{\"code\":1,\"message\":\"Session ID unknown\"}")
                                  .logs(QStringLiteral("docservice"),
                                        QStringLiteral("io.connection_error code=1, message=Session ID unknown"))};
        QTest::newRow("healthcheck-false")
            << QList<Symptom>{Symptom::get(QStringLiteral("healthcheck"))
                                  .expect(200, "false")
                                  .logs(QStringLiteral("docservice"), QStringLiteral("healthCheck error Error: "))};
        QTest::newRow("healthy") << QList<Symptom>{
            Symptom::get(QStringLiteral("healthcheck")).expect(200, "true"),
            Symptom::get(QStringLiteral("example/")).expect(200),
            Symptom::command(false).expect(200, "{\"error\":0,\"version\":\"8.2.0.143\"}"),
            Symptom::websocketHandshake(QStringLiteral("8.2.0-143/doc/lab/c/?EIO=4&transport=websocket"))
                .expect(101)
                .header("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
            Symptom::get(QStringLiteral("doc/lab/c/?EIO=4&transport=polling")).expect(200, "0{\"maxPayload\"")};
    }

    void scenario()
    {
        QFETCH(QList<Symptom>, symptoms);
        QString failure;
        QVERIFY2(verifyScenario(QString::fromLatin1(QTest::currentDataTag()), symptoms, &failure), qPrintable(failure));
    }
};

QTEST_GUILESS_MAIN(TestLabDocservice)
#include "tst_lab_docservice.moc"
