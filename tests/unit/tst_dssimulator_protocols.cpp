// The docservice simulator's protocols, in-process on loopback: socket.io/engine.io handshakes,
// the JWT check of CommandService, URL generation from forwarded headers, conversion downloads
// through the private-IP filter, fault knobs and start-up (delay, EADDRINUSE).
#include "lab/dssimulator.h"
#include "lab/httpserver.h"
#include "lab/loopbackport.h"
#include "util/jwt.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using dd::DocserviceConfig;
using dd::DsSimulator;

namespace {

struct Raw
{
    QByteArray response;
    bool closed = false;
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;

    int status() const { return response.split(' ').value(1).toInt(); }
    QByteArray body() const { return response.mid(response.indexOf("\r\n\r\n") + 4); }
};

// One raw HTTP exchange with the simulator, waiting with the event loop running.
Raw exchange(quint16 port, const QByteArray &request, int waitMs = 3000)
{
    QTcpSocket socket;
    Raw raw;
    QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&raw] { raw.closed = true; });
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &socket,
                     [&raw](QAbstractSocket::SocketError error) { raw.error = error; });
    socket.connectToHost(QHostAddress::LocalHost, port);
    socket.write(request);
    if (!QTest::qWaitFor([&] { return raw.closed || raw.error != QAbstractSocket::UnknownSocketError; }, waitMs)) {
        // still open: what came so far is the answer (an upgraded connection)
    }
    raw.response += socket.readAll();
    socket.disconnect(); // closing it below is ours, not the server's
    return raw;
}

QByteArray get(const QByteArray &target, const QByteArray &extraHeaders = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: ds.lab:8000\r\n" + extraHeaders + "\r\n";
}

QByteArray post(const QByteArray &target, const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return "POST " + target + " HTTP/1.1\r\nHost: ds.lab:8000\r\nContent-Type: application/json\r\n" + extraHeaders +
           "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QString readLog(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

class TestDsSimulatorProtocols : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_log = m_dir.filePath(QStringLiteral("docservice/out.log"));
        QFile::remove(m_log);
    }

    void socketIo_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<bool>("upgrade");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("logLine"); // empty: nothing logged
        QTest::newRow("websocket with upgrade") << QByteArray("/doc/k1/c/?EIO=4&transport=websocket") << true << 101
                                                << QByteArray("0{\"maxPayload\"") << QString();
        QTest::newRow("websocket without upgrade") << QByteArray("/doc/k1/c/?EIO=4&transport=websocket") << false << 400
                                                   << QByteArray("{\"code\":3,\"message\":\"Bad request\"}")
                                                   << QStringLiteral("io.connection_error code=3, message=Bad request");
        QTest::newRow("no query") << QByteArray("/doc/k1/c/") << false << 400
                                  << QByteArray("{\"code\":0,\"message\":\"Transport unknown\"}")
                                  << QStringLiteral("io.connection_error code=0, message=Transport unknown");
        QTest::newRow("unknown transport")
            << QByteArray("/doc/k1/c/?EIO=4&transport=flash") << false << 400 << QByteArray("{\"code\":0,")
            << QStringLiteral("code=0, message=Transport unknown");
        QTest::newRow("polling open") << QByteArray("/doc/k1/c/?EIO=4&transport=polling") << false << 200
                                      << QByteArray("\"upgrades\":[\"websocket\"]") << QString();
        QTest::newRow("polling unknown sid")
            << QByteArray("/doc/k1/c/?EIO=4&transport=polling&sid=nope") << false << 400
            << QByteArray("{\"code\":1,\"message\":\"Session ID unknown\"}")
            << QStringLiteral("io.connection_error code=1, message=Session ID unknown");
        QTest::newRow("engine.io 3") << QByteArray("/doc/k1/c/?EIO=3&transport=polling") << false << 400
                                     << QByteArray("{\"code\":5,\"message\":\"Unsupported protocol version\"}")
                                     << QStringLiteral("code=5, message=Unsupported protocol version");
    }

    void socketIo()
    {
        QFETCH(QByteArray, target);
        QFETCH(bool, upgrade);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, logLine);
        DsSimulator simulator;
        simulator.setLogFile(m_log);
        QString error;
        QVERIFY2(simulator.listen(0, &error), qPrintable(error));
        const QByteArray headers =
            upgrade ? QByteArray("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
                    : QByteArray();
        const Raw raw = exchange(simulator.port(), get(target, headers), upgrade ? 800 : 3000);
        QCOMPARE(raw.status(), status);
        QVERIFY2(raw.body().contains(body), raw.response.constData());
        if (upgrade) {
            // RFC 6455's own example key and answer; the connection stays open after the 101.
            QVERIFY(raw.response.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
            QVERIFY(!raw.closed);
        }
        if (logLine.isEmpty())
            QVERIFY(!readLog(m_log).contains(QStringLiteral("io.connection_error")));
        else
            QVERIFY2(
                readLog(m_log).contains(QStringLiteral("[WARN] [localhost] [docId] [userId] nodeJS - ") + logLine) ||
                    readLog(m_log).contains(logLine),
                qPrintable(readLog(m_log)));
    }

    void pollingSessionIsKnownAfterOpen()
    {
        DsSimulator simulator;
        QString error;
        QVERIFY2(simulator.listen(0, &error), qPrintable(error));
        const Raw open = exchange(simulator.port(), get("/doc/k1/c/?EIO=4&transport=polling"));
        QCOMPARE(open.status(), 200);
        const QByteArray sid =
            QJsonDocument::fromJson(open.body().mid(1)).object().value(QStringLiteral("sid")).toString().toLatin1();
        QVERIFY(!sid.isEmpty());
        const Raw poll = exchange(simulator.port(), get("/doc/k1/c/?EIO=4&transport=polling&sid=" + sid));
        QCOMPARE(poll.status(), 200);
        QCOMPARE(poll.body(), QByteArray("2"));
    }

    void commandJwt_data()
    {
        QTest::addColumn<QByteArray>("headerName");
        QTest::addColumn<QByteArray>("secret"); // the client's; docservice holds "ds-secret"
        QTest::addColumn<qint64>("expiresIn");  // seconds from now
        QTest::addColumn<bool>("inBody");       // the token travels in the body instead
        QTest::addColumn<bool>("dsReadsBody");  // token.inbox.inBody
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QString>("logLine");
        const QByteArray ok = "{\"error\":0,\"version\":\"8.2.0.143\"}";
        QTest::newRow("valid header token") << QByteArray("Authorization") << QByteArray("ds-secret") << qint64(300)
                                            << false << false << ok << QString();
        QTest::newRow("wrong secret")
            << QByteArray("Authorization") << QByteArray("other") << qint64(300) << false << false
            << QByteArray("{\"error\":6}")
            << QStringLiteral("checkJwt error: name = JsonWebTokenError message = invalid signature token = eyJ");
        QTest::newRow("expired") << QByteArray("Authorization") << QByteArray("ds-secret") << qint64(-120) << false
                                 << false << QByteArray("{\"error\":7}")
                                 << QStringLiteral(
                                        "checkJwt error: name = TokenExpiredError message = jwt expired token = eyJ");
        QTest::newRow("expired within tolerance") << QByteArray("Authorization") << QByteArray("ds-secret")
                                                  << qint64(-30) << false << false << ok << QString();
        QTest::newRow("other header") << QByteArray("AuthorizationJwt") << QByteArray("ds-secret") << qint64(300)
                                      << false << false << QByteArray("{\"error\":6}")
                                      << QStringLiteral("message = jwt must be provided token = undefined");
        QTest::newRow("body token, inBody off")
            << QByteArray() << QByteArray("ds-secret") << qint64(300) << true << false << QByteArray("{\"error\":6}")
            << QStringLiteral("jwt must be provided");
        QTest::newRow("body token, inBody on")
            << QByteArray() << QByteArray("ds-secret") << qint64(300) << true << true << ok << QString();
    }

    void commandJwt()
    {
        QFETCH(QByteArray, headerName);
        QFETCH(QByteArray, secret);
        QFETCH(qint64, expiresIn);
        QFETCH(bool, inBody);
        QFETCH(bool, dsReadsBody);
        QFETCH(QByteArray, answer);
        QFETCH(QString, logLine);
        DsSimulator simulator;
        simulator.setLogFile(m_log);
        DocserviceConfig config;
        config.jwtEnabled = true;
        config.jwtSecret = "ds-secret";
        config.jwtInBody = dsReadsBody;
        simulator.setConfig(config);
        QString error;
        QVERIFY2(simulator.listen(0, &error), qPrintable(error));
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QJsonObject body{{QStringLiteral("c"), QStringLiteral("version")}};
        QByteArray headers;
        if (inBody) {
            QJsonObject claims = body;
            claims.insert(QStringLiteral("exp"), now + expiresIn);
            body.insert(QStringLiteral("token"), QString::fromLatin1(dd::signHs256(claims, secret)));
        } else {
            const QJsonObject claims{{QStringLiteral("payload"), body}, {QStringLiteral("exp"), now + expiresIn}};
            headers = headerName + ": Bearer " + dd::signHs256(claims, secret) + "\r\n";
        }
        const Raw raw = exchange(simulator.port(), post("/coauthoring/CommandService.ashx",
                                                        QJsonDocument(body).toJson(QJsonDocument::Compact), headers));
        QCOMPARE(raw.status(), 200);
        QCOMPARE(raw.body(), answer);
        if (logLine.isEmpty())
            QVERIFY(!readLog(m_log).contains(QStringLiteral("checkJwt error")));
        else
            QVERIFY2(readLog(m_log).contains(logLine), qPrintable(readLog(m_log)));
    }

    void generatedUrls_data()
    {
        QTest::addColumn<QByteArray>("headers");
        QTest::addColumn<QByteArray>("fileUrlStart");
        QTest::newRow("Host only") << QByteArray()
                                   << QByteArray(
                                          "http://ds.lab:8000/cache/files/data/conv_1/output.docx/output.docx?md5=");
        QTest::newRow("forwarded https") << QByteArray("X-Forwarded-Proto: https\r\n")
                                         << QByteArray("https://ds.lab:8000/cache/files/");
        QTest::newRow("forwarded list falls back to http")
            << QByteArray("X-Forwarded-Proto: https, http\r\n") << QByteArray("http://ds.lab:8000/cache/files/");
        QTest::newRow("forwarded host and prefix")
            << QByteArray("X-Forwarded-Host: docs.example.com:8443\r\nX-Forwarded-Prefix: /ds-vpath\r\n")
            << QByteArray("http://docs.example.com:8443/ds-vpath/cache/files/");
        QTest::newRow("underscore escaped") << QByteArray("X-Forwarded-Host: onlyoffice_documentserver_1\r\n")
                                            << QByteArray("http://onlyoffice%5fdocumentserver%5f1/cache/files/");
    }

    void generatedUrls()
    {
        QFETCH(QByteArray, headers);
        QFETCH(QByteArray, fileUrlStart);
        dd::HttpServer storage;
        storage.setHandler([](const dd::HttpRequest &, const dd::HttpResponder &responder) {
            responder.respond(dd::HttpResponse::make(200, "application/octet-stream", "document"));
        });
        QString error;
        QVERIFY2(storage.listen({QHostAddress(QHostAddress::LocalHost)}, 0, &error), qPrintable(error));
        DsSimulator simulator;
        DocserviceConfig config;
        config.allowPrivateIpAddress = true;
        config.cacheDir = m_dir.filePath(QStringLiteral("App_Data"));
        simulator.setConfig(config);
        QVERIFY2(simulator.listen(0, &error), qPrintable(error));
        const QByteArray request = "{\"key\":\"conv_1\",\"outputtype\":\"docx\",\"url\":\"http://127.0.0.1:" +
                                   QByteArray::number(storage.port()) + "/lab.docx\"}";
        const Raw raw = exchange(simulator.port(), post("/converter", request, headers));
        QCOMPARE(raw.status(), 200);
        const QJsonObject answer = QJsonDocument::fromJson(raw.body()).object();
        QCOMPARE(answer.value(QStringLiteral("endConvert")).toBool(), true);
        QVERIFY2(answer.value(QStringLiteral("fileUrl")).toString().toUtf8().startsWith(fileUrlStart),
                 raw.body().constData());
        QFile result(config.cacheDir + QStringLiteral("/cache/files/data/conv_1/output.docx"));
        QVERIFY(result.open(QIODevice::ReadOnly));
        QCOMPARE(result.readAll(), QByteArray("document"));
    }

    void privateIpFilter_data()
    {
        QTest::addColumn<bool>("allowPrivate");
        QTest::addColumn<QByteArray>("answer");
        QTest::newRow("blocked") << false << QByteArray("<Error>-4</Error>");
        QTest::newRow("allowed") << true << QByteArray("<EndConvert>True</EndConvert>");
    }

    void privateIpFilter()
    {
        QFETCH(bool, allowPrivate);
        QFETCH(QByteArray, answer);
        dd::HttpServer storage;
        int downloads = 0;
        storage.setHandler([&downloads](const dd::HttpRequest &, const dd::HttpResponder &responder) {
            ++downloads;
            responder.respond(dd::HttpResponse::make(200, "application/octet-stream", "document"));
        });
        QString error;
        QVERIFY2(storage.listen({QHostAddress(QHostAddress::LocalHost)}, 0, &error), qPrintable(error));
        DsSimulator simulator;
        DocserviceConfig config;
        config.allowPrivateIpAddress = allowPrivate;
        config.converterLogFile = m_dir.filePath(QStringLiteral("converter/out.log"));
        QFile::remove(config.converterLogFile);
        config.cacheDir = m_dir.filePath(QStringLiteral("App_Data"));
        simulator.setConfig(config);
        QVERIFY2(simulator.listen(0, &error), qPrintable(error));
        // Legacy ConvertService.ashx with query parameters answers XML.
        const QByteArray target = "/ConvertService.ashx?key=k2&outputtype=docx&url=http%3A%2F%2F127.0.0.1%3A" +
                                  QByteArray::number(storage.port()) + "%2Flab.docx";
        const Raw raw = exchange(simulator.port(), post(target, QByteArray()));
        QCOMPARE(raw.status(), 200);
        QVERIFY2(raw.body().contains(answer), raw.body().constData());
        QCOMPARE(downloads, allowPrivate ? 1 : 0); // blocked before any packet leaves
        const QString log = readLog(config.converterLogFile);
        QCOMPARE(log.count(QStringLiteral("is not allowed. Because, It is private IP address.")), allowPrivate ? 0 : 3);
        if (!allowPrivate)
            QVERIFY2(log.contains(QStringLiteral(
                         "[ERROR] [localhost] [k2] [userId] nodeJS - error downloadFile:url=http://127.0.0.1:")),
                     qPrintable(log));
    }

    void faults_data()
    {
        QTest::addColumn<DocserviceConfig::Fault>("fault");
        QTest::newRow("close") << DocserviceConfig::Fault::Close;
        QTest::newRow("reset") << DocserviceConfig::Fault::Reset;
    }

    void faults()
    {
        QFETCH(DocserviceConfig::Fault, fault);
        DsSimulator simulator;
        DocserviceConfig config;
        config.fault = fault;
        simulator.setConfig(config);
        QString error;
        QVERIFY2(simulator.listen(0, &error), qPrintable(error));
        const Raw raw = exchange(simulator.port(), get("/healthcheck"));
        // Not a byte, then the end of the connection (FIN or RST: Qt reports both alike; the lab's
        // nginx tests tell them apart by errno).
        QCOMPARE(raw.response, QByteArray());
        QVERIFY(raw.closed || raw.error == QAbstractSocket::RemoteHostClosedError);
    }

    void slowResponses()
    {
        DsSimulator simulator;
        DocserviceConfig config;
        config.responseDelayMs = 700;
        simulator.setConfig(config);
        QString error;
        QVERIFY2(simulator.listen(0, &error), qPrintable(error));
        QElapsedTimer clock;
        clock.start();
        const Raw raw = exchange(simulator.port(), get("/healthcheck"));
        QCOMPARE(raw.body(), QByteArray("true"));
        QVERIFY(clock.elapsed() >= 650);
    }

    void startupDelay()
    {
        DsSimulator simulator;
        simulator.setLogFile(m_log);
        DocserviceConfig config;
        config.startupDelayMs = 600;
        simulator.setConfig(config);
        QSignalSpy listening(&simulator, &DsSimulator::listening);
        QElapsedTimer clock;
        clock.start();
        simulator.start(dd::findFreeLoopbackPort());
        QVERIFY(!simulator.isListening());
        QTRY_COMPARE_WITH_TIMEOUT(listening.size(), 1, 5000);
        QVERIFY(clock.elapsed() >= 550);
        const QString log = readLog(m_log);
        QVERIFY(log.indexOf(QStringLiteral("Express server starting...")) <
                log.indexOf(QStringLiteral("Express server listening")));
        QCOMPARE(log.count(QStringLiteral("Express server starting...")), 1);
    }

    void addressInUseIsRetried()
    {
        auto holder = std::make_unique<QTcpServer>();
        QVERIFY(holder->listen(QHostAddress::LocalHost, 0));
        const quint16 port = holder->serverPort();
        DsSimulator simulator;
        simulator.setLogFile(m_log);
        DocserviceConfig config;
        config.listenRetryMs = 200;
        simulator.setConfig(config);
        QSignalSpy listening(&simulator, &DsSimulator::listening);
        QSignalSpy blocked(&simulator, &DsSimulator::startupBlocked);
        simulator.start(port);
        QTRY_VERIFY_WITH_TIMEOUT(blocked.size() >= 2, 5000);
        QVERIFY(readLog(m_log).contains(
            QStringLiteral(
                "nodeJS - Error: listen EADDRINUSE: address already in use :::%1\n    at Server.setupListenHandle")
                .arg(port)));
        holder.reset(); // the foreign app goes away; supervisord's next start succeeds
        QTRY_COMPARE_WITH_TIMEOUT(listening.size(), 1, 5000);
        QCOMPARE(simulator.port(), port);
    }

private:
    QTemporaryDir m_dir;
    QString m_log;
};

QTEST_GUILESS_MAIN(TestDsSimulatorProtocols)
#include "tst_dssimulator_protocols.moc"
