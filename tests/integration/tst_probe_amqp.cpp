#include "lab/labservers.h"
#include "lab/serverprocess.h"
#include "labfixture.h"
#include "probe/activeprobe.h"
#include "probe/amqpcodec.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using dd::ProbeResult;

// A real RabbitMQ node (Debian's) of its own, plus the codec on hand-made frames.
class TestProbeAmqp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void tablesRoundTrip();
    void framesArriveInPieces();
    void rejectsGarbageFrames_data();
    void rejectsGarbageFrames();
    void greeting();
    void login_data();
    void login();
    void refused();
    void silentServerTimesOut();
    void notAmqp();

private:
    ProbeResult run(const QString &target, const QString &user, const QString &passwordFile, const QString &vhost,
                    int timeoutMs = 8000);
    QString target() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }

    QTemporaryDir m_dir;
    std::unique_ptr<dd::ServerProcess> m_epmd;
    std::unique_ptr<dd::ServerProcess> m_rabbit;
    quint16 m_port = 0;
    QString m_guestFile;
    QString m_wrongFile;
};

void TestProbeAmqp::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_guestFile = m_dir.filePath(QStringLiteral("guest"));
    m_wrongFile = m_dir.filePath(QStringLiteral("wrong"));
    QVERIFY(LabFixture::writeFile(m_guestFile, "guest\n"));
    QVERIFY(LabFixture::writeFile(m_wrongFile, "not-the-password"));
    m_port = LabFixture::freePort();
    const quint16 epmd = LabFixture::freePort();
    const quint16 dist = LabFixture::freePort();
    QVERIFY(m_port && epmd && dist);
    // An epmd of our own in the foreground, so that the node does not leave a daemonized one behind.
    m_epmd.reset(dd::labservers::createEpmd(epmd, nullptr));
    QSignalSpy epmdStarted(m_epmd.get(), &dd::ServerProcess::started);
    QSignalSpy epmdFailed(m_epmd.get(), &dd::ServerProcess::failed);
    m_epmd->start();
    QTRY_VERIFY_WITH_TIMEOUT(!epmdStarted.isEmpty() || !epmdFailed.isEmpty(), 20000);
    QVERIFY2(epmdFailed.isEmpty(), epmdFailed.isEmpty() ? "" : qPrintable(epmdFailed.at(0).at(0).toString()));
    m_rabbit.reset(
        dd::labservers::createRabbitMq(m_dir.filePath(QStringLiteral("rabbit")), m_port, epmd, dist, nullptr));
    QSignalSpy started(m_rabbit.get(), &dd::ServerProcess::started);
    QSignalSpy failed(m_rabbit.get(), &dd::ServerProcess::failed);
    m_rabbit->start();
    QTRY_VERIFY_WITH_TIMEOUT(!started.isEmpty() || !failed.isEmpty(), 90000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
}

void TestProbeAmqp::cleanupTestCase()
{
    if (m_rabbit)
        m_rabbit->stop();
    if (m_epmd)
        m_epmd->stop();
}

ProbeResult TestProbeAmqp::run(const QString &target, const QString &user, const QString &passwordFile,
                               const QString &vhost, int timeoutMs)
{
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Amqp;
    spec.target = target;
    spec.user = user;
    spec.secretFile = passwordFile;
    spec.vhost = vhost;
    spec.timeoutMs = timeoutMs;
    std::unique_ptr<dd::ActiveProbe> probe(dd::createProbe(dd::ProbeKind::Amqp));
    QSignalSpy spy(probe.get(), &dd::ActiveProbe::finished);
    probe->start(spec);
    if (!spy.wait(timeoutMs + 5000))
        return ProbeResult();
    return spy.at(0).at(0).value<ProbeResult>();
}

void TestProbeAmqp::tablesRoundTrip()
{
    const QVariantMap table{{QStringLiteral("product"), QStringLiteral("RabbitMQ")},
                            {QStringLiteral("n"), 42},
                            {QStringLiteral("flag"), true},
                            {QStringLiteral("capabilities"), QVariantMap{{QStringLiteral("a"), false}}}};
    const QByteArray bytes = dd::amqp::Writer().table(table).shortString("x").data();
    dd::amqp::Reader reader(bytes);
    const QVariantMap read = reader.table();
    QVERIFY(reader.ok());
    QCOMPARE(read.value(QStringLiteral("product")).toString(), QStringLiteral("RabbitMQ"));
    QCOMPARE(read.value(QStringLiteral("n")).toLongLong(), 42);
    QCOMPARE(read.value(QStringLiteral("flag")).toBool(), true);
    QCOMPARE(read.value(QStringLiteral("capabilities")).toMap().value(QStringLiteral("a")).toBool(), false);
    QCOMPARE(reader.shortString(), QByteArray("x"));
    reader.octet();
    QVERIFY(!reader.ok()); // past the end
}

void TestProbeAmqp::framesArriveInPieces()
{
    const QByteArray frame = dd::amqp::close(403, "ACCESS_REFUSED - Login was refused");
    QByteArray buffer;
    dd::amqp::Frame parsed;
    QString error;
    for (qsizetype i = 0; i + 1 < frame.size(); ++i) {
        buffer.append(frame.at(i));
        QCOMPARE(dd::amqp::takeFrame(&buffer, &parsed, &error), dd::amqp::TakeResult::NeedMore);
    }
    buffer.append(frame.back());
    buffer.append(dd::amqp::closeOk());
    QCOMPARE(dd::amqp::takeFrame(&buffer, &parsed, &error), dd::amqp::TakeResult::Frame);
    dd::amqp::Method method;
    QVERIFY(dd::amqp::parseMethod(parsed, &method));
    QCOMPARE(method.classId, quint16(10));
    QCOMPARE(method.methodId, quint16(50));
    dd::amqp::Reader reader(method.arguments);
    QCOMPARE(reader.shortUint(), quint16(403));
    QCOMPARE(reader.shortString(), QByteArray("ACCESS_REFUSED - Login was refused"));
    QCOMPARE(dd::amqp::takeFrame(&buffer, &parsed, &error), dd::amqp::TakeResult::Frame); // Close-Ok stayed
    QVERIFY(buffer.isEmpty());
}

void TestProbeAmqp::rejectsGarbageFrames_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("result");
    QTest::newRow("HTTP") << QByteArray("HTTP/1.1 400 Bad Request\r\n") << int(dd::amqp::TakeResult::Invalid);
    QTest::newRow("our version refused") << QByteArray("AMQP\x00\x00\x09\x01", 8)
                                         << int(dd::amqp::TakeResult::ProtocolHeader);
    QTest::newRow("oversized frame") << QByteArray("\x01\x00\x00\x7f\xff\xff\xff", 7)
                                     << int(dd::amqp::TakeResult::Invalid);
    QTest::newRow("bad frame end") << QByteArray("\x01\x00\x00\x00\x00\x00\x00\x00", 8)
                                   << int(dd::amqp::TakeResult::Invalid);
}

void TestProbeAmqp::rejectsGarbageFrames()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, result);
    dd::amqp::Frame frame;
    QString error;
    QCOMPARE(int(dd::amqp::takeFrame(&bytes, &frame, &error)), result);
    QVERIFY(!error.isEmpty());
}

void TestProbeAmqp::greeting()
{
    const ProbeResult result = run(target(), QString(), QString(), QString());
    QCOMPARE(result.outcome, dd::ProbeOutcome::Ok);
    const QVariantMap facts = result.evidence.constFirst().facts;
    QCOMPARE(facts.value(QStringLiteral("product")).toString(), QStringLiteral("RabbitMQ"));
    QVERIFY(facts.value(QStringLiteral("version")).toString().startsWith(QLatin1String("3.")));
    QVERIFY(facts.value(QStringLiteral("mechanisms")).toStringList().contains(QStringLiteral("PLAIN")));
    QCOMPARE(facts.value(QStringLiteral("stage")).toString(), QStringLiteral("start"));
    QVERIFY(result.timings.ttfb > result.timings.connect);
    QVERIFY(result.isHealthy());
}

void TestProbeAmqp::login_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("passwordFile");
    QTest::addColumn<QString>("vhost");
    QTest::addColumn<bool>("opened");
    QTest::addColumn<QVariant>("closeCode");
    QTest::addColumn<QVariant>("authenticated");

    QTest::newRow("guest on /") << QStringLiteral("guest") << QStringLiteral("guest") << QString() << true << QVariant()
                                << QVariant(true);
    QTest::newRow("wrong password") << QStringLiteral("guest") << QStringLiteral("wrong") << QString() << false
                                    << QVariant(403) << QVariant(false);
    QTest::newRow("unknown user") << QStringLiteral("onlyoffice") << QStringLiteral("guest") << QString() << false
                                  << QVariant(403) << QVariant(false);
    QTest::newRow("unknown vhost") << QStringLiteral("guest") << QStringLiteral("guest") << QStringLiteral("nosuch")
                                   << false << QVariant(530) << QVariant(true);
}

void TestProbeAmqp::login()
{
    QFETCH(QString, user);
    QFETCH(QString, passwordFile);
    QFETCH(QString, vhost);
    QFETCH(bool, opened);
    QFETCH(QVariant, closeCode);
    QFETCH(QVariant, authenticated);

    const QString file = passwordFile == QLatin1String("guest") ? m_guestFile : m_wrongFile;
    const ProbeResult result = run(target(), user, file, vhost);
    QCOMPARE(result.outcome, dd::ProbeOutcome::Ok);
    const dd::Evidence &evidence = result.evidence.constFirst();
    const QVariantMap facts = evidence.facts;
    QCOMPARE(facts.value(QStringLiteral("opened")).toBool(), opened);
    QCOMPARE(facts.value(QStringLiteral("close_code")).isNull()
                 ? QVariant()
                 : QVariant(facts.value(QStringLiteral("close_code")).toInt()),
             closeCode);
    QCOMPARE(facts.value(QStringLiteral("authenticated")), authenticated);
    QCOMPARE(result.isHealthy(), opened);
    if (opened) {
        QCOMPARE(facts.value(QStringLiteral("frame_max")).toUInt(), 4096u);
        QVERIFY(facts.value(QStringLiteral("server_frame_max")).toUInt() >= 4096u);
        QVERIFY(evidence.excerpt.contains(QStringLiteral("Connection.Open-Ok")));
    }
    if (closeCode == QVariant(403))
        QVERIFY(facts.value(QStringLiteral("close_text")).toString().contains(QStringLiteral("ACCESS_REFUSED")));
    QVERIFY(!evidence.excerpt.contains(QStringLiteral("not-the-password")));
}

void TestProbeAmqp::refused()
{
    const ProbeResult result =
        run(QStringLiteral("127.0.0.1:%1").arg(LabFixture::freePort()), QString(), QString(), QString());
    QCOMPARE(result.outcome, dd::ProbeOutcome::Refused);
}

void TestProbeAmqp::silentServerTimesOut()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    const ProbeResult result =
        run(QStringLiteral("127.0.0.1:%1").arg(silent.serverPort()), QString(), QString(), QString(), 500);
    QCOMPARE(result.outcome, dd::ProbeOutcome::TimedOut);
    QCOMPARE(result.evidence.constFirst().facts.value(QStringLiteral("stage")).toString(), QStringLiteral("start"));
}

void TestProbeAmqp::notAmqp()
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
    const ProbeResult result =
        run(QStringLiteral("127.0.0.1:%1").arg(http.serverPort()), QString(), QString(), QString());
    QCOMPARE(result.outcome, dd::ProbeOutcome::Malformed);
}

QTEST_GUILESS_MAIN(TestProbeAmqp)
#include "tst_probe_amqp.moc"
