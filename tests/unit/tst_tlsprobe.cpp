#include "probe/activeprobe.h"
#include "probe/tlsprobe.h"
#include "probe/tlsversionsweep.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <memory>

using dd::ProbeResult;

namespace {

enum class Peer { Refused, Silent, ClosesOnAccept, SpeaksHttp };

ProbeResult run(const QString &target, int timeoutMs = 3000, const QString &serverName = QString())
{
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Tls;
    spec.target = target;
    spec.timeoutMs = timeoutMs;
    spec.serverName = serverName;
    std::unique_ptr<dd::ActiveProbe> probe(dd::createProbe(dd::ProbeKind::Tls));
    QSignalSpy spy(probe.get(), &dd::ActiveProbe::finished);
    probe->start(spec);
    if (!spy.wait(timeoutMs + 5000))
        return ProbeResult();
    return spy.at(0).at(0).value<ProbeResult>();
}

// A self-signed certificate for ds.lab and 127.0.0.1 made with the openssl command, in `dir`.
void makeServerConfiguration(QTemporaryDir &dir, QSslConfiguration *config)
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        QSKIP("the openssl command is needed to make a test certificate");
    QVERIFY(dir.isValid());
    QProcess make;
    make.start(openssl,
               {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                QStringLiteral("-days"), QStringLiteral("3"), QStringLiteral("-subj"), QStringLiteral("/CN=ds.lab"),
                QStringLiteral("-addext"), QStringLiteral("subjectAltName=DNS:ds.lab,IP:127.0.0.1"),
                QStringLiteral("-keyout"), dir.filePath(QStringLiteral("key.pem")), QStringLiteral("-out"),
                dir.filePath(QStringLiteral("cert.pem"))});
    QVERIFY(make.waitForFinished(30000));
    QCOMPARE(make.exitCode(), 0);
    QFile certFile(dir.filePath(QStringLiteral("cert.pem")));
    QFile keyFile(dir.filePath(QStringLiteral("key.pem")));
    QVERIFY(certFile.open(QIODevice::ReadOnly));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    *config = QSslConfiguration::defaultConfiguration();
    config->setLocalCertificate(QSslCertificate(certFile.readAll()));
    config->setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Ec));
    config->setPeerVerifyMode(QSslSocket::VerifyNone);
}

/// Completes the TLS handshake on its first connection only; later ones are accepted and never answered.
class StallingServer : public QTcpServer
{
public:
    QSslConfiguration configuration;
    int connections = 0;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        if (connections++ == 0) {
            auto *tls = new QSslSocket(this);
            tls->setSslConfiguration(configuration);
            tls->setSocketDescriptor(descriptor);
            tls->startServerEncryption();
        } else {
            auto *silent = new QTcpSocket(this);
            silent->setSocketDescriptor(descriptor);
        }
    }
};

} // namespace

Q_DECLARE_METATYPE(Peer)

// The handshake's failure modes against in-test peers, and one real handshake with QSslServer.
// Chains, incomplete chains and CA files are covered against nginx in tst_probe_tls.
class TestTlsProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void failures_data();
    void failures();
    void handshakeWithASelfSignedCertificate();
    void acceptsUrlsAndDefaultsPort443();
    void cancels();
    void versionSweep_data();
    void versionSweep();
    void versionSweepEndsWithTheProbe();
};

void TestTlsProbe::failures_data()
{
    QTest::addColumn<Peer>("peer");
    QTest::addColumn<dd::ProbeOutcome>("outcome");
    QTest::addColumn<QString>("errorMentions");

    QTest::newRow("refused") << Peer::Refused << dd::ProbeOutcome::Refused << QStringLiteral("refused");
    QTest::newRow("silent") << Peer::Silent << dd::ProbeOutcome::TimedOut << QStringLiteral("did not finish");
    QTest::newRow("closes on accept") << Peer::ClosesOnAccept << dd::ProbeOutcome::ClosedEarly
                                      << QStringLiteral("closed the connection");
    QTest::newRow("plain HTTP") << Peer::SpeaksHttp << dd::ProbeOutcome::TlsFailed
                                << QStringLiteral("does not speak TLS");
}

void TestTlsProbe::failures()
{
    QFETCH(Peer, peer);
    QFETCH(dd::ProbeOutcome, outcome);
    QFETCH(QString, errorMentions);

    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const quint16 port = server.serverPort();
    if (peer == Peer::Refused)
        server.close();
    connect(&server, &QTcpServer::pendingConnectionAvailable, this, [&server, peer] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            if (peer == Peer::ClosesOnAccept) {
                socket->disconnectFromHost();
            } else if (peer == Peer::SpeaksHttp) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                    socket->readAll();
                    socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    socket->disconnectFromHost();
                });
            }
        }
    });
    const ProbeResult result = run(QStringLiteral("127.0.0.1:%1").arg(port), 500);
    QCOMPARE(result.outcome, outcome);
    QVERIFY2(result.error.contains(errorMentions, Qt::CaseInsensitive), qPrintable(result.error));
    QCOMPARE(result.evidence.size(), 1);
    QCOMPARE(result.evidence.constFirst().health, dd::Health::Failed);
    QCOMPARE(result.evidence.constFirst().facts.value(QStringLiteral("trusted")).toBool(), false);
}

void TestTlsProbe::handshakeWithASelfSignedCertificate()
{
    QTemporaryDir dir;
    QSslConfiguration config;
    makeServerConfiguration(dir, &config);
    if (QTest::currentTestFailed() || config.localCertificate().isNull())
        return;
    QSslServer server;
    server.setSslConfiguration(config);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    for (const QString &name : {QStringLiteral("ds.lab"), QStringLiteral("other.lab")}) {
        const ProbeResult result = run(QStringLiteral("127.0.0.1:%1").arg(server.serverPort()), 3000, name);
        QCOMPARE(result.outcome, dd::ProbeOutcome::Ok);
        const QVariantMap facts = result.evidence.constFirst().facts;
        QCOMPARE(facts.value(QStringLiteral("self_signed")).toBool(), true);
        QCOMPARE(facts.value(QStringLiteral("trusted")).toBool(), false);
        QCOMPARE(facts.value(QStringLiteral("incomplete_chain")).toBool(), false);
        QCOMPARE(facts.value(QStringLiteral("hostname_match")).toBool(), name == QLatin1String("ds.lab"));
        QCOMPARE(facts.value(QStringLiteral("sni")).toString(), name);
        QCOMPARE(facts.value(QStringLiteral("days_left")).toInt(), 2);
        QVERIFY(facts.value(QStringLiteral("protocol")).toString().startsWith(QLatin1String("TLSv1.")));
        QVERIFY(!result.isHealthy());
        QVERIFY(result.evidence.constFirst().summary.contains(QStringLiteral("self-signed")) ||
                result.evidence.constFirst().summary.contains(QStringLiteral("not valid for")));
    }
}

void TestTlsProbe::acceptsUrlsAndDefaultsPort443()
{
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Tls;
    for (const QString &target : {QStringLiteral("https://ds.example.test/"), QStringLiteral("ds.example.test"),
                                  QStringLiteral("[::1]:8443")}) {
        spec.target = target;
        QVERIFY2(dd::validateProbeSpec(spec).isEmpty(), qPrintable(target));
    }
    spec.target = QStringLiteral("ftp://ds.example.test/");
    QVERIFY(!dd::validateProbeSpec(spec).isEmpty());
}

void TestTlsProbe::cancels()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    dd::TlsProbe probe;
    QSignalSpy spy(&probe, &dd::ActiveProbe::finished);
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Tls;
    spec.target = QStringLiteral("127.0.0.1:%1").arg(silent.serverPort());
    probe.start(spec);
    probe.cancel();
    QVERIFY(spy.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 2000);
    QCOMPARE(spy.at(0).at(0).value<ProbeResult>().outcome, dd::ProbeOutcome::Cancelled);
    QVERIFY(!probe.isRunning());
}

void TestTlsProbe::versionSweep_data()
{
    QTest::addColumn<int>("protocol");         // QSsl::SslProtocol
    QTest::addColumn<QStringList>("expected"); // TLS 1.0, 1.1, 1.2, 1.3
    const QString a = QStringLiteral("accepted");
    const QString r = QStringLiteral("rejected");
    QTest::newRow("1.2 only") << int(QSsl::TlsV1_2) << QStringList{r, r, a, r};
    QTest::newRow("1.3 only") << int(QSsl::TlsV1_3OrLater) << QStringList{r, r, r, a};
    QTest::newRow("1.2 and later") << int(QSsl::TlsV1_2OrLater) << QStringList{r, r, a, a};
}

void TestTlsProbe::versionSweep()
{
    QFETCH(int, protocol);
    QFETCH(QStringList, expected);
    QTemporaryDir dir;
    QSslConfiguration config;
    makeServerConfiguration(dir, &config);
    if (QTest::currentTestFailed() || config.localCertificate().isNull())
        return;
    config.setProtocol(QSsl::SslProtocol(protocol));
    QSslServer server;
    server.setSslConfiguration(config);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    const ProbeResult result =
        run(QStringLiteral("127.0.0.1:%1").arg(server.serverPort()), 5000, QStringLiteral("ds.lab"));
    QCOMPARE(result.outcome, dd::ProbeOutcome::Ok);
    const QVariantMap facts = result.evidence.constFirst().facts;
    const QVariantMap versions = facts.value(QStringLiteral("versions")).toMap();
    const QStringList names{QStringLiteral("TLSv1"), QStringLiteral("TLSv1.1"), QStringLiteral("TLSv1.2"),
                            QStringLiteral("TLSv1.3")};
    const int numbers[] = {TLS1_VERSION, TLS1_1_VERSION, TLS1_2_VERSION, TLS1_3_VERSION};
    for (int i = 0; i < names.size(); ++i) {
        const QString want =
            dd::TlsVersionSweep::localLimitation(numbers[i]).isEmpty() ? expected.at(i) : QStringLiteral("untestable");
        QVERIFY2(
            versions.value(names.at(i)).toString() == want,
            qPrintable(
                QStringLiteral("%1: %2, expected %3").arg(names.at(i), versions.value(names.at(i)).toString(), want)));
    }
    // Whatever protocol the main handshake got must be one the sweep saw accepted.
    QCOMPARE(versions.value(facts.value(QStringLiteral("protocol")).toString()).toString(), QStringLiteral("accepted"));
}

void TestTlsProbe::versionSweepEndsWithTheProbe()
{
    // The first connection gets a real handshake; every later one (the sweep's) is accepted and
    // never answered, so only the timeouts can end the sweep.
    QTemporaryDir dir;
    QSslConfiguration config;
    makeServerConfiguration(dir, &config);
    if (QTest::currentTestFailed() || config.localCertificate().isNull())
        return;
    StallingServer server;
    server.configuration = config;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Tls;
    spec.target = QStringLiteral("127.0.0.1:%1").arg(server.serverPort());
    spec.timeoutMs = 2500;
    spec.connectTimeoutMs = 1000;
    dd::TlsProbe probe;
    QSignalSpy spy(&probe, &dd::ActiveProbe::finished);
    QElapsedTimer clock;
    clock.start();
    probe.start(spec);
    QVERIFY(spy.wait(8000));
    const qint64 elapsed = clock.elapsed();
    const ProbeResult result = spy.at(0).at(0).value<ProbeResult>();
    QCOMPARE(result.outcome, dd::ProbeOutcome::Ok);
    QVERIFY2(elapsed >= 2000 && elapsed < 4000, qPrintable(QString::number(elapsed)));
    const QVariantList sweep = result.evidence.constFirst().facts.value(QStringLiteral("version_sweep")).toList();
    QCOMPARE(sweep.size(), 4);
    int timedOut = 0;
    for (const QVariant &attempt : sweep) {
        const QString status = attempt.toMap().value(QStringLiteral("status")).toString();
        QVERIFY2(status == QLatin1String("timed-out") || status == QLatin1String("untestable"), qPrintable(status));
        timedOut += status == QLatin1String("timed-out");
    }
    QVERIFY(timedOut >= 2);
    QVERIFY(server.connections >= 2);
}

QTEST_GUILESS_MAIN(TestTlsProbe)
#include "tst_tlsprobe.moc"
