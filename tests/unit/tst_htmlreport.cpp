#include "report/htmlreport.h"
#include "report/jsonreport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

namespace {

dd::Diagnosis hostileDiagnosis()
{
    dd::Diagnosis d;
    d.status = dd::VerdictStatus::Problem;
    d.causeId = QStringLiteral("ds-docservice-down");
    d.hop = QStringLiteral("dsnginx->docservice");
    d.confidence = 0.85;
    d.summary = QStringLiteral("<script>alert(1)</script> summary");
    d.profile.name = QStringLiteral("\"><img src=x onerror=alert(2)>");
    d.profile.publicUrl = QUrl(QStringLiteral("https://docs.example.com/"));
    d.profile.integratorKind = QStringLiteral("<script>alert(3)</script>");
    d.topology = dd::Topology::fromProfile(d.profile);
    d.topology.markLink(QStringLiteral("dsnginx->docservice"), dd::Health::Failed, QStringLiteral("<b>refused</b>"));
    d.started = QDateTime::currentDateTimeUtc();
    d.finished = d.started;
    dd::RankedCause c;
    c.id = d.causeId;
    c.title = QStringLiteral("docservice <b>down</b>");
    c.fix = QStringLiteral("systemctl restart ds-docservice && echo '<ok>'");
    c.confidence = 0.85;
    c.hop = d.hop;
    c.evidenceIds << QStringLiteral("probe.http.public");
    d.causes << c;
    dd::Evidence e;
    e.id = QStringLiteral("probe.http.public");
    e.time = d.started;
    e.summary = QStringLiteral(
        "GET https://docs.example.com/x?token=eyJhbGciOiJIUzI1NiJ9.eyJjIjoidmVyc2lvbiJ9.c2lnbmF0dXJl&key=doc1");
    e.excerpt = QStringLiteral("HTTP/1.1 502 Bad Gateway\r\nServer: </pre><iframe src=//evil>\r\nAuthorization: Bearer "
                               "s3cr3tT0ken\r\n\x01\x02");
    e.facts.insert(QStringLiteral("public.body"), QStringLiteral("{\"token\":\"topsecret\"}"));
    d.evidence << e;
    dd::PathStep s;
    s.node = QStringLiteral("n1");
    s.question = QStringLiteral("Q & A?");
    s.answer = QStringLiteral("it's <fine>");
    d.path << s;
    return d;
}

} // namespace

class TestHtmlReport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void escapes_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("plain") << QStringLiteral("abc") << QStringLiteral("abc");
        QTest::newRow("tags") << QStringLiteral("<a href=\"x\">") << QStringLiteral("&lt;a href=&quot;x&quot;&gt;");
        QTest::newRow("amp first") << QStringLiteral("&lt;") << QStringLiteral("&amp;lt;");
        QTest::newRow("quote") << QStringLiteral("it's") << QStringLiteral("it&#39;s");
        QTest::newRow("control") << QStringLiteral("a\x01z") << QStringLiteral("a&#9217;z");
        QTest::newRow("newline kept") << QStringLiteral("a\nb") << QStringLiteral("a\nb");
        QTest::newRow("unicode kept") << QStringLiteral("文档服务器") << QStringLiteral("文档服务器");
    }
    void escapes()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(dd::htmlEscape(in), out);
    }

    void reportEscapesEveryUntrustedString()
    {
        const QString html = dd::renderHtmlReport(hostileDiagnosis());
        QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
        QVERIFY(!html.contains(QStringLiteral("<script")));
        QVERIFY(!html.contains(QStringLiteral("<img")));
        QVERIFY(!html.contains(QStringLiteral("<iframe")));
        QVERIFY(!html.contains(QStringLiteral("<b>down")));
        QVERIFY(html.contains(QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;")));
        QVERIFY(html.contains(QStringLiteral("Q &amp; A?")));
        QVERIFY(!html.contains(QChar(0x01)));
    }

    void reportIsSelfContained()
    {
        const QString html = dd::renderHtmlReport(hostileDiagnosis());
        QVERIFY(!html.contains(QStringLiteral("<link")));
        QVERIFY(!html.contains(QStringLiteral("src=\"http")));
        QVERIFY(!html.contains(QStringLiteral("@import")));
        QVERIFY(html.contains(QStringLiteral("<style>")));
        QVERIFY(html.indexOf(QStringLiteral("id=\"verdict\"")) < html.indexOf(QStringLiteral("Evidence</h2>")));
    }

    void reportDrawsTheTopology()
    {
        const QString html = dd::renderHtmlReport(hostileDiagnosis());
        const qsizetype svgStart = html.indexOf(QStringLiteral("<svg"));
        const qsizetype svgEnd = html.indexOf(QStringLiteral("</svg>"));
        QVERIFY(svgStart > 0 && svgEnd > svgStart);
        const QString svg = html.mid(svgStart, svgEnd - svgStart);
        // The failing hop is drawn in the failure colour with its reason escaped in the tooltip.
        QVERIFY(svg.contains(QStringLiteral("stroke=\"#c62828\" stroke-width=\"3\"")));
        QVERIFY(svg.contains(QStringLiteral("dsnginx-&gt;docservice: &lt;b&gt;refused&lt;/b&gt;")));
        QVERIFY(svg.contains(QStringLiteral("&lt;script&gt;alert(3)&lt;/script&gt;")));
        QVERIFY(!svg.contains(QStringLiteral("href=")));
    }

    void secretsNeverAppear()
    {
        const dd::Diagnosis d = hostileDiagnosis();
        const QString html = dd::renderHtmlReport(d);
        const QString json = QString::fromUtf8(dd::diagnosisToJsonBytes(d));
        for (const QString &out : {html, json}) {
            QVERIFY(!out.contains(QStringLiteral("s3cr3tT0ken")));
            QVERIFY(!out.contains(QStringLiteral("eyJhbGciOiJIUzI1NiJ9")));
            QVERIFY(!out.contains(QStringLiteral("topsecret")));
            QVERIFY(out.contains(QStringLiteral("key=doc1"))); // document keys stay readable
        }
    }

    void jsonContract()
    {
        const QJsonObject o = dd::diagnosisToJson(hostileDiagnosis());
        QCOMPARE(o.value(QStringLiteral("schema")).toString(), QStringLiteral("docserver-doctor.diagnosis/1"));
        const QJsonObject v = o.value(QStringLiteral("verdict")).toObject();
        QCOMPARE(v.value(QStringLiteral("status")).toString(), QStringLiteral("problem"));
        QCOMPARE(v.value(QStringLiteral("cause")).toString(), QStringLiteral("ds-docservice-down"));
        QCOMPARE(v.value(QStringLiteral("hop")).toString(), QStringLiteral("dsnginx->docservice"));
        QCOMPARE(v.value(QStringLiteral("confidence")).toDouble(), 0.85);
        QCOMPARE(o.value(QStringLiteral("causes")).toArray().size(), 1);
        QCOMPARE(o.value(QStringLiteral("evidence")).toArray().size(), 1);
        QCOMPARE(o.value(QStringLiteral("path")).toArray().size(), 1);
        QVERIFY(o.value(QStringLiteral("causes")).toArray().first().toObject().contains(QStringLiteral("fix")));
    }

    void savesAndReportsUnwritablePath()
    {
        QTemporaryDir dir;
        QString error;
        const QString path = dir.filePath(QStringLiteral("r.html"));
        QVERIFY(dd::saveHtmlReport(hostileDiagnosis(), path, &error));
        QVERIFY(QFileInfo(path).size() > 1000);
        QVERIFY(!dd::saveHtmlReport(hostileDiagnosis(), dir.filePath(QStringLiteral("no/such/dir/r.html")), &error));
        QVERIFY(error.contains(QStringLiteral("cannot write the report")));
    }
};

QTEST_GUILESS_MAIN(TestHtmlReport)
#include "tst_htmlreport.moc"
