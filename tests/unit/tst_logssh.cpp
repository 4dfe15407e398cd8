// Following files on another host through `ssh HOST tail -F -n 0 FILE...`: the remote command's
// quoting, the "==> FILE <==" headers, and failures. ssh is replaced by a script (DD_SSH) that
// runs the remote command on this machine: tests never contact another host.
#include "logs/sshtailsource.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dd;

namespace {

QString data(const char *name)
{
    return QStringLiteral(DD_SOURCE_DIR "/tests/data/logs/") + QLatin1String(name);
}

const QByteArray refused = "2024/10/22 13:51:56 [error] 31#31: *1 connect() failed (111: Connection refused) while "
                           "connecting to upstream, client: 172.18.0.1, server: , request: \"GET /healthcheck "
                           "HTTP/1.1\", upstream: \"http://127.0.0.1:8000/healthcheck\", host: \"localhost\"\n";
const QByteArray amqp = "[2024-10-22T13:51:57.000] [ERROR] [localhost] [docId] [userId] nodeJS - [AMQP] Error: "
                        "connect ECONNREFUSED 127.0.0.1:5672\n";

bool append(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::Append) && f.write(bytes) == bytes.size();
}

} // namespace

class TestLogSsh : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString argsFile() const { return m_dir.filePath(QStringLiteral("args")); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("DD_FAKE_ARGS", argsFile().toUtf8());
    }
    void init()
    {
        qputenv("DD_SSH", QByteArray("sh ") + data("ssh/fake-ssh.sh").toUtf8());
        qunsetenv("DD_FAKE_FAIL");
    }

    void remoteCommandQuotesAllButWildcards_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("command");
        QTest::newRow("plain") << QStringList{QStringLiteral("/var/log/nginx/error.log")}
                               << QStringLiteral("tail -F -n 0 -- '/var/log/nginx/error.log'");
        QTest::newRow("glob") << QStringList{QStringLiteral("/var/log/onlyoffice/documentserver/*/out.log")}
                              << QStringLiteral("tail -F -n 0 -- '/var/log/onlyoffice/documentserver/'*'/out.log'");
        QTest::newRow("shell characters")
            << QStringList{QStringLiteral("/tmp/a b;$(reboot)'x.log"), QStringLiteral("/y")}
            << QStringLiteral("tail -F -n 0 -- '/tmp/a b;$(reboot)'\\''x.log' '/y'");
    }
    void remoteCommandQuotesAllButWildcards()
    {
        QFETCH(QStringList, files);
        QFETCH(QString, command);
        QCOMPARE(SshTailSource::remoteCommand(files, false), command);
    }

    void refusesArgumentsSshWouldMisread_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QStringList>("files");
        QTest::newRow("option as host") << QStringLiteral("-oProxyCommand=x") << QStringList{QStringLiteral("/a")};
        QTest::newRow("no host") << QString() << QStringList{QStringLiteral("/a")};
        QTest::newRow("no file") << QStringLiteral("ds1") << QStringList();
        QTest::newRow("newline in path") << QStringLiteral("ds1") << QStringList{QStringLiteral("/a\nb")};
    }
    void refusesArgumentsSshWouldMisread()
    {
        QFETCH(QString, host);
        QFETCH(QStringList, files);
        QVERIFY(!SshTailSource::checkArguments(host, files).isEmpty());
        QVERIFY(SshTailSource::checkArguments(QStringLiteral("admin@ds1"), {QStringLiteral("/a")}).isEmpty());
    }

    // Two files with a space in a directory name: real tail -F, run by the stand-in, prints
    // "==> FILE <==" headers; every line is attributed to its own file.
    void followsRemoteFiles()
    {
        QDir().mkpath(m_dir.filePath(QStringLiteral("log dir")));
        const QString nginx = m_dir.filePath(QStringLiteral("log dir/nginx.error.log"));
        const QString ds = m_dir.filePath(QStringLiteral("log dir/out.log"));
        QVERIFY(append(nginx, "old line that -n 0 skips\n"));
        QVERIFY(append(ds, QByteArray()));
        SshTailSource source;
        source.setHost(QStringLiteral("admin@ds1"));
        source.setFiles({nginx, ds});
        QList<ClassifiedLine> lines;
        connect(&source, &LogStreamSource::linesClassified, this,
                [&](const QList<ClassifiedLine> &batch) { lines += batch; });
        QSignalSpy stopped(&source, &LogStreamSource::followStopped);
        QSignalSpy failed(&source, &LogStreamSource::sourceFailed);
        source.start();
        QVERIFY(source.isRunning());
        // tail starts asynchronously: append until the first line comes through.
        QTRY_VERIFY_WITH_TIMEOUT((append(nginx, refused), !lines.isEmpty()), 20000);
        QVERIFY(append(ds, amqp));
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(lines.cbegin(), lines.cend(),
                        [](const ClassifiedLine &l) { return l.causeId == QLatin1String("rabbitmq-unreachable"); }),
            20000);
        for (const ClassifiedLine &l : std::as_const(lines)) {
            QVERIFY(!l.text.contains(QLatin1String("old line")));
            QVERIFY(!l.text.contains(QLatin1String("==>")));
            QCOMPARE(l.line, 0); // tail -n 0 starts mid-file: no line numbers
            if (l.causeId == QLatin1String("rabbitmq-unreachable"))
                QCOMPARE(l.file, QStringLiteral("admin@ds1:") + ds);
            else
                QCOMPARE(l.file, QStringLiteral("admin@ds1:") + nginx);
        }
        QFile args(argsFile());
        QVERIFY(args.open(QIODevice::ReadOnly));
        const QList<QByteArray> argv = args.readAll().split('\n');
        QCOMPARE(argv.value(3), QByteArray("admin@ds1"));
        QVERIFY(argv.value(4).startsWith("tail -F -n 0 -- '"));
        source.stop();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, 10000);
        QCOMPARE(failed.count(), 0);
    }

    void sshFailureIsOneLine()
    {
        qputenv("DD_FAKE_FAIL", "admin@nohost: Permission denied (publickey).");
        SshTailSource source;
        source.setHost(QStringLiteral("admin@nohost"));
        source.setFiles({QStringLiteral("/var/log/nginx/error.log")});
        QSignalSpy stopped(&source, &LogStreamSource::followStopped);
        QSignalSpy failed(&source, &LogStreamSource::sourceFailed);
        source.start();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, 20000);
        QCOMPARE(failed.count(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.startsWith(QLatin1String("ssh admin@nohost failed: admin@nohost: Permission denied "
                                                  "(publickey).")) &&
                     message.contains(QLatin1String("'ssh admin@nohost true'")),
                 qPrintable(message));
    }

    void sshMissing()
    {
        qputenv("DD_SSH", "/nonexistent/bin/ssh");
        SshTailSource source;
        source.setHost(QStringLiteral("ds1"));
        source.setFiles({QStringLiteral("/a")});
        QSignalSpy failed(&source, &LogStreamSource::sourceFailed);
        source.start();
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.first().first().toString().contains(QLatin1String("DD_SSH")));
    }

    void cliFollowsOverSsh()
    {
        const QString path = m_dir.filePath(QStringLiteral("cli.log"));
        QVERIFY(append(path, QByteArray()));
        QProcess p;
        p.start(QStringLiteral(DD_CLI_PATH), {QStringLiteral("logs"), QStringLiteral("follow"), QStringLiteral("--ssh"),
                                              QStringLiteral("ds1"), path, QStringLiteral("--classified")});
        QVERIFY(p.waitForStarted(10000));
        QByteArray out;
        connect(&p, &QProcess::readyReadStandardOutput, this, [&] { out += p.readAllStandardOutput(); });
        QTRY_VERIFY_WITH_TIMEOUT((append(path, refused), out.contains("ds-docservice-down")), 20000);
        QVERIFY(out.contains(QByteArray(QByteArray("\"file\":\"ds1:") + path.toUtf8() + '"')));
        p.terminate();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 1);
    }

    void cliSshFailureExitsTwo()
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DD_FAKE_FAIL"), QStringLiteral("ssh: Could not resolve hostname nohost: Name or "
                                                                  "service not known"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(DD_CLI_PATH), {QStringLiteral("logs"), QStringLiteral("follow"), QStringLiteral("--ssh"),
                                              QStringLiteral("nohost"), QStringLiteral("/var/log/x.log")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("ssh nohost failed: ssh: Could not resolve hostname nohost"), err.constData());
    }
};

QTEST_GUILESS_MAIN(TestLogSsh)
#include "tst_logssh.moc"
