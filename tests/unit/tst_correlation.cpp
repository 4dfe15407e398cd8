// Evidence from several places about one request or connection is grouped by its keys and
// times; the diagnosis cites such groups as independent support of its verdict.
#include "diagnosis/decisiontree.h"
#include "diagnosis/diagnosisengine.h"
#include "model/causecatalog.h"
#include "model/correlation.h"
#include "report/diagnosisjsonreader.h"
#include "report/htmlreport.h"
#include "report/jsonreport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dd;

namespace {

const QDateTime t0 = QDateTime(QDate(2026, 11, 26), QTime(10, 2, 3), Qt::UTC);

Evidence logGroup(const QString &id, const QString &file, const QVariantMap &keys, const QDateTime &first,
                  const QDateTime &last, Health health = Health::Failed)
{
    Evidence e;
    e.id = id;
    e.source = EvidenceSource::Log;
    e.kind = QStringLiteral("log-line");
    e.time = last;
    e.health = health;
    e.facts.insert(QStringLiteral("log.file"), file);
    e.facts.insert(QStringLiteral("time.first"), first.toString(Qt::ISODateWithMs));
    e.facts.insert(QStringLiteral("time.last"), last.toString(Qt::ISODateWithMs));
    for (auto it = keys.cbegin(); it != keys.cend(); ++it)
        e.facts.insert(QStringLiteral("keys.") + it.key(), it.value());
    return e;
}

Evidence captured(const QString &id, const QString &upstream, const QString &target, const QDateTime &time)
{
    Evidence e;
    e.id = id;
    e.source = EvidenceSource::Capture;
    e.kind = QStringLiteral("capture-exchange");
    e.time = time;
    e.health = Health::Failed;
    e.facts.insert(QStringLiteral("capture.upstream"), upstream);
    e.facts.insert(QStringLiteral("capture.path"), target);
    return e;
}

Evidence probed(const QString &id, const QString &key, const QString &value, const QDateTime &time,
                Health health = Health::Failed)
{
    Evidence e;
    e.id = id;
    e.source = EvidenceSource::Probe;
    e.kind = QStringLiteral("http");
    e.time = time;
    e.health = health;
    e.facts.insert(QStringLiteral("keys.") + key, value);
    return e;
}

const Correlation *find(const QList<Correlation> &list, const QString &key, const QString &value)
{
    for (const Correlation &c : list) {
        if (c.key == key && c.value == value)
            return &c;
    }
    return nullptr;
}

} // namespace

class TestCorrelation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void joinsOneIncidentAcrossOrigins()
    {
        const EvidenceList evidence{
            logGroup(QStringLiteral("log.1"), QStringLiteral("/var/log/nginx/error.log"),
                     {{QStringLiteral("upstream"), QStringList{QStringLiteral("127.0.0.1:8000")}},
                      {QStringLiteral("path"), QStringList{QStringLiteral("GET /healthcheck HTTP/1.1")}}},
                     t0, t0.addSecs(1)),
            logGroup(QStringLiteral("log.2"), QStringLiteral("/var/log/nginx/access.log"),
                     {{QStringLiteral("path"), QStringList{QStringLiteral("/healthcheck?x=1")}}}, t0.addSecs(1),
                     t0.addSecs(1)),
            captured(QStringLiteral("capture.exchange.1"), QStringLiteral("127.0.0.1:8000"),
                     QStringLiteral("/healthcheck"), t0.addMSecs(200)),
            // Another upstream, another request: joins nothing.
            logGroup(QStringLiteral("log.3"), QStringLiteral("/var/log/nginx/error.log"),
                     {{QStringLiteral("upstream"), QStringList{QStringLiteral("127.0.0.1:3000")}}}, t0, t0)};
        const QList<Correlation> found = correlateEvidence(evidence);

        const Correlation *path = find(found, QStringLiteral("path"), QStringLiteral("/healthcheck"));
        QVERIFY(path);
        QCOMPARE(path->evidenceIds,
                 (QStringList{QStringLiteral("log.1"), QStringLiteral("capture.exchange.1"), QStringLiteral("log.2")}));
        QCOMPARE(path->origins.size(), 3);
        QCOMPARE(path->first, t0);
        QCOMPARE(path->last, t0.addSecs(1));
        const Correlation *upstream = find(found, QStringLiteral("upstream"), QStringLiteral("127.0.0.1:8000"));
        QVERIFY(upstream);
        QCOMPARE(upstream->evidenceIds, (QStringList{QStringLiteral("log.1"), QStringLiteral("capture.exchange.1")}));
        QVERIFY(!find(found, QStringLiteral("upstream"), QStringLiteral("127.0.0.1:3000")));
        // Most origins first.
        QCOMPARE(found.first().key, QStringLiteral("path"));
    }

    void oneOriginIsNotACorrelation()
    {
        // Two groups of the same file name the same upstream: one place, not two witnesses.
        const EvidenceList evidence{
            logGroup(QStringLiteral("log.1"), QStringLiteral("error.log"),
                     {{QStringLiteral("upstream"), QStringList{QStringLiteral("127.0.0.1:8000")}}}, t0, t0),
            logGroup(QStringLiteral("log.2"), QStringLiteral("error.log"),
                     {{QStringLiteral("upstream"), QStringList{QStringLiteral("127.0.0.1:8000")}}}, t0, t0)};
        QVERIFY(correlateEvidence(evidence).isEmpty());
    }

    void distantTimesAreSeparateIncidents()
    {
        // The same path an hour apart in two logs is two requests; within the window it is one.
        const EvidenceList apart{logGroup(QStringLiteral("log.1"), QStringLiteral("error.log"),
                                          {{QStringLiteral("path"), QStringList{QStringLiteral("/doc/k/c/")}}}, t0, t0),
                                 probed(QStringLiteral("probe.http.ws"), QStringLiteral("path"),
                                        QStringLiteral("/doc/k/c/"), t0.addSecs(3600))};
        QVERIFY(correlateEvidence(apart).isEmpty());
        const EvidenceList near{apart.first(), probed(QStringLiteral("probe.http.ws"), QStringLiteral("path"),
                                                      QStringLiteral("/doc/k/c/"), t0.addSecs(kCorrelationWindowSecs))};
        QCOMPARE(correlateEvidence(near).size(), 1);
    }

    void configurationIsTimeless()
    {
        Evidence config;
        config.id = QStringLiteral("config.address.docservice");
        config.source = EvidenceSource::Config;
        config.kind = QStringLiteral("configured-address");
        config.time = t0.addDays(-3); // when it was read does not matter
        config.facts.insert(QStringLiteral("keys.upstream"), QStringLiteral("127.0.0.1:8000"));
        const EvidenceList evidence{config, captured(QStringLiteral("capture.exchange.1"),
                                                     QStringLiteral("http://127.0.0.1:8000/x"), QString(), t0)};
        const QList<Correlation> found = correlateEvidence(evidence);
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().value, QStringLiteral("127.0.0.1:8000"));
        QCOMPARE(found.first().origins, (QStringList{QStringLiteral("capture"), QStringLiteral("config")}));
    }

    void verdictIsCorroboratedAndCited()
    {
        // A probe's 502 on /healthcheck and the proxy's error-log line for that very request:
        // the verdict the tree reaches cites the line and gains confidence; the same run
        // without the matching key does not.
        DiagnosisEngine engine(CauseCatalog::builtIn(), DecisionTree::builtIn());
        const auto run = [&engine](const QString &loggedPath) {
            Diagnosis d;
            Evidence probe =
                probed(QStringLiteral("probe.http.public"), QStringLiteral("path"), QStringLiteral("/healthcheck"), t0);
            probe.facts.insert(QStringLiteral("public.status"), 502);
            probe.facts.insert(QStringLiteral("public.server"), QStringLiteral("nginx"));
            d.evidence << probe;
            Evidence line = logGroup(QStringLiteral("log.0"), QStringLiteral("/var/log/nginx/error.log"),
                                     {{QStringLiteral("path"), QStringList{loggedPath}}}, t0, t0);
            line.facts.insert(QStringLiteral("cause"), QStringLiteral("upstream-timeout"));
            line.facts.insert(QStringLiteral("log.any.cause"), QStringLiteral("upstream-timeout"));
            d.evidence << line;
            Evidence other = probed(QStringLiteral("probe.http.extra"), QStringLiteral("path"),
                                    QStringLiteral("/welcome"), t0, Health::Failed);
            d.evidence << other;
            Evidence otherLog = logGroup(QStringLiteral("log.9"), QStringLiteral("/var/log/nginx/access.log"),
                                         {{QStringLiteral("path"), QStringList{QStringLiteral("/welcome")}}}, t0, t0);
            d.evidence << otherLog;
            return engine.rewalk(d);
        };
        const Diagnosis unrelated = run(QStringLiteral("/unrelated"));
        const Diagnosis matched = run(QStringLiteral("GET /healthcheck HTTP/1.1"));
        QCOMPARE(matched.causeId, unrelated.causeId);
        QVERIFY(!matched.causeId.isEmpty());
        QVERIFY(find(matched.correlations, QStringLiteral("path"), QStringLiteral("/healthcheck")));
        QVERIFY(!find(unrelated.correlations, QStringLiteral("path"), QStringLiteral("/healthcheck")));
        const RankedCause &top = matched.causes.first();
        QVERIFY2(top.evidenceIds.contains(QStringLiteral("probe.http.public")) &&
                     top.evidenceIds.contains(QStringLiteral("log.0")),
                 qPrintable(top.evidenceIds.join(QLatin1Char(','))));
        // The /welcome pair correlates too but is about another request: not cited.
        QVERIFY(find(matched.correlations, QStringLiteral("path"), QStringLiteral("/welcome")));
        QVERIFY(!top.evidenceIds.contains(QStringLiteral("log.9")));
        // Without the shared request the line is not cited by the verdict through correlation.
        QVERIFY(!unrelated.causes.first().reason.contains(QLatin1String("the same path")));
        QVERIFY2(matched.causes.first().reason.contains(QLatin1String("the same path /healthcheck")),
                 qPrintable(matched.causes.first().reason));
        QVERIFY2(matched.confidence > unrelated.confidence || matched.confidence >= 0.97,
                 qPrintable(QStringLiteral("%1 vs %2").arg(matched.confidence).arg(unrelated.confidence)));
    }

    void savedAndRendered()
    {
        Diagnosis d;
        d.status = VerdictStatus::Problem;
        d.causeId = QStringLiteral("upstream-refused");
        d.started = d.finished = t0;
        d.evidence << logGroup(QStringLiteral("log.1"), QStringLiteral("error.log"),
                               {{QStringLiteral("upstream"), QStringList{QStringLiteral("127.0.0.1:8000")}}}, t0, t0)
                   << captured(QStringLiteral("capture.exchange.1"), QStringLiteral("127.0.0.1:8000"),
                               QStringLiteral("/<script>"), t0);
        d.correlations = correlateEvidence(d.evidence);
        QCOMPARE(d.correlations.size(), 1);
        QList<LatencyHistorySample> history;
        LatencyHistorySample s;
        s.link = QStringLiteral("proxy->dsnginx");
        s.time = t0;
        s.connectMs = 0.25;
        s.totalMs = 3.5;
        history << s;
        const QByteArray json = diagnosisToJsonBytes(d, history);
        Diagnosis back;
        QList<LatencyHistorySample> historyBack;
        QString error;
        QVERIFY2(diagnosisFromJson(json, QStringLiteral("saved.json"), &back, &error, &historyBack), qPrintable(error));
        QCOMPARE(back.correlations.size(), 1);
        QCOMPARE(back.correlations.first().evidenceIds, d.correlations.first().evidenceIds);
        QCOMPARE(back.correlations.first().first, t0);
        QCOMPARE(historyBack.size(), 1);
        QCOMPARE(historyBack.first().link, s.link);
        QCOMPARE(historyBack.first().connectMs, 0.25);
        QCOMPARE(historyBack.first().ttfbMs, -1.0);
        const QString html = renderHtmlReport(back);
        QVERIFY(html.contains(QLatin1String("Correlated evidence")));
        QVERIFY(html.contains(QLatin1String("<a href=\"#capture.exchange.1\">")));
        QVERIFY(!html.contains(QLatin1String("<script>")));
    }
};

QTEST_GUILESS_MAIN(TestCorrelation)
#include "tst_correlation.moc"
