// Symptom tests of the lab scenarios between Document Server and the integrator: JWT on the
// command service, docservice's downloads from the storage and its callbacks, the signed result
// links. Observed from outside: HTTP status, the error codes in the answers, docservice's and the
// converter's log lines; each lab is stopped with nothing left behind.
#include "labfixture.h"
#include "labsymptoms.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using B = Symptom::Base;

class TestLabIntegrator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scenario_data()
    {
        QTest::addColumn<QList<Symptom>>("symptoms");
        const QString docservice = QStringLiteral("docservice");
        const QString converter = QStringLiteral("converter");
        const QByteArray downloadError = "{\"error\":-4}";

        QTest::newRow("jwt-secret-mismatch") << QList<Symptom>{
            Symptom::command(true)
                .expect(200, "{\"error\":6}")
                .logs(docservice,
                      QStringLiteral(
                          "checkJwt error: name = JsonWebTokenError message = invalid signature token = eyJ"))};
        QTest::newRow("jwt-missing-in-config") << QList<Symptom>{
            Symptom::command(false)
                .expect(200, "{\"error\":6}")
                .logs(
                    docservice,
                    QStringLiteral(
                        "checkJwt error: name = JsonWebTokenError message = jwt must be provided token = undefined"))};
        QTest::newRow("jwt-header-mismatch")
            << QList<Symptom>{Symptom::command(true)
                                  .expect(200, "{\"error\":6}")
                                  .logs(docservice, QStringLiteral("message = jwt must be provided token = undefined")),
                              // A token in the header Document Server reads is checked (this one is malformed).
                              Symptom::command(false)
                                  .with("AuthorizationJwt", "Bearer invalid")
                                  .expect(200, "{\"error\":6}")
                                  .logs(docservice, QStringLiteral("message = jwt malformed token = invalid"))};
        QTest::newRow("jwt-expired-clock-skew") << QList<Symptom>{
            Symptom::command(true)
                .expect(200, "{\"error\":7}")
                .logs(docservice,
                      QStringLiteral("checkJwt error: name = TokenExpiredError message = jwt expired token = eyJ"))};
        QTest::newRow("secure-link-mismatch") << QList<Symptom>{Symptom::convert().expect(200, "\"endConvert\":true"),
                                                                Symptom::get(QString(), B::FileUrl).expect(403)};
        QTest::newRow("private-ip-blocked") << QList<Symptom>{
            Symptom::convert()
                .expect(200, downloadError)
                .logs(converter,
                      QStringLiteral(";attempt=1;code:null;connect:null Error: DNS lookup 127.0.0.1(family:4, "
                                     "host:127.0.0.1) is not allowed. Because, It is private IP address."))};
        QTest::newRow("storage-url-unreachable-from-ds") << QList<Symptom>{
            Symptom::convert()
                .expect(200, downloadError)
                .logs(converter,
                      QStringLiteral(
                          ";attempt=3;code:ECONNREFUSED;connect:null Error: connect ECONNREFUSED 127.0.0.1:"))};
        QTest::newRow("storage-tls-untrusted") << QList<Symptom>{
            Symptom::convert()
                .expect(200, downloadError)
                .logs(converter,
                      QStringLiteral(
                          ";attempt=1;code:DEPTH_ZERO_SELF_SIGNED_CERT;connect:null Error: self signed certificate"))};
        QTest::newRow("storage-rejects-ds-request") << QList<Symptom>{
            Symptom::convert()
                .expect(200, downloadError)
                .logs(
                    converter,
                    QStringLiteral(";attempt=1;code:null;connect:null Error: Error response: statusCode:403 ;body:"))};
        QTest::newRow("callback-failed") << QList<Symptom>{
            Symptom::info()
                .expect(200, "{\"error\":0,\"key\":\"lab-document\"}")
                .logs(docservice, QStringLiteral("postData error: url = http://127.0.0.1:")),
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(200, "true")
                .logs(docservice,
                      QStringLiteral("/track-broken;data = "
                                     "{\"actions\":[{\"type\":1,\"userid\":\"lab-user\"}],\"key\":\"lab-document\","
                                     "\"status\":1,\"users\":[\"lab-user\"]} Error: Error response: statusCode:500 "
                                     ";body:{\"error\":1,\"message\":\"Invalid JWT signature\"}"))};
        QTest::newRow("conversion-download-timeout-as-504") << QList<Symptom>{
            Symptom::convert()
                .expect(504, "<center>nginx</center>")
                .logs(QStringLiteral("ds-nginx"),
                      QStringLiteral(
                          "upstream timed out (110: Connection timed out) while reading response header from upstream, "
                          "client: 127.0.0.1, server: , request: \"POST /ConvertService.ashx HTTP/1.1\"")),
            Symptom::get(QStringLiteral("healthcheck"))
                .expect(200, "true")
                .logs(converter,
                      QStringLiteral(
                          ";attempt=1;code:ETIMEDOUT;connect:undefined Error: Error: whole request cycle timeout"))};
        QTest::newRow("jwt-header-too-large") << QList<Symptom>{
            Symptom::info(true)
                .expect(200, "{\"error\":0,\"key\":\"lab-document\"}")
                .logs(docservice, QStringLiteral("Error: Error response: statusCode:400 ;body:<html> <head><title>400 "
                                                 "Request Header Or Cookie Too Large</title>"))};
        // The lab saved the open document (forcesave) after an editor connected through the public
        // URL: the integrator, in a network of its own, could not fetch the link DS put there.
        QTest::newRow("ds-result-url-unreachable-from-storage")
            << QList<Symptom>{Symptom::get(QStringLiteral("healthcheck"))
                                  .expect(200, "true")
                                  .logs(QStringLiteral("integrator"),
                                        QStringLiteral("failed to download updated document: Get \"http://127.0.0.1:")),
                              Symptom::get(QStringLiteral("healthcheck"))
                                  .expect(200, "true")
                                  .logs(QStringLiteral("integrator"),
                                        QStringLiteral("/cache/files/data/lab-document/output.docx/output.docx?md5=")),
                              Symptom::get(QStringLiteral("healthcheck"))
                                  .expect(200, "true")
                                  .logs(QStringLiteral("integrator"), QStringLiteral(": connect: connection refused"))};
        QTest::newRow("hostname-underscore") << QList<Symptom>{Symptom::convert().expect(
            200, "\"fileUrl\":\"http://onlyoffice%5fdocumentserver%5f1/cache/files/data/check_")};
    }

    void scenario()
    {
        QFETCH(QList<Symptom>, symptoms);
        QString failure;
        QVERIFY2(verifyScenario(QString::fromLatin1(QTest::currentDataTag()), symptoms, &failure), qPrintable(failure));
    }

    // The link the integrator could not fetch is fine for the browser: it names the public URL the
    // editor came in on, and opens from the host's network. Only the container cannot reach it.
    void savedLinkOpensOutsideTheContainer()
    {
        LabFixture lab;
        QString error;
        QVERIFY2(lab.start(QStringLiteral("ds-result-url-unreachable-from-storage"), &error), qPrintable(error));
        QFile log(lab.workDir() + QStringLiteral("/integrator/app.log"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("Get \"([^\"]+)\"")).match(QString::fromUtf8(log.readAll()));
        QVERIFY(m.hasMatch());
        const QUrl link(m.captured(1));
        const QUrl publicUrl = lab.profile().publicUrl;
        QCOMPARE(link.host(), publicUrl.host());
        QCOMPARE(link.port(), publicUrl.port());
        const labclient::Response r = labclient::send("GET", link);
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("saved document"));
    }
};

QTEST_GUILESS_MAIN(TestLabIntegrator)
#include "tst_lab_integrator.moc"
