#include "report/comparison.h"
#include "report/htmlreport.h"
#include "report/jsonreport.h"
#include "report/metricsreport.h"

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
    // ANSI sequences, quotes and tags in the places hostile text arrives: a Server header,
    // a DS version answer, a log line, a config value, a capture's exchange text.
    dd::Evidence probe;
    probe.id = QStringLiteral("probe.http.public.hostile");
    probe.kind = QStringLiteral("http");
    probe.link = QStringLiteral("browser->proxy");
    probe.time = d.started;
    probe.facts.insert(QStringLiteral("public.server"),
                       QStringLiteral("\x1b[31mnginx\" onload=\"alert(5)<script>alert(4)</script>"));
    probe.facts.insert(QStringLiteral("public.connect_ms"), 2.5);
    probe.facts.insert(QStringLiteral("command.version"), QStringLiteral("8.2<script>alert(9)</script>\x1b[0m"));
    d.evidence << probe;
    dd::Evidence log;
    log.id = QStringLiteral("log.hostile");
    log.source = dd::EvidenceSource::Log;
    log.kind = QStringLiteral("nginx-error");
    log.time = d.started;
    log.summary = QStringLiteral("\x1b[2J\x1b[1;31m[error]\x1b[0m upstream failed");
    log.excerpt = QStringLiteral("\x1b[1;31m[error]\x1b[0m <script>alert(6)</script> upstream: \"http://x/\"");
    d.evidence << log;
    dd::Evidence config;
    config.id = QStringLiteral("config.hostile");
    config.source = dd::EvidenceSource::Config;
    config.kind = QStringLiteral("lint");
    config.time = d.started;
    config.summary = QStringLiteral("server_name \"><svg onload=alert(7)>; \x1b]0;pwned\x07");
    config.facts.insert(QStringLiteral("config.value"), QStringLiteral("'; <script>alert(11)</script>\x1b[2J"));
    d.evidence << config;
    dd::Evidence capture;
    capture.id = QStringLiteral("capture.exchange.1");
    capture.source = dd::EvidenceSource::Capture;
    capture.kind = QStringLiteral("capture-exchange");
    capture.time = d.started;
    capture.excerpt = QStringLiteral("client \u2192 proxy 1.2.3.4:80: GET /<script>alert(8)</script> answered 502 at "
                                     "10:00:00.000; proxy \u2192 127.0.0.1:8000: \x1b[31mRST\"' <b>x</b>");
    capture.facts.insert(QStringLiteral("cause"), QStringLiteral("<script>alert(12)</script>"));
    d.evidence << capture;
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

    void ansiQuotesAndTagsNeverSurvive()
    {
        const dd::Diagnosis d = hostileDiagnosis();
        dd::HtmlReportOptions options;
        const QString link = QStringLiteral("<script>alert(10)</script>\x1b[31m");
        options.latencyHistory = {{link, d.started, 3.0, -1, -1}, {link, d.started.addSecs(5), 4.0, -1, -1}};
        const QString html = dd::renderHtmlReport(d, options);
        const QString json = QString::fromUtf8(dd::diagnosisToJsonBytes(d));
        // Plain-text outputs: a probe kind in a metrics label, a link reason in a comparison.
        dd::Diagnosis after = d;
        after.evidence.first().kind = QStringLiteral("http\x1b[31m");
        after.topology.markLink(QStringLiteral("dsnginx->docservice"), dd::Health::Failed,
                                QStringLiteral("\x1b[31mrefused\x1b[0m"));
        const QString metrics = dd::renderMetrics(after);
        QVERIFY(metrics.contains(QStringLiteral("kind=\"http\u241b[31m\"")));
        dd::Diagnosis before = d;
        before.topology.markLink(QStringLiteral("dsnginx->docservice"), dd::Health::Ok, QString());
        const QString comparison = dd::comparisonToText(dd::compareDiagnoses(before, after));
        QVERIFY(comparison.contains(QStringLiteral("\u241b[31mrefused")));
        for (const QString &out : {html, json, metrics, comparison}) {
            QVERIFY(!out.contains(QChar(0x1b)));
            QVERIFY(!out.contains(QChar(0x07)));
        }
        QVERIFY(!html.contains(QStringLiteral("<script")));
        QVERIFY(!html.contains(QStringLiteral("<svg onload")));
        QVERIFY(!html.contains(QStringLiteral("<b>x")));
        QVERIFY(!html.contains(QStringLiteral("\" onload=\"")));
        // Each hostile string is shown, escaped: the Server header, the version, the log line,
        // the config value, the capture timeline and the history's link name.
        QVERIFY(html.contains(QStringLiteral("&#9243;[31mnginx&quot; onload=&quot;alert(5)&lt;script&gt;")));
        QVERIFY(html.contains(QStringLiteral("8.2&lt;script&gt;alert(9)&lt;/script&gt;&#9243;[0m")));
        QVERIFY(html.contains(QStringLiteral("&#9243;[1;31m[error]&#9243;[0m &lt;script&gt;alert(6)")));
        QVERIFY(html.contains(QStringLiteral("&quot;&gt;&lt;svg onload=alert(7)&gt;; &#9243;]0;pwned&#9223;")));
        QVERIFY(html.contains(QStringLiteral("GET /&lt;script&gt;alert(8)&lt;/script&gt;")));
        QVERIFY(html.contains(QStringLiteral("&#9243;[31mRST&quot;&#39; &lt;b&gt;x&lt;/b&gt;")));
        QVERIFY(html.contains(QStringLiteral("&lt;script&gt;alert(10)&lt;/script&gt;&#9243;[31m")));
        QVERIFY(html.contains(QStringLiteral("&lt;script&gt;alert(12)&lt;/script&gt;")));
        // JSON keeps the text but escapes the control characters.
        QVERIFY(json.contains(QStringLiteral("\\u001b[31mnginx\\\" onload=")));
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
        QCOMPARE(o.value(QStringLiteral("evidence")).toArray().size(), hostileDiagnosis().evidence.size());
        QCOMPARE(o.value(QStringLiteral("path")).toArray().size(), 1);
        QVERIFY(o.value(QStringLiteral("causes")).toArray().first().toObject().contains(QStringLiteral("fix")));
        // Where it ran and what it was given, so `report` can re-render the environment section.
        const QJsonObject env = o.value(QStringLiteral("environment")).toObject();
        QVERIFY(!env.value(QStringLiteral("tool_version")).toString().isEmpty());
        QVERIFY(env.contains(QStringLiteral("host")));
        const QJsonObject inputs = o.value(QStringLiteral("inputs")).toObject();
        QCOMPARE(inputs.value(QStringLiteral("public_url")).toString(), QStringLiteral("https://docs.example.com/"));
        QVERIFY(inputs.value(QStringLiteral("docserver_url")).isNull());
        QVERIFY(inputs.value(QStringLiteral("log_files")).isArray());
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
