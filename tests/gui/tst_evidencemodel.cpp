#include "evidencemodel.h"
#include "healthstyle.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSignalSpy>
#include <QTest>

using namespace dd;

namespace {

Evidence evidence(int n, Health health = Health::Ok)
{
    Evidence e;
    e.id = QStringLiteral("e%1").arg(n);
    e.source = EvidenceSource::Probe;
    e.kind = QStringLiteral("http");
    e.time = QDateTime(QDate(2024, 5, 1), QTime(12, 0, n % 60), Qt::UTC);
    e.link = QStringLiteral("browser->proxy");
    e.health = health;
    e.summary = QStringLiteral("summary %1").arg(n);
    e.detail = QStringLiteral("detail %1").arg(n);
    e.excerpt = QStringLiteral("HTTP/1.1 502 <Bad Gateway>");
    e.latencyMs = n;
    return e;
}

EvidenceList evidenceList(int first, int count)
{
    EvidenceList list;
    for (int i = first; i < first + count; ++i)
        list << evidence(i);
    return list;
}

} // namespace

class TestEvidenceModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void passesModelTester();
    void insertsInBatches();
    void boundedDropsOldest_data();
    void boundedDropsOldest();
    void data_data();
    void data();
    void headers();
};

void TestEvidenceModel::passesModelTester()
{
    EvidenceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaximumRows(10);
    model.addEvidence(evidence(1));
    model.addEvidence(evidenceList(2, 4));
    QCOMPARE(model.rowCount(), 5);
    model.addEvidence(evidenceList(6, 8)); // trims the oldest three
    QCOMPARE(model.rowCount(), 10);
    model.setMaximumRows(4);
    QCOMPARE(model.rowCount(), 4);
    model.setEvidence(evidenceList(100, 3));
    QCOMPARE(model.rowCount(), 3);
    model.addEvidence(EvidenceList());
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestEvidenceModel::insertsInBatches()
{
    EvidenceModel model;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.addEvidence(evidenceList(0, 7));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 6);
}

void TestEvidenceModel::boundedDropsOldest_data()
{
    QTest::addColumn<int>("maximum");
    QTest::addColumn<int>("added");
    QTest::addColumn<QString>("firstId");
    QTest::newRow("under the bound") << 10 << 4 << QStringLiteral("e0");
    QTest::newRow("at the bound") << 5 << 5 << QStringLiteral("e0");
    QTest::newRow("over the bound") << 5 << 12 << QStringLiteral("e7");
    QTest::newRow("bound of one") << 1 << 3 << QStringLiteral("e2");
}

void TestEvidenceModel::boundedDropsOldest()
{
    QFETCH(int, maximum);
    QFETCH(int, added);
    QFETCH(QString, firstId);
    EvidenceModel model;
    model.setMaximumRows(maximum);
    for (int i = 0; i < added; ++i)
        model.addEvidence(evidence(i));
    QCOMPARE(model.rowCount(), std::min(maximum, added));
    QCOMPARE(model.index(0, 0).data(EvidenceModel::EvidenceIdRole).toString(), firstId);
    QCOMPARE(model.index(model.rowCount() - 1, 0).data(EvidenceModel::EvidenceIdRole).toString(),
             QStringLiteral("e%1").arg(added - 1));
}

void TestEvidenceModel::data_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("role");
    QTest::addColumn<QVariant>("expected");
    QTest::newRow("source") << int(EvidenceModel::SourceColumn) << int(Qt::DisplayRole)
                            << QVariant(QStringLiteral("Probe"));
    QTest::newRow("subject is the link") << int(EvidenceModel::SubjectColumn) << int(Qt::DisplayRole)
                                         << QVariant(QStringLiteral("browser->proxy"));
    QTest::newRow("health") << int(EvidenceModel::HealthColumn) << int(Qt::DisplayRole)
                            << QVariant(QStringLiteral("Failed"));
    QTest::newRow("summary") << int(EvidenceModel::SummaryColumn) << int(Qt::DisplayRole)
                             << QVariant(QStringLiteral("summary 3"));
    QTest::newRow("id role") << 0 << int(EvidenceModel::EvidenceIdRole) << QVariant(QStringLiteral("e3"));
    QTest::newRow("health role") << 0 << int(EvidenceModel::HealthRole) << QVariant(int(Health::Failed));
    QTest::newRow("health name role") << 0 << int(EvidenceModel::HealthNameRole) << QVariant(QStringLiteral("failed"));
    QTest::newRow("excerpt role") << 0 << int(EvidenceModel::ExcerptRole)
                                  << QVariant(QStringLiteral("HTTP/1.1 502 <Bad Gateway>"));
    QTest::newRow("latency role") << 0 << int(EvidenceModel::LatencyRole) << QVariant(3.0);
    QTest::newRow("health colour") << int(EvidenceModel::HealthColumn) << int(Qt::DecorationRole)
                                   << QVariant(healthColor(Health::Failed));
}

void TestEvidenceModel::data()
{
    QFETCH(int, column);
    QFETCH(int, role);
    QFETCH(QVariant, expected);
    EvidenceModel model;
    model.addEvidence(evidence(3, Health::Failed));
    QCOMPARE(model.data(model.index(0, column), role), expected);

    const QString tip = model.index(0, EvidenceModel::SummaryColumn).data(Qt::ToolTipRole).toString();
    QVERIFY(tip.contains(QStringLiteral("&lt;Bad Gateway&gt;")));
}

void TestEvidenceModel::headers()
{
    EvidenceModel model;
    for (int c = 0; c < EvidenceModel::ColumnCount; ++c)
        QVERIFY2(!model.headerData(c, Qt::Horizontal).toString().isEmpty(), qPrintable(QString::number(c)));
}

QTEST_MAIN(TestEvidenceModel)
#include "tst_evidencemodel.moc"
