#include "probe/httpprobe.h"
#include "probe/probeevidence.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkInterface>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sys/socket.h>

#include <memory>

using dd::HttpProbe;
using dd::HttpProbeResult;
using dd::HttpRequestSpec;
using dd::ProbeOutcome;

namespace {

/// What the in-test server does with each connection.
enum class Behaviour {
    Respond,          ///< read the request header (and body), send `response`, close
    RespondAtOnce,    ///< send `response` on accept, before reading anything, then close
    RespondThenReset, ///< read the request, send `response`, then reset (RST)
    NeverAnswer,      ///< read and keep the connection open
    CloseOnAccept,    ///< send FIN at once (and keep reading, so the close stays a FIN)
    ResetOnAccept     ///< RST at once
};

void resetConnection(QTcpSocket *socket)
{
    socket->flush();
    const struct linger lingerZero = {1, 0};
    ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &lingerZero, sizeof lingerZero);
    socket->abort();
}

bool requestComplete(const QByteArray &received)
{
    const qsizetype end = received.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    qsizetype length = 0;
    for (const QByteArray &line : received.left(end).split('\n')) {
        if (line.toLower().startsWith("content-length:"))
            length = line.mid(15).trimmed().toLongLong();
    }
    return received.size() >= end + 4 + length;
}

/// A scripted HTTP server on 127.0.0.1, port 0; stopped when destroyed.
class ScriptedServer : public QObject
{
public:
    explicit ScriptedServer(Behaviour behaviour, const QByteArray &response = QByteArray(),
                            QTcpServer *server = new QTcpServer)
        : m_server(server), m_behaviour(behaviour), m_response(response)
    {
        m_server->setParent(this);
        connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &ScriptedServer::accept);
    }

    bool listen(const QHostAddress &address = QHostAddress(QHostAddress::LocalHost), quint16 port = 0)
    {
        return m_server->listen(address, port);
    }
    quint16 port() const { return m_server->serverPort(); }
    QUrl url(const QString &path = QStringLiteral("/")) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path));
    }
    QByteArray request() const { return m_request; }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            switch (m_behaviour) {
            case Behaviour::ResetOnAccept:
                resetConnection(socket);
                continue;
            case Behaviour::CloseOnAccept:
                ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
                break;
            case Behaviour::RespondAtOnce:
                socket->write(m_response);
                socket->disconnectFromHost();
                continue;
            default:
                break;
            }
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        }
    }

    void onReadyRead(QTcpSocket *socket)
    {
        m_request += socket->readAll();
        if (!requestComplete(m_request) || m_answered)
            return;
        m_answered = true;
        if (m_behaviour == Behaviour::Respond) {
            socket->write(m_response);
            socket->disconnectFromHost();
        } else if (m_behaviour == Behaviour::RespondThenReset) {
            socket->write(m_response);
            resetConnection(socket);
        }
    }

    QTcpServer *m_server;
    Behaviour m_behaviour;
    QByteArray m_response;
    QByteArray m_request;
    bool m_answered = false;
};

HttpProbeResult runProbe(const HttpRequestSpec &spec)
{
    HttpProbe probe;
    QSignalSpy spy(&probe, &HttpProbe::finished);
    probe.start(spec);
    if (!spy.wait(spec.timeoutMs + 5000))
        return HttpProbeResult();
    return spy.at(0).at(0).value<HttpProbeResult>();
}

HttpRequestSpec specFor(const QUrl &url, int timeoutMs = 3000)
{
    HttpRequestSpec spec;
    spec.url = url;
    spec.timeoutMs = timeoutMs;
    return spec;
}

quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

const QByteArray ok200("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\ntrue");

} // namespace

Q_DECLARE_METATYPE(Behaviour)

class TestHttpProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void outcomes_data();
    void outcomes();
    void timesOutWhenTheServerNeverAnswers();
    void refused();
    void connectToKeepsTheHostHeader();
    void sendsMethodHeadersAndBody();
    void reportsTheRedirectLocation();
    void timingsAreOrdered();
    void connectTimeExcludesTheEventLoopsDelay();
    void oneProbeRunsAgainOnANewConnection();
    void localhostFallsBackToTheNextAddress();
    void rejectsBadRequests_data();
    void rejectsBadRequests();
    void cancels();
    void mayBeDeletedInItsFinishedHandler();
    void tlsToAPlainPortFails();
    void tlsWithASelfSignedCertificate();
    void evidence();
    void errorPageFrom_data();
    void errorPageFrom();
};

void TestHttpProbe::outcomes_data()
{
    QTest::addColumn<Behaviour>("behaviour");
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<ProbeOutcome>("outcome");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("serverKind");

    QTest::newRow("200 with body") << Behaviour::Respond << ok200 << ProbeOutcome::Ok << 200 << QByteArray("true")
                                   << QStringLiteral("nginx");
    QTest::newRow("502 from nginx")
        << Behaviour::Respond
        << QByteArray("HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\n"
                      "Content-Length: 24\r\nConnection: close\r\n\r\n<h1>502 Bad Gateway</h1>")
        << ProbeOutcome::Ok << 502 << QByteArray("<h1>502 Bad Gateway</h1>") << QStringLiteral("nginx-versioned");
    QTest::newRow("chunked")
        << Behaviour::Respond
        << QByteArray("HTTP/1.1 200 OK\r\nServer: Apache/2.4.57 (Debian)\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "4\r\ntrue\r\n0\r\n\r\n")
        << ProbeOutcome::Ok << 200 << QByteArray("true") << QStringLiteral("apache");
    QTest::newRow("body ends with the connection")
        << Behaviour::Respond << QByteArray("HTTP/1.0 503 Service Unavailable\r\n\r\nbusy") << ProbeOutcome::Ok << 503
        << QByteArray("busy") << QString();
    QTest::newRow("closes right after accept")
        << Behaviour::CloseOnAccept << QByteArray() << ProbeOutcome::ClosedEarly << 0 << QByteArray() << QString();
    QTest::newRow("closes inside the body")
        << Behaviour::Respond << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        << ProbeOutcome::ClosedEarly << 200 << QByteArray("abc") << QString();
    QTest::newRow("resets right after accept")
        << Behaviour::ResetOnAccept << QByteArray() << ProbeOutcome::Reset << 0 << QByteArray() << QString();
    QTest::newRow("resets inside the body")
        << Behaviour::RespondThenReset << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        << ProbeOutcome::Reset << 200 << QByteArray("abc") << QString();
    QTest::newRow("garbage") << Behaviour::Respond << QByteArray("SSH-2.0-OpenSSH_9.2p1\r\n") << ProbeOutcome::Malformed
                             << 0 << QByteArray() << QString();
}

void TestHttpProbe::outcomes()
{
    QFETCH(Behaviour, behaviour);
    QFETCH(QByteArray, response);
    QFETCH(ProbeOutcome, outcome);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, serverKind);

    ScriptedServer server(behaviour, response);
    QVERIFY(server.listen());
    const HttpProbeResult result = runProbe(specFor(server.url(QStringLiteral("/healthcheck"))));
    QVERIFY2(result.outcome == outcome,
             qPrintable(dd::probeOutcomeName(result.outcome) + QStringLiteral(": ") + result.error));
    QCOMPARE(result.status, status);
    QCOMPARE(result.body, body);
    QCOMPARE(result.serverKind(), serverKind);
    QCOMPARE(result.error.isEmpty(), outcome == ProbeOutcome::Ok);
    QCOMPARE(result.peer, QStringLiteral("127.0.0.1:%1").arg(server.port()));
    QVERIFY(result.timings.connect >= 0);
    QVERIFY(result.timings.total >= result.timings.connect);

    const QVariantMap facts = result.facts();
    QCOMPARE(facts.value(QStringLiteral("outcome")).toString(), dd::probeOutcomeName(outcome));
    QCOMPARE(facts.value(QStringLiteral("status")).toInt(), status);
    QCOMPARE(facts.value(QStringLiteral("server_kind")).toString(), serverKind);
    QCOMPARE(facts.value(QStringLiteral("body")).toString(), QString::fromUtf8(body));
}

void TestHttpProbe::timesOutWhenTheServerNeverAnswers()
{
    ScriptedServer server(Behaviour::NeverAnswer);
    QVERIFY(server.listen());
    QElapsedTimer clock;
    clock.start();
    const HttpProbeResult result = runProbe(specFor(server.url(), 400));
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(result.outcome, ProbeOutcome::TimedOut);
    QVERIFY2(result.error.contains(QStringLiteral("no response within 400 ms")), qPrintable(result.error));
    QVERIFY2(elapsed >= 390 && elapsed < 2400, qPrintable(QString::number(elapsed)));
    QVERIFY(result.timings.total >= 390);
    QVERIFY(result.timings.sent >= 0);
    QCOMPARE(result.timings.ttfb, -1.0);
    QVERIFY(server.request().startsWith("GET / HTTP/1.1\r\n"));
}

void TestHttpProbe::refused()
{
    const quint16 port = closedPort();
    const HttpProbeResult result = runProbe(specFor(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port))));
    QCOMPARE(result.outcome, ProbeOutcome::Refused);
    QCOMPARE(result.failedConnects.size(), 1);
    QVERIFY(result.peer.isEmpty());
    QCOMPARE(result.timings.connect, -1.0);
    QVERIFY2(result.error.contains(QStringLiteral("127.0.0.1:%1").arg(port)), qPrintable(result.error));
}

void TestHttpProbe::connectToKeepsTheHostHeader()
{
    ScriptedServer server(Behaviour::Respond, ok200);
    QVERIFY(server.listen());
    HttpRequestSpec spec = specFor(QUrl(QStringLiteral("http://docs.example.test:8080/healthcheck?probe=1")));
    spec.connectTo = QStringLiteral("127.0.0.1:%1").arg(server.port());
    const HttpProbeResult result = runProbe(spec);
    QCOMPARE(result.outcome, ProbeOutcome::Ok);
    QCOMPARE(result.peer, spec.connectTo);
    QVERIFY2(server.request().startsWith("GET /healthcheck?probe=1 HTTP/1.1\r\n"), server.request().constData());
    QVERIFY2(server.request().contains("\r\nHost: docs.example.test:8080\r\n"), server.request().constData());
    QVERIFY(server.request().contains("\r\nConnection: close\r\n"));
}

void TestHttpProbe::sendsMethodHeadersAndBody()
{
    ScriptedServer server(Behaviour::Respond, ok200);
    QVERIFY(server.listen());
    HttpRequestSpec spec = specFor(server.url(QStringLiteral("/command")));
    spec.method = "POST";
    spec.body = R"({"c":"version"})";
    spec.headers = {{"Content-Type", "application/json"}, {"Host", "ds.internal"}};
    const HttpProbeResult result = runProbe(spec);
    QCOMPARE(result.outcome, ProbeOutcome::Ok);
    const QByteArray request = server.request();
    QVERIFY2(request.startsWith("POST /command HTTP/1.1\r\n"), request.constData());
    QVERIFY(request.contains("\r\nHost: ds.internal\r\n"));
    QCOMPARE(request.count("Host:"), 1);
    QVERIFY(request.contains("\r\nContent-Type: application/json\r\n"));
    QVERIFY(request.contains("\r\nContent-Length: 15\r\n"));
    QVERIFY(request.endsWith("\r\n\r\n{\"c\":\"version\"}"));
}

void TestHttpProbe::reportsTheRedirectLocation()
{
    ScriptedServer server(
        Behaviour::Respond,
        "HTTP/1.1 302 Found\r\nServer: nginx\r\nLocation: https://ds.example.test/welcome/?token=abc\r\n"
        "Content-Length: 0\r\n\r\n");
    QVERIFY(server.listen());
    const HttpProbeResult result = runProbe(specFor(server.url()));
    QCOMPARE(result.outcome, ProbeOutcome::Ok);
    QCOMPARE(result.status, 302);
    QCOMPARE(result.header("location"), QByteArray("https://ds.example.test/welcome/?token=abc"));
    QCOMPARE(result.facts().value(QStringLiteral("location")).toString(),
             QStringLiteral("https://ds.example.test/welcome/?token=REDACTED"));
}

void TestHttpProbe::timingsAreOrdered()
{
    ScriptedServer server(Behaviour::Respond, ok200);
    QVERIFY(server.listen());
    const HttpProbeResult result = runProbe(specFor(server.url()));
    QCOMPARE(result.outcome, ProbeOutcome::Ok);
    const dd::HttpTimings &t = result.timings;
    QVERIFY(t.dns >= 0);
    QVERIFY(t.dns <= t.connect);
    QCOMPARE(t.tls, -1.0);
    QVERIFY(t.connect <= t.sent);
    QVERIFY(t.sent <= t.ttfb);
    QVERIFY(t.ttfb <= t.total);
    const QVariantMap facts = result.facts();
    QCOMPARE(facts.value(QStringLiteral("connect_ms")).toDouble(), t.connect);
    QCOMPARE(facts.value(QStringLiteral("ttfb_ms")).toDouble(), t.ttfb);
    QCOMPARE(facts.value(QStringLiteral("total_ms")).toDouble(), t.total);
}

void TestHttpProbe::connectTimeExcludesTheEventLoopsDelay()
{
    // An address needs no lookup, so start() calls connect() at once; on loopback the kernel
    // completes the handshake inside that call. The thread then stays busy before the event loop
    // can deliver the result: connect time is the handshake's, not the loop's (as curl's is),
    // while the request can only go out after the loop has come round.
    ScriptedServer server(Behaviour::Respond, ok200);
    QVERIFY(server.listen());
    HttpProbe probe;
    QSignalSpy spy(&probe, &HttpProbe::finished);
    probe.start(specFor(server.url()));
    QThread::msleep(120);
    QVERIFY(spy.wait(5000));
    const HttpProbeResult result = spy.at(0).at(0).value<HttpProbeResult>();
    QCOMPARE(result.outcome, ProbeOutcome::Ok);
    QVERIFY2(result.timings.connect < 60, qPrintable(QString::number(result.timings.connect)));
    QVERIFY2(result.timings.sent >= 120, qPrintable(QString::number(result.timings.sent)));
    QVERIFY(result.timings.sent <= result.timings.ttfb);
}

void TestHttpProbe::oneProbeRunsAgainOnANewConnection()
{
    // The probe keeps its plain stream between runs; each run gets its own connection and its
    // own first-byte time.
    ScriptedServer first(Behaviour::Respond, ok200);
    ScriptedServer second(Behaviour::Respond,
                          "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\nConnection: close\r\n\r\nfalse");
    QVERIFY(first.listen());
    QVERIFY(second.listen());
    HttpProbe probe;
    QSignalSpy spy(&probe, &HttpProbe::finished);
    probe.start(specFor(first.url()));
    QVERIFY(spy.wait(5000));
    QThread::msleep(50);
    probe.start(specFor(second.url()));
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.count(), 2);
    const HttpProbeResult one = spy.at(0).at(0).value<HttpProbeResult>();
    const HttpProbeResult two = spy.at(1).at(0).value<HttpProbeResult>();
    QCOMPARE(one.status, 200);
    QCOMPARE(one.body, QByteArray("true"));
    QCOMPARE(two.status, 503);
    QCOMPARE(two.body, QByteArray("false"));
    QCOMPARE(two.peer, QStringLiteral("127.0.0.1:%1").arg(second.port()));
    // Measured from the second start, not from the first connection's first byte.
    QVERIFY2(two.timings.ttfb >= two.timings.sent && two.timings.ttfb < 40,
             qPrintable(QString::number(two.timings.ttfb)));
}

void TestHttpProbe::localhostFallsBackToTheNextAddress()
{
    ScriptedServer server(Behaviour::Respond, ok200);
    QVERIFY(server.listen(QHostAddress(QHostAddress::LocalHost)));
    const HttpProbeResult result = runProbe(specFor(QUrl(QStringLiteral("http://localhost:%1/").arg(server.port()))));
    QCOMPARE(result.outcome, ProbeOutcome::Ok);
    QCOMPARE(result.peer, QStringLiteral("127.0.0.1:%1").arg(server.port()));
    QVERIFY(server.request().contains(QByteArray("\r\nHost: localhost:" + QByteArray::number(server.port()))));
    if (QNetworkInterface::allAddresses().contains(QHostAddress(QHostAddress::LocalHostIPv6))) {
        QCOMPARE(result.failedConnects.size(), 1);
        QVERIFY2(result.failedConnects.at(0).startsWith(QStringLiteral("[::1]:")),
                 qPrintable(result.failedConnects.at(0)));
    }
}

void TestHttpProbe::rejectsBadRequests_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("headerValue");
    QTest::addColumn<QString>("connectTo");

    QTest::newRow("ftp URL") << QUrl(QStringLiteral("ftp://127.0.0.1/")) << QByteArray("GET") << QByteArray("v")
                             << QString();
    QTest::newRow("no host") << QUrl(QStringLiteral("http:///path")) << QByteArray("GET") << QByteArray("v")
                             << QString();
    QTest::newRow("method with a space") << QUrl(QStringLiteral("http://127.0.0.1:1/")) << QByteArray("GE T")
                                         << QByteArray("v") << QString();
    QTest::newRow("header with a line break") << QUrl(QStringLiteral("http://127.0.0.1:1/")) << QByteArray("GET")
                                              << QByteArray("v\r\nInjected: 1") << QString();
    QTest::newRow("bad connect-to") << QUrl(QStringLiteral("http://127.0.0.1:1/")) << QByteArray("GET")
                                    << QByteArray("v") << QStringLiteral("127.0.0.1:99999");
}

void TestHttpProbe::rejectsBadRequests()
{
    QFETCH(QUrl, url);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, headerValue);
    QFETCH(QString, connectTo);

    HttpRequestSpec spec = specFor(url);
    spec.method = method;
    spec.headers = {{"X-Test", headerValue}};
    spec.connectTo = connectTo;
    const HttpProbeResult result = runProbe(spec);
    QCOMPARE(result.outcome, ProbeOutcome::Error);
    QVERIFY(!result.error.isEmpty());
    QVERIFY(!result.error.contains(QLatin1Char('\n')));
}

void TestHttpProbe::cancels()
{
    ScriptedServer server(Behaviour::NeverAnswer);
    QVERIFY(server.listen());
    HttpProbe probe;
    QSignalSpy spy(&probe, &HttpProbe::finished);
    probe.start(specFor(server.url()));
    QVERIFY(probe.isRunning());
    probe.cancel();
    QVERIFY(!probe.isRunning());
    QCOMPARE(spy.count(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 5000);
    QCOMPARE(spy.at(0).at(0).value<HttpProbeResult>().outcome, ProbeOutcome::Cancelled);
}

void TestHttpProbe::mayBeDeletedInItsFinishedHandler()
{
    ScriptedServer server(Behaviour::Respond, ok200);
    QVERIFY(server.listen());
    auto *probe = new HttpProbe;
    int reports = 0;
    int status = 0;
    connect(probe, &HttpProbe::finished, this, [&](const HttpProbeResult &result) {
        ++reports;
        status = result.status;
        delete probe;
    });
    probe->start(specFor(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(reports, 1, 5000);
    QCOMPARE(status, 200);
}

void TestHttpProbe::tlsToAPlainPortFails()
{
    // What a plain-HTTP nginx answers to a ClientHello.
    ScriptedServer server(
        Behaviour::RespondAtOnce,
        "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    QVERIFY(server.listen());
    const HttpProbeResult result = runProbe(specFor(QUrl(QStringLiteral("https://127.0.0.1:%1/").arg(server.port()))));
    QCOMPARE(result.outcome, ProbeOutcome::TlsFailed);
    QVERIFY(result.timings.connect >= 0);
    QCOMPARE(result.timings.tls, -1.0);
    QVERIFY2(result.error.contains(QStringLiteral("TLS handshake failed")), qPrintable(result.error));
}

void TestHttpProbe::tlsWithASelfSignedCertificate()
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        QSKIP("the openssl command is needed to make a test certificate");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess make;
    make.start(openssl,
               {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
                QStringLiteral("-addext"), QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1"),
                QStringLiteral("-keyout"), dir.filePath(QStringLiteral("key.pem")), QStringLiteral("-out"),
                dir.filePath(QStringLiteral("cert.pem"))});
    QVERIFY(make.waitForFinished(30000));
    QCOMPARE(make.exitCode(), 0);

    QFile certFile(dir.filePath(QStringLiteral("cert.pem")));
    QFile keyFile(dir.filePath(QStringLiteral("key.pem")));
    QVERIFY(certFile.open(QIODevice::ReadOnly));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(QSslCertificate(certFile.readAll()));
    config.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Ec));
    config.setPeerVerifyMode(QSslSocket::VerifyNone);

    for (const bool ignoreErrors : {false, true}) {
        auto *sslServer = new QSslServer;
        sslServer->setSslConfiguration(config);
        ScriptedServer server(Behaviour::Respond, ok200, sslServer);
        QVERIFY(server.listen());
        HttpRequestSpec spec = specFor(QUrl(QStringLiteral("https://localhost:%1/healthcheck").arg(server.port())));
        spec.connectTo = QStringLiteral("127.0.0.1:%1").arg(server.port());
        spec.ignoreTlsErrors = ignoreErrors;
        const HttpProbeResult result = runProbe(spec);
        QVERIFY(!result.tlsErrors.isEmpty());
        if (!ignoreErrors) {
            QCOMPARE(result.outcome, ProbeOutcome::TlsFailed);
            QVERIFY2(result.error.contains(QStringLiteral("self signed"), Qt::CaseInsensitive) ||
                         result.error.contains(QStringLiteral("self-signed"), Qt::CaseInsensitive),
                     qPrintable(result.error));
            continue;
        }
        QVERIFY2(result.outcome == ProbeOutcome::Ok, qPrintable(result.error));
        QCOMPARE(result.status, 200);
        QCOMPARE(result.body, QByteArray("true"));
        QVERIFY(!result.tlsSession.isEmpty());
        const dd::HttpTimings &t = result.timings;
        QVERIFY(t.connect >= 0);
        QVERIFY(t.connect <= t.tls);
        QVERIFY(t.tls <= t.sent);
        QVERIFY(t.sent <= t.ttfb);
        QVERIFY(t.ttfb <= t.total);
        QVERIFY(server.request().contains("\r\nHost: localhost:"));
    }
}

void TestHttpProbe::evidence()
{
    HttpProbeResult result;
    result.request.url = QUrl(QStringLiteral("http://127.0.0.1:8080/healthcheck?token=s3cret"));
    result.outcome = ProbeOutcome::Ok;
    result.status = 502;
    result.reason = "Bad Gateway";
    result.statusLine = "HTTP/1.1 502 Bad Gateway";
    result.headers = {{"Server", "nginx"}, {"Set-Cookie", "sid=abc; Path=/"}};
    result.timings.dns = 0.01;
    result.timings.connect = 0.3;
    result.timings.total = 3.14;
    const dd::Evidence evidence = dd::httpEvidence(result);
    QCOMPARE(evidence.kind, QStringLiteral("http"));
    QCOMPARE(evidence.health, dd::Health::Failed);
    QCOMPARE(evidence.summary, QStringLiteral("GET http://127.0.0.1:8080/healthcheck?token=REDACTED %1 502 Bad Gateway "
                                              "from nginx in 3.14 ms")
                                   .arg(QChar(0x2192)));
    QCOMPARE(evidence.excerpt,
             QStringLiteral("HTTP/1.1 502 Bad Gateway\nServer: nginx\nSet-Cookie: sid=REDACTED; Path=/"));
    QVERIFY(!evidence.detail.contains(QStringLiteral("s3cret")));
    QCOMPARE(evidence.facts.value(QStringLiteral("server_kind")).toString(), QStringLiteral("nginx"));
    QVERIFY(qAbs(evidence.latencyMs - 0.29) < 1e-9);
    QVERIFY(evidence.id.isEmpty() && evidence.node.isEmpty() && evidence.link.isEmpty());

    result.status = 404;
    QCOMPARE(dd::httpEvidence(result).health, dd::Health::Degraded);
    result.status = 200;
    QCOMPARE(dd::httpEvidence(result).health, dd::Health::Ok);
    result.outcome = ProbeOutcome::Refused;
    result.status = 0;
    QCOMPARE(dd::httpEvidence(result).health, dd::Health::Failed);
    QVERIFY(dd::httpEvidence(result).summary.contains(QStringLiteral("refused")));
}

void TestHttpProbe::errorPageFrom_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("server");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("from");

    const QByteArray hidden = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
                              "Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    QByteArray versioned = hidden;
    versioned.replace("<center>nginx</center>", "<center>nginx/1.22.1</center>");
    const QByteArray apache = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>502 Proxy "
                              "Error</title>\n</head><body>\n<h1>Proxy Error</h1>\n<p>The proxy server received an "
                              "invalid\r\nresponse from an upstream server.<br />\r\n</body></html>\n";
    QTest::newRow("DS-style nginx") << 502 << QByteArray("nginx") << hidden << QStringLiteral("nginx-hidden-version");
    QTest::newRow("passed on by a versioned front")
        << 502 << QByteArray("nginx/1.22.1") << hidden << QStringLiteral("nginx-hidden-version");
    QTest::newRow("versioned 504") << 504 << QByteArray("nginx/1.22.1") << versioned
                                   << QStringLiteral("nginx-versioned");
    QTest::newRow("Apache mod_proxy") << 502 << QByteArray("Apache/2.4.57 (Debian)") << apache
                                      << QStringLiteral("apache");
    QTest::newRow("Traefik") << 502 << QByteArray() << QByteArray("Bad Gateway") << QStringLiteral("traefik");
    QTest::newRow("a 502 page of the app's own")
        << 502 << QByteArray("gunicorn") << QByteArray("<h1>oops</h1>") << QString();
    QTest::newRow("not a gateway error") << 500 << QByteArray("nginx") << hidden << QString();
    QTest::newRow("an answer") << 200 << QByteArray("nginx") << QByteArray("true") << QString();
}

void TestHttpProbe::errorPageFrom()
{
    QFETCH(int, status);
    QFETCH(QByteArray, server);
    QFETCH(QByteArray, body);
    QFETCH(QString, from);
    HttpProbeResult r;
    r.outcome = ProbeOutcome::Ok;
    r.status = status;
    if (!server.isEmpty())
        r.headers.append({"Server", server});
    r.body = body;
    QCOMPARE(r.errorPageFrom(), from);
    QCOMPARE(r.errorPageHint().isEmpty(), from.isEmpty());
    QVERIFY(!r.errorPageHint().contains(QLatin1Char('\n')));
}

QTEST_GUILESS_MAIN(TestHttpProbe)
#include "tst_httpprobe.moc"
