// `capture live --ssh HOST`: the pcap stream of `ssh HOST tcpdump -U -w -`, with ssh replaced
// (DD_SSH) by a local script that writes a recorded capture and contacts no host. Checks the
// command line ssh gets, the analysis, the ring with a trigger on a remote stream, a duration,
// and failures of ssh itself.
#include "../data/capture/packetbuilder.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace capturetest;

namespace {

// A name that cannot resolve (RFC 6761): nothing may try to reach it anyway.
const QString remoteHost = QStringLiteral("capture-host.invalid");

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    qint64 elapsedMs = 0;
};

/// A client's GET answered 502 by a proxy on 127.0.0.1:80 whose upstream 127.0.0.1:8000 refused.
QByteArray refusedUpstreamCapture()
{
    const Address lo = localhost();
    TcpScript front(Link::Ethernet, lo, 41000, lo, 80, t0);
    front.handshake();
    front.send(TcpScript::Client, "GET /doc HTTP/1.1\r\nHost: ds\r\n\r\n");
    TcpScript upstream(Link::Ethernet, lo, 42000, lo, 8000, front.now() + 50000);
    upstream.syn();
    upstream.reset(TcpScript::Server);
    front.wait(200000);
    front.send(TcpScript::Server, "HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n");
    front.close(TcpScript::Server);
    front.close(TcpScript::Client);
    return pcapFile(1, merged({front.packets, upstream.packets}));
}

} // namespace

class TestCaptureRemote : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void analyzesRemoteStream();
    void ringTriggeredOnRemoteStream();
    void durationEndsSsh();
    void sshFails_data();
    void sshFails();
    void badUsage_data();
    void badUsage();

private:
    CliRun run(const QStringList &args, const QProcessEnvironment &extra = QProcessEnvironment(),
               int timeoutMs = 60000);

    QTemporaryDir m_dir;
    QString m_pcap;
    QString m_script;
};

void TestCaptureRemote::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_script = QStringLiteral(DD_SOURCE_DIR "/tests/data/capture/fake-ssh.sh");
    QVERIFY2(QFileInfo::exists(m_script), qPrintable(m_script));
    m_pcap = m_dir.filePath(QStringLiteral("remote.pcap"));
    QFile f(m_pcap);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(refusedUpstreamCapture());
}

CliRun TestCaptureRemote::run(const QStringList &args, const QProcessEnvironment &extra, int timeoutMs)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DD_SSH"), QStringLiteral("sh ") + m_script);
    env.insert(QStringLiteral("DD_FAKE_SSH_ARGS"), m_dir.filePath(QStringLiteral("args.txt")));
    env.insert(QStringLiteral("DD_FAKE_SSH_PCAP"), m_pcap);
    env.insert(extra);
    p.setProcessEnvironment(env);
    QElapsedTimer clock;
    clock.start();
    p.start(QStringLiteral(DD_CLI_PATH), args);
    CliRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return r;
    }
    r.elapsedMs = clock.elapsed();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void TestCaptureRemote::analyzesRemoteStream()
{
    QFile::remove(m_dir.filePath(QStringLiteral("args.txt")));
    const CliRun r = run({QStringLiteral("capture"), QStringLiteral("live"), QStringLiteral("--ssh"), remoteHost,
                          QStringLiteral("--iface"), QStringLiteral("eth0"), QStringLiteral("--filter"),
                          QStringLiteral("tcp port 80 or tcp port 8000"), QStringLiteral("--count"),
                          QStringLiteral("500"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 1, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value(QStringLiteral("source")).toString(),
             QStringLiteral("ssh:") + remoteHost + QStringLiteral(":eth0"));
    const QJsonArray failing = o.value(QStringLiteral("failing_exchanges")).toArray();
    QCOMPARE(failing.size(), 1);
    QCOMPARE(failing.at(0).toObject().value(QStringLiteral("cause")).toString(), QStringLiteral("upstream-refused"));

    // ssh gets the host and one remote command line, the interface and filter quoted for its shell.
    QFile args(m_dir.filePath(QStringLiteral("args.txt")));
    QVERIFY(args.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(args.readAll()),
             QStringLiteral("--\n") + remoteHost +
                 QStringLiteral("\ntcpdump -U -w - -i 'eth0' -c 500 'tcp port 80 or tcp port 8000'\n"));

    // The same stream as text.
    const CliRun text =
        run({QStringLiteral("capture"), QStringLiteral("live"), QStringLiteral("--ssh"), remoteHost,
             QStringLiteral("--iface"), QStringLiteral("eth0"), QStringLiteral("--filter"), QStringLiteral("tcp")});
    QCOMPARE(text.exitCode, 1);
    QVERIFY2(text.out.contains("[upstream-refused] client \xe2\x86\x92 proxy"), text.out.constData());
}

void TestCaptureRemote::ringTriggeredOnRemoteStream()
{
    // A probe target on 127.0.0.1 that answers 502: the trigger fires at the first probe.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    connect(&server, &QTcpServer::newConnection, &server, [&server] {
        while (QTcpSocket *s = server.nextPendingConnection()) {
            connect(s, &QTcpSocket::readyRead, s, [s] {
                if (!s->readAll().contains("\r\n\r\n"))
                    return;
                s->write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                s->disconnectFromHost();
            });
            connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        }
    });
    const QString written = m_dir.filePath(QStringLiteral("remote-ring.pcapng"));
    QProcessEnvironment hold;
    hold.insert(QStringLiteral("DD_FAKE_SSH_HOLD"), QStringLiteral("30"));
    // The CLI runs in another process: this one must keep serving the probe while it waits.
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DD_SSH"), QStringLiteral("sh ") + m_script);
    env.insert(QStringLiteral("DD_FAKE_SSH_PCAP"), m_pcap);
    env.insert(hold);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(DD_CLI_PATH),
            {QStringLiteral("capture"), QStringLiteral("live"), QStringLiteral("--ssh"), remoteHost,
             QStringLiteral("--iface"), QStringLiteral("eth0"), QStringLiteral("--filter"), QStringLiteral("tcp"),
             QStringLiteral("--ring"), QStringLiteral("60"), QStringLiteral("--after"), QStringLiteral("1"),
             QStringLiteral("--write"), written, QStringLiteral("--trigger-probe"),
             QStringLiteral("http://127.0.0.1:%1/healthcheck").arg(server.serverPort())});
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 20000);
    const QByteArray out = p.readAllStandardOutput();
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(p.exitCode() == 1, err.constData());
    QVERIFY2(err.contains("trigger: probe http://127.0.0.1:"), err.constData());
    QVERIFY2(out.contains("Trigger: probe http://127.0.0.1:"), out.constData());
    QVERIFY(out.contains("answered HTTP/1.1 502 Bad Gateway"));
    // The probe may fail before or after ssh's stream is read: all 9 packets are saved either way.
    QVERIFY2(out.contains("Saved 9 packets ("), out.constData());
    QVERIFY(out.contains(QByteArray(") to " + written.toUtf8())));
    QVERIFY(out.contains("[upstream-refused]"));
    QFile f(written);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.read(4), QByteArray("\x0a\x0d\x0d\x0a", 4)); // pcapng section header
}

void TestCaptureRemote::durationEndsSsh()
{
    QProcessEnvironment hold;
    hold.insert(QStringLiteral("DD_FAKE_SSH_HOLD"), QStringLiteral("30"));
    const CliRun r =
        run({QStringLiteral("capture"), QStringLiteral("live"), QStringLiteral("--ssh"), remoteHost,
             QStringLiteral("--iface"), QStringLiteral("any"), QStringLiteral("--filter"), QStringLiteral("tcp"),
             QStringLiteral("--duration"), QStringLiteral("1"), QStringLiteral("--json")},
            hold);
    QVERIFY2(r.exitCode == 1, r.err.constData());
    QVERIFY2(r.elapsedMs < 15000, QByteArray::number(r.elapsedMs).constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value(QStringLiteral("packets")).toObject().value(QStringLiteral("total")).toInt(), 9);
}

void TestCaptureRemote::sshFails_data()
{
    QTest::addColumn<QString>("ssh");
    QTest::addColumn<QString>("exitStatus");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("ssh exits 255 without output")
        << QString() << QStringLiteral("255") << QByteArray("failed (exit 255)");
    QTest::newRow("no such ssh program") << QStringLiteral("/nonexistent/ssh") << QString()
                                         << QByteArray("cannot run /nonexistent/ssh");
}

void TestCaptureRemote::sshFails()
{
    QFETCH(QString, ssh);
    QFETCH(QString, exitStatus);
    QFETCH(QByteArray, expected);
    QProcessEnvironment env;
    if (!ssh.isEmpty())
        env.insert(QStringLiteral("DD_SSH"), ssh);
    env.insert(QStringLiteral("DD_FAKE_SSH_PCAP"), QString());
    if (!exitStatus.isEmpty())
        env.insert(QStringLiteral("DD_FAKE_SSH_EXIT"), exitStatus);
    const CliRun r =
        run({QStringLiteral("capture"), QStringLiteral("live"), QStringLiteral("--ssh"), remoteHost,
             QStringLiteral("--iface"), QStringLiteral("eth0"), QStringLiteral("--filter"), QStringLiteral("tcp")},
            env);
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains(expected), r.err.constData());
}

void TestCaptureRemote::badUsage_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("ring without trigger") << QStringList{QStringLiteral("--ring"), QStringLiteral("5"),
                                                         QStringLiteral("--write"), QStringLiteral("/tmp/x.pcapng")}
                                          << QByteArray("--ring needs --write FILE and a --trigger-log");
    QTest::newRow("trigger without ring")
        << QStringList{QStringLiteral("--trigger-probe"), QStringLiteral("http://127.0.0.1:1/")}
        << QByteArray("need --ring SECONDS");
    QTest::newRow("missing trigger log") << QStringList{QStringLiteral("--ring"),
                                                        QStringLiteral("5"),
                                                        QStringLiteral("--write"),
                                                        QStringLiteral("/tmp/x.pcapng"),
                                                        QStringLiteral("--trigger-log"),
                                                        QStringLiteral("/nonexistent/error.log")}
                                         << QByteArray("--trigger-log /nonexistent/error.log: not a readable file");
    QTest::newRow("probe URL not http")
        << QStringList{QStringLiteral("--ring"),          QStringLiteral("5"),
                       QStringLiteral("--write"),         QStringLiteral("/tmp/x.pcapng"),
                       QStringLiteral("--trigger-probe"), QStringLiteral("ftp://127.0.0.1/")}
        << QByteArray("--trigger-probe 'ftp://127.0.0.1/' is not an http:// or https:// URL");
    QTest::newRow("ring not a number") << QStringList{QStringLiteral("--ring"), QStringLiteral("ten")}
                                       << QByteArray("--ring needs a positive number, not 'ten'");
}

void TestCaptureRemote::badUsage()
{
    QFETCH(QStringList, extra);
    QFETCH(QByteArray, expected);
    const CliRun r = run(QStringList{QStringLiteral("capture"), QStringLiteral("live"), QStringLiteral("--ssh"),
                                     remoteHost, QStringLiteral("--iface"), QStringLiteral("eth0"),
                                     QStringLiteral("--filter"), QStringLiteral("tcp")} +
                         extra);
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.contains(expected), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCaptureRemote)
#include "tst_captureremote.moc"
