#include "lab/serverprocess.h"
#include "labfixture.h"
#include "probe/activeprobe.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using dd::ProbeResult;

namespace {

ProbeResult run(const QString &target, const QString &passwordFile = QString(), int timeoutMs = 5000)
{
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Redis;
    spec.target = target;
    spec.secretFile = passwordFile;
    spec.timeoutMs = timeoutMs;
    std::unique_ptr<dd::ActiveProbe> probe(dd::createProbe(dd::ProbeKind::Redis));
    QSignalSpy spy(probe.get(), &dd::ActiveProbe::finished);
    probe->start(spec);
    if (!spy.wait(timeoutMs + 5000))
        return ProbeResult();
    return spy.at(0).at(0).value<ProbeResult>();
}

} // namespace

// Real redis-server processes (Debian's), one without and one with a password.
class TestProbeRedis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void authentication_data();
    void authentication();
    void refused();
    void silentServerTimesOut();
    void notRedis();

private:
    void startRedis(dd::ServerProcess *server, const QString &dir, quint16 port, const QByteArray &password);
    QString target(bool withPassword) const
    {
        return QStringLiteral("127.0.0.1:%1").arg(withPassword ? m_securePort : m_openPort);
    }

    QTemporaryDir m_dir;
    std::unique_ptr<dd::ServerProcess> m_open;
    std::unique_ptr<dd::ServerProcess> m_secure;
    quint16 m_openPort = 0;
    quint16 m_securePort = 0;
    QString m_rightFile;
    QString m_wrongFile;
};

void TestProbeRedis::startRedis(dd::ServerProcess *server, const QString &dir, quint16 port, const QByteArray &password)
{
    QStringList arguments{QStringLiteral("--port"),       QString::number(port),
                          QStringLiteral("--bind"),       QStringLiteral("127.0.0.1"),
                          QStringLiteral("--save"),       QString(),
                          QStringLiteral("--appendonly"), QStringLiteral("no"),
                          QStringLiteral("--dir"),        dir};
    if (!password.isEmpty())
        arguments << QStringLiteral("--requirepass") << QString::fromLatin1(password);
    server->setCommand({QStringLiteral("/usr/bin/redis-server"), arguments});
    server->setPort(port);
    server->setStartTimeout(15000);
    QSignalSpy started(server, &dd::ServerProcess::started);
    QSignalSpy failed(server, &dd::ServerProcess::failed);
    server->start();
    QTRY_VERIFY_WITH_TIMEOUT(!started.isEmpty() || !failed.isEmpty(), 20000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
}

void TestProbeRedis::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_rightFile = m_dir.filePath(QStringLiteral("right"));
    m_wrongFile = m_dir.filePath(QStringLiteral("wrong"));
    QVERIFY(LabFixture::writeFile(m_rightFile, "s3cret-redis-pass\n"));
    QVERIFY(LabFixture::writeFile(m_wrongFile, "not-it"));
    m_openPort = LabFixture::freePort();
    m_securePort = LabFixture::freePort();
    QVERIFY(m_openPort != 0 && m_securePort != 0 && m_openPort != m_securePort);
    m_open = std::make_unique<dd::ServerProcess>(QStringLiteral("redis-open"));
    m_secure = std::make_unique<dd::ServerProcess>(QStringLiteral("redis-secure"));
    startRedis(m_open.get(), m_dir.path(), m_openPort, QByteArray());
    if (QTest::currentTestFailed())
        return;
    startRedis(m_secure.get(), m_dir.path(), m_securePort, "s3cret-redis-pass");
}

void TestProbeRedis::cleanupTestCase()
{
    if (m_open)
        m_open->stop();
    if (m_secure)
        m_secure->stop();
}

void TestProbeRedis::authentication_data()
{
    QTest::addColumn<bool>("serverHasPassword");
    QTest::addColumn<QString>("passwordFile"); // right, wrong or empty
    QTest::addColumn<QString>("auth");
    QTest::addColumn<bool>("authRequired");
    QTest::addColumn<QString>("ping");
    QTest::addColumn<bool>("healthy");

    QTest::newRow("no password anywhere")
        << false << QString() << QStringLiteral("none") << false << QStringLiteral("PONG") << true;
    QTest::newRow("password given, none configured")
        << false << QStringLiteral("right") << QStringLiteral("not-configured") << false << QStringLiteral("PONG")
        << true;
    QTest::newRow("required, not given") << true << QString() << QStringLiteral("none") << true
                                         << QStringLiteral("NOAUTH Authentication required.") << false;
    QTest::newRow("required, right") << true << QStringLiteral("right") << QStringLiteral("ok") << false
                                     << QStringLiteral("PONG") << true;
    QTest::newRow("required, wrong") << true << QStringLiteral("wrong") << QStringLiteral("failed") << true
                                     << QStringLiteral("NOAUTH Authentication required.") << false;
}

void TestProbeRedis::authentication()
{
    QFETCH(bool, serverHasPassword);
    QFETCH(QString, passwordFile);
    QFETCH(QString, auth);
    QFETCH(bool, authRequired);
    QFETCH(QString, ping);
    QFETCH(bool, healthy);

    const QString file = passwordFile == QLatin1String("right")   ? m_rightFile
                         : passwordFile == QLatin1String("wrong") ? m_wrongFile
                                                                  : QString();
    const ProbeResult result = run(target(serverHasPassword), file);
    QCOMPARE(result.outcome, dd::ProbeOutcome::Ok);
    QCOMPARE(result.evidence.size(), 1);
    const dd::Evidence &evidence = result.evidence.constFirst();
    QCOMPARE(evidence.facts.value(QStringLiteral("auth")).toString(), auth);
    QCOMPARE(evidence.facts.value(QStringLiteral("auth_required")).toBool(), authRequired);
    QCOMPARE(evidence.facts.value(QStringLiteral("ping")).toString(), ping);
    QCOMPARE(result.isHealthy(), healthy);
    if (healthy) {
        QVERIFY(evidence.facts.value(QStringLiteral("redis_version")).toString().startsWith(QLatin1Char('7')));
        QVERIFY(evidence.latencyMs >= 0);
        QVERIFY(result.timings.ttfb >= result.timings.connect);
    }
    // The password never appears in what we report.
    QVERIFY(!evidence.excerpt.contains(QStringLiteral("s3cret")));
    QVERIFY(!evidence.detail.contains(QStringLiteral("s3cret")));
}

void TestProbeRedis::refused()
{
    const ProbeResult result = run(QStringLiteral("127.0.0.1:%1").arg(LabFixture::freePort()));
    QCOMPARE(result.outcome, dd::ProbeOutcome::Refused);
    QCOMPARE(result.evidence.constFirst().health, dd::Health::Failed);
}

void TestProbeRedis::silentServerTimesOut()
{
    QTcpServer silent; // accepts (kernel backlog) and never says a word
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    const ProbeResult result = run(QStringLiteral("127.0.0.1:%1").arg(silent.serverPort()), QString(), 500);
    QCOMPARE(result.outcome, dd::ProbeOutcome::TimedOut);
    QVERIFY(result.timings.connect >= 0);
}

void TestProbeRedis::notRedis()
{
    QTcpServer http;
    QVERIFY(http.listen(QHostAddress::LocalHost, 0));
    connect(&http, &QTcpServer::pendingConnectionAvailable, this, [&http] {
        while (QTcpSocket *socket = http.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                socket->readAll();
                socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            });
        }
    });
    const ProbeResult result = run(QStringLiteral("127.0.0.1:%1").arg(http.serverPort()));
    QCOMPARE(result.outcome, dd::ProbeOutcome::Malformed);
}

QTEST_GUILESS_MAIN(TestProbeRedis)
#include "tst_probe_redis.moc"
