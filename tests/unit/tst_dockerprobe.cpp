#include "probe/activeprobe.h"
#include "probe/dockerengine.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

// GET /containers/json?all=1 as the Engine API answers it (ContainerSummary, API 1.43): a
// healthy Document Server, an nginx, and a stopped developer-edition Document Server.
const char containersJson[] =
    "[{\"Id\":\"8dfafdbc3a40a3b2c5e8a1f0b6e9d4c7a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7\",\"Names\":[\"/onlyoffi"
    "ce\"],\"Image\":\"onlyoffice/documentserver:8.2\",\"ImageID\":\"sha256:0a1b2c3d4e5f\",\"Command\":\""
    "/app/ds/run-document-server.sh\",\"Created\":1717000000,\"State\":\"running\",\"Status\":\"Up 2 hour"
    "s (healthy)\",\"Ports\":[{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\""
    "},{\"IP\":\"::\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"},{\"PrivatePort\":443,\"Typ"
    "e\":\"tcp\"}],\"Labels\":{\"com.docker.compose.service\":\"onlyoffice\"},\"SizeRw\":12288,\"SizeRoot"
    "Fs\":0,\"HostConfig\":{\"NetworkMode\":\"default\"},\"NetworkSettings\":{\"Networks\":{\"bridge\":{\""
    "NetworkID\":\"7ea29fc1412292a2d7bba362f9253545fecdfa8ce9a6e37dd10ba8bee7129812\",\"EndpointID\":\"2c"
    "dc4edb1ded3631c81f57966563e5c8525b81121bb3706a9a9a3ae102711f3f\",\"Gateway\":\"172.17.0.1\",\"IPAddr"
    "ess\":\"172.17.0.2\",\"IPPrefixLen\":16,\"MacAddress\":\"02:42:ac:11:00:02\"}}},\"Mounts\":[]},{\"Id"
    "\":\"9cd87474be90a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6\",\"Names\":[\"/proxy\"],\"Ima"
    "ge\":\"nginx:1.25\",\"ImageID\":\"sha256:1b2c3d4e5f6a\",\"Command\":\"nginx -g 'daemon off;'\",\"Cre"
    "ated\":1717000100,\"State\":\"running\",\"Status\":\"Up 3 hours\",\"Ports\":[{\"IP\":\"0.0.0.0\",\"P"
    "rivatePort\":443,\"PublicPort\":443,\"Type\":\"tcp\"}],\"Labels\":{},\"HostConfig\":{\"NetworkMode\""
    ":\"default\"},\"NetworkSettings\":{\"Networks\":{\"bridge\":{}}},\"Mounts\":[]},{\"Id\":\"3176a2479c"
    "92b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6\",\"Names\":[\"/ds-old\"],\"Image\":\"onlyoff"
    "ice/documentserver-de:7.5\",\"ImageID\":\"sha256:2c3d4e5f6a7b\",\"Command\":\"/app/ds/run-document-s"
    "erver.sh\",\"Created\":1716000000,\"State\":\"exited\",\"Status\":\"Exited (137) 5 minutes ago\",\"P"
    "orts\":[],\"Labels\":{},\"HostConfig\":{\"NetworkMode\":\"onlyoffice\"},\"NetworkSettings\":{\"Netwo"
    "rks\":{\"onlyoffice\":{},\"backend\":{}}},\"Mounts\":[]}]";

/// Answers on a unix socket like the Docker Engine, one canned way per test.
class FakeEngine
{
public:
    enum class Answer { Containers, Chunked, ServerError, Garbage, Silence, CloseEarly };

    bool listen(const QString &path, Answer answer)
    {
        m_answer = answer;
        QObject::connect(&m_server, &QLocalServer::newConnection, &m_server, [this] {
            while (QLocalSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QLocalSocket::readyRead, socket, [this, socket] { onRead(socket); });
                QObject::connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        return m_server.listen(path);
    }
    QByteArray requestHead() const { return m_head; }

private:
    void onRead(QLocalSocket *socket)
    {
        m_buffer += socket->readAll();
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        m_head = m_buffer.left(end);
        m_buffer.clear();
        const QByteArray body(containersJson);
        const QByteArray headers = "Api-Version: 1.43\r\nContent-Type: application/json\r\nServer: Docker/24.0.7\r\n";
        switch (m_answer) {
        case Answer::Containers:
            socket->write("HTTP/1.1 200 OK\r\n" + headers + "Content-Length: " + QByteArray::number(body.size()) +
                          "\r\n\r\n" + body);
            break;
        case Answer::Chunked:
            socket->write("HTTP/1.1 200 OK\r\n" + headers + "Transfer-Encoding: chunked\r\n\r\n" +
                          QByteArray::number(body.size() / 2, 16) + "\r\n" + body.left(body.size() / 2) + "\r\n" +
                          QByteArray::number(body.size() - body.size() / 2, 16) + "\r\n" + body.mid(body.size() / 2) +
                          "\r\n0\r\n\r\n");
            break;
        case Answer::ServerError:
            socket->write("HTTP/1.1 500 Internal Server Error\r\n" + headers +
                          "Content-Length: 38\r\n\r\n{\"message\":\"page not found or broken\"}");
            break;
        case Answer::Garbage:
            socket->write("SSH-2.0-OpenSSH_9.2\r\n\r\n");
            break;
        case Answer::Silence:
            return;
        case Answer::CloseEarly:
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n[{\"Id\":");
            break;
        }
        socket->disconnectFromServer();
    }

    QLocalServer m_server;
    Answer m_answer = Answer::Containers;
    QByteArray m_buffer;
    QByteArray m_head;
};

dd::DockerReport ask(int timeoutMs = 3000)
{
    dd::DockerEngineClient client;
    QSignalSpy spy(&client, &dd::DockerEngineClient::finished);
    client.start(timeoutMs);
    if (!spy.wait(timeoutMs + 5000)) {
        dd::DockerReport none;
        none.state = QStringLiteral("no-signal");
        return none;
    }
    return spy.at(0).at(0).value<dd::DockerReport>();
}

} // namespace

Q_DECLARE_METATYPE(FakeEngine::Answer)

// Docker awareness of the host probe: the Engine API's container list, parsed and asked over a
// unix socket that answers like dockerd (Docker itself is not needed).
class TestDockerProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void parsesTheContainerList();
    void rejectsWhatIsNotAContainerList_data();
    void rejectsWhatIsNotAContainerList();
    void healthFromStatus_data();
    void healthFromStatus();
    void socketPath_data();
    void socketPath();
    void asksTheEngine_data();
    void asksTheEngine();
    void withoutDockerSaysNotPresent();
    void hostProbeReportsTheContainers();
    void cliSaysNotPresent();
    void cliListsTheContainers();

private:
    QString m_socket;
    QByteArray m_savedDockerHost;
    bool m_hadDockerHost = false;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestDockerProbe::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_socket = m_dir->filePath(QStringLiteral("docker.sock"));
    m_hadDockerHost = qEnvironmentVariableIsSet("DOCKER_HOST");
    m_savedDockerHost = qgetenv("DOCKER_HOST");
    qputenv("DOCKER_HOST", "unix://" + QFile::encodeName(m_socket));
}

void TestDockerProbe::cleanup()
{
    if (m_hadDockerHost)
        qputenv("DOCKER_HOST", m_savedDockerHost);
    else
        qunsetenv("DOCKER_HOST");
    m_dir.reset();
}

void TestDockerProbe::parsesTheContainerList()
{
    int total = 0;
    QString error;
    const QList<dd::DockerContainer> containers =
        dd::DockerEngineClient::parseContainers(QByteArray(containersJson), &total, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(total, 3);
    QCOMPARE(containers.size(), 2);
    const dd::DockerContainer &ds = containers.at(0);
    QCOMPARE(ds.name, QStringLiteral("onlyoffice"));
    QCOMPARE(ds.id, QStringLiteral("8dfafdbc3a40"));
    QCOMPARE(ds.image, QStringLiteral("onlyoffice/documentserver:8.2"));
    QCOMPARE(ds.state, QStringLiteral("running"));
    QCOMPARE(ds.health, QStringLiteral("healthy"));
    QCOMPARE(ds.ports, (QStringList{QStringLiteral("0.0.0.0:8080->80/tcp"), QStringLiteral("[::]:8080->80/tcp"),
                                    QStringLiteral("443/tcp")}));
    QCOMPARE(ds.networks, QStringList{QStringLiteral("bridge")});
    const dd::DockerContainer &old = containers.at(1);
    QCOMPARE(old.name, QStringLiteral("ds-old"));
    QCOMPARE(old.state, QStringLiteral("exited"));
    QCOMPARE(old.health, QStringLiteral("none"));
    QVERIFY(old.ports.isEmpty());
    QCOMPARE(old.networks, (QStringList{QStringLiteral("backend"), QStringLiteral("onlyoffice")}));
}

void TestDockerProbe::rejectsWhatIsNotAContainerList_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("object") << QByteArray("{\"message\":\"client version 1.12 is too old\"}")
                            << QStringLiteral("not a JSON array");
    QTest::newRow("not json") << QByteArray("<html>502</html>") << QStringLiteral("not JSON");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("not JSON");
}

void TestDockerProbe::rejectsWhatIsNotAContainerList()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);
    int total = -1;
    QString error;
    QVERIFY(dd::DockerEngineClient::parseContainers(json, &total, &error).isEmpty());
    QCOMPARE(total, 0);
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

void TestDockerProbe::healthFromStatus_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("health");
    QTest::newRow("healthy") << QStringLiteral("Up 2 hours (healthy)") << QStringLiteral("healthy");
    QTest::newRow("unhealthy") << QStringLiteral("Up 10 minutes (unhealthy)") << QStringLiteral("unhealthy");
    QTest::newRow("starting") << QStringLiteral("Up 5 seconds (health: starting)") << QStringLiteral("starting");
    QTest::newRow("no healthcheck") << QStringLiteral("Up 3 hours") << QStringLiteral("none");
    QTest::newRow("exited") << QStringLiteral("Exited (137) 5 minutes ago") << QStringLiteral("none");
}

void TestDockerProbe::healthFromStatus()
{
    QFETCH(QString, status);
    QFETCH(QString, health);
    QCOMPARE(dd::DockerEngineClient::healthFromStatus(status), health);
}

void TestDockerProbe::socketPath_data()
{
    QTest::addColumn<QByteArray>("dockerHost");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("noted");
    QTest::newRow("unset") << QByteArray() << QStringLiteral("/var/run/docker.sock") << false;
    QTest::newRow("rootless") << QByteArray("unix:///run/user/1000/docker.sock")
                              << QStringLiteral("/run/user/1000/docker.sock") << false;
    QTest::newRow("tcp") << QByteArray("tcp://127.0.0.1:2375") << QString() << true;
}

void TestDockerProbe::socketPath()
{
    QFETCH(QByteArray, dockerHost);
    QFETCH(QString, path);
    QFETCH(bool, noted);
    QString note;
    QCOMPARE(dd::DockerEngineClient::socketPath(dockerHost, &note), path);
    QCOMPARE(!note.isEmpty(), noted);
    if (noted)
        QVERIFY2(note.contains(QString::fromLatin1(dockerHost)), qPrintable(note));
}

void TestDockerProbe::asksTheEngine_data()
{
    QTest::addColumn<FakeEngine::Answer>("answer");
    QTest::addColumn<QString>("state");
    QTest::addColumn<int>("containers");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("containers") << FakeEngine::Answer::Containers << QStringLiteral("ok") << 2 << QString();
    QTest::newRow("chunked") << FakeEngine::Answer::Chunked << QStringLiteral("ok") << 2 << QString();
    QTest::newRow("500") << FakeEngine::Answer::ServerError << QStringLiteral("error") << 0 << QStringLiteral("500");
    QTest::newRow("not http") << FakeEngine::Answer::Garbage << QStringLiteral("error") << 0
                              << QStringLiteral("not an HTTP answer");
    QTest::newRow("silence") << FakeEngine::Answer::Silence << QStringLiteral("unreachable") << 0
                             << QStringLiteral("within 300 ms");
    QTest::newRow("closed early") << FakeEngine::Answer::CloseEarly << QStringLiteral("error") << 0
                                  << QStringLiteral("docker.sock");
}

void TestDockerProbe::asksTheEngine()
{
    QFETCH(FakeEngine::Answer, answer);
    QFETCH(QString, state);
    QFETCH(int, containers);
    QFETCH(QString, mentions);
    FakeEngine engine;
    QVERIFY(engine.listen(m_socket, answer));
    const dd::DockerReport report = ask(300);
    QCOMPARE(report.state, state);
    QCOMPARE(report.socket, m_socket);
    QCOMPARE(report.containers.size(), containers);
    QVERIFY2(report.error.contains(mentions), qPrintable(report.error));
    QVERIFY(engine.requestHead().startsWith("GET /containers/json?all=1 HTTP/1.1\r\n"));
    QVERIFY(engine.requestHead().contains("\r\nHost: "));
    if (state == QLatin1String("ok")) {
        QCOMPARE(report.apiVersion, QStringLiteral("1.43"));
        QCOMPARE(report.containerCount, 3);
        QVERIFY(report.ms >= 0);
    }
}

void TestDockerProbe::withoutDockerSaysNotPresent()
{
    const dd::DockerReport report = ask();
    QCOMPARE(report.state, QStringLiteral("not-present"));
    const dd::Evidence evidence = dd::dockerEvidence(report);
    QCOMPARE(evidence.id, QStringLiteral("probe.host.docker"));
    QVERIFY2(evidence.summary.startsWith(QStringLiteral("docker: not present")), qPrintable(evidence.summary));
    QCOMPARE(evidence.health, dd::Health::Unknown);
}

void TestDockerProbe::hostProbeReportsTheContainers()
{
    FakeEngine engine;
    QVERIFY(engine.listen(m_socket, FakeEngine::Answer::Containers));
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Host;
    spec.timeoutMs = 5000;
    std::unique_ptr<dd::ActiveProbe> probe(dd::createProbe(dd::ProbeKind::Host));
    QSignalSpy spy(probe.get(), &dd::ActiveProbe::finished);
    probe->start(spec);
    QVERIFY(spy.wait(15000));
    const dd::ProbeResult result = spy.at(0).at(0).value<dd::ProbeResult>();
    QCOMPARE(result.evidence.size(), 3);
    const dd::Evidence &docker = result.evidence.at(2);
    QCOMPARE(docker.id, QStringLiteral("probe.host.docker"));
    QCOMPARE(docker.facts.value(QStringLiteral("docker")).toString(), QStringLiteral("ok"));
    QCOMPARE(docker.facts.value(QStringLiteral("containers")).toList().size(), 2);
    // The stopped Document Server container is the finding.
    QCOMPARE(docker.health, dd::Health::Failed);
    QVERIFY2(docker.summary.contains(QStringLiteral("onlyoffice (onlyoffice/documentserver:8.2) running, health "
                                                    "healthy, ports 0.0.0.0:8080->80/tcp")),
             qPrintable(docker.summary));
    QVERIFY2(docker.summary.contains(QStringLiteral("ds-old (onlyoffice/documentserver-de:7.5) exited")),
             qPrintable(docker.summary));
    QVERIFY(!result.isHealthy());
}

void TestDockerProbe::cliSaysNotPresent()
{
    QProcess cli;
    cli.start(QStringLiteral(DD_CLI_PATH), {QStringLiteral("probe"), QStringLiteral("host")});
    QVERIFY(cli.waitForFinished(30000));
    const QByteArray out = cli.readAllStandardOutput();
    QVERIFY2(out.contains(QByteArray("docker: not present (no " + QFile::encodeName(m_socket) + ')')), out.constData());
    QVERIFY2(cli.exitCode() == 0 || cli.exitCode() == 1, out.constData());
}

void TestDockerProbe::cliListsTheContainers()
{
    FakeEngine engine;
    QVERIFY(engine.listen(m_socket, FakeEngine::Answer::Containers));
    // The engine answers from this thread: keep the event loop running while the CLI works.
    QProcess cli;
    QSignalSpy finished(&cli, &QProcess::finished);
    cli.start(QStringLiteral(DD_CLI_PATH), {QStringLiteral("probe"), QStringLiteral("host"), QStringLiteral("--json")});
    QVERIFY(finished.wait(30000));
    const QJsonObject json = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    QCOMPARE(cli.exitCode(), 1);
    const QJsonArray evidence = json.value(QStringLiteral("evidence")).toArray();
    QCOMPARE(evidence.size(), 3);
    const QJsonObject docker = evidence.at(2).toObject();
    QCOMPARE(docker.value(QStringLiteral("id")).toString(), QStringLiteral("probe.host.docker"));
    const QJsonArray containers =
        docker.value(QStringLiteral("facts")).toObject().value(QStringLiteral("containers")).toArray();
    QCOMPARE(containers.size(), 2);
    QCOMPARE(containers.at(0).toObject().value(QStringLiteral("health")).toString(), QStringLiteral("healthy"));
}

QTEST_GUILESS_MAIN(TestDockerProbe)
#include "tst_dockerprobe.moc"
