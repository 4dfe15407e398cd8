#include "probe/activeprobe.h"
#include "probe/websocketprobe.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>
#include <memory>

using dd::ProbeResult;

namespace {

/// Answers each complete request with what `respond` returns for it, then closes; 127.0.0.1, port 0.
class RoutedServer : public QObject
{
public:
    using Responder = std::function<QByteArray(const QByteArray &request)>;

    explicit RoutedServer(Responder respond) : m_respond(std::move(respond))
    {
        connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
                    *buffer += socket->readAll();
                    if (!buffer->contains("\r\n\r\n"))
                        return;
                    m_requests.append(*buffer);
                    socket->write(m_respond(*buffer));
                    socket->disconnectFromHost();
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    QString url(const QString &path = QStringLiteral("/")) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path);
    }
    QList<QByteArray> requests() const { return m_requests; }

private:
    QTcpServer m_server;
    Responder m_respond;
    QList<QByteArray> m_requests;
};

QByteArray headerValue(const QByteArray &request, const QByteArray &name)
{
    for (const QByteArray &line : request.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return QByteArray();
}

QByteArray response(const QByteArray &status, const QByteArray &contentType, const QByteArray &body)
{
    return "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType +
           "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

ProbeResult run(const dd::ProbeSpec &spec)
{
    std::unique_ptr<dd::ActiveProbe> probe(dd::createProbe(dd::ProbeKind::WebSocket));
    QSignalSpy spy(probe.get(), &dd::ActiveProbe::finished);
    probe->start(spec);
    if (!spy.wait(spec.timeoutMs + 5000))
        return ProbeResult();
    return spy.at(0).at(0).value<ProbeResult>();
}

dd::ProbeSpec specFor(const QString &url, bool polling = false)
{
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::WebSocket;
    spec.target = url;
    spec.polling = polling;
    spec.timeoutMs = 3000;
    return spec;
}

} // namespace

class TestWebSocketProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptKeyFollowsRfc6455();
    void buildsTheSocketIoUrl_data();
    void buildsTheSocketIoUrl();
    void readsSocketIoErrors_data();
    void readsSocketIoErrors();
    void classifiesAnswers_data();
    void classifiesAnswers();
    void sendsTheUpgradeHeaders();
    void pollingOpenPacket();
    void refused();
    void cancels();
};

void TestWebSocketProbe::acceptKeyFollowsRfc6455()
{
    // RFC 6455 section 1.3.
    QCOMPARE(dd::WebSocketProbe::acceptFor("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void TestWebSocketProbe::buildsTheSocketIoUrl_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<bool>("polling");
    QTest::addColumn<QString>("expectedPath");
    QTest::addColumn<QString>("expectedTransport");

    QTest::newRow("root") << QStringLiteral("http://ds.test/") << false << QStringLiteral("/doc/k1/c/")
                          << QStringLiteral("websocket");
    QTest::newRow("no slash") << QStringLiteral("http://ds.test") << false << QStringLiteral("/doc/k1/c/")
                              << QStringLiteral("websocket");
    QTest::newRow("virtual path prefix") << QStringLiteral("https://cloud.test/ds-vpath/") << true
                                         << QStringLiteral("/ds-vpath/doc/k1/c/") << QStringLiteral("polling");
    QTest::newRow("ws scheme") << QStringLiteral("ws://ds.test/") << false << QStringLiteral("/doc/k1/c/")
                               << QStringLiteral("websocket");
    QTest::newRow("already socket.io, transport replaced")
        << QStringLiteral("http://ds.test/8.2.0-143/doc/abc/c/?EIO=4&transport=polling") << false
        << QStringLiteral("/8.2.0-143/doc/abc/c/") << QStringLiteral("websocket");
}

void TestWebSocketProbe::buildsTheSocketIoUrl()
{
    QFETCH(QString, base);
    QFETCH(bool, polling);
    QFETCH(QString, expectedPath);
    QFETCH(QString, expectedTransport);

    const QUrl url = dd::WebSocketProbe::socketIoUrl(QUrl(base), QStringLiteral("k1"), polling);
    QCOMPARE(url.path(), expectedPath);
    QVERIFY(url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"));
    QVERIFY2(url.query().contains(QStringLiteral("EIO=4")), qPrintable(url.toString()));
    QVERIFY2(url.query().contains(QStringLiteral("transport=") + expectedTransport), qPrintable(url.toString()));
}

void TestWebSocketProbe::readsSocketIoErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");

    QTest::newRow("bad request") << QByteArray("{\"code\":3,\"message\":\"Bad request\"}") << 3
                                 << QStringLiteral("Bad request");
    QTest::newRow("transport unknown") << QByteArray("{\"code\":0,\"message\":\"Transport unknown\"}") << 0
                                       << QStringLiteral("Transport unknown");
    QTest::newRow("session unknown") << QByteArray("{\"code\":1,\"message\":\"Session ID unknown\"}") << 1
                                     << QStringLiteral("Session ID unknown");
    QTest::newRow("nginx html") << QByteArray("<html><center>nginx</center></html>") << -1 << QString();
    QTest::newRow("json without code") << QByteArray("{\"error\":1}") << -1 << QString();
}

void TestWebSocketProbe::readsSocketIoErrors()
{
    QFETCH(QByteArray, body);
    QFETCH(int, code);
    QFETCH(QString, message);

    QString read;
    QCOMPARE(dd::WebSocketProbe::socketIoErrorCode(body, &read), code);
    QCOMPARE(read, message);
}

void TestWebSocketProbe::classifiesAnswers_data()
{
    QTest::addColumn<QString>("answer"); // what the server does
    QTest::addColumn<QString>("handshake");
    QTest::addColumn<int>("status");
    QTest::addColumn<QVariant>("sioCode");
    QTest::addColumn<bool>("upgraded");
    QTest::addColumn<QString>("outcome");

    QTest::newRow("101 with the right accept")
        << QStringLiteral("101") << QStringLiteral("upgraded") << 101 << QVariant() << true << QStringLiteral("ok");
    QTest::newRow("101 with a wrong accept") << QStringLiteral("101-bad") << QStringLiteral("bad-accept") << 101
                                             << QVariant() << false << QStringLiteral("malformed");
    QTest::newRow("socket.io bad request (upgrade headers dropped)")
        << QStringLiteral("sio3") << QStringLiteral("socketio-error") << 400 << QVariant(3) << false
        << QStringLiteral("ok");
    QTest::newRow("socket.io transport unknown") << QStringLiteral("sio0") << QStringLiteral("socketio-error") << 400
                                                 << QVariant(0) << false << QStringLiteral("ok");
    QTest::newRow("502 from a proxy") << QStringLiteral("502") << QStringLiteral("http-error") << 502 << QVariant()
                                      << false << QStringLiteral("ok");
    QTest::newRow("200 html (no websocket on the way)")
        << QStringLiteral("200") << QStringLiteral("no-upgrade") << 200 << QVariant() << false << QStringLiteral("ok");
}

void TestWebSocketProbe::classifiesAnswers()
{
    QFETCH(QString, answer);
    QFETCH(QString, handshake);
    QFETCH(int, status);
    QFETCH(QVariant, sioCode);
    QFETCH(bool, upgraded);
    QFETCH(QString, outcome);

    RoutedServer server([answer](const QByteArray &request) -> QByteArray {
        const QByteArray key = headerValue(request, "Sec-WebSocket-Key");
        if (answer.startsWith(QLatin1String("101"))) {
            const QByteArray accept = answer == QLatin1String("101") ? dd::WebSocketProbe::acceptFor(key)
                                                                     : QByteArray("AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
            return QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Accept: ") +
                   accept + "\r\n\r\n";
        }
        if (answer == QLatin1String("sio3"))
            return response("400 Bad Request", "application/json", "{\"code\":3,\"message\":\"Bad request\"}");
        if (answer == QLatin1String("sio0"))
            return response("400 Bad Request", "application/json", "{\"code\":0,\"message\":\"Transport unknown\"}");
        if (answer == QLatin1String("502"))
            return response("502 Bad Gateway", "text/html", "<html><center>nginx</center></html>");
        return response("200 OK", "text/html", "<html>welcome</html>");
    });
    const ProbeResult result = run(specFor(server.url()));
    QCOMPARE(result.evidence.size(), 1);
    const QVariantMap facts = result.evidence.constFirst().facts;
    QCOMPARE(facts.value(QStringLiteral("handshake")).toString(), handshake);
    QCOMPARE(facts.value(QStringLiteral("status")).toInt(), status);
    QCOMPARE(facts.value(QStringLiteral("sio_code")), sioCode);
    QCOMPARE(facts.value(QStringLiteral("upgraded")).toBool(), upgraded);
    QCOMPARE(facts.value(QStringLiteral("outcome")).toString(), outcome);
    QCOMPARE(result.isHealthy(), upgraded);
    QCOMPARE(result.evidence.constFirst().health, upgraded ? dd::Health::Ok : dd::Health::Failed);
}

void TestWebSocketProbe::sendsTheUpgradeHeaders()
{
    RoutedServer server([](const QByteArray &) { return response("200 OK", "text/plain", "x"); });
    run(specFor(server.url(QStringLiteral("/prefix/"))));
    QCOMPARE(server.requests().size(), 1);
    const QByteArray request = server.requests().constFirst();
    QVERIFY2(request.startsWith("GET /prefix/doc/docserver-doctor/c/?EIO=4&transport=websocket HTTP/1.1\r\n"),
             request.constData());
    QCOMPARE(headerValue(request, "Upgrade"), QByteArray("websocket"));
    QCOMPARE(headerValue(request, "Connection"), QByteArray("Upgrade"));
    QCOMPARE(headerValue(request, "Sec-WebSocket-Version"), QByteArray("13"));
    QCOMPARE(QByteArray::fromBase64(headerValue(request, "Sec-WebSocket-Key")).size(), 16);
}

void TestWebSocketProbe::pollingOpenPacket()
{
    RoutedServer server([](const QByteArray &request) -> QByteArray {
        if (!request.contains("transport=polling"))
            return response("400 Bad Request", "application/json", "{\"code\":0,\"message\":\"Transport unknown\"}");
        return response("200 OK", "text/plain; charset=UTF-8",
                        "0{\"sid\":\"SeCrEtSiD123\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,"
                        "\"pingTimeout\":20000,\"maxPayload\":1000000}");
    });
    const ProbeResult result = run(specFor(server.url(), true));
    QCOMPARE(result.evidence.size(), 1);
    const QVariantMap facts = result.evidence.constFirst().facts;
    QCOMPARE(facts.value(QStringLiteral("handshake")).toString(), QStringLiteral("open"));
    QCOMPARE(facts.value(QStringLiteral("upgrades")).toStringList(), QStringList{QStringLiteral("websocket")});
    QCOMPARE(facts.value(QStringLiteral("ping_interval_ms")).toInt(), 25000);
    QVERIFY(result.isHealthy());
    // The session id identifies a live session: it is not repeated in the summary or excerpt.
    QVERIFY(!result.evidence.constFirst().summary.contains(QStringLiteral("SeCrEtSiD123")));
    QVERIFY(!result.evidence.constFirst().excerpt.contains(QStringLiteral("SeCrEtSiD123")));
}

void TestWebSocketProbe::refused()
{
    quint16 port = 0;
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        port = server.serverPort();
    }
    const ProbeResult result = run(specFor(QStringLiteral("http://127.0.0.1:%1/").arg(port)));
    QCOMPARE(result.outcome, dd::ProbeOutcome::Refused);
    QCOMPARE(result.evidence.constFirst().facts.value(QStringLiteral("handshake")).toString(),
             QStringLiteral("refused"));
    QVERIFY(!result.isHealthy());
}

void TestWebSocketProbe::cancels()
{
    QTcpServer silent; // accepts (kernel backlog) and never answers
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    dd::WebSocketProbe probe;
    QSignalSpy spy(&probe, &dd::ActiveProbe::finished);
    probe.start(specFor(QStringLiteral("http://127.0.0.1:%1/").arg(silent.serverPort())));
    probe.cancel();
    QVERIFY(spy.isEmpty()); // never from inside cancel()
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 2000);
    QCOMPARE(spy.at(0).at(0).value<ProbeResult>().outcome, dd::ProbeOutcome::Cancelled);
}

QTEST_GUILESS_MAIN(TestWebSocketProbe)
#include "tst_websocketprobe.moc"
