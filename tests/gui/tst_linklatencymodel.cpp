#include "linklatencymodel.h"
#include "model/diagnosis.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace dd;

namespace {

const QDateTime t0(QDate(2024, 5, 1), QTime(12, 0, 0), Qt::UTC);

LatencySample sample(const QString &link, int second, double connect, double ttfb = -1, double total = -1)
{
    LatencySample s;
    s.link = link;
    s.time = t0.addSecs(second);
    s.connectMs = connect;
    s.ttfbMs = ttfb;
    s.totalMs = total;
    return s;
}

Evidence httpEvidence(const QString &id, const QString &link, const QString &subject, double connect, double ttfb,
                      double total, int second = 0)
{
    Evidence e;
    e.id = id;
    e.kind = QStringLiteral("http");
    e.time = t0.addSecs(second);
    e.link = link;
    e.facts.insert(subject + QLatin1String(".status"), 200);
    e.facts.insert(subject + QLatin1String(".connect_ms"), connect);
    e.facts.insert(subject + QLatin1String(".ttfb_ms"), ttfb);
    e.facts.insert(subject + QLatin1String(".total_ms"), total);
    e.latencyMs = connect / 2; // the connect phase alone; the fact (since start) wins
    return e;
}

Evidence tcpEvidence(const QString &id, const QString &link, double latency, int second = 0)
{
    Evidence e;
    e.id = id;
    e.kind = QStringLiteral("tcp");
    e.time = t0.addSecs(second);
    e.link = link;
    e.facts.insert(QStringLiteral("docservice.tcp"), QStringLiteral("ok"));
    e.latencyMs = latency;
    return e;
}

QStringList linksOfRows(const LinkLatencyModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, 0).data(LinkLatencyModel::LinkIdRole).toString();
    return out;
}

} // namespace

using SampleList = QList<LatencySample>;

class TestLinkLatencyModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void passesModelTester();
    void insertsInBatches();
    void skipsEmptySamples();
    void boundedPerLink_data();
    void boundedPerLink();
    void samplesFromEvidence_data();
    void samplesFromEvidence();
    void eachRunAddsASample();
    void data();
    void headers();
};

void TestLinkLatencyModel::passesModelTester()
{
    LinkLatencyModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaximumSamplesPerLink(3);
    model.addSample(sample(QStringLiteral("a->b"), 0, 1, 2, 3));
    model.addSamples({sample(QStringLiteral("a->b"), 1, 1), sample(QStringLiteral("b->c"), 1, 4, 5, 6)});
    QCOMPARE(model.rowCount(), 3);
    // Interleaved links: the oldest "a->b" rows are scattered between "b->c" rows.
    SampleList more;
    for (int i = 2; i < 8; ++i)
        more << sample(i % 2 ? QStringLiteral("b->c") : QStringLiteral("a->b"), i, i);
    model.addSamples(more);
    QCOMPARE(model.rowCount(), 6);
    model.setMaximumSamplesPerLink(1);
    QCOMPARE(model.rowCount(), 2);
    model.addSamples({});
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestLinkLatencyModel::insertsInBatches()
{
    LinkLatencyModel model;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy links(&model, &LinkLatencyModel::linksChanged);
    SampleList batch;
    for (int i = 0; i < 7; ++i)
        batch << sample(QStringLiteral("l%1").arg(i % 2), i, i + 1);
    model.addSamples(batch);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 6);
    QCOMPARE(links.size(), 1);
    QCOMPARE(model.links(), QStringList({QStringLiteral("l0"), QStringLiteral("l1")}));
    model.addSamples({sample(QStringLiteral("l1"), 9, 1)});
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(links.size(), 1); // no new link, no signal
}

void TestLinkLatencyModel::skipsEmptySamples()
{
    LinkLatencyModel model;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.addSamples({sample(QStringLiteral("a->b"), 0, -1), sample(QString(), 0, 5)});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(inserted.size(), 0);
    QVERIFY(model.links().isEmpty());
}

void TestLinkLatencyModel::boundedPerLink_data()
{
    QTest::addColumn<int>("maximum");
    QTest::addColumn<QString>("pattern"); // one letter per sample: its link
    QTest::addColumn<QString>("kept");    // links of the rows kept, oldest first
    QTest::addColumn<QList<int>>("keptSeconds");

    QTest::newRow("under the bound") << 3 << QStringLiteral("abab") << QStringLiteral("abab") << QList<int>{0, 1, 2, 3};
    QTest::newRow("one link over") << 2 << QStringLiteral("aaab") << QStringLiteral("aab") << QList<int>{1, 2, 3};
    QTest::newRow("interleaved") << 2 << QStringLiteral("abaaba") << QStringLiteral("baba") << QList<int>{1, 3, 4, 5};
    QTest::newRow("bound of one") << 1 << QStringLiteral("aabbab") << QStringLiteral("ab") << QList<int>{4, 5};
}

void TestLinkLatencyModel::boundedPerLink()
{
    QFETCH(int, maximum);
    QFETCH(QString, pattern);
    QFETCH(QString, kept);
    QFETCH(QList<int>, keptSeconds);

    LinkLatencyModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaximumSamplesPerLink(maximum);
    SampleList batch;
    for (int i = 0; i < pattern.size(); ++i)
        batch << sample(QString(pattern.at(i)), i, i + 1);
    model.addSamples(batch);

    QString links;
    QList<int> seconds;
    for (int row = 0; row < model.rowCount(); ++row) {
        links += model.index(row, 0).data(LinkLatencyModel::LinkIdRole).toString();
        seconds << int(t0.secsTo(model.index(row, 0).data(LinkLatencyModel::TimeRole).toDateTime()));
    }
    QCOMPARE(links, kept);
    QCOMPARE(seconds, keptSeconds);
    for (const QString &link : model.links())
        QVERIFY(model.sampleCount(link) <= maximum);
}

void TestLinkLatencyModel::samplesFromEvidence_data()
{
    QTest::addColumn<EvidenceList>("evidence");
    QTest::addColumn<QStringList>("links");
    QTest::addColumn<QList<double>>("connect");
    QTest::addColumn<QList<double>>("ttfb");
    QTest::addColumn<QList<double>>("total");

    const QString front = QStringLiteral("browser->proxy");
    const QString back = QStringLiteral("proxy->dsnginx");
    QTest::newRow("http phases from the facts")
        << EvidenceList{httpEvidence(QStringLiteral("h"), front, QStringLiteral("public"), 1.5, 4, 5)}
        << QStringList{front} << QList<double>{1.5} << QList<double>{4} << QList<double>{5};
    QTest::newRow("tcp gives connect only")
        << EvidenceList{tcpEvidence(QStringLiteral("t"), back, 0.25)} << QStringList{back} << QList<double>{0.25}
        << QList<double>{-1} << QList<double>{-1};
    QTest::newRow("one link, one sample: first of each phase")
        << EvidenceList{tcpEvidence(QStringLiteral("t"), back, 0.5, 2),
                        httpEvidence(QStringLiteral("h"), back, QStringLiteral("docserver"), 0.8, 2, 3, 1),
                        httpEvidence(QStringLiteral("h2"), back, QStringLiteral("apijs"), 9, 9, 9, 3)}
        << QStringList{back} << QList<double>{0.5} << QList<double>{2} << QList<double>{3};
    Evidence noLink = httpEvidence(QStringLiteral("n"), QString(), QStringLiteral("x"), 1, 2, 3);
    Evidence user = tcpEvidence(QStringLiteral("user.symptom"), front, 7);
    user.source = EvidenceSource::User;
    Evidence noTiming = tcpEvidence(QStringLiteral("log"), back, -1);
    QTest::newRow("no link, user answers and untimed evidence are skipped")
        << EvidenceList{noLink, user, noTiming} << QStringList{} << QList<double>{} << QList<double>{}
        << QList<double>{};
    QTest::newRow("two links keep their order")
        << EvidenceList{tcpEvidence(QStringLiteral("b"), back, 1),
                        httpEvidence(QStringLiteral("f"), front, QStringLiteral("public"), 2, 3, 4)}
        << QStringList{back, front} << QList<double>{1, 2} << QList<double>{-1, 3} << QList<double>{-1, 4};
}

void TestLinkLatencyModel::samplesFromEvidence()
{
    QFETCH(EvidenceList, evidence);
    QFETCH(QStringList, links);
    QFETCH(QList<double>, connect);
    QFETCH(QList<double>, ttfb);
    QFETCH(QList<double>, total);

    const SampleList samples = LinkLatencyModel::samplesFromEvidence(evidence);
    QStringList gotLinks;
    QList<double> gotConnect, gotTtfb, gotTotal;
    for (const LatencySample &s : samples) {
        gotLinks << s.link;
        gotConnect << s.connectMs;
        gotTtfb << s.ttfbMs;
        gotTotal << s.totalMs;
        QVERIFY(s.time.isValid());
    }
    QCOMPARE(gotLinks, links);
    QCOMPARE(gotConnect, connect);
    QCOMPARE(gotTtfb, ttfb);
    QCOMPARE(gotTotal, total);
}

void TestLinkLatencyModel::eachRunAddsASample()
{
    Diagnosis run;
    run.evidence << httpEvidence(QStringLiteral("h"), QStringLiteral("browser->proxy"), QStringLiteral("public"), 1, 2,
                                 3)
                 << tcpEvidence(QStringLiteral("t"), QStringLiteral("dsnginx->docservice"), 0.3);
    LinkLatencyModel model;
    model.addDiagnosis(run);
    model.addDiagnosis(run);
    model.addDiagnosis(run);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.sampleCount(QStringLiteral("browser->proxy")), 3);
    QCOMPARE(model.sampleCount(QStringLiteral("dsnginx->docservice")), 3);
    QCOMPARE(linksOfRows(model).first(), QStringLiteral("browser->proxy"));
}

void TestLinkLatencyModel::data()
{
    LinkLatencyModel model;
    model.addSample(sample(QStringLiteral("a->b"), 5, 1.234, 12.5, -1));
    const auto cell = [&model](int column, int role) { return model.index(0, column).data(role); };

    QCOMPARE(cell(LinkLatencyModel::LinkColumn, Qt::DisplayRole).toString(), QStringLiteral("a->b"));
    QCOMPARE(cell(LinkLatencyModel::TimeColumn, LinkLatencyModel::TimeRole).toDateTime(), t0.addSecs(5));
    QCOMPARE(cell(LinkLatencyModel::TimeColumn, LinkLatencyModel::TimeMsRole).toLongLong(),
             t0.addSecs(5).toMSecsSinceEpoch());
    QCOMPARE(cell(LinkLatencyModel::TimeColumn, Qt::DisplayRole).toString(),
             t0.addSecs(5).toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz")));
    QCOMPARE(cell(LinkLatencyModel::ConnectColumn, LinkLatencyModel::LatencyMsRole).toDouble(), 1.234);
    QCOMPARE(cell(LinkLatencyModel::ConnectColumn, Qt::DisplayRole).toString(), QStringLiteral("1.23 ms"));
    QCOMPARE(cell(LinkLatencyModel::TtfbColumn, Qt::DisplayRole).toString(), QStringLiteral("12.5 ms"));
    QCOMPARE(cell(LinkLatencyModel::TotalColumn, LinkLatencyModel::LatencyMsRole).toDouble(), -1.0);
    QVERIFY(cell(LinkLatencyModel::TotalColumn, Qt::DisplayRole).toString().isEmpty());
    QCOMPARE(cell(LinkLatencyModel::LinkColumn, LinkLatencyModel::LatencyMsRole).toDouble(), -1.0);
    QCOMPARE(cell(LinkLatencyModel::TotalColumn, LinkLatencyModel::LinkIdRole).toString(), QStringLiteral("a->b"));
    QVERIFY(!model.index(1, 0).data().isValid());
    QVERIFY(model.roleNames().value(LinkLatencyModel::LatencyMsRole) == "latencyMs");
}

void TestLinkLatencyModel::headers()
{
    LinkLatencyModel model;
    QCOMPARE(model.columnCount(), int(LinkLatencyModel::ColumnCount));
    QStringList headers;
    for (int c = 0; c < model.columnCount(); ++c)
        headers << model.headerData(c, Qt::Horizontal).toString();
    QCOMPARE(headers, QStringList({QStringLiteral("Time"), QStringLiteral("Link"), QStringLiteral("Connect"),
                                   QStringLiteral("First byte"), QStringLiteral("Total")}));
}

QTEST_MAIN(TestLinkLatencyModel)
#include "tst_linklatencymodel.moc"
