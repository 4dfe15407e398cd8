// docserver-doctor-cli logs: classify (files, paste on stdin, summary), follow, bad input and
// exit codes, run as a user would run it.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runCli(const QStringList &args, const QByteArray &input = QByteArray())
{
    QProcess p;
    p.start(QStringLiteral(DD_CLI_PATH), QStringList{QStringLiteral("logs")} + args);
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    if (!input.isNull())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString data(const char *name)
{
    return QStringLiteral(DD_SOURCE_DIR "/tests/data/logs/") + QLatin1String(name);
}

QList<QJsonObject> jsonLines(const QByteArray &out)
{
    QList<QJsonObject> list;
    for (const QByteArray &line : out.split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError e;
        const QJsonDocument d = QJsonDocument::fromJson(line, &e);
        if (!d.isObject())
            return {};
        list << d.object();
    }
    return list;
}

} // namespace

class TestLogsCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QFile::exists(QStringLiteral(DD_CLI_PATH)));
    }

    void classifyPrintsOneObjectPerLine_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("records");
        QTest::addColumn<QString>("firstCause");
        QTest::newRow("nginx error") << data("nginx.error.log") << 5 << QStringLiteral("ds-docservice-down");
        QTest::newRow("docservice with stack traces") << data("ds-docservice-out.log") << 7 << QString();
        QTest::newRow("access") << data("access.log") << 5 << QString();
        QTest::newRow("nextcloud") << data("nextcloud.log") << 3 << QString();
        QTest::newRow("docker compose") << data("docker-compose.log") << 8 << QString();
    }
    void classifyPrintsOneObjectPerLine()
    {
        QFETCH(QString, file);
        QFETCH(int, records);
        QFETCH(QString, firstCause);
        const Run r = runCli({QStringLiteral("classify"), file});
        QCOMPARE(r.exitCode, 1); // every fixture shows a failure
        const QList<QJsonObject> lines = jsonLines(r.out);
        QCOMPARE(lines.size(), records);
        for (const QJsonObject &o : lines) {
            for (const char *key : {"file", "line", "time", "format", "cause", "fields"})
                QVERIFY2(o.contains(QLatin1String(key)), key);
            QCOMPARE(o.value(QLatin1String("file")).toString(), file);
            QVERIFY(o.value(QLatin1String("fields")).isObject());
        }
        if (!firstCause.isEmpty())
            QCOMPARE(lines.constFirst().value(QLatin1String("cause")).toString(), firstCause);
        QVERIFY2(!r.out.contains("eyJ"), "a JWT reached the output");
    }

    void summaryCountsCauses()
    {
        const Run r = runCli({QStringLiteral("classify"), QStringLiteral("--summary"), QStringLiteral("--json"),
                              data("nginx.error.log"), data("ds-docservice-out.log")});
        QCOMPARE(r.exitCode, 1);
        const QJsonObject s = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(s.value(QLatin1String("schema")).toString(), QStringLiteral("docserver-doctor.logsummary/1"));
        QCOMPARE(s.value(QLatin1String("records")).toInt(), 12);
        QHash<QString, QJsonObject> byId;
        for (const QJsonValue &v : s.value(QLatin1String("causes")).toArray()) {
            const QJsonObject o = v.toObject();
            byId.insert(o.value(QLatin1String("cause")).toString() + o.value(QLatin1String("signal")).toString(), o);
        }
        QCOMPARE(byId.value(QStringLiteral("rabbitmq-unreachable")).value(QLatin1String("count")).toInt(), 3);
        QCOMPARE(byId.value(QStringLiteral("rabbitmq-unreachable")).value(QLatin1String("first")).toString(),
                 QStringLiteral("2024-10-22T13:51:51.120Z"));
        QCOMPARE(byId.value(QStringLiteral("rabbitmq-unreachable")).value(QLatin1String("last")).toString(),
                 QStringLiteral("2024-10-22T13:51:53.122Z"));
        QCOMPARE(byId.value(QStringLiteral("ds-docservice-down")).value(QLatin1String("count")).toInt(), 2);
        QCOMPARE(byId.value(QStringLiteral("docservice-listening")).value(QLatin1String("kind")).toString(),
                 QStringLiteral("healthy"));
        const Run text = runCli({QStringLiteral("classify"), QStringLiteral("--summary"), data("nginx.error.log")});
        QVERIFY(text.out.contains("ds-docservice-down"));
    }

    void pasteOnStandardInput()
    {
        const Run r =
            runCli({QStringLiteral("classify"), QStringLiteral("-")},
                   "Mixed Content: The page at 'https://cloud/' was loaded over HTTPS, but requested an insecure "
                   "resource 'http://docs/cache/files/x/Editor.bin'.\n"
                   "io.connection_error code=0, message=Transport unknown\n");
        QCOMPARE(r.exitCode, 1);
        const QList<QJsonObject> lines = jsonLines(r.out);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(0).value(QLatin1String("cause")).toString(), QStringLiteral("forwarded-proto-mismatch"));
        QCOMPARE(lines.at(1).value(QLatin1String("cause")).toString(), QStringLiteral("socketio-query-lost"));
        QCOMPARE(lines.at(0).value(QLatin1String("file")).toString(), QStringLiteral("-"));
    }

    void healthyLogExitsZero()
    {
        const Run r = runCli({QStringLiteral("classify"), QStringLiteral("--classified"), data("healthy.log")});
        QCOMPARE(r.exitCode, 0);
        const QList<QJsonObject> lines = jsonLines(r.out);
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.constFirst().value(QLatin1String("signal")).toString(), QStringLiteral("docservice-listening"));
        QVERIFY(lines.constFirst().value(QLatin1String("cause")).isNull());
    }

    void unreadableInputIsReportedOnce_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("missing only") << QStringList{QStringLiteral("/nonexistent/a.log")} << 2;
        QTest::newRow("missing and a failing log")
            << QStringList{QStringLiteral("/nonexistent/a.log"), data("access.log")} << 1;
        QTest::newRow("a directory") << QStringList{QStringLiteral(DD_SOURCE_DIR "/tests/data/logs")} << 2;
    }
    void unreadableInputIsReportedOnce()
    {
        QFETCH(QStringList, files);
        QFETCH(int, exitCode);
        const Run r = runCli(QStringList{QStringLiteral("classify"), QStringLiteral("--summary")} + files);
        QCOMPARE(r.exitCode, exitCode);
        const QList<QByteArray> errors = r.err.trimmed().split('\n');
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.constFirst().contains(files.constFirst().toUtf8()), r.err.constData());
    }

    void permissionDeniedNamesTheFile()
    {
        if (::geteuid() == 0)
            QSKIP("root reads every file");
        const QString path = m_dir.filePath(QStringLiteral("secret.log"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("x\n");
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::Permissions()));
        const Run r = runCli({QStringLiteral("classify"), path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(path.toUtf8()));
        QVERIFY(r.err.contains("permission denied"));
    }

    void badBytesNeverStopTheRun()
    {
        QByteArray bad = "2024/10/22 13:51:56 [error] 1#1: *1 no live upstreams while connecting to upstream\n";
        bad += QByteArray(3 << 20, 'A') + '\n';
        bad += QByteArray("nul\0byte\n", 9);
        bad += "bad \xc3\x28 utf8\n";
        bad += "2024/10/22 13:51:57 [error] 1#1: *2 no live upstreams while connecting to upstream\n";
        const QString path = m_dir.filePath(QStringLiteral("bad.log"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bad);
        f.close();
        const Run r = runCli({QStringLiteral("classify"), path});
        QCOMPARE(r.exitCode, 1);
        const QList<QJsonObject> lines = jsonLines(r.out);
        QCOMPARE(lines.size(), 5);
        QCOMPARE(lines.at(4).value(QLatin1String("cause")).toString(), QStringLiteral("no-live-upstreams"));
        QCOMPARE(lines.at(4).value(QLatin1String("line")).toInt(), 5);
        const QList<QByteArray> errors = r.err.trimmed().split('\n');
        QCOMPARE(errors.size(), 3); // NUL bytes, invalid UTF-8, the long line: once each
        for (const QByteArray &e : errors)
            QVERIFY2(e.contains(path.toUtf8()), e.constData());
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no subcommand") << QStringList{};
        QTest::newRow("unknown subcommand") << QStringList{QStringLiteral("grep")};
        QTest::newRow("no file") << QStringList{QStringLiteral("classify")};
        QTest::newRow("unknown format") << QStringList{QStringLiteral("classify"), QStringLiteral("--format"),
                                                       QStringLiteral("nope"), data("access.log")};
        QTest::newRow("bad log_format") << QStringList{QStringLiteral("classify"), QStringLiteral("--log-format"),
                                                       QStringLiteral("$remote_addr"), data("access.log")};
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err.trimmed().count('\n'), 0);
        QVERIFY(r.err.startsWith("docserver-doctor-cli: "));
    }

    void followPrintsAppendedLines()
    {
        const QString path = m_dir.filePath(QStringLiteral("follow.log"));
        QFile log(path);
        QVERIFY(log.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
        log.write("2024/10/22 13:51:55 [error] 1#1: *1 no live upstreams while connecting to upstream\n");
        QProcess p;
        p.start(QStringLiteral(DD_CLI_PATH),
                {QStringLiteral("logs"), QStringLiteral("follow"), path, QStringLiteral("--classified"),
                 QStringLiteral("--for"), QStringLiteral("60")});
        QVERIFY(p.waitForStarted(10000));
        QByteArray out;
        connect(&p, &QProcess::readyReadStandardOutput, this, [&] { out += p.readAllStandardOutput(); });
        // The follower starts at the end: keep appending until it is watching, then check
        // that the first reported line is one written after the start.
        int written = 0;
        QTRY_VERIFY_WITH_TIMEOUT((log.write("[2024-10-22T13:51:56.259] [ERROR] nodeJS - editorData error: x " +
                                            QByteArray::number(++written) + "\n"),
                                  out.contains("redis-unreachable")),
                                 20000);
        QVERIFY(!out.contains("no-live-upstreams"));
        p.terminate(); // SIGTERM: stops cleanly
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
        out += p.readAllStandardOutput();
        const QList<QJsonObject> lines = jsonLines(out);
        QVERIFY(!lines.isEmpty());
        QCOMPARE(lines.constFirst().value(QLatin1String("file")).toString(), path);
    }
};

QTEST_GUILESS_MAIN(TestLogsCli)
#include "tst_logscli.moc"
