// Secrets a diagnosis can pick up (a JWT, an Authorization header, token= and md5= URL
// parameters, a password in a URL) never reach a report, whatever field they arrive in.
#include "report/comparison.h"
#include "report/diagnosisjsonreader.h"
#include "report/htmlreport.h"
#include "report/jsonreport.h"
#include "report/metricsreport.h"

#include <QTest>

namespace {

const QString jwt = QStringLiteral("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZWRhY3QtbWUifQ."
                                   "U2VjcmV0U2lnbmF0dXJlUGFydA");

// Each secret as a distinctive string that appears nowhere else.
const QStringList secrets = {
    QStringLiteral("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"), // the JWT's header
    QStringLiteral("U2VjcmV0U2lnbmF0dXJlUGFydA"),           // and its signature
    QStringLiteral("AuthHeaderSecret42"),                   // Authorization: Bearer
    QStringLiteral("dXNlcjpCYXNpY1NlY3JldDk5"),             // Proxy-Authorization: Basic
    QStringLiteral("TokenParamSecret7"),                    // token=
    QStringLiteral("Md5ParamSecret8"),                      // md5=
    QStringLiteral("UrlPassword9"),                         // https://user:password@
};

dd::Diagnosis leakyDiagnosis()
{
    dd::Diagnosis d;
    const QDateTime t0(QDate(2026, 11, 25), QTime(10, 0), Qt::UTC);
    d.started = t0;
    d.finished = t0.addSecs(2);
    d.run.toolVersion = QStringLiteral("test");
    d.run.hostName = QStringLiteral("test-host");
    d.profile.publicUrl = QUrl(QStringLiteral("https://admin:UrlPassword9@docs.example.com/"));
    d.profile.docserverUrl = QUrl(QStringLiteral("http://ds:UrlPassword9@10.0.0.5:8080/"));
    d.profile.documentUrl =
        QUrl(QStringLiteral("https://cloud.example.com/apps/onlyoffice/empty?doc=1&token=TokenParamSecret7"));
    d.profile.callbackUrl =
        QUrl(QStringLiteral("https://cloud.example.com/track?doc=1&md5=Md5ParamSecret8&jwt=") + jwt);
    d.topology = dd::Topology::fromProfile(d.profile);
    d.status = dd::VerdictStatus::Problem;
    d.causeId = QStringLiteral("jwt-secret-mismatch");
    d.hop = QStringLiteral("proxy->dsnginx");
    d.confidence = 0.7;
    d.summary = QStringLiteral("GET https://docs.example.com/cache/files/x/output.docx?md5=Md5ParamSecret8&expires=1 "
                               "with token ") +
                jwt;

    dd::Evidence e;
    e.id = QStringLiteral("probe.http.result?token=TokenParamSecret7");
    e.kind = QStringLiteral("http");
    e.link = QStringLiteral("proxy->dsnginx");
    e.time = t0;
    e.health = dd::Health::Failed;
    e.summary = QStringLiteral("GET https://admin:UrlPassword9@docs.example.com/?token=TokenParamSecret7 → 403");
    e.detail = QStringLiteral("sent Authorization: Bearer AuthHeaderSecret42");
    e.excerpt = QStringLiteral("HTTP/1.1 403 Forbidden\nAuthorization: Bearer AuthHeaderSecret42\n"
                               "Proxy-Authorization: Basic dXNlcjpCYXNpY1NlY3JldDk5\nX-Token: ") +
                jwt;
    e.facts = {{QStringLiteral("result.location"),
                QStringLiteral("https://admin:UrlPassword9@x.example/?md5=Md5ParamSecret8&token=TokenParamSecret7")},
               {QStringLiteral("result.server"), QString(QStringLiteral("nginx ") + jwt)},
               {QStringLiteral("result.version"), QStringLiteral("Bearer AuthHeaderSecret42")},
               {QStringLiteral("result.connect_ms"), 1.0},
               {QStringLiteral("result.body"), QStringLiteral("{\"token\":\"TokenParamSecret7\"}")},
               {QStringLiteral("result.list"), QVariant(QStringList{QStringLiteral("md5=Md5ParamSecret8")})}};
    d.evidence << e;

    dd::Evidence capture;
    capture.id = QStringLiteral("capture.exchange.1");
    capture.source = dd::EvidenceSource::Capture;
    capture.kind = QStringLiteral("capture-exchange");
    capture.time = t0;
    capture.excerpt = QStringLiteral("client \u2192 proxy 1.2.3.4:80: GET /cache/files/a?md5=Md5ParamSecret8&expires=9 "
                                     "answered 502 at 10:00:00.000; proxy \u2192 127.0.0.1:8000: token=") +
                      jwt;
    d.evidence << capture;

    d.topology.markLink(QStringLiteral("proxy->dsnginx"), dd::Health::Failed,
                        QStringLiteral("GET /?md5=Md5ParamSecret8 refused"));
    dd::RankedCause c;
    c.id = d.causeId;
    c.title = QStringLiteral("JWT secret mismatch");
    c.confidence = 0.7;
    c.hop = d.hop;
    c.evidenceIds = {e.id};
    c.reason = QStringLiteral("Authorization: Bearer AuthHeaderSecret42 was rejected");
    c.fix = QStringLiteral("set the same secret on https://admin:UrlPassword9@docs.example.com/");
    d.causes << c;
    dd::PathStep s;
    s.node = QStringLiteral("jwt");
    s.question = QStringLiteral("Does DS accept the token?");
    s.answer = QStringLiteral("no: ") + jwt;
    s.evidenceIds = {e.id};
    d.path << s;
    return d;
}

} // namespace

class TestReportRedaction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void secretsNeverAppear_data()
    {
        QTest::addColumn<QString>("output");
        const dd::Diagnosis d = leakyDiagnosis();
        dd::HtmlReportOptions options;
        options.latencyHistory = {{QStringLiteral("proxy->dsnginx"), d.started, 2.0, -1, -1},
                                  {QStringLiteral("proxy->dsnginx"), d.started.addSecs(5), 3.0, -1, -1}};
        const QByteArray json = dd::diagnosisToJsonBytes(d);
        dd::Diagnosis back;
        QString error;
        QVERIFY2(dd::diagnosisFromJson(json, QStringLiteral("saved.json"), &back, &error), qPrintable(error));
        dd::Diagnosis healthy = d;
        healthy.status = dd::VerdictStatus::Healthy;
        healthy.causes.clear();
        healthy.topology.markLink(QStringLiteral("proxy->dsnginx"), dd::Health::Ok, QString());

        QTest::newRow("html") << dd::renderHtmlReport(d, options);
        QTest::newRow("json") << QString::fromUtf8(json);
        QTest::newRow("metrics") << dd::renderMetrics(d);
        QTest::newRow("html from saved json") << dd::renderHtmlReport(back, options);
        QTest::newRow("comparison") << dd::comparisonToText(dd::compareDiagnoses(healthy, d));
    }
    void secretsNeverAppear()
    {
        QFETCH(QString, output);
        QVERIFY(output.size() > 100);
        for (const QString &secret : secrets)
            QVERIFY2(!output.contains(secret), qPrintable(secret));
        QVERIFY(output.contains(QStringLiteral("REDACTED")));
    }

    void whatIsNotSecretStaysReadable()
    {
        // Redaction must not blank the report: hosts, document keys and the credential's kind stay.
        const dd::Diagnosis d = leakyDiagnosis();
        const QString html = dd::renderHtmlReport(d);
        const QString json = QString::fromUtf8(dd::diagnosisToJsonBytes(d));
        for (const QString &out : {html, json}) {
            QVERIFY(out.contains(QStringLiteral("docs.example.com")));
            QVERIFY(out.contains(QStringLiteral("doc=1")));
            QVERIFY(out.contains(QStringLiteral("Bearer REDACTED")));
        }
        QVERIFY(html.contains(QStringLiteral("expires=9")));
    }
};

QTEST_GUILESS_MAIN(TestReportRedaction)
#include "tst_reportredaction.moc"
