#include "lab/nginxprocess.h"
#include "labfixture.h"
#include "probe/activeprobe.h"
#include "probe/tlsversionsweep.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/ssl.h>

#include <memory>

using dd::ProbeResult;

namespace {

// Certificates made for the test: a root CA, an intermediate, leaves for localhost/127.0.0.1
// (valid, expired) and for another name, and a self-signed one. Dates are set with `openssl ca`.
const char makeCertificates[] =
    "set -e\n"
    "cat > ca.cnf <<'X'\n"
    "[ca]\n"
    "default_ca = ca_default\n"
    "[ca_default]\n"
    "database = index.txt\n"
    "new_certs_dir = .\n"
    "serial = serial\n"
    "default_md = sha256\n"
    "policy = policy_any\n"
    "copy_extensions = copy\n"
    "unique_subject = no\n"
    "[policy_any]\n"
    "commonName = supplied\n"
    "[v3_ca]\n"
    "basicConstraints = critical,CA:true\n"
    "keyUsage = critical,keyCertSign,cRLSign\n"
    "subjectKeyIdentifier = hash\n"
    "[v3_leaf]\n"
    "basicConstraints = CA:false\n"
    "keyUsage = digitalSignature,keyEncipherment\n"
    "extendedKeyUsage = serverAuth\n"
    "X\n"
    "touch index.txt; echo 1000 > serial\n"
    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.pem -subj "
    "/CN=Doctor-Test-Root -days 30 -addext basicConstraints=critical,CA:true -addext "
    "keyUsage=critical,keyCertSign,cRLSign 2>/dev/null\n"
    "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout inter.key -out inter.csr -subj "
    "/CN=Doctor-Test-Intermediate 2>/dev/null\n"
    "openssl ca -batch -config ca.cnf -extensions v3_ca -cert root.pem -keyfile root.key -in inter.csr -out inter.pem "
    "-days 30 -notext 2>/dev/null\n"
    "leaf() { # name cn san startdate enddate\n"
    "  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $1.key -out $1.csr -subj /CN=$2 -addext "
    "subjectAltName=$3 2>/dev/null\n"
    "  openssl ca -batch -config ca.cnf -extensions v3_leaf -cert inter.pem -keyfile inter.key -in $1.csr -out $1.pem "
    "-startdate $4 -enddate $5 -notext 2>/dev/null\n"
    "}\n"
    "leaf leaf localhost DNS:localhost,IP:127.0.0.1 20240101000000Z 20991231000000Z\n"
    "leaf expired localhost DNS:localhost,IP:127.0.0.1 20200101000000Z 20200201000000Z\n"
    "leaf other other.test DNS:other.test 20240101000000Z 20991231000000Z\n"
    "cat leaf.pem inter.pem > leaf-chain.pem\n"
    "cat expired.pem inter.pem > expired-chain.pem\n"
    "cat other.pem inter.pem > other-chain.pem\n"
    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout self.key -out self.pem -subj "
    "/CN=localhost -days 30 -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null\n"
    "\n";

/// Which certificate an nginx server block presents.
enum class Served {
    FullChain,
    LeafOnly,
    SelfSigned,
    Expired,
    OtherName,
    PlainHttp,
    Tls12Only,
    Tls13Only,
    Legacy,
    Tls10Only,
    Tls13NoSharedSuite
};

} // namespace

Q_DECLARE_METATYPE(Served)

class TestProbeTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void chains_data();
    void chains();
    void reportsTheChainAsSent();
    void plainHttpPortIsNotTls();
    void cliExitCodes();
    void versionSweep_data();
    void versionSweep();
    void versionSweepCanBeSkipped();
    void cliPrintsTheVersions();

private:
    ProbeResult probe(Served served, const QString &caFile, const QString &serverName = QString(), bool sweep = true);
    quint16 portOf(Served served) const { return m_ports.value(int(served)); }
    void expectVersions(const dd::Evidence &evidence, const QStringList &expected, QStringList *accepted);

    QTemporaryDir m_dir;
    std::unique_ptr<dd::NginxProcess> m_nginx;
    QHash<int, quint16> m_ports;
};

void TestProbeTls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QProcess openssl;
    openssl.setWorkingDirectory(m_dir.path());
    openssl.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QString::fromLatin1(makeCertificates)});
    QVERIFY(openssl.waitForFinished(60000));
    QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());

    const QList<QPair<Served, QString>> blocks = {
        {Served::FullChain, QStringLiteral("leaf-chain.pem leaf.key")},
        {Served::LeafOnly, QStringLiteral("leaf.pem leaf.key")},
        {Served::SelfSigned, QStringLiteral("self.pem self.key")},
        {Served::Expired, QStringLiteral("expired-chain.pem expired.key")},
        {Served::OtherName, QStringLiteral("other-chain.pem other.key")},
        {Served::PlainHttp, QString()},
        {Served::Tls12Only, QStringLiteral("leaf-chain.pem leaf.key")},
        {Served::Tls13Only, QStringLiteral("leaf-chain.pem leaf.key")},
        {Served::Legacy, QStringLiteral("leaf-chain.pem leaf.key")},
        {Served::Tls10Only, QStringLiteral("leaf-chain.pem leaf.key")},
        {Served::Tls13NoSharedSuite, QStringLiteral("leaf-chain.pem leaf.key")}};
    // The sweep's servers: one version each, and an old-style one that still takes 1.0 and 1.1
    // (security level 0 on the server too, as OpenSSL 3 refuses their SHA-1 signatures otherwise).
    const QHash<int, QString> protocols = {
        {int(Served::Tls12Only), QStringLiteral("        ssl_protocols TLSv1.2;\n")},
        {int(Served::Tls13Only), QStringLiteral("        ssl_protocols TLSv1.3;\n")},
        {int(Served::Legacy),
         QStringLiteral("        ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n        ssl_ciphers ALL:@SECLEVEL=0;\n")},
        // TLS 1.0 alone at the system's security level: OpenSSL 3 cannot serve it, so no handshake works.
        {int(Served::Tls10Only), QStringLiteral("        ssl_protocols TLSv1;\n")},
        // TLS 1.3 with a suite no default client offers: the server picks 1.3 and fails, 1.2 alone works.
        {int(Served::Tls13NoSharedSuite),
         QStringLiteral("        ssl_protocols TLSv1.2 TLSv1.3;\n"
                        "        ssl_conf_command Ciphersuites TLS_AES_128_CCM_SHA256;\n")}};
    const QString dir = m_dir.path();
    QString servers;
    for (const auto &block : blocks) {
        const quint16 port = LabFixture::freePort();
        QVERIFY(port != 0);
        m_ports.insert(int(block.first), port);
        const QStringList files = block.second.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        servers += QStringLiteral("    server {\n        listen 127.0.0.1:%1%2;\n")
                       .arg(port)
                       .arg(files.isEmpty() ? QString() : QStringLiteral(" ssl"));
        if (!files.isEmpty())
            servers += QStringLiteral("        ssl_certificate %1/%2;\n        ssl_certificate_key %1/%3;\n")
                           .arg(dir, files.at(0), files.at(1));
        servers += protocols.value(int(block.first));
        servers += QStringLiteral("        location / { return 200 'ok'; }\n    }\n");
    }
    const QString config =
        QStringLiteral("worker_processes 1;\nerror_log %1/error.log;\nevents { worker_connections 64; }\n"
                       "http {\n    access_log off;\n    client_body_temp_path %1/client_body_temp;\n"
                       "    proxy_temp_path %1/proxy_temp;\n    fastcgi_temp_path %1/fastcgi_temp;\n"
                       "    uwsgi_temp_path %1/uwsgi_temp;\n    scgi_temp_path %1/scgi_temp;\n%2}\n")
            .arg(dir, servers);
    m_nginx = std::make_unique<dd::NginxProcess>();
    m_nginx->setDirectory(dir + QStringLiteral("/nginx"));
    m_nginx->setErrorLogPath(dir + QStringLiteral("/error.log"));
    QString error;
    QVERIFY2(m_nginx->writeConfig(config.toUtf8(), &error), qPrintable(error));
    m_nginx->setPort(portOf(Served::PlainHttp));
    QSignalSpy started(m_nginx.get(), &dd::NginxProcess::started);
    QSignalSpy failed(m_nginx.get(), &dd::NginxProcess::failed);
    m_nginx->start();
    QTRY_VERIFY_WITH_TIMEOUT(!started.isEmpty() || !failed.isEmpty(), 20000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
}

void TestProbeTls::cleanupTestCase()
{
    if (m_nginx)
        m_nginx->stop();
}

ProbeResult TestProbeTls::probe(Served served, const QString &caFile, const QString &serverName, bool sweep)
{
    dd::ProbeSpec spec;
    spec.tlsVersionSweep = sweep;
    spec.kind = dd::ProbeKind::Tls;
    spec.target = QStringLiteral("127.0.0.1:%1").arg(portOf(served));
    spec.caFile = caFile;
    spec.serverName = serverName;
    spec.timeoutMs = 5000;
    std::unique_ptr<dd::ActiveProbe> probe(dd::createProbe(dd::ProbeKind::Tls));
    QSignalSpy spy(probe.get(), &dd::ActiveProbe::finished);
    probe->start(spec);
    if (!spy.wait(10000))
        return ProbeResult();
    return spy.at(0).at(0).value<ProbeResult>();
}

void TestProbeTls::chains_data()
{
    QTest::addColumn<Served>("served");
    QTest::addColumn<QString>("serverName");
    QTest::addColumn<bool>("withCa");
    QTest::addColumn<bool>("trusted");
    QTest::addColumn<bool>("incomplete");
    QTest::addColumn<bool>("selfSigned");
    QTest::addColumn<bool>("expired");
    QTest::addColumn<bool>("nameMatches");
    QTest::addColumn<int>("chainLength");

    QTest::newRow("full chain, our CA") << Served::FullChain << QString() << true << true << false << false << false
                                        << true << 2;
    QTest::newRow("full chain, by name localhost")
        << Served::FullChain << QStringLiteral("localhost") << true << true << false << false << false << true << 2;
    QTest::newRow("full chain, system store only")
        << Served::FullChain << QString() << false << false << false << false << false << true << 2;
    QTest::newRow("leaf without intermediate, our CA")
        << Served::LeafOnly << QString() << true << false << true << false << false << true << 1;
    QTest::newRow("leaf without intermediate, system store")
        << Served::LeafOnly << QString() << false << false << true << false << false << true << 1;
    QTest::newRow("self-signed") << Served::SelfSigned << QString() << true << false << false << true << false << true
                                 << 1;
    QTest::newRow("expired") << Served::Expired << QString() << true << false << false << false << true << true << 2;
    QTest::newRow("other name") << Served::OtherName << QString() << true << true << false << false << false << false
                                << 2;
    QTest::newRow("other name, asked by its name")
        << Served::OtherName << QStringLiteral("other.test") << true << true << false << false << false << true << 2;
}

void TestProbeTls::chains()
{
    QFETCH(Served, served);
    QFETCH(QString, serverName);
    QFETCH(bool, withCa);
    QFETCH(bool, trusted);
    QFETCH(bool, incomplete);
    QFETCH(bool, selfSigned);
    QFETCH(bool, expired);
    QFETCH(bool, nameMatches);
    QFETCH(int, chainLength);

    const ProbeResult result =
        probe(served, withCa ? m_dir.filePath(QStringLiteral("root.pem")) : QString(), serverName);
    QCOMPARE(result.outcome, dd::ProbeOutcome::Ok);
    QCOMPARE(result.evidence.size(), 1);
    const QVariantMap facts = result.evidence.constFirst().facts;
    QCOMPARE(facts.value(QStringLiteral("trusted")).toBool(), trusted);
    QCOMPARE(facts.value(QStringLiteral("incomplete_chain")).toBool(), incomplete);
    QCOMPARE(facts.value(QStringLiteral("self_signed")).toBool(), selfSigned);
    QCOMPARE(facts.value(QStringLiteral("expired")).toBool(), expired);
    QCOMPARE(facts.value(QStringLiteral("hostname_match")).toBool(), nameMatches);
    QCOMPARE(facts.value(QStringLiteral("chain_length")).toInt(), chainLength);
    QCOMPARE(facts.value(QStringLiteral("verify_system")).toString() == QLatin1String("ok"), false);
    if (withCa)
        QVERIFY(facts.contains(QStringLiteral("verify_ca_file")));
    if (incomplete)
        QCOMPARE(facts.value(QStringLiteral("missing_issuer")).toString(),
                 QStringLiteral("CN=Doctor-Test-Intermediate"));
    QCOMPARE(result.isHealthy(), trusted && nameMatches && !expired);
    QVERIFY(result.timings.connect >= 0 && result.timings.tls >= result.timings.connect);
}

void TestProbeTls::reportsTheChainAsSent()
{
    const ProbeResult result = probe(Served::FullChain, m_dir.filePath(QStringLiteral("root.pem")));
    const QVariantMap facts = result.evidence.constFirst().facts;
    QVERIFY(facts.value(QStringLiteral("protocol")).toString().startsWith(QLatin1String("TLSv1.")));
    QVERIFY(!facts.value(QStringLiteral("cipher")).toString().isEmpty());
    const QVariantList chain = facts.value(QStringLiteral("chain")).toList();
    QCOMPARE(chain.size(), 2);
    const QVariantMap leaf = chain.at(0).toMap();
    QCOMPARE(leaf.value(QStringLiteral("subject")).toString(), QStringLiteral("CN=localhost"));
    QCOMPARE(leaf.value(QStringLiteral("issuer")).toString(), QStringLiteral("CN=Doctor-Test-Intermediate"));
    QCOMPARE(leaf.value(QStringLiteral("sans")).toStringList(),
             (QStringList{QStringLiteral("DNS:localhost"), QStringLiteral("IP:127.0.0.1")}));
    QCOMPARE(leaf.value(QStringLiteral("not_after")).toString(), QStringLiteral("2099-12-31T00:00:00Z"));
    QCOMPARE(chain.at(1).toMap().value(QStringLiteral("is_ca")).toBool(), true);
    QVERIFY(result.evidence.constFirst().excerpt.contains(QStringLiteral("s:CN=localhost")));
}

void TestProbeTls::plainHttpPortIsNotTls()
{
    const ProbeResult result = probe(Served::PlainHttp, QString());
    QCOMPARE(result.outcome, dd::ProbeOutcome::TlsFailed);
    QVERIFY2(result.error.contains(QStringLiteral("does not speak TLS")), qPrintable(result.error));
    QVERIFY(!result.isHealthy());
}

void TestProbeTls::cliExitCodes()
{
    const QString ca = m_dir.filePath(QStringLiteral("root.pem"));
    auto runCli = [](const QStringList &args, QByteArray *out) {
        QProcess cli;
        cli.start(QStringLiteral(DD_CLI_PATH), args);
        cli.waitForFinished(30000);
        *out = cli.readAllStandardOutput();
        return cli.exitCode();
    };
    QByteArray out;
    QCOMPARE(runCli({QStringLiteral("probe"), QStringLiteral("tls"),
                     QStringLiteral("127.0.0.1:%1").arg(portOf(Served::FullChain)), QStringLiteral("--ca-file"), ca,
                     QStringLiteral("--json")},
                    &out),
             0);
    QCOMPARE(QJsonDocument::fromJson(out).object().value(QStringLiteral("schema")).toString(),
             QStringLiteral("docserver-doctor.probe.tls/1"));
    QCOMPARE(runCli({QStringLiteral("probe"), QStringLiteral("tls"),
                     QStringLiteral("127.0.0.1:%1").arg(portOf(Served::LeafOnly)), QStringLiteral("--ca-file"), ca},
                    &out),
             1);
    QVERIFY2(out.contains("incomplete chain"), out.constData());
    QCOMPARE(runCli({QStringLiteral("probe"), QStringLiteral("tls"), QStringLiteral("127.0.0.1:1"),
                     QStringLiteral("--ca-file"), m_dir.filePath(QStringLiteral("missing.pem"))},
                    &out),
             2);
}

// Checks "versions" against `expected` (TLS 1.0, 1.1, 1.2, 1.3) and "versions_accepted"; `accepted`
// gets the versions expected accepted here.
void TestProbeTls::expectVersions(const dd::Evidence &evidence, const QStringList &expected, QStringList *accepted)
{
    const QVariantMap versions = evidence.facts.value(QStringLiteral("versions")).toMap();
    const QStringList names{QStringLiteral("TLSv1"), QStringLiteral("TLSv1.1"), QStringLiteral("TLSv1.2"),
                            QStringLiteral("TLSv1.3")};
    const int numbers[] = {TLS1_VERSION, TLS1_1_VERSION, TLS1_2_VERSION, TLS1_3_VERSION};
    for (int i = 0; i < names.size(); ++i) {
        // A version this machine's OpenSSL cannot offer must say so rather than blame the server.
        const QString want =
            dd::TlsVersionSweep::localLimitation(numbers[i]).isEmpty() ? expected.at(i) : QStringLiteral("untestable");
        QVERIFY2(versions.value(names.at(i)).toString() == want,
                 qPrintable(QStringLiteral("%1: %2, expected %3\n%4")
                                .arg(names.at(i), versions.value(names.at(i)).toString(), want, evidence.detail)));
        if (want == QLatin1String("accepted"))
            accepted->append(names.at(i));
    }
    QCOMPARE(evidence.facts.value(QStringLiteral("versions_accepted")).toStringList(), *accepted);
}

void TestProbeTls::versionSweep_data()
{
    QTest::addColumn<Served>("served");
    QTest::addColumn<QStringList>("expected"); // TLS 1.0, 1.1, 1.2, 1.3 as the server answers them

    const QString a = QStringLiteral("accepted");
    const QString r = QStringLiteral("rejected");
    QTest::newRow("TLS 1.2 only") << Served::Tls12Only << QStringList{r, r, a, r};
    QTest::newRow("TLS 1.3 only") << Served::Tls13Only << QStringList{r, r, r, a};
    QTest::newRow("1.0 to 1.2") << Served::Legacy << QStringList{a, a, a, r};
    // The main handshake fails on these: the sweep runs all the same, and tells why.
    QTest::newRow("TLS 1.0 only, not servable") << Served::Tls10Only << QStringList{r, r, r, r};
    QTest::newRow("TLS 1.3 suites shared with none") << Served::Tls13NoSharedSuite << QStringList{r, r, a, r};
}

void TestProbeTls::versionSweep()
{
    QFETCH(Served, served);
    QFETCH(QStringList, expected);

    const bool handshakeFails = served == Served::Tls10Only || served == Served::Tls13NoSharedSuite;
    const ProbeResult result = probe(served, m_dir.filePath(QStringLiteral("root.pem")));
    QCOMPARE(result.outcome, handshakeFails ? dd::ProbeOutcome::TlsFailed : dd::ProbeOutcome::Ok);
    QCOMPARE(result.evidence.size(), 1);
    const dd::Evidence &evidence = result.evidence.constFirst();
    const QVariantMap facts = evidence.facts;
    QStringList accepted;
    expectVersions(evidence, expected, &accepted);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(facts.value(QStringLiteral("version_sweep")).toList().size(), 4);
    QVERIFY(evidence.detail.contains(QStringLiteral("versions accepted: ")));
    if (!handshakeFails) {
        // The negotiated protocol of the main handshake is among those the sweep found accepted.
        QVERIFY(accepted.contains(facts.value(QStringLiteral("protocol")).toString()));
        return;
    }
    QVERIFY2(result.error.contains(QStringLiteral("TLS handshake failed")), qPrintable(result.error));
    QCOMPARE(evidence.health, dd::Health::Failed);
    QVERIFY2(evidence.summary.contains(QStringLiteral("; one version at a time: TLS 1.0 ")),
             qPrintable(evidence.summary));
    QVERIFY2(evidence.detail.contains(accepted.isEmpty() ? QStringLiteral("no version alone completes")
                                                         : QStringLiteral("offered alone, TLSv1.2 completes")),
             qPrintable(evidence.detail));
}

void TestProbeTls::versionSweepCanBeSkipped()
{
    const ProbeResult result = probe(Served::FullChain, m_dir.filePath(QStringLiteral("root.pem")), QString(), false);
    QCOMPARE(result.outcome, dd::ProbeOutcome::Ok);
    QVERIFY(!result.evidence.constFirst().facts.contains(QStringLiteral("versions")));
    QVERIFY(!result.evidence.constFirst().detail.contains(QStringLiteral("versions accepted")));
}

void TestProbeTls::cliPrintsTheVersions()
{
    QProcess cli;
    cli.start(QStringLiteral(DD_CLI_PATH), {QStringLiteral("probe"), QStringLiteral("tls"),
                                            QStringLiteral("127.0.0.1:%1").arg(portOf(Served::Tls12Only)),
                                            QStringLiteral("--ca-file"), m_dir.filePath(QStringLiteral("root.pem"))});
    QVERIFY(cli.waitForFinished(30000));
    const QByteArray out = cli.readAllStandardOutput();
    QCOMPARE(cli.exitCode(), 0);
    QVERIFY2(out.contains("TLS 1.1 rejected, TLS 1.2 accepted, TLS 1.3 rejected"), out.constData());

    cli.start(QStringLiteral(DD_CLI_PATH), {QStringLiteral("probe"), QStringLiteral("tls"),
                                            QStringLiteral("127.0.0.1:%1").arg(portOf(Served::Tls12Only)),
                                            QStringLiteral("--ca-file"), m_dir.filePath(QStringLiteral("root.pem")),
                                            QStringLiteral("--no-version-sweep"), QStringLiteral("--json")});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    const QJsonObject facts =
        QJsonDocument::fromJson(cli.readAllStandardOutput()).object().value(QStringLiteral("facts")).toObject();
    QCOMPARE(facts.value(QStringLiteral("protocol")).toString(), QStringLiteral("TLSv1.2"));
    QVERIFY(!facts.contains(QStringLiteral("versions")));
}

QTEST_GUILESS_MAIN(TestProbeTls)
#include "tst_probe_tls.moc"
