#include "report/comparison.h"
#include "report/diagnosisjsonreader.h"
#include "report/htmlreport.h"
#include "report/jsonreport.h"
#include "report/metricsreport.h"

#include <QRegularExpression>
#include <QTest>

namespace {

dd::Diagnosis sample(const QString &cause, dd::Health proxyLink)
{
    dd::Profile p;
    p.name = QStringLiteral("lab");
    p.publicUrl = QUrl(QStringLiteral("http://127.0.0.1:8080/"));
    p.docserverUrl = QUrl(QStringLiteral("http://127.0.0.1:8081/"));
    dd::Diagnosis d;
    d.profile = p;
    d.topology = dd::Topology::fromProfile(p);
    d.started = QDateTime(QDate(2026, 11, 25), QTime(10, 0), Qt::UTC);
    d.finished = d.started.addMSecs(1234);
    d.status = cause.isEmpty() ? dd::VerdictStatus::Healthy : dd::VerdictStatus::Problem;
    d.causeId = cause;
    d.hop = QStringLiteral("proxy->dsnginx");
    d.confidence = 0.8;
    if (!cause.isEmpty()) {
        dd::RankedCause c;
        c.id = cause;
        c.title = QStringLiteral("Title of ") + cause;
        c.confidence = 0.8;
        c.hop = d.hop;
        c.evidenceIds << QStringLiteral("probe.http.public");
        c.fix = QStringLiteral("fix it");
        d.causes << c;
        dd::RankedCause alt = c;
        alt.id = QStringLiteral("ds-nginx-down");
        alt.confidence = 0.3;
        d.causes << alt;
    }
    dd::Evidence e;
    e.id = QStringLiteral("probe.http.public");
    e.kind = QStringLiteral("http");
    e.time = d.started;
    e.link = QStringLiteral("browser->proxy");
    e.health = dd::Health::Ok;
    e.summary = QStringLiteral("GET → 502 \"quoted\"");
    e.latencyMs = 1.5;
    e.facts.insert(QStringLiteral("public.status"), 502);
    e.facts.insert(QStringLiteral("public.connect_ms"), 1.5);
    e.facts.insert(QStringLiteral("public.ttfb_ms"), 3.25);
    d.evidence << e;
    d.topology.applyEvidence(e);
    d.topology.markLink(QStringLiteral("proxy->dsnginx"), proxyLink, QStringLiteral("reason"));
    dd::PathStep s;
    s.node = QStringLiteral("public-status");
    s.question = QStringLiteral("Which status?");
    s.answer = QStringLiteral("502");
    s.evidenceIds << e.id;
    d.path << s;
    return d;
}

} // namespace

class TestReportFormats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonRoundTrip()
    {
        const dd::Diagnosis d = sample(QStringLiteral("upstream-refused"), dd::Health::Failed);
        dd::Diagnosis back;
        QString error;
        QVERIFY2(dd::diagnosisFromJson(dd::diagnosisToJsonBytes(d), QStringLiteral("saved.json"), &back, &error),
                 qPrintable(error));
        QCOMPARE(back.status, d.status);
        QCOMPARE(back.causeId, d.causeId);
        QCOMPARE(back.hop, d.hop);
        QCOMPARE(back.causes.size(), 2);
        QCOMPARE(back.causes.at(1).id, QStringLiteral("ds-nginx-down"));
        QCOMPARE(back.evidence.size(), 1);
        QCOMPARE(back.evidence.first().facts.value(QStringLiteral("public.status")).toInt(), 502);
        QCOMPARE(back.path.size(), 1);
        QCOMPARE(back.topology.links().size(), d.topology.links().size());
        QCOMPARE(back.topology.link(QStringLiteral("proxy->dsnginx"))->health, dd::Health::Failed);
        QCOMPARE(back.topology.nodes().first().kind, d.topology.nodes().first().kind);
        // Rendering the read-back diagnosis gives the same JSON: nothing is lost on the way.
        QCOMPARE(dd::diagnosisToJson(back), dd::diagnosisToJson(d));
    }

    void olderSavedFilesSayWhatTheyDidNotRecord()
    {
        // A diagnosis saved before "environment" and "inputs" existed: the re-rendered report must
        // not present this machine as where it ran, nor every input as absent.
        const QByteArray json("{\"schema\":\"docserver-doctor.diagnosis/1\",\"target\":\"old\","
                              "\"started\":\"2026-11-20T10:00:00.000Z\",\"finished\":\"2026-11-20T10:00:01.000Z\","
                              "\"verdict\":{\"status\":\"healthy\"}}");
        dd::Diagnosis d;
        QString error;
        QVERIFY2(dd::diagnosisFromJson(json, QStringLiteral("old.json"), &d, &error), qPrintable(error));
        QVERIFY(!d.run.inputsKnown);
        const QString html = dd::renderHtmlReport(d);
        QVERIFY(html.contains(QStringLiteral("<tr><th>Ran on</th><td>not recorded</td></tr>")));
        QVERIFY(html.contains(QStringLiteral("does not record which inputs it was given")));
        QVERIFY(!html.contains(QStringLiteral("absent</span>")));
        // Saved again, it still does not claim inputs it never had.
        QVERIFY(!dd::diagnosisToJson(d).contains(QStringLiteral("inputs")));
    }

    void rejectsOtherFiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("garbage") << QByteArray("\x00\x01garbage", 9) << QStringLiteral("saved.json: not a JSON object");
        QTest::newRow("profile") << QByteArray("{\"schema\":\"docserver-doctor.profile/1\"}")
                                 << QStringLiteral("is not a saved diagnosis");
        QTest::newRow("bad status")
            << QByteArray("{\"schema\":\"docserver-doctor.diagnosis/1\",\"verdict\":{\"status\":\"meh\"}}")
            << QStringLiteral("field 'verdict.status' 'meh'");
    }
    void rejectsOtherFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        dd::Diagnosis d;
        QString error;
        QVERIFY(!dd::diagnosisFromJson(json, QStringLiteral("saved.json"), &d, &error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void metricsExposition()
    {
        const QString text = dd::renderMetrics(sample(QStringLiteral("upstream-refused"), dd::Health::Failed));
        QVERIFY(text.contains(QStringLiteral(
            "docserver_doctor_verdict{status=\"problem\",cause=\"upstream-refused\",hop=\"proxy->dsnginx\"} 1\n")));
        QVERIFY(text.contains(QStringLiteral("docserver_doctor_verdict{status=\"healthy\",cause=\"\",hop=\"\"} 0\n")));
        QVERIFY(text.contains(QStringLiteral("docserver_doctor_link_up{link=\"proxy->dsnginx\"} 0\n")));
        QVERIFY(text.contains(QStringLiteral("docserver_doctor_link_up{link=\"browser->proxy\"} 1\n")));
        QVERIFY(
            text.contains(QStringLiteral("docserver_doctor_link_latency_seconds{link=\"browser->proxy\"} 0.0015\n")));
        QVERIFY(text.contains(QStringLiteral(
            "docserver_doctor_probe_phase_seconds{probe=\"probe.http.public\",phase=\"ttfb\"} 0.00325\n")));
        // Every sample line is "name{labels} value" or "name value"; every metric has HELP and TYPE.
        static const QRegularExpression sampleLine(
            QStringLiteral("^[a-z_]+(\\{([a-z_]+=\"([^\"\\\\]|\\\\.)*\",?)*\\})? -?[0-9.e+-]+$"));
        for (const QString &line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            if (line.startsWith(QLatin1Char('#')))
                continue;
            QVERIFY2(sampleLine.match(line).hasMatch(), qPrintable(line));
            const QString name = line.section(QRegularExpression(QStringLiteral("[{ ]")), 0, 0);
            QVERIFY2(text.contains(QStringLiteral("# TYPE ") + name + QLatin1Char(' ')), qPrintable(name));
        }
    }

    void labelEscaping()
    {
        QCOMPARE(dd::prometheusLabel(QStringLiteral("a\"b\\c\nd")), QStringLiteral("a\\\"b\\\\c\\nd"));
    }

    void comparison_data()
    {
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("after");
        QTest::addColumn<QStringList>("states");
        QTest::newRow("fixed") << QStringLiteral("upstream-refused") << QString()
                               << QStringList{QStringLiteral("upstream-refused=fixed"),
                                              QStringLiteral("link:proxy->dsnginx=recovered")};
        QTest::newRow("still") << QStringLiteral("upstream-refused") << QStringLiteral("upstream-refused")
                               << QStringList{QStringLiteral("upstream-refused=still-failing")};
        QTest::newRow("new") << QString() << QStringLiteral("upstream-refused")
                             << QStringList{QStringLiteral("upstream-refused=new"),
                                            QStringLiteral("link:proxy->dsnginx=broke")};
        QTest::newRow("changed cause") << QStringLiteral("upstream-timeout") << QStringLiteral("upstream-refused")
                                       << QStringList{QStringLiteral("upstream-timeout=fixed"),
                                                      QStringLiteral("upstream-refused=new")};
    }
    void comparison()
    {
        QFETCH(QString, before);
        QFETCH(QString, after);
        QFETCH(QStringList, states);
        const dd::Diagnosis a = sample(before, before.isEmpty() ? dd::Health::Ok : dd::Health::Failed);
        const dd::Diagnosis b = sample(after, after.isEmpty() ? dd::Health::Ok : dd::Health::Failed);
        const dd::Comparison c = dd::compareDiagnoses(a, b);
        QStringList got;
        for (const auto &ch : c.causes)
            got << ch.id + QLatin1Char('=') + ch.state;
        for (const auto &ch : c.links)
            got << QStringLiteral("link:") + ch.id + QLatin1Char('=') + ch.state;
        QCOMPARE(got, states);
        QVERIFY(!dd::comparisonToText(c).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestReportFormats)
#include "tst_reportformats.moc"
