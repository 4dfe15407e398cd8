// Docker container logs through the Engine API: the response decoder (HTTP head, chunked
// coding, the 8-byte stream frames of a non-TTY container) fed in every split, and
// DockerLogSource / `logs follow --docker` against a unix-socket server in the test that
// answers as the Engine API documents (Docker is not installed here).
#include "logs/dockerlogsource.h"
#include "logs/dockerlogstream.h"

#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace dd;

namespace {

QByteArray frame(int stream, const QByteArray &payload)
{
    QByteArray h(8, '\0');
    h[0] = char(stream);
    const quint32 n = quint32(payload.size());
    h[4] = char((n >> 24) & 0xff);
    h[5] = char((n >> 16) & 0xff);
    h[6] = char((n >> 8) & 0xff);
    h[7] = char(n & 0xff);
    return h + payload;
}

QByteArray chunk(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

const QByteArray okHead = "HTTP/1.1 200 OK\r\n"
                          "Api-Version: 1.43\r\n"
                          "Content-Type: application/vnd.docker.multiplexed-stream\r\n"
                          "Docker-Experimental: false\r\n"
                          "Ostype: linux\r\n"
                          "Server: Docker/24.0.7 (linux)\r\n"
                          "Date: Tue, 22 Oct 2024 13:51:56 GMT\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n";

const QByteArray nginxLine = "2024-10-22T13:51:56.123456789Z 2024/10/22 13:51:56 [error] 31#31: *1 connect() failed "
                             "(111: Connection refused) while connecting to upstream, client: 172.18.0.1, server: , "
                             "request: \"GET /healthcheck HTTP/1.1\", upstream: \"http://127.0.0.1:8000/healthcheck\", "
                             "host: \"localhost\"\n";
const QByteArray dsLine = "2024-10-22T13:51:57.000000000Z [2024-10-22T13:51:57.000] [ERROR] [localhost] [docId] "
                          "[userId] nodeJS - [AMQP] Error: connect ECONNREFUSED 127.0.0.1:5672\n";

// The body of a follow: an nginx error line cut across two stderr frames, which are cut
// across chunks, and a DS line on stdout between them.
QByteArray followBody()
{
    const QByteArray frames = frame(2, nginxLine.left(40)) + frame(1, dsLine) + frame(2, nginxLine.mid(40));
    return chunk(frames.left(5)) + chunk(frames.mid(5, 50)) + chunk(frames.mid(55));
}

// One connection of the fake Engine API: answers the first request with `response`, then
// keeps the connection open (a follow) unless `close`.
class FakeEngine : public QObject
{
public:
    explicit FakeEngine(const QString &path) : m_path(path)
    {
        connect(&m_server, &QLocalServer::newConnection, this, [this] {
            m_client = m_server.nextPendingConnection();
            connect(m_client, &QLocalSocket::readyRead, this, [this] {
                m_request += m_client->readAll();
                if (m_request.contains("\r\n\r\n") && !m_answered) {
                    m_answered = true;
                    m_client->write(m_response);
                    if (m_close)
                        m_client->disconnectFromServer();
                }
            });
        });
    }
    bool listen()
    {
        QLocalServer::removeServer(m_path);
        m_server.setSocketOptions(QLocalServer::WorldAccessOption);
        return m_server.listen(m_path);
    }
    void answer(const QByteArray &response, bool close)
    {
        m_response = response;
        m_close = close;
    }
    void send(const QByteArray &bytes)
    {
        if (m_client)
            m_client->write(bytes);
    }
    void hangUp()
    {
        if (m_client)
            m_client->disconnectFromServer();
    }
    QByteArray requestLine() const { return m_request.left(m_request.indexOf("\r\n")); }
    bool answered() const { return m_answered; }

private:
    QString m_path;
    QLocalServer m_server;
    QPointer<QLocalSocket> m_client;
    QByteArray m_request;
    QByteArray m_response;
    bool m_close = false;
    bool m_answered = false;
};

} // namespace

class TestLogDocker : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_serial = 0;

    QString socketPath() { return m_dir.filePath(QStringLiteral("docker%1.sock").arg(++m_serial)); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void demultiplexesInEverySplit_data()
    {
        QTest::addColumn<int>("piece");
        for (int piece : {1, 2, 3, 7, 8, 9, 64, 100000})
            QTest::newRow(qPrintable(QString::number(piece))) << piece;
    }
    void demultiplexesInEverySplit()
    {
        QFETCH(int, piece);
        QByteArray out[3];
        DockerLogStream decoder([&](int stream, QByteArrayView data) { out[stream] += data.toByteArray(); });
        const QByteArray response = okHead + followBody() + "0\r\n\r\n";
        for (qsizetype at = 0; at < response.size(); at += piece)
            QVERIFY(
                decoder.feed(QByteArrayView(response).sliced(at, std::min<qsizetype>(piece, response.size() - at))));
        QVERIFY(decoder.isDone());
        QVERIFY(!decoder.hasFailed());
        QVERIFY(decoder.isMultiplexed());
        QCOMPARE(out[1], dsLine);
        QCOMPARE(out[2], nginxLine);
        QVERIFY(out[0].isEmpty());
    }

    // An older API calls the multiplexed stream raw-stream and sends no length: the frame
    // shape decides, and the end of the connection ends the body.
    void oldApiAndLengthlessBody()
    {
        QByteArray stdoutBytes;
        DockerLogStream decoder([&](int stream, QByteArrayView data) {
            if (stream == DockerLogStream::Stdout)
                stdoutBytes += data.toByteArray();
        });
        const QByteArray response =
            "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n" + frame(1, dsLine);
        QVERIFY(decoder.feed(response));
        QVERIFY(!decoder.isDone());
        decoder.finishInput();
        QVERIFY(decoder.isDone());
        QVERIFY(!decoder.hasFailed());
        QVERIFY(decoder.isMultiplexed());
        QCOMPARE(stdoutBytes, dsLine);
    }

    void ttyContainerIsRaw()
    {
        QByteArray stdoutBytes;
        DockerLogStream decoder([&](int, QByteArrayView data) { stdoutBytes += data.toByteArray(); });
        const QByteArray response = "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                                    "Content-Length: " +
                                    QByteArray::number(dsLine.size()) + "\r\n\r\n" + dsLine;
        QVERIFY(decoder.feed(response));
        QVERIFY(decoder.isDone());
        QVERIFY(!decoder.isMultiplexed());
        QCOMPARE(stdoutBytes, dsLine);
    }

    // A frame of many MiB reaches the sink in the pieces it arrived in, never whole.
    void largeFrameIsNotBuffered()
    {
        qsizetype largest = 0;
        qsizetype total = 0;
        DockerLogStream decoder([&](int, QByteArrayView data) {
            largest = std::max(largest, data.size());
            total += data.size();
        });
        const QByteArray payload(8 << 20, 'x');
        const QByteArray response = okHead + chunk(frame(1, payload));
        for (qsizetype at = 0; at < response.size(); at += 65536)
            QVERIFY(
                decoder.feed(QByteArrayView(response).sliced(at, std::min<qsizetype>(65536, response.size() - at))));
        QCOMPARE(total, payload.size());
        QVERIFY(largest <= 65536);
    }

    void errorsAreOneLine_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<QString>("error");
        const QByteArray body = "{\"message\":\"No such container: nope\"}\n";
        QTest::newRow("404") << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                                           "Content-Length: " +
                                           QByteArray::number(body.size()) + "\r\n\r\n" + body)
                             << QStringLiteral("HTTP 404: No such container: nope");
        QTest::newRow("not HTTP") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n")
                                  << QStringLiteral("not an HTTP response");
        QTest::newRow("bad frame") << QByteArray(okHead + chunk(QByteArray("\x07\0\0\0\0\0\0\x01x", 9)))
                                   << QStringLiteral("malformed stream frame");
        QTest::newRow("bad chunk") << QByteArray(okHead + "zz\r\n") << QStringLiteral("malformed chunk size");
    }
    void errorsAreOneLine()
    {
        QFETCH(QByteArray, response);
        QFETCH(QString, error);
        DockerLogStream decoder([](int, QByteArrayView) {});
        decoder.feed(response);
        QVERIFY(decoder.hasFailed());
        QVERIFY2(decoder.error().startsWith(error), qPrintable(decoder.error()));
    }

    void requestTarget()
    {
        QCOMPARE(DockerLogSource::logsTarget(QStringLiteral("onlyoffice"), true, false),
                 QByteArray("/containers/onlyoffice/logs?follow=1&stdout=1&stderr=1&timestamps=1&tail=0"));
        QCOMPARE(DockerLogSource::logsTarget(QStringLiteral("a b"), true, true),
                 QByteArray("/containers/a%20b/logs?follow=1&stdout=1&stderr=1&timestamps=1"));
    }

    void followsAContainer()
    {
        const QString path = socketPath();
        FakeEngine engine(path);
        QVERIFY(engine.listen());
        engine.answer(okHead + followBody(), false);
        DockerLogSource source;
        source.setSocketPath(path);
        source.setContainer(QStringLiteral("onlyoffice"));
        QList<ClassifiedLine> lines;
        QStringList problems;
        connect(&source, &LogStreamSource::linesClassified, this,
                [&](const QList<ClassifiedLine> &batch) { lines += batch; });
        connect(&source, &LogStreamSource::problemFound, this, [&](const QString &p) { problems << p; });
        QSignalSpy stopped(&source, &LogStreamSource::followStopped);
        QSignalSpy failed(&source, &LogStreamSource::sourceFailed);
        source.start();
        QTRY_COMPARE_WITH_TIMEOUT(lines.size(), 2, 10000);
        QCOMPARE(engine.requestLine(),
                 QByteArray("GET /containers/onlyoffice/logs?follow=1&stdout=1&stderr=1&timestamps=1&tail=0 HTTP/1.1"));
        const ClassifiedLine &ds = lines.at(0).file.endsWith(QLatin1String("stdout")) ? lines.at(0) : lines.at(1);
        const ClassifiedLine &nginx = lines.at(0).file.endsWith(QLatin1String("stderr")) ? lines.at(0) : lines.at(1);
        QCOMPARE(ds.file, QStringLiteral("docker:onlyoffice/stdout"));
        QCOMPARE(ds.causeId, QStringLiteral("rabbitmq-unreachable"));
        QCOMPARE(nginx.file, QStringLiteral("docker:onlyoffice/stderr"));
        QCOMPARE(nginx.causeId, QStringLiteral("ds-docservice-down"));
        QCOMPARE(nginx.format, QStringLiteral("nginx-error"));
        QVERIFY(nginx.text.endsWith(QLatin1String("host: \"localhost\"")));

        // More lines while following, then the container stops: the stream ends.
        engine.send(chunk(frame(1, dsLine)));
        QTRY_COMPARE_WITH_TIMEOUT(lines.size(), 3, 10000);
        QCOMPARE(stopped.count(), 0);
        engine.send("0\r\n\r\n");
        engine.hangUp();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, 10000);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(problems.filter(QStringLiteral("log stream ended")).size(), 1);
    }

    void noSuchContainer()
    {
        const QString path = socketPath();
        FakeEngine engine(path);
        QVERIFY(engine.listen());
        const QByteArray body = "{\"message\":\"No such container: nope\"}\n";
        engine.answer("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " +
                          QByteArray::number(body.size()) + "\r\n\r\n" + body,
                      true);
        DockerLogSource source;
        source.setSocketPath(path);
        source.setContainer(QStringLiteral("nope"));
        QSignalSpy stopped(&source, &LogStreamSource::followStopped);
        QSignalSpy failed(&source, &LogStreamSource::sourceFailed);
        source.start();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, 10000);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().first().toString(), QStringLiteral("docker nope: HTTP 404: No such container: nope"));
    }

    void missingSocket()
    {
        DockerLogSource source;
        source.setSocketPath(m_dir.filePath(QStringLiteral("absent.sock")));
        source.setContainer(QStringLiteral("onlyoffice"));
        QSignalSpy stopped(&source, &LogStreamSource::followStopped);
        QSignalSpy failed(&source, &LogStreamSource::sourceFailed);
        source.start();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, 10000);
        QCOMPARE(failed.count(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QLatin1String("absent.sock")) && message.contains(QLatin1String("no such socket")),
                 qPrintable(message));
    }

    // The socket is root's and mode 0600, as /var/run/docker.sock is root:docker 0660. Root
    // passes any permission check, so as root the CLI is run as nobody.
    void permissionDenied()
    {
        const QString path = socketPath();
        FakeEngine engine(path);
        QVERIFY(engine.listen());
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0600) == 0);
        QStringList command{QStringLiteral(DD_CLI_PATH), QStringLiteral("logs"), QStringLiteral("follow"),
                            QStringLiteral("--docker"), QStringLiteral("onlyoffice")};
        if (::geteuid() == 0) {
            if (QStandardPaths::findExecutable(QStringLiteral("runuser")).isEmpty())
                QSKIP("running as root without runuser: permission denied cannot happen");
            QVERIFY(::chmod(QFile::encodeName(m_dir.path()).constData(), 0755) == 0);
            command = QStringList{QStringLiteral("runuser"), QStringLiteral("-u"),
                                  QStringLiteral("nobody"),  QStringLiteral("--"),
                                  QStringLiteral("env"),     QStringLiteral("DOCKER_HOST=unix://") + path} +
                      command;
        } else {
            qputenv("DOCKER_HOST", QByteArray("unix://") + QFile::encodeName(path));
        }
        QProcess p;
        p.start(command.takeFirst(), command);
        QVERIFY(p.waitForFinished(30000));
        qunsetenv("DOCKER_HOST");
        QCOMPARE(p.exitCode(), 2);
        const QByteArray err = p.readAllStandardError().trimmed();
        QCOMPARE(err.count('\n'), 0);
        QVERIFY2(err.contains("permission denied") && err.contains("docker group") &&
                     err.contains(QFile::encodeName(path)),
                 err.constData());
        QVERIFY(!engine.answered());
    }

    void tcpDockerHostIsNotReplacedByTheLocalSocket()
    {
        qputenv("DOCKER_HOST", "tcp://10.0.0.5:2376");
        DockerLogSource source;
        source.setContainer(QStringLiteral("onlyoffice"));
        QSignalSpy failed(&source, &LogStreamSource::sourceFailed);
        source.start();
        qunsetenv("DOCKER_HOST");
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.first().first().toString().startsWith(QLatin1String("DOCKER_HOST is tcp://10.0.0.5:2376")));
        QVERIFY(!source.isRunning());
    }

    void cliFollowsAContainer()
    {
        const QString path = socketPath();
        FakeEngine engine(path);
        QVERIFY(engine.listen());
        engine.answer(okHead + followBody(), false);
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DOCKER_HOST"), QStringLiteral("unix://") + path);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(DD_CLI_PATH), {QStringLiteral("logs"), QStringLiteral("follow"),
                                              QStringLiteral("--docker"), QStringLiteral("onlyoffice")});
        QVERIFY(p.waitForStarted(10000));
        QByteArray out;
        connect(&p, &QProcess::readyReadStandardOutput, this, [&] { out += p.readAllStandardOutput(); });
        QTRY_VERIFY_WITH_TIMEOUT(out.count('\n') >= 2, 20000);
        QVERIFY(out.contains("\"cause\":\"ds-docservice-down\""));
        QVERIFY(out.contains("\"file\":\"docker:onlyoffice/stderr\""));
        p.terminate();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
    }

    void cliSaysWhenTheSocketIsMissing()
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DOCKER_HOST"),
                   QStringLiteral("unix://") + m_dir.filePath(QStringLiteral("no.sock")));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(DD_CLI_PATH),
                {QStringLiteral("logs"), QStringLiteral("follow"), QStringLiteral("--docker"), QStringLiteral("x")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);
        const QByteArray err = p.readAllStandardError().trimmed();
        QCOMPARE(err.count('\n'), 0);
        QVERIFY2(err.contains("no.sock") && err.contains("Docker"), err.constData());
    }
};

QTEST_GUILESS_MAIN(TestLogDocker)
#include "tst_logdocker.moc"
