#include "probe/activeprobe.h"
#include "probe/docsapi.h"
#include "probe/docserverprobe.h"
#include "util/jwt.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using dd::ProbeResult;

namespace {

const QByteArray secret("a-shared-secret-of-32-characters!");

/// What the simulated Document Server does.
struct Behaviour
{
    QByteArray healthcheck = "true";
    bool jwtEnabled = true;
    QByteArray jwtHeader = "Authorization";
    qint64 clockOffsetSecs = 0;
    int infoStatus = 200;
    bool welcomeMissing = false;
    /// Which CommandService addresses answer: "legacy" (before 8.2), "current" (/command only,
    /// as behind a proxy that routes only DS 8.2's names), "none".
    QByteArray commandPaths = "legacy";
};

QByteArray response(int status, const QByteArray &contentType, const QByteArray &body, const QByteArray &extra = {})
{
    return "HTTP/1.1 " + QByteArray::number(status) + " X\r\nServer: nginx\r\n" + extra +
           "Content-Type: " + contentType + "\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

QByteArray headerValue(const QByteArray &head, const QByteArray &name)
{
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return QByteArray();
}

/// A Document Server stand-in on 127.0.0.1 answering the endpoints DocserverProbe asks for.
class FakeDocserver : public QObject
{
public:
    explicit FakeDocserver(const Behaviour &behaviour) : m_behaviour(behaviour)
    {
        connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
                    *buffer += socket->readAll();
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    const QByteArray head = buffer->left(end);
                    const qsizetype length = headerValue(head, "Content-Length").toLongLong();
                    if (buffer->size() < end + 4 + length)
                        return;
                    socket->write(answer(head, buffer->mid(end + 4, length)));
                    socket->disconnectFromHost();
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1/").arg(m_server.serverPort()); }
    QList<QByteArray> heads() const { return m_heads; }

private:
    QByteArray answer(const QByteArray &head, const QByteArray &body)
    {
        m_heads.append(head);
        const QByteArray path = head.left(head.indexOf('\r')).split(' ').value(1);
        if (path == "/healthcheck") {
            const QDateTime now = QDateTime::currentDateTimeUtc().addSecs(m_behaviour.clockOffsetSecs);
            const QByteArray date = QLocale::c().toString(now, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss")).toLatin1();
            return response(200, "text/html", m_behaviour.healthcheck, "Date: " + date + " GMT\r\n");
        }
        if (path == "/welcome/")
            return m_behaviour.welcomeMissing ? response(404, "text/html", "not found")
                                              : response(200, "text/html", "<html>Document Server is running</html>");
        if (path == "/index.html")
            return response(200, "text/html", "<html>index</html>");
        if (path == "/web-apps/apps/api/documents/api.js")
            return response(200, "application/javascript", "(function(){ window.DocsAPI = {}; })();");
        if (path == "/info/info.json")
            return m_behaviour.infoStatus == 200
                       ? response(200, "application/json", "{\"serverInfo\":{\"buildVersion\":\"8.2.0\"}}")
                       : response(m_behaviour.infoStatus, "text/html", "forbidden");
        if ((path == "/coauthoring/CommandService.ashx" && m_behaviour.commandPaths == "legacy") ||
            (path == "/command" && m_behaviour.commandPaths == "current"))
            return command(head, body);
        return response(404, "text/html", "not found");
    }

    QByteArray command(const QByteArray &head, const QByteArray &body)
    {
        const QJsonObject request = QJsonDocument::fromJson(body).object();
        if (m_behaviour.jwtEnabled) {
            QByteArray token = headerValue(head, m_behaviour.jwtHeader);
            token = token.startsWith("Bearer ") ? token.mid(7)
                                                : request.value(QStringLiteral("token")).toString().toLatin1();
            const dd::JwtCheck check =
                dd::verifyHs256(token, secret, QDateTime::currentSecsSinceEpoch() + m_behaviour.clockOffsetSecs, 60);
            if (check.status == dd::JwtCheck::Status::Expired)
                return response(200, "application/json", "{\"error\":7}");
            if (!check.isOk())
                return response(200, "application/json", "{\"error\":6}");
        }
        if (request.value(QStringLiteral("c")).toString() != QLatin1String("version"))
            return response(200, "application/json", "{\"error\":5}");
        return response(200, "application/json", "{\"error\":0,\"version\":\"8.2.0.143\"}");
    }

    QTcpServer m_server;
    Behaviour m_behaviour;
    QList<QByteArray> m_heads;
};

ProbeResult run(const dd::ProbeSpec &spec)
{
    std::unique_ptr<dd::ActiveProbe> probe(dd::createProbe(dd::ProbeKind::Docserver));
    QSignalSpy spy(probe.get(), &dd::ActiveProbe::finished);
    probe->start(spec);
    if (!spy.wait(spec.timeoutMs + 5000))
        return ProbeResult();
    return spy.at(0).at(0).value<ProbeResult>();
}

dd::ProbeSpec specFor(const FakeDocserver &server)
{
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Docserver;
    spec.target = server.url();
    return spec;
}

const dd::Evidence *check(const ProbeResult &result, const QString &name)
{
    for (const dd::Evidence &evidence : result.evidence) {
        if (evidence.facts.value(QStringLiteral("check")).toString() == name)
            return &evidence;
    }
    return nullptr;
}

} // namespace

class TestDocserverProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void healthcheckBody_data();
    void healthcheckBody();
    void commandService_data();
    void commandService();
    void infoJsonRefusedIsNotAFault();
    void welcomeFallsBackToIndexHtml();
    void commandFallsBackToTheCurrentAddress_data();
    void commandFallsBackToTheCurrentAddress();
    void currentApiAddress_data();
    void currentApiAddress();
    void theSecretNeverAppears();
    void unreadableSecretFile();
    void errorNames_data();
    void errorNames();

private:
    QTemporaryDir m_dir;
    QString m_secretFile;
    QString m_wrongSecretFile;
};

void TestDocserverProbe::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_secretFile = m_dir.filePath(QStringLiteral("secret"));
    m_wrongSecretFile = m_dir.filePath(QStringLiteral("wrong"));
    QFile file(m_secretFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(secret + '\n');
    file.close();
    QFile wrong(m_wrongSecretFile);
    QVERIFY(wrong.open(QIODevice::WriteOnly));
    wrong.write("not-the-secret");
}

void TestDocserverProbe::healthcheckBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("value");
    QTest::addColumn<dd::Health>("health");

    QTest::newRow("true") << QByteArray("true") << QStringLiteral("true") << dd::Health::Ok;
    QTest::newRow("false") << QByteArray("false") << QStringLiteral("false") << dd::Health::Failed;
    QTest::newRow("true with a newline is not DS")
        << QByteArray("true\n") << QStringLiteral("other") << dd::Health::Failed;
    QTest::newRow("a foreign app") << QByteArray("<html>Seahub</html>") << QStringLiteral("other")
                                   << dd::Health::Failed;
}

void TestDocserverProbe::healthcheckBody()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, value);
    QFETCH(dd::Health, health);

    Behaviour behaviour;
    behaviour.healthcheck = body;
    FakeDocserver server(behaviour);
    dd::ProbeSpec spec = specFor(server);
    spec.secretFile = m_secretFile;
    const ProbeResult result = run(spec);
    QCOMPARE(result.evidence.size(), 5);
    const dd::Evidence *healthcheck = check(result, QStringLiteral("healthcheck"));
    QVERIFY(healthcheck);
    QCOMPARE(healthcheck, &result.evidence.constFirst());
    QCOMPARE(healthcheck->id, QStringLiteral("probe.docserver.healthcheck"));
    QCOMPARE(healthcheck->facts.value(QStringLiteral("healthcheck")).toString(), value);
    QCOMPARE(healthcheck->health, health);
    QCOMPARE(result.isHealthy(), health == dd::Health::Ok);
    QVERIFY(qAbs(healthcheck->facts.value(QStringLiteral("clock_skew_secs")).toLongLong()) <= 2);
}

void TestDocserverProbe::commandService_data()
{
    QTest::addColumn<bool>("jwtEnabled");
    QTest::addColumn<QByteArray>("dsHeader");
    QTest::addColumn<QByteArray>("ourHeader");
    QTest::addColumn<qint64>("clockOffset");
    QTest::addColumn<QString>("secretFile"); // "right", "wrong" or empty
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("errorName");

    QTest::newRow("signed, right secret") << true << QByteArray("Authorization") << QByteArray("Authorization")
                                          << qint64(0) << QStringLiteral("right") << 0 << QStringLiteral("ok");
    QTest::newRow("signed, wrong secret")
        << true << QByteArray("Authorization") << QByteArray("Authorization") << qint64(0) << QStringLiteral("wrong")
        << 6 << QStringLiteral("invalid-token");
    QTest::newRow("no secret, DS requires JWT") << true << QByteArray("Authorization") << QByteArray("Authorization")
                                                << qint64(0) << QString() << 6 << QStringLiteral("invalid-token");
    QTest::newRow("DS clock an hour ahead")
        << true << QByteArray("Authorization") << QByteArray("Authorization") << qint64(3600) << QStringLiteral("right")
        << 7 << QStringLiteral("token-expired");
    QTest::newRow("custom header on both sides")
        << true << QByteArray("AuthorizationJwt") << QByteArray("AuthorizationJwt") << qint64(0)
        << QStringLiteral("right") << 0 << QStringLiteral("ok");
    QTest::newRow("header mismatch, body token still counts")
        << true << QByteArray("AuthorizationJwt") << QByteArray("Authorization") << qint64(0) << QStringLiteral("right")
        << 0 << QStringLiteral("ok");
    QTest::newRow("JWT off, unsigned") << false << QByteArray("Authorization") << QByteArray("Authorization")
                                       << qint64(0) << QString() << 0 << QStringLiteral("ok");
}

void TestDocserverProbe::commandService()
{
    QFETCH(bool, jwtEnabled);
    QFETCH(QByteArray, dsHeader);
    QFETCH(QByteArray, ourHeader);
    QFETCH(qint64, clockOffset);
    QFETCH(QString, secretFile);
    QFETCH(int, error);
    QFETCH(QString, errorName);

    Behaviour behaviour;
    behaviour.jwtEnabled = jwtEnabled;
    behaviour.jwtHeader = dsHeader;
    behaviour.clockOffsetSecs = clockOffset;
    FakeDocserver server(behaviour);
    dd::ProbeSpec spec = specFor(server);
    spec.jwtHeader = ourHeader;
    spec.secretFile = secretFile == QLatin1String("right")   ? m_secretFile
                      : secretFile == QLatin1String("wrong") ? m_wrongSecretFile
                                                             : QString();
    const ProbeResult result = run(spec);
    const dd::Evidence *command = check(result, QStringLiteral("command"));
    QVERIFY(command);
    QCOMPARE(command->facts.value(QStringLiteral("command_error")).toInt(), error);
    QCOMPARE(command->facts.value(QStringLiteral("command_error_name")).toString(), errorName);
    QCOMPARE(command->facts.value(QStringLiteral("jwt_sent")).toBool(), !secretFile.isEmpty());
    QCOMPARE(command->health, error == 0 ? dd::Health::Ok : dd::Health::Failed);
    const qint64 skew = result.evidence.constFirst().facts.value(QStringLiteral("clock_skew_secs")).toLongLong();
    QVERIFY2(qAbs(skew - clockOffset) <= 2, qPrintable(QString::number(skew)));
    if (error == 0)
        QCOMPARE(command->facts.value(QStringLiteral("version")).toString(), QStringLiteral("8.2.0.143"));
    else
        QVERIFY(command->facts.value(QStringLiteral("version")).isNull());
}

void TestDocserverProbe::infoJsonRefusedIsNotAFault()
{
    Behaviour behaviour;
    behaviour.infoStatus = 403;
    FakeDocserver server(behaviour);
    dd::ProbeSpec spec = specFor(server);
    spec.secretFile = m_secretFile;
    const ProbeResult result = run(spec);
    const dd::Evidence *info = check(result, QStringLiteral("info"));
    QVERIFY(info);
    QCOMPARE(info->facts.value(QStringLiteral("allowed")).toBool(), false);
    QCOMPARE(info->health, dd::Health::Unknown);
    QVERIFY(result.isHealthy());

    FakeDocserver open{Behaviour()};
    spec.target = open.url();
    const ProbeResult allowed = run(spec);
    QCOMPARE(check(allowed, QStringLiteral("info"))->facts.value(QStringLiteral("version")).toString(),
             QStringLiteral("8.2.0"));
    QCOMPARE(check(allowed, QStringLiteral("apijs"))->facts.value(QStringLiteral("docsapi")).toBool(), true);
}

void TestDocserverProbe::welcomeFallsBackToIndexHtml()
{
    Behaviour behaviour;
    behaviour.welcomeMissing = true;
    FakeDocserver server(behaviour);
    dd::ProbeSpec spec = specFor(server);
    const ProbeResult result = run(spec);
    const dd::Evidence *welcome = check(result, QStringLiteral("welcome"));
    QVERIFY(welcome);
    QCOMPARE(welcome->facts.value(QStringLiteral("status")).toInt(), 200);
    QVERIFY(welcome->facts.value(QStringLiteral("url")).toString().endsWith(QLatin1String("/index.html")));
}

void TestDocserverProbe::commandFallsBackToTheCurrentAddress_data()
{
    QTest::addColumn<QByteArray>("paths");
    QTest::addColumn<QStringList>("asked");
    QTest::addColumn<int>("commandError"); // -1: no DS answer
    QTest::addColumn<QString>("note");

    const QString legacy = QStringLiteral("/coauthoring/CommandService.ashx");
    QTest::newRow("before 8.2: the old address answers")
        << QByteArray("legacy") << QStringList{legacy} << 0 << QString();
    QTest::newRow("only /command is routed") << QByteArray("current") << QStringList{legacy, QStringLiteral("/command")}
                                             << 0 << QStringLiteral("Document Server 8.2 or later");
    QTest::newRow("neither is routed") << QByteArray("none") << QStringList{legacy, QStringLiteral("/command")} << -1
                                       << QStringLiteral("does not route Document Server's API");
}

void TestDocserverProbe::commandFallsBackToTheCurrentAddress()
{
    QFETCH(QByteArray, paths);
    QFETCH(QStringList, asked);
    QFETCH(int, commandError);
    QFETCH(QString, note);

    Behaviour behaviour;
    behaviour.commandPaths = paths;
    FakeDocserver server(behaviour);
    dd::ProbeSpec spec = specFor(server);
    spec.secretFile = m_secretFile;
    const ProbeResult result = run(spec);
    const dd::Evidence *command = check(result, QStringLiteral("command"));
    QVERIFY(command);
    QStringList posted;
    for (const QByteArray &head : server.heads()) {
        if (head.startsWith("POST "))
            posted.append(QString::fromLatin1(head.split(' ').value(1)));
    }
    QCOMPARE(posted, asked);
    QCOMPARE(command->facts.value(QStringLiteral("api_path")).toString(), asked.constLast());
    if (commandError < 0) {
        QVERIFY(command->facts.value(QStringLiteral("command_error")).isNull());
        QVERIFY(command->health != dd::Health::Ok);
    } else {
        QCOMPARE(command->facts.value(QStringLiteral("command_error")).toInt(), commandError);
        QCOMPARE(command->health, dd::Health::Ok);
    }
    QCOMPARE(command->detail.contains(QStringLiteral("answered 404")) ||
                 command->detail.contains(QStringLiteral("then 404")),
             !note.isEmpty());
    if (!note.isEmpty())
        QVERIFY2(command->detail.contains(note), qPrintable(command->detail));
}

void TestDocserverProbe::currentApiAddress_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("current");

    QTest::newRow("command") << QStringLiteral("https://ds.example/coauthoring/CommandService.ashx")
                             << QStringLiteral("https://ds.example/command");
    QTest::newRow("converter under a prefix, query kept")
        << QStringLiteral("http://cloud.example:8080/ds-vpath/ConvertService.ashx?shardkey=k1")
        << QStringLiteral("http://cloud.example:8080/ds-vpath/converter?shardkey=k1");
    QTest::newRow("already current") << QStringLiteral("https://ds.example/command") << QString();
    QTest::newRow("another path") << QStringLiteral("https://ds.example/healthcheck") << QString();
    QTest::newRow("a name that only ends alike")
        << QStringLiteral("https://ds.example/MyConvertService.ashx") << QString();
}

void TestDocserverProbe::currentApiAddress()
{
    QFETCH(QString, url);
    QFETCH(QString, current);
    const QUrl result = dd::docsApiCurrentUrl(QUrl(url));
    QCOMPARE(result.isValid() ? result.toString() : QString(), current);
}

void TestDocserverProbe::theSecretNeverAppears()
{
    FakeDocserver server{Behaviour()};
    dd::ProbeSpec spec = specFor(server);
    spec.secretFile = m_secretFile;
    const ProbeResult result = run(spec);
    QVERIFY(check(result, QStringLiteral("command")));
    // The token went out in a header...
    bool sent = false;
    for (const QByteArray &head : server.heads())
        sent = sent || headerValue(head, "Authorization").startsWith("Bearer eyJ");
    QVERIFY(sent);
    // ...but neither the secret nor the token is in anything we print.
    const QByteArray json = QJsonDocument(dd::probeResultToJson(result)).toJson();
    QVERIFY(!json.contains(secret));
    QVERIFY(!json.contains("Bearer"));
    QVERIFY(!json.contains("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"));
}

void TestDocserverProbe::unreadableSecretFile()
{
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Docserver;
    spec.target = QStringLiteral("http://127.0.0.1:1/");
    spec.secretFile = m_dir.filePath(QStringLiteral("missing"));
    const ProbeResult result = run(spec);
    QCOMPARE(result.outcome, dd::ProbeOutcome::Error);
    QVERIFY2(result.error.contains(spec.secretFile), qPrintable(result.error));
}

void TestDocserverProbe::errorNames_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("name");
    QTest::newRow("0") << 0 << QStringLiteral("ok");
    QTest::newRow("1") << 1 << QStringLiteral("document-key");
    QTest::newRow("5") << 5 << QStringLiteral("unknown-command");
    QTest::newRow("6") << 6 << QStringLiteral("invalid-token");
    QTest::newRow("7") << 7 << QStringLiteral("token-expired");
    QTest::newRow("42") << 42 << QStringLiteral("code-42");
}

void TestDocserverProbe::errorNames()
{
    QFETCH(int, code);
    QFETCH(QString, name);
    QCOMPARE(dd::DocserverProbe::commandErrorName(code), name);
}

QTEST_GUILESS_MAIN(TestDocserverProbe)
#include "tst_docserverprobe.moc"
