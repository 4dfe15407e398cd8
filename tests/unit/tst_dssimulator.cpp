#include "lab/dssimulator.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using dd::DsSimulator;

namespace {

struct HttpResult
{
    bool finished = false;
    int status = 0;
    QByteArray body;
    QByteArray contentType;
};

HttpResult request(QNetworkAccessManager &nam, const QByteArray &method, quint16 port, const QString &path,
                   const QByteArray &body = {})
{
    QNetworkRequest req(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
    req.setTransferTimeout(5000);
    if (!body.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = nam.sendCustomRequest(req, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    HttpResult result;
    result.finished = finished.wait(10000);
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    reply->deleteLater();
    return result;
}

} // namespace

class TestDsSimulator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_nam = std::make_unique<QNetworkAccessManager>();
        m_nam->setProxy(QNetworkProxy::NoProxy); // loopback only, whatever the environment says
    }
    void cleanup() { m_nam.reset(); }

    void healthcheck_data()
    {
        QTest::addColumn<DsSimulator::Mode>("mode");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("healthy") << DsSimulator::Mode::Healthy << QByteArray("true");
        QTest::newRow("healthcheck-false") << DsSimulator::Mode::HealthcheckFalse << QByteArray("false");
    }

    void healthcheck()
    {
        QFETCH(DsSimulator::Mode, mode);
        QFETCH(QByteArray, body);
        DsSimulator simulator;
        QString error;
        QVERIFY2(simulator.listen(0, &error), qPrintable(error));
        QVERIFY(simulator.port() != 0);
        simulator.setMode(mode);
        const HttpResult result = request(*m_nam, "GET", simulator.port(), QStringLiteral("/healthcheck"));
        QVERIFY(result.finished);
        // docservice's healthcheck is HTTP 200 either way; only the body tells.
        QCOMPARE(result.status, 200);
        QCOMPARE(result.body, body);
    }

    void infoJson()
    {
        DsSimulator simulator;
        QString error;
        QVERIFY2(simulator.listen(0, &error), qPrintable(error));
        const HttpResult result = request(*m_nam, "GET", simulator.port(), QStringLiteral("/info/info.json"));
        QVERIFY(result.finished);
        QCOMPARE(result.status, 200);
        QVERIFY(result.contentType.startsWith("application/json"));
        const QJsonObject info = QJsonDocument::fromJson(result.body).object();
        const QJsonObject server = info.value(QStringLiteral("serverInfo")).toObject();
        QCOMPARE(server.value(QStringLiteral("buildVersion")).toString(), QStringLiteral("8.2.0"));
        QCOMPARE(server.value(QStringLiteral("buildNumber")).toInt(), 143);
    }

    void commandService_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("version");
        QTest::newRow("version") << QStringLiteral("/coauthoring/CommandService.ashx")
                                 << QByteArray(R"({"c":"version"})") << 0 << QStringLiteral("8.2.0.143");
        QTest::newRow("version on /command")
            << QStringLiteral("/command") << QByteArray(R"({"c":"version"})") << 0 << QStringLiteral("8.2.0.143");
        QTest::newRow("unknown command") << QStringLiteral("/coauthoring/CommandService.ashx")
                                         << QByteArray(R"({"c":"reboot"})") << 5 << QString();
        QTest::newRow("unknown document key") << QStringLiteral("/coauthoring/CommandService.ashx")
                                              << QByteArray(R"({"c":"info","key":"abc"})") << 1 << QString();
        QTest::newRow("not JSON") << QStringLiteral("/coauthoring/CommandService.ashx") << QByteArray("c=version") << 2
                                  << QString();
    }

    void commandService()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, error);
        QFETCH(QString, version);
        DsSimulator simulator;
        QString listenError;
        QVERIFY2(simulator.listen(0, &listenError), qPrintable(listenError));
        const HttpResult result = request(*m_nam, "POST", simulator.port(), path, body);
        QVERIFY(result.finished);
        QCOMPARE(result.status, 200);
        const QJsonObject answer = QJsonDocument::fromJson(result.body).object();
        QVERIFY2(answer.contains(QStringLiteral("error")), result.body.constData());
        QCOMPARE(answer.value(QStringLiteral("error")).toInt(-1), error);
        QCOMPARE(answer.value(QStringLiteral("version")).toString(), version);
    }

    void notFound_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::newRow("unknown path") << QByteArray("GET") << QStringLiteral("/nothing/here");
        QTest::newRow("POST healthcheck") << QByteArray("POST") << QStringLiteral("/healthcheck");
        QTest::newRow("GET CommandService") << QByteArray("GET") << QStringLiteral("/coauthoring/CommandService.ashx");
        QTest::newRow("healthcheck prefix") << QByteArray("GET") << QStringLiteral("/healthcheck2");
    }

    void notFound()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        DsSimulator simulator;
        QString error;
        QVERIFY2(simulator.listen(0, &error), qPrintable(error));
        const HttpResult result = request(*m_nam, method, simulator.port(), path, method == "POST" ? "{}" : "");
        QVERIFY(result.finished);
        QCOMPARE(result.status, 404);
        QVERIFY(result.body.contains(QByteArray("Cannot " + method)));
    }

    void queryStringIgnored()
    {
        DsSimulator simulator;
        QString error;
        QVERIFY2(simulator.listen(0, &error), qPrintable(error));
        const HttpResult result = request(*m_nam, "GET", simulator.port(), QStringLiteral("/healthcheck?t=1"));
        QVERIFY(result.finished);
        QCOMPARE(result.status, 200);
        QCOMPARE(result.body, QByteArray("true"));
    }

    void malformedRequest()
    {
        DsSimulator simulator;
        QString error;
        QVERIFY2(simulator.listen(0, &error), qPrintable(error));
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, simulator.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("NONSENSE\r\n\r\n");
        QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
        QVERIFY(disconnected.wait(5000));
        QVERIFY(socket.readAll().startsWith("HTTP/1.1 400 "));
    }

    void hangNeverAnswers()
    {
        DsSimulator simulator;
        simulator.setMode(DsSimulator::Mode::Hang);
        QString error;
        QVERIFY2(simulator.listen(0, &error), qPrintable(error));
        QSignalSpy received(&simulator, &DsSimulator::requestReceived);

        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, simulator.port());
        QVERIFY(socket.waitForConnected(5000));
        QSignalSpy readyRead(&socket, &QTcpSocket::readyRead);
        QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
        socket.write("GET /healthcheck HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        // The request is read in full ...
        QVERIFY(received.wait(5000));
        QCOMPARE(received.first().at(1).toString(), QStringLiteral("/healthcheck"));
        // ... and then nothing comes back while the connection stays open (the bound is the assertion).
        QVERIFY(!readyRead.wait(1500));
        QCOMPARE(socket.bytesAvailable(), qint64(0));
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
        QVERIFY(disconnected.isEmpty());

        // Closing the simulator drops the hanging connection.
        simulator.close();
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 5000);
        QCOMPARE(socket.readAll(), QByteArray());
    }

    void logFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("docservice/out.log"));
        DsSimulator simulator;
        simulator.setLogFile(path);
        QString error;
        QVERIFY2(simulator.listen(0, &error), qPrintable(error));
        simulator.setMode(DsSimulator::Mode::HealthcheckFalse);
        const HttpResult result = request(*m_nam, "GET", simulator.port(), QStringLiteral("/healthcheck"));
        QVERIFY(result.finished);
        QCOMPARE(result.body, QByteArray("false"));

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString log = QString::fromUtf8(file.readAll());
        const QString prefix = QStringLiteral(R"(^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\] \[%1\] \[localhost\] )"
                                              R"(\[docId\] \[userId\] nodeJS - )");
        const QRegularExpression listening(
            prefix.arg(QStringLiteral("WARN")) +
                QStringLiteral(R"(Express server listening on port %1 in production-linux mode\. )"
                               R"(Version: 8\.2\.0\. Build: 143$)")
                    .arg(simulator.port()),
            QRegularExpression::MultilineOption);
        QVERIFY2(listening.match(log).hasMatch(), qPrintable(log));
        const QRegularExpression healthError(prefix.arg(QStringLiteral("ERROR")) +
                                                 QStringLiteral("healthCheck error Error: "),
                                             QRegularExpression::MultilineOption);
        QVERIFY2(healthError.match(log).hasMatch(), qPrintable(log));
    }

    void listenOnBusyPortFails()
    {
        QTcpServer holder;
        QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
        DsSimulator simulator;
        QString error;
        QVERIFY(!simulator.listen(holder.serverPort(), &error));
        QVERIFY2(error.contains(QString::number(holder.serverPort())), qPrintable(error));
        QVERIFY(!simulator.isListening());
        QCOMPARE(simulator.port(), quint16(0));
    }

private:
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

QTEST_GUILESS_MAIN(TestDsSimulator)
#include "tst_dssimulator.moc"
