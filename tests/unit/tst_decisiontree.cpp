#include "diagnosis/decisiontree.h"
#include "diagnosis/treewalk.h"

#include <QTest>

using dd::TreeBranch;

class TestDecisionTree : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void branchOps_data()
    {
        QTest::addColumn<QString>("op");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QVariant>("fact");
        QTest::addColumn<bool>("expected");
        QTest::newRow("eq number") << QStringLiteral("eq") << QVariant(502) << QVariant(502) << true;
        QTest::newRow("eq number differs") << QStringLiteral("eq") << QVariant(502) << QVariant(504) << false;
        QTest::newRow("eq string ci") << QStringLiteral("eq") << QVariant(QStringLiteral("TRUE"))
                                      << QVariant(QStringLiteral("true")) << true;
        QTest::newRow("eq bool") << QStringLiteral("eq") << QVariant(false) << QVariant(false) << true;
        QTest::newRow("eq bool differs") << QStringLiteral("eq") << QVariant(false) << QVariant(true) << false;
        QTest::newRow("eq missing") << QStringLiteral("eq") << QVariant(1) << QVariant() << false;
        QTest::newRow("ne") << QStringLiteral("ne") << QVariant(200) << QVariant(502) << true;
        QTest::newRow("in") << QStringLiteral("in") << QVariant(QVariantList{502, 503}) << QVariant(503) << true;
        QTest::newRow("in no") << QStringLiteral("in") << QVariant(QVariantList{502, 503}) << QVariant(504) << false;
        QTest::newRow("contains") << QStringLiteral("contains") << QVariant(QStringLiteral("refused"))
                                  << QVariant(QStringLiteral("conn refused!")) << true;
        QTest::newRow("matches") << QStringLiteral("matches") << QVariant(QStringLiteral("^5\\d\\d$")) << QVariant(502)
                                 << true;
        QTest::newRow("lt") << QStringLiteral("lt") << QVariant(100) << QVariant(3.5) << true;
        QTest::newRow("gt no") << QStringLiteral("gt") << QVariant(100) << QVariant(3.5) << false;
        QTest::newRow("gt text") << QStringLiteral("gt") << QVariant(100) << QVariant(QStringLiteral("abc")) << false;
        QTest::newRow("exists") << QStringLiteral("exists") << QVariant() << QVariant(0) << true;
        QTest::newRow("exists no") << QStringLiteral("exists") << QVariant() << QVariant() << false;
        QTest::newRow("missing") << QStringLiteral("missing") << QVariant() << QVariant() << true;
        QTest::newRow("missing no") << QStringLiteral("missing") << QVariant() << QVariant(QStringLiteral("x"))
                                    << false;
        QTest::newRow("any missing") << QStringLiteral("any") << QVariant() << QVariant() << true;
    }
    void branchOps()
    {
        QFETCH(QString, op);
        QFETCH(QVariant, value);
        QFETCH(QVariant, fact);
        QFETCH(bool, expected);
        TreeBranch b;
        b.op = op;
        b.value = value;
        QCOMPARE(dd::DecisionTree::matches(b, fact), expected);
    }

    void rejectsBrokenTrees_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no root") << QByteArray("{\"root\":\"x\",\"nodes\":[]}")
                                 << QStringLiteral("root 'x' is not a node");
        QTest::newRow("dangling") << QByteArray("{\"root\":\"a\",\"nodes\":[{\"id\":\"a\",\"question\":\"q\",\"fact\":"
                                                "\"f\",\"branches\":[{\"op\":\"any\",\"next\":\"b\"}]}]}")
                                  << QStringLiteral("leads to unknown node 'b'");
        QTest::newRow("cycle") << QByteArray(
                                      "{\"root\":\"a\",\"nodes\":[{\"id\":\"a\",\"question\":\"q\",\"fact\":\"f\","
                                      "\"branches\":[{\"op\":\"any\",\"next\":\"b\"}]},{\"id\":\"b\",\"question\":"
                                      "\"q\",\"fact\":\"f\",\"branches\":[{\"op\":\"any\",\"next\":\"a\"}]}]}")
                               << QStringLiteral("cycle through node");
        QTest::newRow("unreachable")
            << QByteArray("{\"root\":\"a\",\"nodes\":[{\"id\":\"a\",\"question\":\"q\",\"fact\":\"f\",\"branches\":[{"
                          "\"op\":\"any\",\"cause\":\"c\"}]},{\"id\":\"b\",\"question\":\"q\",\"fact\":\"f\","
                          "\"branches\":[{\"op\":\"any\",\"cause\":\"c\"}]}]}")
            << QStringLiteral("node 'b' cannot be reached");
        QTest::newRow("both next and cause")
            << QByteArray("{\"root\":\"a\",\"nodes\":[{\"id\":\"a\",\"question\":\"q\",\"fact\":\"f\",\"branches\":[{"
                          "\"op\":\"any\",\"cause\":\"c\",\"next\":\"a\"}]}]}")
            << QStringLiteral("exactly one of 'next' or 'cause'");
        QTest::newRow("unknown op") << QByteArray("{\"root\":\"a\",\"nodes\":[{\"id\":\"a\",\"question\":\"q\","
                                                  "\"fact\":\"f\",\"branches\":[{\"op\":\"like\",\"cause\":\"c\"}]}]}")
                                    << QStringLiteral("unknown op 'like'");
        QTest::newRow("bad regex") << QByteArray(
                                          "{\"root\":\"a\",\"nodes\":[{\"id\":\"a\",\"question\":\"q\",\"fact\":\"f\","
                                          "\"branches\":[{\"op\":\"matches\",\"value\":\"(\",\"cause\":\"c\"}]}]}")
                                   << QStringLiteral("invalid regular expression");
        QTest::newRow("confidence") << QByteArray(
                                           "{\"root\":\"a\",\"nodes\":[{\"id\":\"a\",\"question\":\"q\",\"fact\":\"f\","
                                           "\"branches\":[{\"op\":\"any\",\"cause\":\"c\",\"confidence\":2}]}]}")
                                    << QStringLiteral("confidence must be within 0..1");
        QTest::newRow("no branches")
            << QByteArray(
                   "{\"root\":\"a\",\"nodes\":[{\"id\":\"a\",\"question\":\"q\",\"fact\":\"f\",\"branches\":[]}]}")
            << QStringLiteral("has no branches");
    }
    void rejectsBrokenTrees()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        dd::DecisionTree tree;
        QString error;
        QVERIFY(!tree.loadFromData(json, QStringLiteral("t.json"), &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    // The built-in tree over the facts each situation produces.
    void builtInWalks_data()
    {
        QTest::addColumn<QVariantMap>("facts");
        QTest::addColumn<QString>("cause");
        QTest::addColumn<QString>("hop");
        const QString front = QStringLiteral("front.present");
        QTest::newRow("healthy") << QVariantMap{{front, true},
                                                {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                                                {QStringLiteral("public.status"), 200},
                                                {QStringLiteral("public.body"), QStringLiteral("true")}}
                                 << QStringLiteral("healthy") << QString();
        QTest::newRow("healthcheck false")
            << QVariantMap{{front, true},
                           {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                           {QStringLiteral("public.status"), 200},
                           {QStringLiteral("public.body"), QStringLiteral("false")}}
            << QStringLiteral("healthcheck-false") << QStringLiteral("dsnginx->docservice");
        QTest::newRow("docservice refused")
            << QVariantMap{{front, true},
                           {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                           {QStringLiteral("public.status"), 502},
                           {QStringLiteral("docserver.outcome"), QStringLiteral("ok")},
                           {QStringLiteral("docserver.status"), 502},
                           {QStringLiteral("docservice.tcp"), QStringLiteral("refused")}}
            << QStringLiteral("ds-docservice-down") << QStringLiteral("dsnginx->docservice");
        QTest::newRow("docservice refused, DS log names RabbitMQ")
            << QVariantMap{{front, true}, {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                           {QStringLiteral("public.status"), 502}, {QStringLiteral("docserver.outcome"), QStringLiteral("ok")},
                           {QStringLiteral("docserver.status"), 502}, {QStringLiteral("docservice.tcp"), QStringLiteral("refused")},
                           {QStringLiteral("log.docservice.cause"), QStringLiteral("rabbitmq-unreachable")}}
            << QStringLiteral("rabbitmq-unreachable") << QStringLiteral("dsnginx->docservice");
        QTest::newRow("healthcheck false, DS log names the database")
            << QVariantMap{{front, true}, {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                           {QStringLiteral("public.status"), 200}, {QStringLiteral("public.body"), QStringLiteral("false")},
                           {QStringLiteral("log.docservice.cause"), QStringLiteral("docservice-db-unreachable")}}
            << QStringLiteral("docservice-db-unreachable") << QStringLiteral("dsnginx->docservice");
        QTest::newRow("ds nginx 502, no docservice probe, log")
            << QVariantMap{{front, true},
                           {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                           {QStringLiteral("public.status"), 502},
                           {QStringLiteral("docserver.outcome"), QStringLiteral("ok")},
                           {QStringLiteral("docserver.status"), 502},
                           {QStringLiteral("log.to_docservice.cause"), QStringLiteral("upstream-prematurely-closed")}}
            << QStringLiteral("upstream-prematurely-closed") << QStringLiteral("dsnginx->docservice");
        QTest::newRow("front upstream refused")
            << QVariantMap{{front, true},
                           {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                           {QStringLiteral("public.status"), 502},
                           {QStringLiteral("docserver.outcome"), QStringLiteral("refused")}}
            << QStringLiteral("upstream-refused") << QStringLiteral("proxy->dsnginx");
        QTest::newRow("no proxy, ds refused")
            << QVariantMap{{front, false}, {QStringLiteral("docserver.outcome"), QStringLiteral("refused")}}
            << QStringLiteral("ds-nginx-down") << QStringLiteral("browser->dsnginx");
        QTest::newRow("504 from ds nginx")
            << QVariantMap{{front, true},
                           {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                           {QStringLiteral("public.status"), 504},
                           {QStringLiteral("docserver.outcome"), QStringLiteral("ok")},
                           {QStringLiteral("docserver.status"), 504}}
            << QStringLiteral("upstream-timeout") << QStringLiteral("dsnginx->docservice");
        QTest::newRow("syn unanswered") << QVariantMap{{front, true},
                                                       {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                                                       {QStringLiteral("public.status"), 504},
                                                       {QStringLiteral("docserver.outcome"), QStringLiteral("timeout")},
                                                       {QStringLiteral("dsnginx.tcp"), QStringLiteral("timeout")}}
                                        << QStringLiteral("backend-unreachable-network")
                                        << QStringLiteral("proxy->dsnginx");
        QTest::newRow("ds fine, proxy log names scheme")
            << QVariantMap{{front, true},
                           {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                           {QStringLiteral("public.status"), 502},
                           {QStringLiteral("docserver.outcome"), QStringLiteral("ok")},
                           {QStringLiteral("docserver.status"), 200},
                           {QStringLiteral("docserver.body"), QStringLiteral("true")},
                           {QStringLiteral("log.to_docserver.cause"), QStringLiteral("upstream-scheme-mismatch")}}
            << QStringLiteral("upstream-scheme-mismatch") << QStringLiteral("proxy->dsnginx");
        QTest::newRow("socket upgrade lost") << QVariantMap{{front, true}, {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                                                            {QStringLiteral("public.status"), 200}, {QStringLiteral("public.body"), QStringLiteral("true")},
                                                            {QStringLiteral("ws.status"), 400}, {QStringLiteral("ws.sio_code"), 3}}
                                             << QStringLiteral("websocket-upgrade-missing") << QStringLiteral("proxy->dsnginx");
        QTest::newRow("query lost") << QVariantMap{{front, true}, {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                                                   {QStringLiteral("public.status"), 200}, {QStringLiteral("public.body"), QStringLiteral("true")},
                                                   {QStringLiteral("ws.status"), 400}, {QStringLiteral("ws.sio_code"), 0}}
                                    << QStringLiteral("socketio-query-lost") << QStringLiteral("proxy->dsnginx");
        QTest::newRow("frame blocked") << QVariantMap{{front, true}, {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                                                      {QStringLiteral("public.status"), 200}, {QStringLiteral("public.body"), QStringLiteral("true")},
                                                      {QStringLiteral("ws.status"), 101}, {QStringLiteral("apijs.frame_blocked"), true}}
                                       << QStringLiteral("frame-blocked-by-proxy-headers") << QStringLiteral("browser->proxy");
        QTest::newRow("user says download failed, log names private ip")
            << QVariantMap{{front, true}, {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                           {QStringLiteral("public.status"), 200}, {QStringLiteral("public.body"), QStringLiteral("true")},
                           {QStringLiteral("ws.status"), 101}, {QStringLiteral("apijs.frame_blocked"), false},
                           {QStringLiteral("user.symptom"), QStringLiteral("download-failed")},
                           {QStringLiteral("log.any.cause"), QStringLiteral("private-ip-blocked")}}
            << QStringLiteral("private-ip-blocked") << QString();
        QTest::newRow("plain http to https port") << QVariantMap{{front, true}, {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                                                                 {QStringLiteral("public.status"), 400},
                                                                 {QStringLiteral("public.body"), QStringLiteral("<html><center>The plain HTTP request was sent to HTTPS port</center>")}}
                                                  << QStringLiteral("upstream-scheme-mismatch") << QStringLiteral("proxy->dsnginx");
        QTest::newRow("nothing known") << QVariantMap{{front, true},
                                                      {QStringLiteral("public.outcome"), QStringLiteral("ok")},
                                                      {QStringLiteral("public.status"), 502}}
                                       << QStringLiteral("inconclusive") << QString();
    }
    void builtInWalks()
    {
        QFETCH(QVariantMap, facts);
        QFETCH(QString, cause);
        QFETCH(QString, hop);
        const dd::DecisionTree tree = dd::DecisionTree::builtIn();
        dd::Evidence e;
        e.id = QStringLiteral("probe.x");
        e.facts = facts;
        const dd::TreeWalk w = dd::walkTree(tree, facts, {e});
        QCOMPARE(w.cause, cause);
        if (!hop.isEmpty())
            QCOMPARE(w.hop, hop);
        QVERIFY(!w.path.isEmpty());
        QCOMPARE(w.path.first().node, tree.root());
        // The symptom question is asked (recorded for the user) whenever the walk reaches it unanswered.
        for (const dd::PathStep &step : w.path)
            QCOMPARE(step.askedUser, step.fact == QLatin1String("user.symptom") && !facts.contains(step.fact));
        const bool rootObserved = facts.contains(tree.node(tree.root())->fact);
        QCOMPARE(w.path.first().evidenceIds.contains(QStringLiteral("probe.x")), rootObserved);
    }
};

QTEST_GUILESS_MAIN(TestDecisionTree)
#include "tst_decisiontree.moc"
