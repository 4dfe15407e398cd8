#include "probe/activeprobe.h"
#include "probe/hostprobe.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <unistd.h>

using dd::ListeningSocket;

namespace {

// Lines as the kernel writes them (x86, little endian): header, two listeners, one established.
const QByteArray procNetTcp =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000   109        0 4242 1 0 100 0 0 10 0\n"
    "   1: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4343 1 0 100 0 0 10 0\n"
    "   2: 0100007F:1F40 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000   109        0 4444 1 0 20 4 30 10 "
    "-1\n";

const QByteArray procNetTcp6 =
    "  sl  local_address                         remote_address                        st tx_queue rx_queue tr "
    "tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000000000000000000001000000:1F40 00000000000000000000000000000000:0000 0A 00000000:00000000 "
    "00:00000000 00000000   109        0 5151 1 0 100 0 0 10 0\n"
    "   1: 00000000000000000000000000000000:1538 00000000000000000000000000000000:0000 0A 00000000:00000000 "
    "00:00000000 00000000   106        0 5252 1 0 100 0 0 10 0\n";

} // namespace

class TestHostProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesProcNetTcp();
    void parsesProcNetTcp6();
    void portScopes_data();
    void portScopes();
    void findsOwnersInAProcTree();
    void parsesSystemctlShow();
    void parsesSupervisorStatus();
    void findsOurOwnListener();
};

void TestHostProbe::parsesProcNetTcp()
{
    const QList<ListeningSocket> sockets = dd::HostProbe::parseProcNetTcp(procNetTcp, false);
    QCOMPARE(sockets.size(), 2);
    QCOMPARE(sockets.at(0).address, QStringLiteral("127.0.0.1"));
    QCOMPARE(sockets.at(0).port, quint16(8000));
    QCOMPARE(sockets.at(0).inode, quint64(4242));
    QCOMPARE(sockets.at(0).uid, 109);
    QCOMPARE(sockets.at(0).scope(), QStringLiteral("loopback"));
    QCOMPARE(sockets.at(1).address, QStringLiteral("0.0.0.0"));
    QCOMPARE(sockets.at(1).port, quint16(80));
    QCOMPARE(sockets.at(1).scope(), QStringLiteral("any"));
}

void TestHostProbe::parsesProcNetTcp6()
{
    const QList<ListeningSocket> sockets = dd::HostProbe::parseProcNetTcp(procNetTcp6, true);
    QCOMPARE(sockets.size(), 2);
    QCOMPARE(sockets.at(0).address, QStringLiteral("::1"));
    QCOMPARE(sockets.at(0).port, quint16(8000));
    QVERIFY(sockets.at(0).ipv6);
    QCOMPARE(sockets.at(1).address, QStringLiteral("::"));
    QCOMPARE(sockets.at(1).port, quint16(5432));
    QCOMPARE(sockets.at(1).scope(), QStringLiteral("any"));
}

void TestHostProbe::portScopes_data()
{
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("scope");
    QTest::newRow("docservice on both loopbacks") << 8000 << QStringLiteral("loopback");
    QTest::newRow("nginx on any") << 80 << QStringLiteral("any");
    QTest::newRow("postgres on ::") << 5432 << QStringLiteral("any");
    QTest::newRow("nothing on 5672") << 5672 << QStringLiteral("not-listening");
}

void TestHostProbe::portScopes()
{
    QFETCH(int, port);
    QFETCH(QString, scope);
    const QList<ListeningSocket> sockets =
        dd::HostProbe::parseProcNetTcp(procNetTcp, false) + dd::HostProbe::parseProcNetTcp(procNetTcp6, true);
    QCOMPARE(dd::HostProbe::portScope(sockets, quint16(port)), scope);
}

void TestHostProbe::findsOwnersInAProcTree()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    QVERIFY(QDir(root.path()).mkpath(QStringLiteral("321/fd")));
    QVERIFY(QDir(root.path()).mkpath(QStringLiteral("self/fd")));
    QFile comm(root.filePath(QStringLiteral("321/comm")));
    QVERIFY(comm.open(QIODevice::WriteOnly));
    comm.write("docservice\n");
    comm.close();
    QVERIFY(::symlink("socket:[4242]", QFile::encodeName(root.filePath(QStringLiteral("321/fd/7"))).constData()) == 0);
    QVERIFY(::symlink("/dev/null", QFile::encodeName(root.filePath(QStringLiteral("321/fd/0"))).constData()) == 0);

    QList<ListeningSocket> sockets = dd::HostProbe::parseProcNetTcp(procNetTcp, false);
    dd::HostProbe::findOwners(&sockets, root.path());
    QCOMPARE(sockets.at(0).pid, qint64(321));
    QCOMPARE(sockets.at(0).process, QStringLiteral("docservice"));
    QCOMPARE(sockets.at(1).pid, qint64(-1));
}

void TestHostProbe::parsesSystemctlShow()
{
    const QByteArray output = "Id=ds-docservice.service\nLoadState=loaded\nActiveState=active\nSubState=running\n"
                              "MainPID=812\n\nId=ds-converter.service\nLoadState=loaded\nActiveState=failed\n"
                              "SubState=failed\nMainPID=0\n\nId=nginx.service\nLoadState=not-found\n"
                              "ActiveState=inactive\nSubState=dead\nMainPID=0\n";
    const QList<dd::UnitState> units = dd::HostProbe::parseSystemctlShow(output);
    QCOMPARE(units.size(), 3);
    QCOMPARE(units.at(0).name, QStringLiteral("ds-docservice.service"));
    QCOMPARE(units.at(0).state, QStringLiteral("active/running"));
    QCOMPARE(units.at(0).pid, qint64(812));
    QCOMPARE(units.at(1).state, QStringLiteral("failed/failed"));
    QCOMPARE(units.at(1).pid, qint64(-1));
    QVERIFY(units.at(1).found);
    QVERIFY(!units.at(2).found);
}

void TestHostProbe::parsesSupervisorStatus()
{
    const QByteArray output = "ds:converter                     RUNNING   pid 529, uptime 0:12:03\n"
                              "ds:docservice                    FATAL     Exited too quickly (process log may have "
                              "details)\n";
    const QList<dd::UnitState> units = dd::HostProbe::parseSupervisorStatus(output);
    QCOMPARE(units.size(), 2);
    QCOMPARE(units.at(0).name, QStringLiteral("ds:converter"));
    QCOMPARE(units.at(0).state, QStringLiteral("RUNNING"));
    QCOMPARE(units.at(0).pid, qint64(529));
    QCOMPARE(units.at(1).state, QStringLiteral("FATAL"));
    QCOMPARE(units.at(1).pid, qint64(-1));
}

void TestHostProbe::findsOurOwnListener()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const quint16 port = server.serverPort();

    // No Docker here, whatever this machine has: the docker item must say so without failing.
    const QByteArray savedDockerHost = qgetenv("DOCKER_HOST");
    qputenv("DOCKER_HOST", "unix:///nonexistent/docserver-doctor-test/docker.sock");
    const auto restore = qScopeGuard([&] {
        if (savedDockerHost.isEmpty())
            qunsetenv("DOCKER_HOST");
        else
            qputenv("DOCKER_HOST", savedDockerHost);
    });

    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Host;
    spec.target = QString::number(port);
    std::unique_ptr<dd::ActiveProbe> probe(dd::createProbe(dd::ProbeKind::Host));
    QSignalSpy spy(probe.get(), &dd::ActiveProbe::finished);
    probe->start(spec);
    QVERIFY(spy.isEmpty());
    QVERIFY(spy.wait(15000));
    const dd::ProbeResult result = spy.at(0).at(0).value<dd::ProbeResult>();
    QCOMPARE(result.evidence.size(), 3);
    QCOMPARE(result.evidence.at(2).id, QStringLiteral("probe.host.docker"));
    QCOMPARE(result.evidence.at(2).facts.value(QStringLiteral("docker")).toString(), QStringLiteral("not-present"));
    QCOMPARE(result.evidence.at(2).summary,
             QStringLiteral("docker: not present (no /nonexistent/docserver-doctor-test/docker.sock)"));
    const QVariantMap facts = result.evidence.at(0).facts;
    QCOMPARE(facts.value(QStringLiteral("ports")).toMap().value(QString::number(port)).toString(),
             QStringLiteral("loopback"));
    bool found = false;
    const QVariantList listeners = facts.value(QStringLiteral("listeners")).toList();
    for (const QVariant &v : listeners) {
        const QVariantMap listener = v.toMap();
        if (listener.value(QStringLiteral("port")).toInt() == port) {
            found = true;
            QCOMPARE(listener.value(QStringLiteral("address")).toString(), QStringLiteral("127.0.0.1"));
            QCOMPARE(listener.value(QStringLiteral("pid")).toLongLong(), QCoreApplication::applicationPid());
        }
    }
    QVERIFY(found);
}

QTEST_GUILESS_MAIN(TestHostProbe)
#include "tst_hostprobe.moc"
