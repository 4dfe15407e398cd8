#include "diagnosis/diagnosisengine.h"
#include "lab/dssimulator.h"
#include "lab/nginxprocess.h"
#include "labfixture.h"
#include "probe/activeprobe.h"
#include "probe/minimaldocx.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using dd::ProbeResult;

namespace {

const QByteArray secret("docserver-doctor-integration-secret-32");

ProbeResult run(dd::ProbeKind kind, const QString &target, const QString &secretFile = QString(), bool polling = false,
                const QString &serveOn = QString(), const QString &serveUrl = QString())
{
    dd::ProbeSpec spec;
    spec.serveOn = serveOn;
    spec.serveUrl = serveUrl;
    spec.kind = kind;
    spec.target = target;
    spec.secretFile = secretFile;
    spec.polling = polling;
    spec.timeoutMs = 5000;
    std::unique_ptr<dd::ActiveProbe> probe(dd::createProbe(kind));
    QSignalSpy spy(probe.get(), &dd::ActiveProbe::finished);
    probe->start(spec);
    if (!spy.wait(10000))
        return ProbeResult();
    return spy.at(0).at(0).value<ProbeResult>();
}

const dd::Evidence *check(const ProbeResult &result, const QString &name)
{
    for (const dd::Evidence &evidence : result.evidence) {
        if (evidence.facts.value(QStringLiteral("check")).toString() == name)
            return &evidence;
    }
    return nullptr;
}

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// The evidence of a diagnosis of `profile`, by id (empty when it did not finish in a minute).
QHash<QString, dd::Evidence> diagnose(const dd::Profile &profile)
{
    dd::DiagnosisEngine engine(dd::CauseCatalog::builtIn(), dd::DecisionTree::builtIn());
    QSignalSpy finished(&engine, &dd::DiagnosisEngine::diagnosisFinished);
    engine.start(profile);
    QHash<QString, dd::Evidence> byId;
    if (!finished.wait(60000))
        return byId;
    for (const dd::Evidence &e : finished.first().first().value<dd::Diagnosis>().evidence)
        byId.insert(e.id, e);
    return byId;
}

CliRun cli(const QStringList &args)
{
    // The simulator lives in this thread: the event loop must keep running while the CLI works.
    QProcess process;
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(DD_CLI_PATH), args);
    CliRun run;
    if (!finished.wait(30000))
        return run;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace

// The lab's docservice simulator, directly and behind a real nginx with and without the
// WebSocket upgrade headers; and the CLI's contract for these kinds.
class TestProbeDocserver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void healthcheck_data();
    void healthcheck();
    void jwt_data();
    void jwt();
    void websocket_data();
    void websocket();
    void cliRejectsBadInput_data();
    void cliRejectsBadInput();
    void cliJsonKeepsTheSecret();
    void convert_data();
    void convert();
    void convertWithoutJwt_data();
    void convertWithoutJwt();
    void cliConvert();
    void currentApiNamesOnly();
    void diagnoseUsesTheCurrentApiNames();
    void diagnoseServesItsOwnTestDocument_data();
    void diagnoseServesItsOwnTestDocument();

private:
    void startSimulator(const dd::DocserviceConfig &config);
    QString dsUrl() const { return QStringLiteral("http://127.0.0.1:%1/").arg(m_ds->port()); }

    QTemporaryDir m_dir;
    std::unique_ptr<dd::DsSimulator> m_ds;
    std::unique_ptr<dd::NginxProcess> m_nginx;
    quint16 m_upgradePort = 0;
    quint16 m_plainPort = 0;
    quint16 m_currentOnlyPort = 0; ///< routes only DS 8.2's /command and /converter
    QString m_secretFile;
    QString m_wrongFile;
};

void TestProbeDocserver::startSimulator(const dd::DocserviceConfig &config)
{
    if (m_ds)
        m_ds->close();
    m_ds = std::make_unique<dd::DsSimulator>();
    m_ds->setConfig(config);
    QString error;
    QVERIFY2(m_ds->listen(0, &error), qPrintable(error));
}

void TestProbeDocserver::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_secretFile = m_dir.filePath(QStringLiteral("secret"));
    m_wrongFile = m_dir.filePath(QStringLiteral("wrong"));
    QVERIFY(LabFixture::writeFile(m_secretFile, secret + "\n"));
    QVERIFY(LabFixture::writeFile(m_wrongFile, "a-different-secret"));
    dd::DocserviceConfig config;
    config.jwtEnabled = true;
    config.jwtSecret = secret;
    startSimulator(config);
    if (QTest::currentTestFailed())
        return;

    // nginx in front: one server passes Upgrade/Connection on (as DS's own nginx does), one does not.
    m_upgradePort = LabFixture::freePort();
    m_plainPort = LabFixture::freePort();
    m_currentOnlyPort = LabFixture::freePort();
    QVERIFY(m_upgradePort && m_plainPort && m_currentOnlyPort);
    QVERIFY(LabFixture::writeFile(m_dir.filePath(QStringLiteral("document.docx")),
                                  dd::minimalDocx(QStringLiteral("served by the front nginx"))));
    // nginx's workers run as an unprivileged user when the test runs as root: let them read it.
    QVERIFY(QFile::setPermissions(m_dir.path(), QFile::permissions(m_dir.path()) | QFile::ReadOther | QFile::ExeOther |
                                                    QFile::ReadGroup | QFile::ExeGroup));
    const QString dir = m_dir.filePath(QStringLiteral("nginx"));
    const QString upstream = QStringLiteral("http://127.0.0.1:%1").arg(m_ds->port());
    const QString config2 =
        QStringLiteral("worker_processes 1;\nerror_log %1/error.log;\nevents { worker_connections 64; }\nhttp {\n"
                       "    access_log off;\n    client_body_temp_path %1/client_body_temp;\n"
                       "    proxy_temp_path %1/proxy_temp;\n    fastcgi_temp_path %1/fastcgi_temp;\n"
                       "    uwsgi_temp_path %1/uwsgi_temp;\n    scgi_temp_path %1/scgi_temp;\n"
                       "    server {\n        listen 127.0.0.1:%2;\n        location / {\n"
                       "            proxy_pass %4;\n            proxy_http_version 1.1;\n"
                       "            proxy_set_header Upgrade $http_upgrade;\n"
                       "            proxy_set_header Connection \"upgrade\";\n        }\n    }\n"
                       "    server {\n        listen 127.0.0.1:%3;\n        location / { proxy_pass %4; }\n    }\n"
                       // A proxy written for Document Server 8.2's API names only.
                       "    server {\n        listen 127.0.0.1:%5;\n"
                       "        location = /coauthoring/CommandService.ashx { return 404; }\n"
                       "        location = /ConvertService.ashx { return 404; }\n"
                       "        location = /document.docx { alias %6; }\n"
                       "        location / { proxy_pass %4; }\n    }\n}\n")
            .arg(dir)
            .arg(m_upgradePort)
            .arg(m_plainPort)
            .arg(upstream)
            .arg(m_currentOnlyPort)
            .arg(m_dir.filePath(QStringLiteral("document.docx")));
    m_nginx = std::make_unique<dd::NginxProcess>();
    QString error;
    QVERIFY2(LabFixture::startNginx(m_nginx.get(), dir, config2, m_plainPort, &error), qPrintable(error));
}

void TestProbeDocserver::cleanupTestCase()
{
    if (m_nginx)
        m_nginx->stop();
    if (m_ds)
        m_ds->close();
}

void TestProbeDocserver::healthcheck_data()
{
    QTest::addColumn<bool>("healthy");
    QTest::newRow("true") << true;
    QTest::newRow("false") << false;
}

void TestProbeDocserver::healthcheck()
{
    QFETCH(bool, healthy);
    m_ds->setMode(healthy ? dd::DsSimulator::Mode::Healthy : dd::DsSimulator::Mode::HealthcheckFalse);
    const ProbeResult result = run(dd::ProbeKind::Docserver, dsUrl(), m_secretFile);
    m_ds->setMode(dd::DsSimulator::Mode::Healthy);
    const dd::Evidence *evidence = check(result, QStringLiteral("healthcheck"));
    QVERIFY(evidence);
    QCOMPARE(evidence->facts.value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(evidence->facts.value(QStringLiteral("healthcheck")).toString(),
             healthy ? QStringLiteral("true") : QStringLiteral("false"));
    QCOMPARE(evidence->health, healthy ? dd::Health::Ok : dd::Health::Failed);
    QCOMPARE(check(result, QStringLiteral("info"))->facts.value(QStringLiteral("version")).toString(),
             dd::DsSimulator::version().section(QLatin1Char('.'), 0, 2));
}

void TestProbeDocserver::jwt_data()
{
    QTest::addColumn<QString>("secretFile");
    QTest::addColumn<int>("clockOffset");
    QTest::addColumn<int>("commandError");

    QTest::newRow("right secret") << QStringLiteral("right") << 0 << 0;
    QTest::newRow("wrong secret") << QStringLiteral("wrong") << 0 << 6;
    QTest::newRow("no token") << QString() << 0 << 6;
    QTest::newRow("DS clock an hour ahead") << QStringLiteral("right") << 3600 << 7;
}

void TestProbeDocserver::jwt()
{
    QFETCH(QString, secretFile);
    QFETCH(int, clockOffset);
    QFETCH(int, commandError);

    dd::DocserviceConfig config = m_ds->config();
    config.clockOffsetSecs = clockOffset;
    m_ds->setConfig(config);
    const QString file = secretFile == QLatin1String("right")   ? m_secretFile
                         : secretFile == QLatin1String("wrong") ? m_wrongFile
                                                                : QString();
    const ProbeResult result = run(dd::ProbeKind::Docserver, dsUrl(), file);
    config.clockOffsetSecs = 0;
    m_ds->setConfig(config);
    const dd::Evidence *command = check(result, QStringLiteral("command"));
    QVERIFY(command);
    QCOMPARE(command->facts.value(QStringLiteral("command_error")).toInt(), commandError);
    QCOMPARE(command->health, commandError == 0 ? dd::Health::Ok : dd::Health::Failed);
    if (commandError == 0)
        QCOMPARE(command->facts.value(QStringLiteral("version")).toString(), dd::DsSimulator::version());
}

void TestProbeDocserver::websocket_data()
{
    QTest::addColumn<QString>("via"); // direct, upgrade (nginx passing the headers), plain (nginx dropping them)
    QTest::addColumn<bool>("polling");
    QTest::addColumn<QString>("handshake");
    QTest::addColumn<QVariant>("sioCode");

    QTest::newRow("direct") << QStringLiteral("direct") << false << QStringLiteral("upgraded") << QVariant();
    QTest::newRow("nginx with upgrade headers")
        << QStringLiteral("upgrade") << false << QStringLiteral("upgraded") << QVariant();
    QTest::newRow("nginx without upgrade headers")
        << QStringLiteral("plain") << false << QStringLiteral("socketio-error") << QVariant(3);
    QTest::newRow("polling without upgrade headers")
        << QStringLiteral("plain") << true << QStringLiteral("open") << QVariant();
}

void TestProbeDocserver::websocket()
{
    QFETCH(QString, via);
    QFETCH(bool, polling);
    QFETCH(QString, handshake);
    QFETCH(QVariant, sioCode);

    const QString url = via == QLatin1String("direct")    ? dsUrl()
                        : via == QLatin1String("upgrade") ? QStringLiteral("http://127.0.0.1:%1/").arg(m_upgradePort)
                                                          : QStringLiteral("http://127.0.0.1:%1/").arg(m_plainPort);
    const ProbeResult result = run(dd::ProbeKind::WebSocket, url, QString(), polling);
    QCOMPARE(result.evidence.size(), 1);
    const QVariantMap facts = result.evidence.constFirst().facts;
    QCOMPARE(facts.value(QStringLiteral("handshake")).toString(), handshake);
    QCOMPARE(facts.value(QStringLiteral("sio_code")), sioCode);
    QCOMPARE(facts.value(QStringLiteral("upgraded")).toBool(), handshake == QLatin1String("upgraded"));
    QCOMPARE(result.isHealthy(), handshake == QLatin1String("upgraded") || handshake == QLatin1String("open"));
}

void TestProbeDocserver::cliRejectsBadInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("unknown kind") << QStringList{QStringLiteral("probe"), QStringLiteral("gopher"), QStringLiteral("x")}
                                  << QStringLiteral("gopher");
    QTest::newRow("websocket without a URL")
        << QStringList{QStringLiteral("probe"), QStringLiteral("websocket"), QStringLiteral("ds.example.test")}
        << QStringLiteral("ds.example.test");
    QTest::newRow("unreadable secret file")
        << QStringList{QStringLiteral("probe"), QStringLiteral("docserver"), QStringLiteral("http://127.0.0.1:1/"),
                       QStringLiteral("--jwt-secret-file"), QStringLiteral("/nonexistent/secret")}
        << QStringLiteral("/nonexistent/secret");
    QTest::newRow("secret from a file and the keychain") << QStringList{QStringLiteral("probe"),
                                                                        QStringLiteral("docserver"),
                                                                        QStringLiteral("http://127.0.0.1:1/"),
                                                                        QStringLiteral("--jwt-secret-file"),
                                                                        QStringLiteral("/etc/hostname"),
                                                                        QStringLiteral("--jwt-secret-keychain"),
                                                                        QStringLiteral("ds")}
                                                         << QStringLiteral("not both");
    QTest::newRow("bad port") << QStringList{QStringLiteral("probe"), QStringLiteral("redis"),
                                             QStringLiteral("127.0.0.1:99999")}
                              << QStringLiteral("99999");
    QTest::newRow("bad sslmode") << QStringList{QStringLiteral("probe"), QStringLiteral("postgres"),
                                                QStringLiteral("127.0.0.1:1"), QStringLiteral("--sslmode"),
                                                QStringLiteral("sometimes")}
                                 << QString();
    QTest::newRow("bad host ports") << QStringList{QStringLiteral("probe"), QStringLiteral("host"),
                                                   QStringLiteral("80,http")}
                                    << QStringLiteral("80,http");
    QTest::newRow("serve-on a name") << QStringList{QStringLiteral("probe"), QStringLiteral("docserver"),
                                                    QStringLiteral("http://127.0.0.1:1/"), QStringLiteral("--serve-on"),
                                                    QStringLiteral("storage.example.test:0")}
                                     << QStringLiteral("storage.example.test");
    QTest::newRow("serve-on every address without a URL")
        << QStringList{QStringLiteral("probe"), QStringLiteral("docserver"), QStringLiteral("http://127.0.0.1:1/"),
                       QStringLiteral("--serve-on"), QStringLiteral("0.0.0.0:0")}
        << QStringLiteral("--serve-url");
    QTest::newRow("serve-url alone") << QStringList{QStringLiteral("probe"), QStringLiteral("docserver"),
                                                    QStringLiteral("http://127.0.0.1:1/"),
                                                    QStringLiteral("--serve-url"),
                                                    QStringLiteral("http://127.0.0.1:8099/")}
                                     << QStringLiteral("--serve-on");
    QTest::newRow("option of another kind")
        << QStringList{QStringLiteral("probe"), QStringLiteral("dns"), QStringLiteral("localhost"),
                       QStringLiteral("--vhost"), QStringLiteral("/")}
        << QStringLiteral("vhost");
}

void TestProbeDocserver::cliRejectsBadInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const CliRun run = cli(args);
    if (args.contains(QStringLiteral("--sslmode"))) {
        // sslmode is checked when the probe starts: a completed run that could not begin.
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.out.contains("sometimes"), run.out.constData());
        return;
    }
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.err.trimmed().count('\n'), 0); // one line
    QVERIFY2(run.err.contains(mentions.toUtf8()), run.err.constData());
}

void TestProbeDocserver::cliJsonKeepsTheSecret()
{
    m_ds->setMode(dd::DsSimulator::Mode::HealthcheckFalse);
    const CliRun run = cli({QStringLiteral("probe"), QStringLiteral("docserver"), dsUrl(),
                            QStringLiteral("--jwt-secret-file"), m_secretFile, QStringLiteral("--json")});
    m_ds->setMode(dd::DsSimulator::Mode::Healthy);
    QCOMPARE(run.exitCode, 1);
    const QJsonObject json = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(json.value(QStringLiteral("schema")).toString(), QStringLiteral("docserver-doctor.probe.docserver/1"));
    QCOMPARE(json.value(QStringLiteral("evidence")).toArray().size(), 5);
    QCOMPARE(json.value(QStringLiteral("facts")).toObject().value(QStringLiteral("healthcheck")).toString(),
             QStringLiteral("false"));
    QVERIFY(!run.out.contains(secret));
    QVERIFY(!run.err.contains(secret));
    QVERIFY(!run.out.contains("Bearer"));
}

void TestProbeDocserver::convert_data()
{
    QTest::addColumn<QString>("secretFile"); // right, wrong or none
    QTest::addColumn<bool>("storageReachable");
    QTest::addColumn<int>("convertError");
    QTest::addColumn<bool>("fetched");

    QTest::newRow("signed, DS fetches") << QStringLiteral("right") << true << 0 << true;
    QTest::newRow("wrong secret") << QStringLiteral("wrong") << true << -8 << false;
    QTest::newRow("no token") << QStringLiteral("none") << true << -8 << false;
    QTest::newRow("served URL unreachable from DS") << QStringLiteral("right") << false << -4 << false;
}

void TestProbeDocserver::convert()
{
    QFETCH(QString, secretFile);
    QFETCH(bool, storageReachable);
    QFETCH(int, convertError);
    QFETCH(bool, fetched);

    dd::DocserviceConfig config = m_ds->config();
    config.cacheDir = m_dir.filePath(QStringLiteral("cache"));
    m_ds->setConfig(config);
    // Unreachable: DS is told to fetch from a loopback port where nothing listens.
    const quint16 deadPort = storageReachable ? 0 : LabFixture::freePort();
    const QString serveUrl = storageReachable ? QString() : QStringLiteral("http://127.0.0.1:%1/").arg(deadPort);
    const QString file = secretFile == QLatin1String("right")   ? m_secretFile
                         : secretFile == QLatin1String("wrong") ? m_wrongFile
                                                                : QString();
    const ProbeResult result =
        run(dd::ProbeKind::Docserver, dsUrl(), file, false, QStringLiteral("127.0.0.1:0"), serveUrl);
    const dd::Evidence *convert = check(result, QStringLiteral("convert"));
    QVERIFY(convert);
    QCOMPARE(result.evidence.size(), 6);
    QCOMPARE(result.evidence.constLast().id, QStringLiteral("probe.docserver.convert"));
    const QVariantMap &facts = convert->facts;
    QVERIFY2(facts.value(QStringLiteral("convert_error")).toInt() == convertError &&
                 facts.value(QStringLiteral("convert_error")).isValid(),
             qPrintable(convert->summary + QLatin1Char('\n') + convert->detail));
    QCOMPARE(facts.value(QStringLiteral("fetched")).toBool(), fetched);
    QCOMPARE(facts.value(QStringLiteral("jwt_sent")).toBool(), secretFile != QLatin1String("none"));
    // docservice alone does not serve /cache/files (DS's nginx does): its result link answers 404,
    // which is named but not blamed on a cause. tst_probe_convertresult fetches it through the lab's nginx.
    QCOMPARE(convert->health, convertError == 0 ? dd::Health::Degraded : dd::Health::Failed);
    QCOMPARE(facts.value(QStringLiteral("result_status")), convertError == 0 ? QVariant(404) : QVariant());
    QVERIFY(!facts.value(QStringLiteral("result_cause")).isValid());
    QVERIFY(facts.value(QStringLiteral("served_url"))
                .toString()
                .startsWith(storageReachable ? QStringLiteral("http://127.0.0.1:") : serveUrl));
    QVERIFY(facts.value(QStringLiteral("served_url")).toString().endsWith(QStringLiteral("/docserver-doctor.docx")));
    if (fetched) {
        QCOMPARE(facts.value(QStringLiteral("fetch_count")).toInt(), 1);
        QVERIFY(facts.value(QStringLiteral("fetch_peer")).toString().startsWith(QStringLiteral("127.0.0.1:")));
        QVERIFY(facts.value(QStringLiteral("served_bytes")).toLongLong() > 0);
        const double fetchMs = facts.value(QStringLiteral("fetch_ms")).toDouble();
        QVERIFY(fetchMs >= 0 && fetchMs <= facts.value(QStringLiteral("total_ms")).toDouble());
        QVERIFY2(facts.value(QStringLiteral("file_url")).toString().contains(QStringLiteral("/cache/files/")),
                 qPrintable(facts.value(QStringLiteral("file_url")).toString()));
        QVERIFY(convert->summary.contains(QStringLiteral("DS fetched the file from 127.0.0.1:")));
    } else {
        QCOMPARE(facts.value(QStringLiteral("fetch_count")).toInt(), 0);
        QVERIFY(!facts.value(QStringLiteral("fetch_ms")).isValid());
        QVERIFY(convert->summary.contains(QStringLiteral("DS never requested the file")));
    }
    config.cacheDir.clear();
    m_ds->setConfig(config);
}

void TestProbeDocserver::convertWithoutJwt_data()
{
    QTest::addColumn<bool>("allowPrivate");
    QTest::addColumn<int>("convertError");
    // DS's request-filtering-agent refuses private addresses unless allowed or inside a JWT.
    QTest::newRow("private IPs filtered") << false << -4;
    QTest::newRow("private IPs allowed") << true << 0;
}

void TestProbeDocserver::convertWithoutJwt()
{
    QFETCH(bool, allowPrivate);
    QFETCH(int, convertError);
    dd::DocserviceConfig config;
    config.allowPrivateIpAddress = allowPrivate;
    config.cacheDir = m_dir.filePath(QStringLiteral("cache-nojwt"));
    config.downloadAttempts = 1;
    dd::DsSimulator ds;
    ds.setConfig(config);
    QString error;
    QVERIFY2(ds.listen(0, &error), qPrintable(error));
    const ProbeResult result = run(dd::ProbeKind::Docserver, QStringLiteral("http://127.0.0.1:%1/").arg(ds.port()),
                                   QString(), false, QStringLiteral("127.0.0.1:0"));
    ds.close();
    const dd::Evidence *convert = check(result, QStringLiteral("convert"));
    QVERIFY(convert);
    QCOMPARE(convert->facts.value(QStringLiteral("convert_error")).toInt(), convertError);
    QCOMPARE(convert->facts.value(QStringLiteral("fetched")).toBool(), allowPrivate);
    QCOMPARE(convert->facts.value(QStringLiteral("jwt_sent")).toBool(), false);
    if (!allowPrivate)
        QVERIFY2(convert->detail.contains(QStringLiteral("allowPrivateIPAddress")), qPrintable(convert->detail));
}

void TestProbeDocserver::cliConvert()
{
    dd::DocserviceConfig config = m_ds->config();
    config.cacheDir = m_dir.filePath(QStringLiteral("cache-cli"));
    m_ds->setConfig(config);
    CliRun run =
        cli({QStringLiteral("probe"), QStringLiteral("docserver"), dsUrl(), QStringLiteral("--jwt-secret-file"),
             m_secretFile, QStringLiteral("--serve-on"), QStringLiteral("127.0.0.1:0")});
    QVERIFY2(run.exitCode == 0 || run.exitCode == 1, run.err.constData());
    QVERIFY2(run.out.contains("ConvertService round trip (signed): converted; DS fetched the file from 127.0.0.1:"),
             run.out.constData());
    QVERIFY(!run.out.contains(secret));

    run = cli({QStringLiteral("probe"), QStringLiteral("docserver"), dsUrl(), QStringLiteral("--jwt-secret-file"),
               m_wrongFile, QStringLiteral("--serve-on"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 1);
    const QJsonArray evidence = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("evidence")).toArray();
    QCOMPARE(evidence.size(), 6);
    const QJsonObject facts = evidence.at(5).toObject().value(QStringLiteral("facts")).toObject();
    QCOMPARE(facts.value(QStringLiteral("check")).toString(), QStringLiteral("convert"));
    QCOMPARE(facts.value(QStringLiteral("convert_error")).toInt(), -8);
    QCOMPARE(facts.value(QStringLiteral("convert_error_name")).toString(), QStringLiteral("invalid-token"));
    QCOMPARE(facts.value(QStringLiteral("fetched")).toBool(true), false);
    config.cacheDir.clear();
    m_ds->setConfig(config);
}

void TestProbeDocserver::currentApiNamesOnly()
{
    // Behind a proxy that routes only /command and /converter, the old addresses answer 404 from
    // nginx itself; the probe asks the current ones and says so.
    dd::DocserviceConfig config = m_ds->config();
    config.cacheDir = m_dir.filePath(QStringLiteral("cache-current"));
    m_ds->setConfig(config);
    const ProbeResult result =
        run(dd::ProbeKind::Docserver, QStringLiteral("http://127.0.0.1:%1/").arg(m_currentOnlyPort), m_secretFile,
            false, QStringLiteral("127.0.0.1:0"));
    const dd::Evidence *command = check(result, QStringLiteral("command"));
    const dd::Evidence *convert = check(result, QStringLiteral("convert"));
    QVERIFY(command && convert);
    QCOMPARE(command->facts.value(QStringLiteral("api_path")).toString(), QStringLiteral("/command"));
    QCOMPARE(command->facts.value(QStringLiteral("command_error")).toInt(), 0);
    QCOMPARE(command->facts.value(QStringLiteral("version")).toString(), dd::DsSimulator::version());
    QCOMPARE(command->health, dd::Health::Ok);
    QVERIFY2(command->detail.contains(QStringLiteral("/coauthoring/CommandService.ashx answered 404")),
             qPrintable(command->detail));
    QCOMPARE(convert->facts.value(QStringLiteral("api_path")).toString(), QStringLiteral("/converter"));
    QVERIFY2(convert->facts.value(QStringLiteral("convert_error")).toInt() == 0 &&
                 convert->facts.value(QStringLiteral("convert_error")).isValid(),
             qPrintable(convert->summary + QLatin1Char('\n') + convert->detail));
    QCOMPARE(convert->facts.value(QStringLiteral("fetched")).toBool(), true);
    QCOMPARE(convert->facts.value(QStringLiteral("fetch_count")).toInt(), 1); // one conversion, not two
    QVERIFY2(convert->detail.contains(QStringLiteral("/ConvertService.ashx answered 404")),
             qPrintable(convert->detail));

    // Where the old names are routed, nothing changes: one request each, to the old address.
    const ProbeResult plain =
        run(dd::ProbeKind::Docserver, QStringLiteral("http://127.0.0.1:%1/").arg(m_plainPort), m_secretFile);
    const dd::Evidence *legacy = check(plain, QStringLiteral("command"));
    QVERIFY(legacy);
    QCOMPARE(legacy->facts.value(QStringLiteral("api_path")).toString(),
             QStringLiteral("/coauthoring/CommandService.ashx"));
    QCOMPARE(legacy->facts.value(QStringLiteral("command_error")).toInt(), 0);
    QVERIFY(!legacy->detail.contains(QStringLiteral("answered 404")));
    config.cacheDir.clear();
    m_ds->setConfig(config);
}

void TestProbeDocserver::diagnoseUsesTheCurrentApiNames()
{
    // diagnose's own CommandService and conversion checks take the same way round.
    dd::DocserviceConfig config = m_ds->config();
    config.cacheDir = m_dir.filePath(QStringLiteral("cache-diagnose"));
    m_ds->setConfig(config);
    dd::Profile profile;
    profile.name = QStringLiteral("current API names only");
    profile.docserverUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_currentOnlyPort));
    profile.jwtSecretFile = m_secretFile;
    profile.documentUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/document.docx").arg(m_currentOnlyPort));
    const QHash<QString, dd::Evidence> byId = diagnose(profile);
    for (const QString &subject : {QStringLiteral("command_header"), QStringLiteral("convert")}) {
        const QString id = QStringLiteral("probe.http.") + subject;
        QVERIFY2(byId.contains(id), qPrintable(byId.keys().join(QLatin1Char(' '))));
        const dd::Evidence e = byId.value(id);
        QCOMPARE(e.facts.value(QStringLiteral("keys.path")).toString(),
                 subject == QLatin1String("convert") ? QStringLiteral("/converter") : QStringLiteral("/command"));
        QCOMPARE(e.facts.value(QStringLiteral("%1.status").arg(subject)).toInt(), 200);
        QVERIFY2(e.health == dd::Health::Ok, qPrintable(e.summary + QLatin1Char('\n') + e.detail));
    }
    QCOMPARE(byId.value(QStringLiteral("probe.http.command_header"))
                 .facts.value(QStringLiteral("command_header.command_error"))
                 .toInt(),
             0);
    config.cacheDir.clear();
    m_ds->setConfig(config);
}

void TestProbeDocserver::diagnoseServesItsOwnTestDocument_data()
{
    QTest::addColumn<bool>("reachable");
    QTest::newRow("DS fetches it") << true;
    QTest::newRow("DS cannot reach the address it is given") << false;
}

void TestProbeDocserver::diagnoseServesItsOwnTestDocument()
{
    // No document of the integrator's in the profile: integrator.serveOn makes this machine the
    // storage for the conversion round trip, and what it saw is part of the evidence.
    QFETCH(bool, reachable);
    dd::DocserviceConfig config = m_ds->config();
    config.cacheDir = m_dir.filePath(QStringLiteral("cache-serve-on"));
    m_ds->setConfig(config);
    dd::Profile profile;
    profile.docserverUrl = QUrl(dsUrl());
    profile.jwtSecretFile = m_secretFile;
    profile.startupWatchMs = 0;
    profile.serveOn = QStringLiteral("127.0.0.1:0");
    if (!reachable) // DS is told to fetch from a loopback port where nothing listens
        profile.serveUrl = QStringLiteral("http://127.0.0.1:%1/").arg(LabFixture::freePort());
    const QHash<QString, dd::Evidence> byId = diagnose(profile);
    QVERIFY2(byId.contains(QStringLiteral("probe.http.convert")), qPrintable(byId.keys().join(QLatin1Char(' '))));
    const dd::Evidence convert = byId.value(QStringLiteral("probe.http.convert"));
    const QString context = convert.summary + QLatin1Char('\n') + convert.detail;
    QCOMPARE(convert.facts.value(QStringLiteral("convert.fetched")).toBool(), reachable);
    QCOMPARE(convert.facts.value(QStringLiteral("convert.convert_error")).toInt(), reachable ? 0 : -4);
    QVERIFY2(convert.facts.value(QStringLiteral("convert.served_url"))
                 .toString()
                 .contains(QStringLiteral("/docserver-doctor.docx")),
             qPrintable(context));
    if (reachable) {
        QCOMPARE(convert.health, dd::Health::Ok);
        QVERIFY2(convert.detail.contains(QStringLiteral("Document Server fetched the test document")),
                 qPrintable(context));
        QVERIFY(convert.facts.value(QStringLiteral("convert.fetch_peer"))
                    .toString()
                    .startsWith(QStringLiteral("127.0.0.1:")));
    } else {
        QCOMPARE(convert.health, dd::Health::Failed);
        QVERIFY2(convert.detail.contains(QStringLiteral("Document Server never requested the test document")),
                 qPrintable(context));
    }
    config.cacheDir.clear();
    m_ds->setConfig(config);
}

QTEST_GUILESS_MAIN(TestProbeDocserver)
#include "tst_probe_docserver.moc"
