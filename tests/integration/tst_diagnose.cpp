// diagnose on the Fault Lab: real nginx processes on 127.0.0.1, the docservice simulator, the
// engine in-process and the CLI as a separate process, each scenario expecting its cause first.
#include "labfixture.h"

#include "diagnosis/diagnosisengine.h"
#include "report/htmlreport.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Waits with the event loop running: the lab's docservice simulator lives in this process and
// must keep answering while the CLI probes it.
CliRun runCli(const QStringList &args, int timeoutMs = 90000)
{
    QProcess p;
    QSignalSpy done(&p, &QProcess::finished);
    p.start(QStringLiteral(DD_CLI_PATH), args);
    CliRun r;
    if (!done.wait(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

class TestDiagnose : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void scenarios_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("cause");
        QTest::addColumn<QString>("hop");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("healthy") << QStringLiteral("healthy") << QStringLiteral("healthy") << QString() << QString()
                                 << 0;
        QTest::newRow("docservice down") << QStringLiteral("ds-docservice-down") << QStringLiteral("problem")
                                         << QStringLiteral("ds-docservice-down")
                                         << QStringLiteral("dsnginx->docservice") << 1;
        QTest::newRow("front upstream refused")
            << QStringLiteral("upstream-refused") << QStringLiteral("problem") << QStringLiteral("upstream-refused")
            << QStringLiteral("proxy->dsnginx") << 1;
        QTest::newRow("upstream timeout 504")
            << QStringLiteral("upstream-timeout") << QStringLiteral("problem") << QStringLiteral("upstream-timeout")
            << QStringLiteral("dsnginx->docservice") << 1;
        QTest::newRow("healthcheck false") << QStringLiteral("healthcheck-false") << QStringLiteral("problem")
                                           << QStringLiteral("healthcheck-false") << QString() << 1;
    }

    void scenarios()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, status);
        QFETCH(QString, cause);
        QFETCH(QString, hop);
        QFETCH(int, exitCode);

        LabFixture lab;
        QString error;
        QVERIFY2(lab.start(scenario, &error), qPrintable(error));

        // In-process: the engine the GUI uses.
        dd::DiagnosisEngine engine(dd::CauseCatalog::builtIn(), dd::DecisionTree::builtIn());
        QSignalSpy finished(&engine, &dd::DiagnosisEngine::diagnosisFinished);
        QSignalSpy failed(&engine, &dd::DiagnosisEngine::diagnosisFailed);
        QSignalSpy evidence(&engine, &dd::DiagnosisEngine::evidenceAvailable);
        engine.start(lab.profile());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size() + failed.size(), 1, 60000);
        QCOMPARE(failed.size(), 0);
        const auto d = finished.first().first().value<dd::Diagnosis>();
        QCOMPARE(dd::verdictStatusName(d.status), status);
        QCOMPARE(d.causeId, cause);
        if (!hop.isEmpty())
            QCOMPARE(d.hop, hop);
        QVERIFY(evidence.size() >= 3);
        QCOMPARE(evidence.size(), d.evidence.size());
        QVERIFY(!d.path.isEmpty());
        if (!cause.isEmpty()) {
            QCOMPARE(d.causes.first().id, cause);
            QVERIFY(!d.causes.first().fix.isEmpty());
            QVERIFY(!d.causes.first().evidenceIds.isEmpty());
            const dd::TopologyLink *failing = d.topology.link(d.hop);
            if (failing)
                QCOMPARE(failing->health, dd::Health::Failed);
        }

        // The CLI, as a script would run it: profile file, JSON to stdout, HTML report.
        QTemporaryDir dir;
        const QString profilePath = dir.filePath(QStringLiteral("profile.json"));
        QFile pf(profilePath);
        QVERIFY(pf.open(QIODevice::WriteOnly));
        pf.write(dd::profileToJson(lab.profile()));
        pf.close();
        const QString report = dir.filePath(QStringLiteral("report.html"));
        const CliRun run = runCli({QStringLiteral("diagnose"), QStringLiteral("--profile"), profilePath,
                                   QStringLiteral("--json"), QStringLiteral("--report"), report});
        QVERIFY2(run.exitCode == exitCode, run.err.constData());
        QJsonParseError pe;
        const QJsonObject json = QJsonDocument::fromJson(run.out, &pe).object();
        QVERIFY2(pe.error == QJsonParseError::NoError, run.out.left(400).constData());
        QCOMPARE(json.value(QStringLiteral("schema")).toString(), QStringLiteral("docserver-doctor.diagnosis/1"));
        const QJsonObject verdict = json.value(QStringLiteral("verdict")).toObject();
        QCOMPARE(verdict.value(QStringLiteral("status")).toString(), status);
        QCOMPARE(verdict.value(QStringLiteral("cause")).toString(), cause);
        QVERIFY(!json.value(QStringLiteral("path")).toArray().isEmpty());
        QVERIFY(!json.value(QStringLiteral("evidence")).toArray().isEmpty());
        QFile html(report);
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QByteArray page = html.readAll();
        QVERIFY(page.contains("<!DOCTYPE html>"));
        if (!cause.isEmpty())
            QVERIFY(page.contains(cause.toUtf8()));
    }

    void docserviceDownCitesTheNginxLogLine()
    {
        LabFixture lab;
        QString error;
        QVERIFY2(lab.start(QStringLiteral("ds-docservice-down"), &error), qPrintable(error));
        dd::DiagnosisEngine engine(dd::CauseCatalog::builtIn(), dd::DecisionTree::builtIn());
        QSignalSpy finished(&engine, &dd::DiagnosisEngine::diagnosisFinished);
        engine.start(lab.profile());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        const auto d = finished.first().first().value<dd::Diagnosis>();
        // DS's nginx logged the refusal the probe caused; the engine reads it as support.
        bool cited = false;
        for (const QString &id : d.causes.first().evidenceIds) {
            const dd::Evidence *e = d.evidenceById(id);
            if (e && e->source == dd::EvidenceSource::Log && e->excerpt.contains(QStringLiteral("(111: ")))
                cited = true;
        }
        QVERIFY(cited);
        QVERIFY(d.confidence > 0.85);
        // The probe's refused connect to docservice and nginx's line about the same upstream
        // address, at the same time, are one incident seen from two places.
        const QString docservice =
            lab.profile().docserviceHost + QLatin1Char(':') + QString::number(lab.profile().docservicePort);
        bool correlated = false;
        for (const dd::Correlation &c : d.correlations) {
            const bool fromLog = std::any_of(c.origins.cbegin(), c.origins.cend(),
                                             [](const QString &o) { return o.startsWith(QLatin1String("log:")); });
            if (c.key == QLatin1String("upstream") && c.value == docservice && fromLog &&
                c.origins.contains(QStringLiteral("probe")))
                correlated = true;
        }
        QVERIFY2(correlated, qPrintable(docservice));
    }

    // Partial evidence, as the catalog says suffices: the refused upstream of a front proxy is
    // decided by its error log alone, and by a packet capture of one failing request alone
    // (SYN answered by RST behind the proxy's 502), with no address to probe.
    void onlyRecordedEvidence()
    {
        const QString helper =
            QFileInfo(QStringLiteral(DD_CLI_PATH)).absolutePath() + QStringLiteral("/docserver-doctor-capture");
        QTemporaryDir dir;
        const QString pcap = dir.filePath(QStringLiteral("incident.pcap"));
        const QString log = dir.filePath(QStringLiteral("error.log"));
        bool captured = false;
        {
            LabFixture lab;
            QString error;
            QVERIFY2(lab.start(QStringLiteral("upstream-refused"), &error), qPrintable(error));
            const dd::Profile p = lab.profile();
            const QString filter =
                QStringLiteral("tcp port %1 or tcp port %2").arg(p.publicUrl.port()).arg(p.docserverUrl.port());
            QProcess recording;
            recording.setStandardOutputFile(pcap);
            recording.start(helper,
                            {QStringLiteral("capture"), QStringLiteral("--iface"), QStringLiteral("lo"),
                             QStringLiteral("--filter"), filter, QStringLiteral("--duration"), QStringLiteral("30")});
            QByteArray err;
            QElapsedTimer clock;
            clock.start();
            while (recording.waitForStarted(5000) && !err.contains("capturing on lo") && clock.elapsed() < 10000 &&
                   recording.state() == QProcess::Running) {
                recording.waitForReadyRead(200);
                err += recording.readAllStandardError();
            }
            captured = err.contains("capturing on lo");
            // One failing request through the front proxy, as a browser makes it.
            QTcpSocket s;
            s.connectToHost(QStringLiteral("127.0.0.1"), quint16(p.publicUrl.port()));
            QVERIFY(s.waitForConnected(5000));
            s.write("GET /healthcheck HTTP/1.1\r\nHost: docs.example.com\r\nConnection: close\r\n\r\n");
            QByteArray answer;
            while (s.state() == QAbstractSocket::ConnectedState && s.waitForReadyRead(5000))
                answer += s.readAll();
            answer += s.readAll();
            QVERIFY2(answer.startsWith("HTTP/1.1 502"), answer.left(200).constData());
            recording.terminate();
            QVERIFY(recording.waitForFinished(10000));
            err += recording.readAllStandardError();
            if (!captured)
                qWarning("no capture: %s", err.constData());
            // The front proxy's error log, as an admin would copy it off the server.
            QVERIFY(QFile::copy(p.logFiles.first(), log));
        }

        const CliRun fromLog =
            runCli({QStringLiteral("diagnose"), QStringLiteral("--log"), log, QStringLiteral("--json")});
        QCOMPARE(fromLog.exitCode, 1);
        QJsonObject verdict = QJsonDocument::fromJson(fromLog.out).object().value(QStringLiteral("verdict")).toObject();
        QCOMPARE(verdict.value(QStringLiteral("cause")).toString(), QStringLiteral("upstream-refused"));

        if (!captured)
            QSKIP("the capture helper could not capture on lo here (needs root or CAP_NET_RAW)");
        const CliRun fromPcap =
            runCli({QStringLiteral("diagnose"), QStringLiteral("--pcap"), pcap, QStringLiteral("--json")});
        QCOMPARE(fromPcap.exitCode, 1);
        const QJsonObject json = QJsonDocument::fromJson(fromPcap.out).object();
        verdict = json.value(QStringLiteral("verdict")).toObject();
        QCOMPARE(verdict.value(QStringLiteral("cause")).toString(), QStringLiteral("upstream-refused"));
        bool packetEvidence = false;
        for (const QJsonValue &e : json.value(QStringLiteral("evidence")).toArray())
            packetEvidence |= e.toObject().value(QStringLiteral("source")).toString() == QLatin1String("capture");
        QVERIFY(packetEvidence);
    }

    // A profile with only the public address and the configs: the proxy's upstream and DS's
    // nginx upstream give the addresses to probe, so the refusing docservice is still found on
    // its hop.
    void addressesFromConfiguration()
    {
        LabFixture lab;
        QString error;
        QVERIFY2(lab.start(QStringLiteral("ds-docservice-down"), &error), qPrintable(error));
        dd::Profile p = lab.profile();
        QVERIFY(!p.proxyConfig.isEmpty() && !p.dsNginxConfig.isEmpty());
        const QUrl docserver = p.docserverUrl;
        p.docserverUrl = QUrl();
        p.docserviceHost.clear();
        p.docservicePort = 0;
        p.startupWatchMs = 0; // decided without watching docservice come up

        dd::DiagnosisEngine engine(dd::CauseCatalog::builtIn(), dd::DecisionTree::builtIn());
        QSignalSpy finished(&engine, &dd::DiagnosisEngine::diagnosisFinished);
        engine.start(p);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        const auto d = finished.first().first().value<dd::Diagnosis>();
        QCOMPARE(d.causeId, QStringLiteral("ds-docservice-down"));
        QCOMPARE(d.hop, QStringLiteral("dsnginx->docservice"));
        QCOMPARE(d.profile.docserverUrl.port(), docserver.port());
        QVERIFY(d.profile.hasDocservice());
        QVERIFY(d.evidenceById(QStringLiteral("config.address.docserver")));
        QVERIFY(d.evidenceById(QStringLiteral("config.address.docservice")));
        QVERIFY(!d.evidenceById(QStringLiteral("probe.startup")));
    }

    // An access log written with a custom log_format says nothing until the nginx config that
    // defines the format is given; then its ConvertService line with upstream_status 504 names
    // the read timeout. Recorded evidence alone: no address to probe, no recency window.
    void accessLogWithTheConfigsLogFormat()
    {
        const QString data = QStringLiteral(DD_SOURCE_DIR "/tests/data/logs/nginx/");
        const QString log = data + QStringLiteral("access-custom.log");
        const CliRun without =
            runCli({QStringLiteral("diagnose"), QStringLiteral("--log"), log, QStringLiteral("--json")});
        QJsonObject verdict = QJsonDocument::fromJson(without.out).object().value(QStringLiteral("verdict")).toObject();
        QCOMPARE(verdict.value(QStringLiteral("status")).toString(), QStringLiteral("inconclusive"));
        const CliRun with =
            runCli({QStringLiteral("diagnose"), QStringLiteral("--log"), log, QStringLiteral("--nginx-config"),
                    data + QStringLiteral("nginx.conf"), QStringLiteral("--json")});
        QCOMPARE(with.exitCode, 1);
        verdict = QJsonDocument::fromJson(with.out).object().value(QStringLiteral("verdict")).toObject();
        QCOMPARE(verdict.value(QStringLiteral("cause")).toString(), QStringLiteral("upstream-timeout"));
    }

    void cliUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("nothing") << QStringList{QStringLiteral("diagnose")} << QStringLiteral("nothing to diagnose");
        QTest::newRow("startup wait") << QStringList{QStringLiteral("diagnose"), QStringLiteral("--url"),
                                                     QStringLiteral("http://127.0.0.1:9/"),
                                                     QStringLiteral("--startup-wait"), QStringLiteral("-3")}
                                      << QStringLiteral("--startup-wait '-3' must be seconds within 0..600");
        QTest::newRow("unreadable pcap") << QStringList{QStringLiteral("diagnose"), QStringLiteral("--pcap"),
                                                        QStringLiteral("/nonexistent/incident.pcap")}
                                         << QStringLiteral("--pcap /nonexistent/incident.pcap: cannot read it");
        QTest::newRow("bad url") << QStringList{QStringLiteral("diagnose"), QStringLiteral("--url"),
                                                QStringLiteral("docs")}
                                 << QStringLiteral("--url 'docs' is not an http(s) URL");
        QTest::newRow("missing profile") << QStringList{QStringLiteral("diagnose"), QStringLiteral("--profile"),
                                                        QStringLiteral("/nonexistent/p.json")}
                                         << QStringLiteral("/nonexistent/p.json: cannot read the profile");
        QTest::newRow("unreadable log") << QStringList{QStringLiteral("diagnose"), QStringLiteral("--url"),
                                                       QStringLiteral("http://127.0.0.1:9/"), QStringLiteral("--log"),
                                                       QStringLiteral("/nonexistent.log")}
                                        << QStringLiteral("--log /nonexistent.log: cannot read it");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("diagnose"), QStringLiteral("--frobnicate")}
                                        << QStringLiteral("Unknown option 'frobnicate'");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("diagnoze")}
                                         << QStringLiteral("unknown command 'diagnoze'");
    }
    void cliUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const CliRun run = runCli(args);
        QCOMPARE(run.exitCode, 2);
        const QString err = QString::fromUtf8(run.err).trimmed();
        QVERIFY2(err.contains(message), qPrintable(err));
        QCOMPARE(err.count(QLatin1Char('\n')), 0);
    }
};

QTEST_GUILESS_MAIN(TestDiagnose)
#include "tst_diagnose.moc"
