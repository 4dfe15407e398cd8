// Captures of real traffic on lo, recorded by the tests themselves (the project's capture helper,
// and dumpcap), while a real nginx on 127.0.0.1 proxies to a closed port, to backends that close
// early or reset, to a listener whose backlog is full, and to a healthy backend. Checks the
// failing exchanges, the CLI, the helper's privilege handling, and agreement with tshark.
#include "capture/captureanalyzer.h"
#include "lab/nginxprocess.h"

#include "lab/loopbackport.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr int captureBoundSeconds = 30; // every capture stops by itself after this

QString helperPath()
{
    return QFileInfo(QStringLiteral(DD_CLI_PATH)).absolutePath() + QStringLiteral("/docserver-doctor-capture");
}

/// A backend that reads the request head and then closes (FIN) or resets (RST) the connection.
class MisbehavingBackend : public QObject
{
public:
    explicit MisbehavingBackend(bool reset) : m_reset(reset)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_buffer[socket] += socket->readAll();
                    if (!m_buffer[socket].contains("\r\n\r\n"))
                        return;
                    if (m_reset) {
                        const linger l{1, 0}; // close with RST
                        ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &l, sizeof l);
                        socket->abort();
                    } else {
                        socket->close(); // all of the request was read, so the close is a FIN
                    }
                    m_buffer.remove(socket);
                    socket->deleteLater();
                });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }

private:
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffer;
    bool m_reset;
};

/// A healthy backend (200 to every request) that the test can stop: nginx's next connect is refused.
class FlakyBackend : public QObject
{
public:
    FlakyBackend()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_buffer[socket] += socket->readAll();
                    if (!m_buffer[socket].contains("\r\n\r\n"))
                        return;
                    m_buffer.remove(socket);
                    ++requests;
                    socket->write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n");
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    bool listen(quint16 port = 0) { return m_server.listen(QHostAddress::LocalHost, port); }
    void stop() { m_server.close(); }
    quint16 port() const { return m_server.serverPort(); }
    int requests = 0;

private:
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffer;
};

/// A listener that never accepts, its one-slot queue taken: further SYNs are dropped.
class FullBacklog
{
public:
    ~FullBacklog()
    {
        if (m_filler >= 0)
            ::close(m_filler);
        if (m_listener >= 0)
            ::close(m_listener);
    }
    bool start()
    {
        m_listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof a;
        if (m_listener < 0 || ::bind(m_listener, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
            ::listen(m_listener, 0) != 0 || ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&a), &length) != 0)
            return false;
        m_port = ntohs(a.sin_port);
        m_filler = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        return m_filler >= 0 && ::connect(m_filler, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
    }
    quint16 port() const { return m_port; }

private:
    int m_listener = -1;
    int m_filler = -1;
    quint16 m_port = 0;
};

/// A running capture (the helper or dumpcap) writing to a file; stopped when destroyed.
class Recording
{
public:
    bool start(const QString &program, const QStringList &arguments, const QString &file, const QByteArray &readyText)
    {
        m_process.setProgram(program);
        m_process.setArguments(arguments);
        if (program == helperPath())
            m_process.setStandardOutputFile(file);
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return false;
        // Both print a line once the capture is open; traffic made before it would be lost.
        QElapsedTimer clock;
        clock.start();
        while (!m_stderr.contains(readyText) && clock.elapsed() < 10000 && m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(200);
            m_stderr += m_process.readAllStandardError();
        }
        return m_stderr.contains(readyText);
    }
    bool stop()
    {
        m_process.terminate();
        const bool ok = m_process.waitForFinished(10000);
        m_stderr += m_process.readAllStandardError();
        return ok && m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
    }
    QByteArray errors() const { return m_stderr; }

private:
    QProcess m_process;
    QByteArray m_stderr;
};

/// Connects to a closed loopback port (refused at once); returns the local port it used.
quint16 knock(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof a;
    quint16 local = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &length) == 0) {
        local = ntohs(a.sin_port);
        a.sin_port = htons(port);
        ::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
    }
    if (fd >= 0)
        ::close(fd);
    return local;
}

dd::CaptureAnalysis analyzeFile(const QString &path)
{
    QFile f(path);
    dd::CaptureAnalyzer analyzer;
    if (f.open(QIODevice::ReadOnly)) {
        const QByteArray all = f.readAll();
        analyzer.feed(all.constData(), all.size());
    }
    analyzer.finish();
    return analyzer.result();
}

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

CliRun runProgram(const QString &program, const QStringList &args, const QString &stdinFile = QString(),
                  int timeoutMs = 60000)
{
    QProcess p;
    if (!stdinFile.isEmpty())
        p.setStandardInputFile(stdinFile);
    p.start(program, args);
    CliRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

CliRun runCli(const QStringList &args, const QString &stdinFile = QString(), int timeoutMs = 60000)
{
    return runProgram(QStringLiteral(DD_CLI_PATH), args, stdinFile, timeoutMs);
}

} // namespace

class TestCaptureLive : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void failingExchanges_data();
    void failingExchanges();
    void agreesWithTshark();
    void cliAnalyze();
    void cliLive();
    void cliInterfaces();
    void cliRingTriggeredByLog();
    void cliRingTriggeredByProbe();
    void cliRingTriggeredTwice();
    void helperWithoutPrivilege();
    void helperFilterCheck_data();
    void helperFilterCheck();

private:
    int get(const QString &path, int timeoutMs = 20000);
    QString portFilter() const;
    /// Starts `capture live` with `extra` options and waits until the helper captures.
    bool startLive(QProcess &cli, const QStringList &extra, QByteArray *err);

    QTemporaryDir m_dir;
    dd::NginxProcess m_nginx;
    std::unique_ptr<MisbehavingBackend> m_early;
    std::unique_ptr<MisbehavingBackend> m_reset;
    std::unique_ptr<FlakyBackend> m_flaky;
    FullBacklog m_fullBacklog;
    QNetworkAccessManager m_network;
    quint16 m_front = 0;
    quint16 m_healthy = 0;
    quint16 m_closed = 0;
};

void TestCaptureLive::initTestCase()
{
    if (!QFileInfo(dd::NginxProcess::defaultProgram()).isExecutable())
        QSKIP("nginx is not installed");
    QVERIFY2(QFileInfo(helperPath()).isExecutable(), qPrintable(helperPath()));
    QVERIFY(m_dir.isValid());
    m_network.setProxy(QNetworkProxy::NoProxy);
    m_early = std::make_unique<MisbehavingBackend>(false);
    m_reset = std::make_unique<MisbehavingBackend>(true);
    QVERIFY(m_early->listen());
    QVERIFY(m_reset->listen());
    QVERIFY(m_fullBacklog.start());
    m_flaky = std::make_unique<FlakyBackend>();
    QVERIFY(m_flaky->listen());
    m_front = dd::findFreeLoopbackPort();
    m_healthy = dd::findFreeLoopbackPort();
    m_closed = dd::findFreeLoopbackPort();
    QVERIFY(m_front && m_healthy && m_closed && m_front != m_healthy && m_healthy != m_closed && m_front != m_closed);

    const QString dir = m_dir.path();
    const QString config =
        QStringLiteral("worker_processes 1;\n"
                       "error_log %1/error.log;\n"
                       "events { worker_connections 64; }\n"
                       "http {\n"
                       "  access_log %1/access.log;\n"
                       "  client_body_temp_path %1/body; proxy_temp_path %1/proxy; fastcgi_temp_path %1/fastcgi;\n"
                       "  uwsgi_temp_path %1/uwsgi; scgi_temp_path %1/scgi;\n"
                       "  server {\n"
                       "    listen 127.0.0.1:%2;\n"
                       "    proxy_connect_timeout 2s;\n"
                       "    location /healthy { proxy_pass http://127.0.0.1:%3; }\n"
                       "    location /refused { proxy_pass http://127.0.0.1:%4; }\n"
                       "    location /early { proxy_pass http://127.0.0.1:%5; }\n"
                       "    location /reset { proxy_pass http://127.0.0.1:%6; }\n"
                       "    location /backlog { proxy_pass http://127.0.0.1:%7; }\n"
                       "    location /flaky { proxy_pass http://127.0.0.1:%8; }\n"
                       "  }\n"
                       "  server { listen 127.0.0.1:%3; location / { return 200 \"healthy\\n\"; } }\n"
                       "}\n")
            .arg(dir)
            .arg(m_front)
            .arg(m_healthy)
            .arg(m_closed)
            .arg(m_early->port())
            .arg(m_reset->port())
            .arg(m_fullBacklog.port())
            .arg(m_flaky->port());
    m_nginx.setDirectory(dir);
    m_nginx.setErrorLogPath(dir + QStringLiteral("/error.log"));
    m_nginx.setPort(m_front);
    QString error;
    QVERIFY2(m_nginx.writeConfig(config.toUtf8(), &error), qPrintable(error));
    QSignalSpy started(&m_nginx, &dd::NginxProcess::started);
    QSignalSpy failed(&m_nginx, &dd::NginxProcess::failed);
    m_nginx.start();
    QTRY_VERIFY_WITH_TIMEOUT(started.count() + failed.count() > 0, 20000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
}

void TestCaptureLive::cleanupTestCase()
{
    m_nginx.stop();
}

QString TestCaptureLive::portFilter() const
{
    QStringList ports;
    for (quint16 p :
         {m_front, m_healthy, m_closed, m_early->port(), m_reset->port(), m_fullBacklog.port(), m_flaky->port()})
        ports << QStringLiteral("tcp port %1").arg(p);
    return ports.join(QStringLiteral(" or "));
}

int TestCaptureLive::get(const QString &path, int timeoutMs)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_front).arg(path)));
    std::unique_ptr<QNetworkReply> reply(m_network.get(request));
    QSignalSpy done(reply.get(), &QNetworkReply::finished);
    if (!done.wait(timeoutMs))
        return -1;
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

void TestCaptureLive::failingExchanges_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("cause");
    QTest::addColumn<QString>("upstreamOutcome");
    QTest::newRow("closed port: SYN answered by RST")
        << QStringLiteral("/refused") << 502 << QStringLiteral("upstream-refused") << QStringLiteral("refused");
    QTest::newRow("backend closes early")
        << QStringLiteral("/early") << 502 << QStringLiteral("upstream-prematurely-closed")
        << QStringLiteral("closed-before-response");
    QTest::newRow("backend resets") << QStringLiteral("/reset") << 502 << QStringLiteral("upstream-reset")
                                    << QStringLiteral("reset-after-data");
    QTest::newRow("full backlog: SYNs unanswered")
        << QStringLiteral("/backlog") << 504 << QStringLiteral("backend-unreachable-network")
        << QStringLiteral("unanswered");
    QTest::newRow("healthy backend") << QStringLiteral("/healthy") << 200 << QString() << QStringLiteral("closed");
}

void TestCaptureLive::failingExchanges()
{
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QString, cause);
    QFETCH(QString, upstreamOutcome);
    const QString file = m_dir.filePath(QStringLiteral("helper-%1.pcap").arg(path.mid(1)));
    Recording recording;
    QVERIFY2(recording.start(helperPath(),
                             {QStringLiteral("capture"), QStringLiteral("--iface"), QStringLiteral("lo"),
                              QStringLiteral("--filter"), portFilter(), QStringLiteral("--duration"),
                              QString::number(captureBoundSeconds)},
                             file, "capturing on lo"),
             recording.errors().constData());
    QCOMPARE(get(path), status);
    QVERIFY2(recording.stop(), recording.errors().constData());

    const dd::CaptureAnalysis a = analyzeFile(file);
    QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
    QCOMPARE(a.format, dd::CaptureFormat::Pcap);
    QCOMPARE(a.statusCounts.value(status), status == 200 ? 2 : 1); // 200: the front and the backend answered
    // The upstream conversation nginx opened for this request.
    const dd::TcpConversation *upstream = nullptr;
    for (const dd::TcpConversation &c : a.conversations) {
        if (c.client.port != m_front && c.server.port != m_front)
            upstream = &c;
    }
    QVERIFY(upstream);
    QCOMPARE(dd::tcpOutcomeName(upstream->outcome), upstreamOutcome);
    if (status == 200) {
        QVERIFY(a.failing.isEmpty());
        QVERIFY(upstream->handshakeRttMs() >= 0);
        return;
    }
    QCOMPARE(a.failing.size(), 1);
    const dd::FailingExchange &f = a.failing.at(0);
    QCOMPARE(f.exchange.status, status);
    QCOMPARE(f.exchange.target, path);
    QCOMPARE(f.proxy.port, m_front);
    QCOMPARE(f.cause, cause);
    QVERIFY2(f.text().contains(QStringLiteral("proxy \u2192 127.0.0.1:%1").arg(upstream->server.port)),
             qPrintable(f.text()));
}

void TestCaptureLive::agreesWithTshark()
{
    const QString tshark = QStandardPaths::findExecutable(QStringLiteral("tshark"));
    const QString dumpcap = QStandardPaths::findExecutable(QStringLiteral("dumpcap"));
    if (tshark.isEmpty() || dumpcap.isEmpty())
        QSKIP("tshark/dumpcap are not installed");
    const QString file = m_dir.filePath(QStringLiteral("dumpcap.pcapng"));
    Recording recording;
    QVERIFY2(recording.start(dumpcap,
                             {QStringLiteral("-q"), QStringLiteral("-i"), QStringLiteral("lo"), QStringLiteral("-f"),
                              portFilter(), QStringLiteral("-a"),
                              QStringLiteral("duration:%1").arg(captureBoundSeconds), QStringLiteral("-w"), file},
                             file, "Capturing on"),
             recording.errors().constData());
    // dumpcap announces itself before its capture is open, and drops what it has not written when
    // stopped: knock on the closed port until a knock shows up in the file, before and after the
    // traffic. (QTRY evaluates its condition once more at the end, so the condition only grows.)
    QSet<quint16> knockPorts;
    const auto knockSeen = [&] {
        knockPorts.insert(knock(m_closed));
        for (const dd::TcpConversation &c : analyzeFile(file).conversations) {
            if (c.server.port == m_closed && knockPorts.contains(c.client.port))
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(knockSeen(), 15000);
    for (const QString &path : {QStringLiteral("/healthy"), QStringLiteral("/refused"), QStringLiteral("/early"),
                                QStringLiteral("/healthy"), QStringLiteral("/reset"), QStringLiteral("/healthy")})
        QVERIFY(get(path) > 0);
    knockPorts.clear();
    QTRY_VERIFY_WITH_TIMEOUT(knockSeen(), 15000);
    recording.stop(); // dumpcap exits 0 or 1 on SIGTERM depending on version; the file is what counts

    const dd::CaptureAnalysis a = analyzeFile(file);
    QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
    QCOMPARE(a.format, dd::CaptureFormat::PcapNg);

    QProcess conv;
    conv.start(tshark,
               {QStringLiteral("-q"), QStringLiteral("-r"), file, QStringLiteral("-z"), QStringLiteral("conv,tcp")});
    QVERIFY(conv.waitForFinished(60000));
    const QByteArray convOut = conv.readAllStandardOutput();
    QCOMPARE(qint64(a.conversations.size()), qint64(convOut.count("<->")));

    QStringList decodeAs;
    for (quint16 port : {m_front, m_healthy})
        decodeAs << QStringLiteral("-d") << QStringLiteral("tcp.port==%1,http").arg(port);
    QProcess tree;
    tree.start(tshark, QStringList{QStringLiteral("-q"), QStringLiteral("-r"), file} + decodeAs +
                           QStringList{QStringLiteral("-z"), QStringLiteral("http,tree")});
    QVERIFY(tree.waitForFinished(60000));
    QMap<int, qint64> tsharkStatus;
    const QRegularExpression line(QStringLiteral("^\\s+(\\d{3}) \\S.*?\\s{2,}(\\d+)\\s"));
    const QByteArray treeOut = tree.readAllStandardOutput();
    for (const QByteArray &l : treeOut.split('\n')) {
        const QRegularExpressionMatch m = line.match(QString::fromLatin1(l));
        if (m.hasMatch() && m.captured(2).toLongLong() > 0)
            tsharkStatus.insert(m.captured(1).toInt(), m.captured(2).toLongLong());
    }
    QVERIFY2(!tsharkStatus.isEmpty(), treeOut.constData());
    QCOMPARE(a.statusCounts, tsharkStatus);
    QCOMPARE(a.statusCounts.value(502), 3);
    QCOMPARE(a.failing.size(), 3);
}

void TestCaptureLive::cliAnalyze()
{
    const QString file = m_dir.filePath(QStringLiteral("helper-refused.pcap"));
    QVERIFY2(QFileInfo::exists(file), "failingExchanges recorded it");
    const CliRun json = runCli({QStringLiteral("capture"), QStringLiteral("analyze"), file, QStringLiteral("--json")});
    QCOMPARE(json.exitCode, 1);
    const QJsonObject o = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(o.value(QStringLiteral("schema")).toString(), QStringLiteral("docserver-doctor.capture/1"));
    const QJsonArray failing = o.value(QStringLiteral("failing_exchanges")).toArray();
    QCOMPARE(failing.size(), 1);
    QCOMPARE(failing.at(0).toObject().value(QStringLiteral("cause")).toString(), QStringLiteral("upstream-refused"));

    const CliRun fromStdin = runCli({QStringLiteral("capture"), QStringLiteral("analyze"), QStringLiteral("-")}, file);
    QCOMPARE(fromStdin.exitCode, 1);
    QVERIFY2(fromStdin.out.contains("[upstream-refused] client \xe2\x86\x92 proxy"), fromStdin.out.constData());
    QVERIFY(fromStdin.out.contains("SYN answered by RST"));

    const CliRun healthy = runCli(
        {QStringLiteral("capture"), QStringLiteral("analyze"), m_dir.filePath(QStringLiteral("helper-healthy.pcap"))});
    QCOMPARE(healthy.exitCode, 0);
    QVERIFY(healthy.out.contains("Failing exchanges: 0"));

    const CliRun libpcap = runCli({QStringLiteral("capture"), QStringLiteral("analyze"), file, QStringLiteral("--json"),
                                   QStringLiteral("--reader"), QStringLiteral("libpcap")});
    QCOMPARE(QJsonDocument::fromJson(libpcap.out).object().value(QStringLiteral("packets")),
             o.value(QStringLiteral("packets")));

    const CliRun missing =
        runCli({QStringLiteral("capture"), QStringLiteral("analyze"), m_dir.filePath(QStringLiteral("nope.pcap"))});
    QCOMPARE(missing.exitCode, 2);
    QCOMPARE(missing.err.count('\n'), 1);
    QVERIFY(missing.err.contains("nope.pcap"));

    const CliRun badFilter = runCli({QStringLiteral("capture"), QStringLiteral("analyze"), file,
                                     QStringLiteral("--filter"), QStringLiteral("tcp prt 80")});
    QCOMPARE(badFilter.exitCode, 2);
    QVERIFY(badFilter.err.contains("invalid capture filter"));

    // The lean executable is the same command: the same output, exit codes and errors, under
    // its own name.
    const QString lean = QStringLiteral(DD_CAPTURE_ANALYZE_PATH);
    const CliRun leanJson = runProgram(lean, {file, QStringLiteral("--json")});
    QCOMPARE(leanJson.exitCode, json.exitCode);
    QCOMPARE(leanJson.out, json.out);
    const CliRun leanStdin = runProgram(lean, {QStringLiteral("-")}, file);
    QCOMPARE(leanStdin.exitCode, fromStdin.exitCode);
    QCOMPARE(leanStdin.out, fromStdin.out);
    const CliRun leanMissing = runProgram(lean, {m_dir.filePath(QStringLiteral("nope.pcap"))});
    QCOMPARE(leanMissing.exitCode, 2);
    QCOMPARE(leanMissing.err.count('\n'), 1);
    QVERIFY2(leanMissing.err.startsWith("docserver-doctor-capture-analyze: ") && leanMissing.err.contains("nope.pcap"),
             leanMissing.err.constData());
    QVERIFY(missing.err.startsWith("docserver-doctor-cli: "));
}

void TestCaptureLive::cliLive()
{
    const QString written = m_dir.filePath(QStringLiteral("cli-live.pcap"));
    QProcess cli;
    cli.start(QStringLiteral(DD_CLI_PATH),
              {QStringLiteral("capture"), QStringLiteral("live"), QStringLiteral("--iface"), QStringLiteral("lo"),
               QStringLiteral("--filter"), portFilter(), QStringLiteral("--duration"), QStringLiteral("4"),
               QStringLiteral("--write"), written, QStringLiteral("--json")});
    QByteArray err;
    QElapsedTimer clock;
    clock.start();
    while (!err.contains("capturing on lo") && clock.elapsed() < 10000 && cli.state() != QProcess::NotRunning) {
        cli.waitForReadyRead(200);
        err += cli.readAllStandardError();
    }
    QVERIFY2(err.contains("capturing on lo"), err.constData());
    QCOMPARE(get(QStringLiteral("/refused")), 502);
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 1);
    const QJsonObject o = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    QCOMPARE(o.value(QStringLiteral("source")).toString(), QStringLiteral("live:lo"));
    const QJsonArray failing = o.value(QStringLiteral("failing_exchanges")).toArray();
    QCOMPARE(failing.size(), 1);
    QCOMPARE(failing.at(0).toObject().value(QStringLiteral("cause")).toString(), QStringLiteral("upstream-refused"));
    const dd::CaptureAnalysis saved = analyzeFile(written);
    QCOMPARE(saved.packets, o.value(QStringLiteral("packets")).toObject().value(QStringLiteral("total")).toInteger());
    QCOMPARE(saved.failing.size(), 1);
}

void TestCaptureLive::cliInterfaces()
{
    const CliRun r = runCli({QStringLiteral("capture"), QStringLiteral("interfaces")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("lo\t"), r.out.constData());
    QVERIFY(r.out.contains("loopback"));
}

bool TestCaptureLive::startLive(QProcess &cli, const QStringList &extra, QByteArray *err)
{
    cli.start(QStringLiteral(DD_CLI_PATH),
              QStringList{QStringLiteral("capture"), QStringLiteral("live"), QStringLiteral("--iface"),
                          QStringLiteral("lo"), QStringLiteral("--filter"), portFilter(), QStringLiteral("--duration"),
                          QString::number(captureBoundSeconds)} +
                  extra);
    QElapsedTimer clock;
    clock.start();
    while (!err->contains("capturing on lo") && clock.elapsed() < 10000 && cli.state() != QProcess::NotRunning) {
        cli.waitForReadyRead(200);
        *err += cli.readAllStandardError();
    }
    return err->contains("capturing on lo");
}

/// Capturing on lo needs root or the helper's capability; anything else is a reason to skip.
static bool canCapture()
{
    if (::geteuid() == 0)
        return true;
    const QString getcap = QStandardPaths::findExecutable(QStringLiteral("getcap"));
    if (getcap.isEmpty())
        return false;
    QProcess p;
    p.start(getcap, {helperPath()});
    return p.waitForFinished(10000) && p.readAllStandardOutput().contains("cap_net_raw");
}

void TestCaptureLive::cliRingTriggeredByLog()
{
    if (!canCapture())
        QSKIP("capturing on lo needs root or CAP_NET_RAW on the helper (sudo setcap cap_net_raw=eip HELPER)");
    const QString written = m_dir.filePath(QStringLiteral("ring-log.pcapng"));
    const QString errorLog = m_dir.filePath(QStringLiteral("error.log"));
    QProcess cli;
    QByteArray err;
    QVERIFY2(startLive(cli,
                       {QStringLiteral("--ring"), QStringLiteral("20"), QStringLiteral("--after"), QStringLiteral("1"),
                        QStringLiteral("--write"), written, QStringLiteral("--trigger-log"), errorLog,
                        QStringLiteral("--json")},
                       &err),
             err.constData());
    // A healthy request first: no trigger, but kept in the ring.
    QCOMPARE(get(QStringLiteral("/healthy")), 200);
    QCOMPARE(get(QStringLiteral("/refused")), 502); // nginx logs connect() failed (111: Connection refused)
    // Without a trigger the capture would run its 30 s and the CLI exit 0 with nothing written.
    QVERIFY(cli.waitForFinished((captureBoundSeconds + 10) * 1000));
    err += cli.readAllStandardError();
    QCOMPARE(cli.exitCode(), 1);
    QVERIFY2(err.contains(QByteArray("trigger: log " + errorLog.toUtf8())), err.constData());
    const QJsonObject o = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    const QJsonObject ring = o.value(QStringLiteral("ring")).toObject();
    QCOMPARE(ring.value(QStringLiteral("file")).toString(), written);
    QVERIFY2(ring.value(QStringLiteral("reason")).toString().contains(QStringLiteral("names cause upstream-refused")),
             qPrintable(ring.value(QStringLiteral("reason")).toString()));
    QVERIFY(ring.value(QStringLiteral("packets_before_trigger")).toInt() > 0);

    const dd::CaptureAnalysis a = analyzeFile(written);
    QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
    QCOMPARE(a.format, dd::CaptureFormat::PcapNg);
    QCOMPARE(a.packets, ring.value(QStringLiteral("packets")).toInteger());
    QCOMPARE(a.statusCounts.value(200), 2); // the front and the backend answered the healthy request
    QCOMPARE(a.statusCounts.value(502), 1);
    QCOMPARE(a.failing.size(), 1);
    QCOMPARE(a.failing.at(0).cause, QStringLiteral("upstream-refused"));

    const QString tshark = QStandardPaths::findExecutable(QStringLiteral("tshark"));
    if (!tshark.isEmpty()) {
        QProcess conv;
        conv.start(tshark, {QStringLiteral("-q"), QStringLiteral("-r"), written, QStringLiteral("-z"),
                            QStringLiteral("conv,tcp")});
        QVERIFY(conv.waitForFinished(60000));
        QCOMPARE(conv.exitCode(), 0);
        QCOMPARE(qint64(a.conversations.size()), qint64(conv.readAllStandardOutput().count("<->")));
    }
}

void TestCaptureLive::cliRingTriggeredByProbe()
{
    if (!canCapture())
        QSKIP("capturing on lo needs root or CAP_NET_RAW on the helper (sudo setcap cap_net_raw=eip HELPER)");
    const QString written = m_dir.filePath(QStringLiteral("ring-probe.pcapng"));
    const QString url = QStringLiteral("http://127.0.0.1:%1/flaky").arg(m_front);
    QProcess cli;
    QByteArray err;
    QVERIFY2(startLive(cli,
                       {QStringLiteral("--ring"), QStringLiteral("20"), QStringLiteral("--after"), QStringLiteral("1"),
                        QStringLiteral("--write"), written, QStringLiteral("--trigger-probe"), url},
                       &err),
             err.constData());
    // The probe polls every second; two answered while capturing, then the backend goes away.
    const int before = m_flaky->requests;
    QTRY_VERIFY_WITH_TIMEOUT(m_flaky->requests >= before + 2, 15000);
    m_flaky->stop();
    QTRY_VERIFY_WITH_TIMEOUT(cli.state() == QProcess::NotRunning, (captureBoundSeconds + 10) * 1000);
    err += cli.readAllStandardError();
    const QByteArray out = cli.readAllStandardOutput();
    QVERIFY2(cli.exitCode() == 1, err.constData());
    QVERIFY2(out.contains(QByteArray("Trigger: probe " + url.toUtf8() + " answered HTTP/1.1 502 Bad Gateway")),
             out.constData());
    QVERIFY2(out.contains("[upstream-refused]"), out.constData());

    const dd::CaptureAnalysis a = analyzeFile(written);
    QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
    QVERIFY2(a.statusCounts.value(200) >= 4,
             qPrintable(QString::number(a.statusCounts.value(200)))); // 2 probes x 2 hops
    QCOMPARE(a.statusCounts.value(502), 1);
    QCOMPARE(a.failing.size(), 1);
    QCOMPARE(a.failing.at(0).exchange.target, QStringLiteral("/flaky"));
    QCOMPARE(a.failing.at(0).cause, QStringLiteral("upstream-refused"));
}

void TestCaptureLive::cliRingTriggeredTwice()
{
    if (!canCapture())
        QSKIP("capturing on lo needs root or CAP_NET_RAW on the helper (sudo setcap cap_net_raw=eip HELPER)");
    const QString written = m_dir.filePath(QStringLiteral("ring-twice.pcapng"));
    const QString second = m_dir.filePath(QStringLiteral("ring-twice-2.pcapng"));
    const QString errorLog = m_dir.filePath(QStringLiteral("error.log"));
    QProcess cli;
    QByteArray err;
    QVERIFY2(startLive(cli,
                       {QStringLiteral("--ring"), QStringLiteral("20"), QStringLiteral("--after"), QStringLiteral("1"),
                        QStringLiteral("--triggers"), QStringLiteral("2"), QStringLiteral("--write"), written,
                        QStringLiteral("--trigger-log"), errorLog, QStringLiteral("--json")},
                       &err),
             err.constData());
    QCOMPARE(get(QStringLiteral("/refused")), 502);
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(written), 15000);
    QVERIFY(cli.state() == QProcess::Running); // recording on for the second trigger
    QCOMPARE(get(QStringLiteral("/healthy")), 200);
    QCOMPARE(get(QStringLiteral("/refused")), 502);
    QVERIFY(cli.waitForFinished((captureBoundSeconds + 10) * 1000));
    err += cli.readAllStandardError();
    QVERIFY2(cli.exitCode() == 1, err.constData());
    const QJsonArray rings =
        QJsonDocument::fromJson(cli.readAllStandardOutput()).object().value(QStringLiteral("rings")).toArray();
    QCOMPARE(rings.size(), 2);
    QCOMPARE(rings.at(0).toObject().value(QStringLiteral("ring")).toObject().value(QStringLiteral("file")).toString(),
             written);
    QCOMPARE(rings.at(1).toObject().value(QStringLiteral("ring")).toObject().value(QStringLiteral("file")).toString(),
             second);
    const dd::CaptureAnalysis later = analyzeFile(second);
    QVERIFY2(later.error.isEmpty(), qPrintable(later.error));
    QCOMPARE(later.statusCounts.value(502), 1); // the ring started empty after the first file
    QCOMPARE(later.statusCounts.value(200), 2);
    QCOMPARE(later.failing.size(), 1);
    QCOMPARE(later.failing.at(0).cause, QStringLiteral("upstream-refused"));
}

void TestCaptureLive::helperWithoutPrivilege()
{
    const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
    if (setpriv.isEmpty() || ::geteuid() != 0)
        QSKIP("needs root and setpriv to drop to an unprivileged user");
    QProcess p;
    p.setStandardOutputFile(m_dir.filePath(QStringLiteral("unprivileged.pcap")));
    p.start(setpriv,
            {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups"),
             QStringLiteral("--inh-caps=-all"), helperPath(), QStringLiteral("capture"), QStringLiteral("--iface"),
             QStringLiteral("lo"), QStringLiteral("--filter"), QStringLiteral("tcp port %1").arg(m_front),
             QStringLiteral("--duration"), QStringLiteral("2")});
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 2);
    const QByteArray err = p.readAllStandardError();
    const QByteArray expected =
        QByteArray("sudo setcap cap_net_raw=eip ") + QFileInfo(helperPath()).canonicalFilePath().toUtf8() + '\n';
    QVERIFY2(err.contains(expected), err.constData());
    QCOMPARE(QFileInfo(m_dir.filePath(QStringLiteral("unprivileged.pcap"))).size(), 0);
}

void TestCaptureLive::helperFilterCheck_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("valid") << QStringLiteral("tcp port 80 or tcp port 8000") << 0;
    QTest::newRow("invalid") << QStringLiteral("tcp prt 80") << 2;
}

void TestCaptureLive::helperFilterCheck()
{
    QFETCH(QString, filter);
    QFETCH(int, exitCode);
    QProcess p;
    p.start(helperPath(), {QStringLiteral("check-filter"), filter});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), exitCode);
    if (exitCode != 0)
        QVERIFY(p.readAllStandardError().contains("invalid filter \"tcp prt 80\""));
}

QTEST_GUILESS_MAIN(TestCaptureLive)
#include "tst_capturelive.moc"
