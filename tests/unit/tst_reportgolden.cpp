// Golden-file tests for the HTML, JSON and metrics renderers: a fixed diagnosis (fixed times,
// fixed evidence, fixed environment) rendered and compared byte for byte with the files under
// tests/data/report/. After an intended change to a renderer, regenerate them with
//     DD_UPDATE_GOLDEN=1 ctest --test-dir BUILD -R tst_reportgolden
// and review the diff (tests/data/report/README.md).
#include "model/correlation.h"
#include "report/diagnosisjsonreader.h"
#include "report/htmlreport.h"
#include "report/jsonreport.h"
#include "report/metricsreport.h"

#include <QDir>
#include <QFile>
#include <QTest>

namespace {

const QDateTime t0(QDate(2026, 11, 25), QTime(10, 0), Qt::UTC);

dd::Evidence probe(const QString &id, const QString &kind, const QString &link, dd::Health health, int offsetMs)
{
    dd::Evidence e;
    e.id = id;
    e.source = dd::EvidenceSource::Probe;
    e.kind = kind;
    e.link = link;
    e.health = health;
    e.time = t0.addMSecs(offsetMs);
    return e;
}

dd::Diagnosis goldenDiagnosis()
{
    dd::Diagnosis d;
    d.profile.name = QStringLiteral("golden");
    d.profile.sourceFile = QStringLiteral("/etc/docserver-doctor/golden.json");
    d.profile.publicUrl = QUrl(QStringLiteral("https://docs.example.com/"));
    d.profile.docserverUrl = QUrl(QStringLiteral("http://10.0.0.5:8080/"));
    d.profile.proxyKind = QStringLiteral("nginx");
    d.profile.proxyConfig = QStringLiteral("/etc/nginx/sites-enabled/docs.conf");
    d.profile.logFiles = {QStringLiteral("/var/log/nginx/error.log")};
    d.topology = dd::Topology::fromProfile(d.profile);
    d.started = t0;
    d.finished = t0.addMSecs(2500);
    d.run.toolVersion = QStringLiteral("1.2.3-golden");
    d.run.hostName = QStringLiteral("golden-host");

    dd::Evidence pub = probe(QStringLiteral("probe.http.public"), QStringLiteral("http"),
                             QStringLiteral("browser->proxy"), dd::Health::Failed, 100);
    pub.node = QStringLiteral("proxy");
    pub.summary = QStringLiteral("GET https://docs.example.com/healthcheck: 502 Bad Gateway");
    pub.excerpt = QStringLiteral("HTTP/1.1 502 Bad Gateway\nServer: nginx/1.22.1\nContent-Type: text/html");
    pub.latencyMs = 1.25;
    pub.facts = {
        {QStringLiteral("public.status"), 502},      {QStringLiteral("public.server"), QStringLiteral("nginx/1.22.1")},
        {QStringLiteral("public.connect_ms"), 1.25}, {QStringLiteral("public.ttfb_ms"), 30.5},
        {QStringLiteral("public.total_ms"), 31.0},   {QStringLiteral("public.dns_ms"), QVariant()}};
    dd::Evidence ds = probe(QStringLiteral("probe.http.docserver"), QStringLiteral("http"),
                            QStringLiteral("proxy->dsnginx"), dd::Health::Ok, 140);
    ds.summary = QStringLiteral("GET http://10.0.0.5:8080/healthcheck: 200 OK");
    ds.latencyMs = 0.8;
    ds.facts = {{QStringLiteral("docserver.status"), 200},
                {QStringLiteral("docserver.server"), QStringLiteral("nginx")},
                {QStringLiteral("docserver.connect_ms"), 0.8},
                {QStringLiteral("docserver.ttfb_ms"), 4.2},
                {QStringLiteral("docserver.total_ms"), 4.9}};
    dd::Evidence tcp = probe(QStringLiteral("probe.tcp.dsnginx"), QStringLiteral("tcp"),
                             QStringLiteral("proxy->dsnginx"), dd::Health::Ok, 150);
    tcp.summary = QStringLiteral("TCP 10.0.0.5:8080 connected in 0.5 ms");
    tcp.facts = {{QStringLiteral("dsnginx.connect_ms"), 0.5}, {QStringLiteral("dsnginx.tcp"), QStringLiteral("ok")}};
    dd::Evidence command =
        probe(QStringLiteral("probe.http.command_header"), QStringLiteral("http"), QString(), dd::Health::Ok, 300);
    command.summary = QStringLiteral("CommandService {\"c\":\"version\"}: error 0, version 8.2.1.38");
    command.facts = {{QStringLiteral("command_header.version"), QStringLiteral("8.2.1.38")},
                     {QStringLiteral("command_header.command_error"), 0}};

    dd::Evidence log;
    log.id = QStringLiteral("log.nginx-error.1");
    log.source = dd::EvidenceSource::Log;
    log.kind = QStringLiteral("nginx-error");
    log.time = t0.addMSecs(1000);
    log.node = QStringLiteral("dsnginx");
    log.health = dd::Health::Failed;
    log.summary = QStringLiteral("DS nginx could not connect to docservice");
    log.excerpt = QStringLiteral("2026/11/25 10:00:01 [error] 31#31: *7 connect() failed (111: Connection refused) "
                                 "while connecting to upstream, upstream: \"http://127.0.0.1:8000/healthcheck\"");
    log.facts = {{QStringLiteral("cause"), QStringLiteral("ds-docservice-down")},
                 {QStringLiteral("keys.upstream"), QStringList{QStringLiteral("127.0.0.1:8000")}},
                 {QStringLiteral("keys.path"), QStringList{QStringLiteral("GET /healthcheck HTTP/1.1")}}};

    dd::Evidence config;
    config.id = QStringLiteral("config.lint.1");
    config.source = dd::EvidenceSource::Config;
    config.kind = QStringLiteral("lint");
    config.time = t0.addMSecs(20);
    config.health = dd::Health::Ok;
    config.summary =
        QStringLiteral("docs.conf:12: proxy_pass http://10.0.0.5:8080 matches the Document Server address");

    dd::Evidence exchange;
    exchange.id = QStringLiteral("capture.exchange.1");
    exchange.source = dd::EvidenceSource::Capture;
    exchange.kind = QStringLiteral("capture-exchange");
    exchange.time = t0.addMSecs(1214);
    exchange.health = dd::Health::Failed;
    exchange.summary = QStringLiteral("proxy 10.0.0.5:80 answered 502 after its upstream 127.0.0.1:8000: SYN "
                                      "answered by RST 0.1 ms earlier");
    exchange.excerpt = QStringLiteral("client \u2192 proxy 10.0.0.5:80: GET /healthcheck answered 502 at "
                                      "10:00:01.214; proxy \u2192 127.0.0.1:8000: SYN answered by RST 0.1 ms earlier");
    exchange.facts = {{QStringLiteral("cause"), QStringLiteral("upstream-refused")},
                      {QStringLiteral("capture.status"), 502},
                      {QStringLiteral("capture.count"), 3},
                      {QStringLiteral("capture.upstream"), QStringLiteral("127.0.0.1:8000")},
                      {QStringLiteral("capture.path"), QStringLiteral("/healthcheck")}};

    d.evidence = {pub, ds, tcp, command, log, config, exchange};
    d.correlations = dd::correlateEvidence(d.evidence);
    d.topology.applyEvidence(d.evidence);
    d.topology.markLink(QStringLiteral("dsnginx->docservice"), dd::Health::Failed,
                        QStringLiteral("connect() refused on 127.0.0.1:8000"));

    d.status = dd::VerdictStatus::Problem;
    d.causeId = QStringLiteral("ds-docservice-down");
    d.hop = QStringLiteral("dsnginx->docservice");
    d.confidence = 0.9;
    d.summary = QStringLiteral("Document Server's nginx answers, but docservice behind it refuses connections.");
    dd::RankedCause top;
    top.id = d.causeId;
    top.title = QStringLiteral("docservice is not running");
    top.confidence = 0.9;
    top.hop = d.hop;
    top.evidenceIds = {log.id, exchange.id};
    top.fix = QStringLiteral("systemctl status ds-docservice; journalctl -u ds-docservice");
    top.reason = QStringLiteral("tree: docservice.tcp = refused");
    dd::RankedCause alt = top;
    alt.id = QStringLiteral("upstream-refused");
    alt.title = QStringLiteral("The upstream refuses connections");
    alt.confidence = 0.4;
    alt.evidenceIds = {exchange.id};
    alt.reason = QStringLiteral("capture");
    d.causes = {top, alt};

    dd::PathStep first;
    first.node = QStringLiteral("public-status");
    first.question = QStringLiteral("Which status does the public address answer?");
    first.fact = QStringLiteral("public.status");
    first.answer = QStringLiteral("502");
    first.evidenceIds = {pub.id};
    dd::PathStep ask;
    ask.node = QStringLiteral("user-symptom");
    ask.question = QStringLiteral("What does the editor show?");
    ask.fact = QStringLiteral("user.symptom");
    ask.answer = QStringLiteral("not answered");
    ask.askedUser = true;
    ask.choices = {QStringLiteral("download-failed"), QStringLiteral("blank")};
    d.path = {first, ask};
    return d;
}

dd::HtmlReportOptions goldenOptions()
{
    dd::HtmlReportOptions o;
    o.generated = t0.addSecs(300);
    // The scheduler's history of two links, one probe with no answer among them.
    const double proxyTtfb[] = {4.1, 4.3, 5.0, -1, 4.4, 12.5};
    for (int i = 0; i < 6; ++i) {
        const double ttfb = proxyTtfb[i];
        o.latencyHistory.append({QStringLiteral("proxy->dsnginx"), t0.addSecs(-30 + 5 * i), ttfb < 0 ? -1 : 0.6, ttfb,
                                 ttfb < 0 ? -1 : ttfb + 0.5});
    }
    o.latencyHistory.append({QStringLiteral("browser->proxy"), t0.addSecs(-10), 1.5, -1, -1});
    o.latencyHistory.append({QStringLiteral("browser->proxy"), t0.addSecs(-5), 1.1, -1, -1});
    return o;
}

QString goldenPath(const QString &name)
{
    return QStringLiteral(DD_SOURCE_DIR "/tests/data/report/") + name;
}

// Compares with the golden file, or rewrites it under DD_UPDATE_GOLDEN=1. On a mismatch the
// output is kept next to the test as NAME.actual and the first differing line is named.
void compareWithGolden(const QByteArray &actual, const QString &name)
{
    if (qEnvironmentVariableIsSet("DD_UPDATE_GOLDEN")) {
        QFile out(goldenPath(name));
        QVERIFY2(out.open(QIODevice::WriteOnly) && out.write(actual) == actual.size(), qPrintable(out.errorString()));
        qInfo("rewrote %s", qPrintable(out.fileName()));
        return;
    }
    QFile golden(goldenPath(name));
    QVERIFY2(golden.open(QIODevice::ReadOnly),
             qPrintable(golden.fileName() + QStringLiteral(" is missing; run with DD_UPDATE_GOLDEN=1")));
    const QByteArray expected = golden.readAll();
    if (actual == expected)
        return;
    QFile kept(QDir::current().filePath(name + QStringLiteral(".actual")));
    if (kept.open(QIODevice::WriteOnly))
        kept.write(actual);
    const QList<QByteArray> a = actual.split('\n');
    const QList<QByteArray> e = expected.split('\n');
    qsizetype line = 0;
    while (line < a.size() && line < e.size() && a.at(line) == e.at(line))
        ++line;
    QFAIL(qPrintable(QStringLiteral("%1 differs from the golden file at line %2 (output kept in %3)\n  golden: %4\n  "
                                    "actual: %5")
                         .arg(name)
                         .arg(line + 1)
                         .arg(kept.fileName(), QString::fromUtf8(e.value(line).left(300)),
                              QString::fromUtf8(a.value(line).left(300)))));
}

} // namespace

class TestReportGolden : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void html()
    {
        compareWithGolden(dd::renderHtmlReport(goldenDiagnosis(), goldenOptions()).toUtf8(),
                          QStringLiteral("diagnosis.html"));
    }

    void json() { compareWithGolden(dd::diagnosisToJsonBytes(goldenDiagnosis()), QStringLiteral("diagnosis.json")); }

    void metrics()
    {
        compareWithGolden(dd::renderMetrics(goldenDiagnosis()).toUtf8(), QStringLiteral("diagnosis.prom"));
    }

    // `report` turns a saved JSON into HTML elsewhere: nothing the report shows may be lost on the way.
    void reRenderedFromJsonIsTheSameReport()
    {
        dd::Diagnosis back;
        QString error;
        QVERIFY2(dd::diagnosisFromJson(dd::diagnosisToJsonBytes(goldenDiagnosis()), QStringLiteral("golden.json"),
                                       &back, &error),
                 qPrintable(error));
        QCOMPARE(dd::renderHtmlReport(back, goldenOptions()), dd::renderHtmlReport(goldenDiagnosis(), goldenOptions()));
    }

    void withoutOptionsTheReportStillRenders()
    {
        // The defaults the CLI and GUI use: no history, rendered now; the environment comes from
        // this process when the diagnosis does not name it.
        dd::Diagnosis d = goldenDiagnosis();
        d.run = dd::RunInfo();
        const QString html = dd::renderHtmlReport(d);
        QVERIFY(html.contains(QStringLiteral("id=\"environment\"")));
        QVERIFY(!html.contains(QStringLiteral("golden-host")));
        QVERIFY(html.contains(QStringLiteral("probe phase timings on proxy-&gt;dsnginx")));
        QVERIFY(!html.contains(QStringLiteral("latency history of")));
    }
};

QTEST_GUILESS_MAIN(TestReportGolden)
#include "tst_reportgolden.moc"
