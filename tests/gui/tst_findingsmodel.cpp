#include "findingsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace dd;

namespace {

RankedCause cause(const QString &id, const QString &title, double confidence)
{
    RankedCause c;
    c.id = id;
    c.title = title;
    c.confidence = confidence;
    c.hop = QStringLiteral("dsnginx->docservice");
    c.fix = QStringLiteral("restart %1").arg(id);
    c.reason = QStringLiteral("because <%1>").arg(id);
    c.evidenceIds = {QStringLiteral("e1"), QStringLiteral("e2")};
    return c;
}

} // namespace

class TestFindingsModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void passesModelTester();
    void display_data();
    void display();
    void roles();
    void headers();
};

void TestFindingsModel::passesModelTester()
{
    FindingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setCauses({cause(QStringLiteral("a"), QStringLiteral("A"), 0.9), cause(QStringLiteral("b"), QString(), 0.3)});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(FindingsModel::ColumnCount));
    model.setCauses({cause(QStringLiteral("c"), QStringLiteral("C"), 0.5)});
    QCOMPARE(model.rowCount(), 1);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(resets.size(), 3);
    // A table has no children.
    model.setCauses({cause(QStringLiteral("a"), QStringLiteral("A"), 0.9)});
    QCOMPARE(model.rowCount(model.index(0, 0)), 0);
}

void TestFindingsModel::display_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<QVariant>("expected");
    QTest::newRow("rank is 1-based") << 1 << int(FindingsModel::RankColumn) << QVariant(2);
    QTest::newRow("title") << 0 << int(FindingsModel::CauseColumn) << QVariant(QStringLiteral("Docservice down"));
    QTest::newRow("id when no title") << 1 << int(FindingsModel::CauseColumn) << QVariant(QStringLiteral("other"));
    QTest::newRow("confidence rounded") << 0 << int(FindingsModel::ConfidenceColumn)
                                        << QVariant(QStringLiteral("87 %"));
    QTest::newRow("hop") << 0 << int(FindingsModel::HopColumn) << QVariant(QStringLiteral("dsnginx->docservice"));
    QTest::newRow("fix") << 1 << int(FindingsModel::FixColumn) << QVariant(QStringLiteral("restart other"));
}

void TestFindingsModel::display()
{
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(QVariant, expected);
    FindingsModel model;
    model.setCauses({cause(QStringLiteral("ds-docservice-down"), QStringLiteral("Docservice down"), 0.866),
                     cause(QStringLiteral("other"), QString(), 0.2)});
    QCOMPARE(model.data(model.index(row, column)).toString(), expected.toString());
}

void TestFindingsModel::roles()
{
    FindingsModel model;
    model.setCauses({cause(QStringLiteral("ds-docservice-down"), QStringLiteral("Docservice down"), 0.75)});
    const QModelIndex index = model.index(0, FindingsModel::FixColumn);
    QCOMPARE(index.data(FindingsModel::CauseIdRole).toString(), QStringLiteral("ds-docservice-down"));
    QCOMPARE(index.data(FindingsModel::ConfidenceRole).toDouble(), 0.75);
    QCOMPARE(index.data(FindingsModel::HopRole).toString(), QStringLiteral("dsnginx->docservice"));
    QCOMPARE(index.data(FindingsModel::FixRole).toString(), QStringLiteral("restart ds-docservice-down"));
    QCOMPARE(index.data(FindingsModel::EvidenceIdsRole).toStringList(),
             QStringList({QStringLiteral("e1"), QStringLiteral("e2")}));
    // Untrusted text is escaped in the rich-text tooltip.
    const QString tip = index.data(Qt::ToolTipRole).toString();
    QVERIFY(tip.contains(QStringLiteral("&lt;ds-docservice-down&gt;")));
    QVERIFY(!tip.contains(QStringLiteral("<ds-docservice-down>")));
    QVERIFY(model.roleNames().value(FindingsModel::CauseIdRole) == "causeId");
    QVERIFY(!model.data(QModelIndex()).isValid());
}

void TestFindingsModel::headers()
{
    FindingsModel model;
    for (int c = 0; c < FindingsModel::ColumnCount; ++c)
        QVERIFY2(!model.headerData(c, Qt::Horizontal).toString().isEmpty(), qPrintable(QString::number(c)));
}

QTEST_MAIN(TestFindingsModel)
#include "tst_findingsmodel.moc"
