// journald as a log source: the parser on real-shaped `journalctl -o json` entries, and
// JournalSource / `logs classify|follow --journal` with journalctl replaced by a script that
// prints recorded entries (DD_JOURNALCTL): this container has no systemd journal.
#include "logs/journalentry.h"
#include "logs/journalsource.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
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

QString fakeJournalctl()
{
    return QStringLiteral("sh ") + data("journal/fake-journalctl.sh");
}

const ClassifiedLine *findLine(const QList<ClassifiedLine> &lines, const QString &needle)
{
    for (const ClassifiedLine &l : lines) {
        if (l.text.contains(needle))
            return &l;
    }
    return nullptr;
}

} // namespace

class TestLogJournal : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString argsFile() const { return m_dir.filePath(QStringLiteral("args")); }
    QStringList recordedArgs() const
    {
        QFile f(argsFile());
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("DD_FAKE_JOURNAL", data("journal/ds-units.json").toUtf8());
        qputenv("DD_FAKE_ARGS", argsFile().toUtf8());
    }
    void init()
    {
        qputenv("DD_JOURNALCTL", fakeJournalctl().toUtf8());
        qunsetenv("DD_FAKE_FAIL");
        QFile::remove(argsFile());
    }

    void parsesEntries_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("unit");
        QTest::addColumn<qint64>("realtimeUs");
        QTest::newRow("string") << QByteArray("{\"__REALTIME_TIMESTAMP\":\"1729605116259123\",\"_SYSTEMD_UNIT\":"
                                              "\"ds-docservice.service\",\"SYSLOG_IDENTIFIER\":\"docservice\","
                                              "\"PRIORITY\":\"3\",\"_PID\":\"1234\",\"MESSAGE\":\"a \\\"b\\\"\\tc\"}")
                                << true << QByteArray("a \"b\"\tc") << QStringLiteral("ds-docservice.service")
                                << qint64(1729605116259123);
        // Not UTF-8: journalctl gives the bytes as numbers.
        QTest::newRow("byte array") << QByteArray("{\"_SYSTEMD_UNIT\":\"nginx.service\",\"MESSAGE\":[99,97,102,233,10,"
                                                  "0,120]}")
                                    << true << QByteArray("caf\xe9\n\0x", 7) << QStringLiteral("nginx.service")
                                    << qint64(-1);
        QTest::newRow("null (over 4096 bytes without --all)")
            << QByteArray("{\"SYSLOG_IDENTIFIER\":\"converter\",\"MESSAGE\":null}") << true << QByteArray()
            << QStringLiteral("converter") << qint64(-1);
        QTest::newRow("field written twice")
            << QByteArray("{\"UNIT\":\"ds-converter.service\",\"MESSAGE\":[\"first\",\"second\"]}") << true
            << QByteArray("first") << QStringLiteral("ds-converter.service") << qint64(-1);
        QTest::newRow("no MESSAGE") << QByteArray("{\"_SYSTEMD_UNIT\":\"x.service\"}") << false << QByteArray()
                                    << QString() << qint64(-1);
        QTest::newRow("not JSON") << QByteArray("-- No entries --") << false << QByteArray() << QString() << qint64(-1);
        QTest::newRow("cut JSON") << QByteArray("{\"MESSAGE\":\"abc") << false << QByteArray() << QString()
                                  << qint64(-1);
    }
    void parsesEntries()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, ok);
        QFETCH(QByteArray, message);
        QFETCH(QString, unit);
        QFETCH(qint64, realtimeUs);
        JournalEntry e;
        QString error;
        QCOMPARE(journal::parseEntry(json, &e, &error), ok);
        if (!ok) {
            QVERIFY(!error.isEmpty());
            return;
        }
        QCOMPARE(e.message, message);
        QCOMPARE(e.unit, unit);
        QCOMPARE(e.realtimeUs, realtimeUs);
    }

    void recordedEntriesParse()
    {
        QFile f(data("journal/ds-units.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 8);
        for (const QByteArray &line : lines) {
            JournalEntry e;
            QString error;
            QVERIFY2(journal::parseEntry(line, &e, &error), qPrintable(error));
            QVERIFY(e.realtimeUs > 0);
            QVERIFY(e.unit.endsWith(QLatin1String(".service")));
            QCOMPARE(e.hostname, QStringLiteral("ds1"));
        }
    }

    void formatFollowsTheUnit_data()
    {
        QTest::addColumn<QString>("unit");
        QTest::addColumn<QString>("format");
        QTest::newRow("docservice") << QStringLiteral("ds-docservice.service") << QStringLiteral("ds");
        QTest::newRow("converter") << QStringLiteral("ds-converter.service") << QStringLiteral("ds");
        QTest::newRow("nginx") << QStringLiteral("nginx.service") << QStringLiteral("nginx-error");
        QTest::newRow("rabbitmq") << QStringLiteral("rabbitmq-server.service") << QStringLiteral("rabbitmq");
        QTest::newRow("postgresql") << QStringLiteral("postgresql@15-main.service") << QStringLiteral("postgresql");
        QTest::newRow("unknown") << QStringLiteral("cron.service") << QStringLiteral("auto");
    }
    void formatFollowsTheUnit()
    {
        QFETCH(QString, unit);
        QFETCH(QString, format);
        QCOMPARE(logFormatName(journal::formatForUnit(unit)), format);
    }

    void journalctlArguments()
    {
        const QStringList units{journal::unitName(QStringLiteral("ds-docservice")),
                                journal::unitName(QStringLiteral("nginx.service"))};
        QCOMPARE(journal::journalctlArguments(units, true, false, QString(), QString()),
                 (QStringList{QStringLiteral("-f"), QStringLiteral("-o"), QStringLiteral("json"),
                              QStringLiteral("--all"), QStringLiteral("--no-pager"), QStringLiteral("--lines=0"),
                              QStringLiteral("-u"), QStringLiteral("ds-docservice.service"), QStringLiteral("-u"),
                              QStringLiteral("nginx.service")}));
        const QStringList once = journal::journalctlArguments(units, false, false, QStringLiteral("-1h"), QString());
        QVERIFY(!once.contains(QStringLiteral("-f")));
        QVERIFY(once.contains(QStringLiteral("--since=-1h")));
        QVERIFY(!once.contains(QStringLiteral("--lines=0")));
        QVERIFY(journal::journalctlArguments(units, true, true, QString(), QString())
                    .contains(QStringLiteral("--no-tail")));
        // Journal files copied off a server, or a directory of them, instead of this host's.
        const QStringList copied = journal::journalctlArguments(
            {}, true, false, QString(), QString(),
            {QStringLiteral("/tmp/a.journal"), QStringLiteral("/tmp/b*.journal")}, QStringLiteral("/srv/journal"));
        QVERIFY(copied.contains(QStringLiteral("--file=/tmp/a.journal")));
        QVERIFY(copied.contains(QStringLiteral("--file=/tmp/b*.journal")));
        QVERIFY(copied.contains(QStringLiteral("--directory=/srv/journal")));
        QVERIFY(!copied.contains(QStringLiteral("-u")));
    }

    void readsStoredEntries()
    {
        JournalSource source;
        LogClassifier classifier;
        classifier.setTimeZone(QTimeZone::utc());
        source.setClassifier(classifier);
        source.setUnits({QStringLiteral("ds-docservice"), QStringLiteral("ds-converter"), QStringLiteral("nginx")});
        source.setFollow(false);
        QList<ClassifiedLine> lines;
        QStringList problems;
        connect(&source, &LogStreamSource::linesClassified, this,
                [&](const QList<ClassifiedLine> &batch) { lines += batch; });
        connect(&source, &LogStreamSource::problemFound, this, [&](const QString &p) { problems << p; });
        QSignalSpy stopped(&source, &LogStreamSource::followStopped);
        QSignalSpy failed(&source, &LogStreamSource::sourceFailed);
        source.start();
        QVERIFY(stopped.wait(20000));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(recordedArgs(), (QStringList{QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("--all"),
                                              QStringLiteral("--no-pager"), QStringLiteral("-u"),
                                              QStringLiteral("ds-docservice.service"), QStringLiteral("-u"),
                                              QStringLiteral("ds-converter.service"), QStringLiteral("-u"),
                                              QStringLiteral("nginx.service")}));

        // The AMQP error and its stack line, two journal entries, are one record.
        const ClassifiedLine *amqp = findLine(lines, QStringLiteral("ECONNREFUSED 127.0.0.1:5672"));
        QVERIFY(amqp);
        QCOMPARE(amqp->causeId, QStringLiteral("rabbitmq-unreachable"));
        QCOMPARE(amqp->format, QStringLiteral("ds"));
        QCOMPARE(amqp->file, QStringLiteral("journal:ds-docservice.service"));
        QVERIFY(amqp->text.contains(QLatin1String("\n    at TCPConnectWrap")));
        QCOMPARE(amqp->fields.value(QStringLiteral("unit")).toString(), QStringLiteral("ds-docservice.service"));
        QCOMPARE(amqp->timeUtc.toString(Qt::ISODateWithMs), QStringLiteral("2024-10-22T13:51:51.120Z"));

        const ClassifiedLine *nginx = findLine(lines, QStringLiteral("connect() failed (111"));
        QVERIFY(nginx);
        QCOMPARE(nginx->format, QStringLiteral("nginx-error"));
        QCOMPARE(nginx->causeId, QStringLiteral("ds-docservice-down"));
        QCOMPARE(nginx->file, QStringLiteral("journal:nginx.service"));

        // A message without a time of its own takes the entry's.
        const ClassifiedLine *bare = findLine(lines, QStringLiteral("Express server listening on port 8000 in"));
        QVERIFY(bare);
        QVERIFY(!bare->text.startsWith(QLatin1Char('[')));
        QCOMPARE(bare->timeUtc.toString(Qt::ISODate), QStringLiteral("2024-10-22T13:51:54Z"));

        // The byte-array MESSAGE arrives, and its bad byte is reported once, naming the unit.
        const ClassifiedLine *binary = findLine(lines, QStringLiteral("downloadFile:url=http://storage/caf"));
        QVERIFY(binary);
        QCOMPARE(binary->format, QStringLiteral("ds"));
        QCOMPARE(problems.filter(QStringLiteral("invalid UTF-8")).size(), 1);
        QVERIFY(problems.filter(QStringLiteral("invalid UTF-8"))
                    .first()
                    .contains(QLatin1String("journal:ds-converter.service")));

        const LogSummary summary = source.summary();
        QCOMPARE(summary.files.size(), 3);
        QVERIFY(summary.hasFailure());
    }

    void followsNewEntriesAndStops()
    {
        JournalSource source;
        source.setUnits({QStringLiteral("ds-docservice")});
        QList<ClassifiedLine> lines;
        connect(&source, &LogStreamSource::linesClassified, this,
                [&](const QList<ClassifiedLine> &batch) { lines += batch; });
        QSignalSpy stopped(&source, &LogStreamSource::followStopped);
        QSignalSpy failed(&source, &LogStreamSource::sourceFailed);
        source.start();
        QTRY_VERIFY_WITH_TIMEOUT(findLine(lines, QStringLiteral("Build: 123")) != nullptr, 20000);
        QVERIFY(recordedArgs().contains(QStringLiteral("-f")));
        QVERIFY(recordedArgs().contains(QStringLiteral("--lines=0")));
        QCOMPARE(stopped.count(), 0); // journalctl -f is still running
        source.stop();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, 10000);
        QCOMPARE(failed.count(), 0);
    }

    void failures_data()
    {
        QTest::addColumn<QByteArray>("journalctl");
        QTest::addColumn<QByteArray>("fail");
        QTest::addColumn<QStringList>("says");
        QTest::newRow("not installed") << QByteArray("/nonexistent/bin/journalctl") << QByteArray()
                                       << QStringList{QStringLiteral("/nonexistent/bin/journalctl"),
                                                      QStringLiteral("not found"), QStringLiteral("DD_JOURNALCTL")};
        QTest::newRow("no journal") << QByteArray() << QByteArray("No journal files were found.")
                                    << QStringList{QStringLiteral("status 1"), QStringLiteral("No journal files"),
                                                   QStringLiteral("read the log files instead")};
        QTest::newRow("not allowed") << QByteArray() << QByteArray("Failed to open journal: Permission denied")
                                     << QStringList{QStringLiteral("Permission denied"),
                                                    QStringLiteral("systemd-journal")};
        QTest::newRow("copied file not a journal")
            << QByteArray() << QByteArray("Failed to open files: No data available")
            << QStringList{QStringLiteral("--file /tmp/x.log"), QStringLiteral("No data available"),
                           QStringLiteral("*.journal")};
    }
    void failures()
    {
        QFETCH(QByteArray, journalctl);
        QFETCH(QByteArray, fail);
        QFETCH(QStringList, says);
        if (!journalctl.isEmpty())
            qputenv("DD_JOURNALCTL", journalctl);
        if (!fail.isEmpty())
            qputenv("DD_FAKE_FAIL", fail);
        JournalSource source;
        source.setUnits({QStringLiteral("ds-docservice")});
        if (QByteArrayView(QTest::currentDataTag()).startsWith("copied"))
            source.setFiles({QStringLiteral("/tmp/x.log")});
        QSignalSpy stopped(&source, &LogStreamSource::followStopped);
        QSignalSpy failed(&source, &LogStreamSource::sourceFailed);
        source.start();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, 20000);
        QCOMPARE(failed.count(), 1);
        QVERIFY(source.hasFailed());
        const QString message = failed.first().first().toString();
        QVERIFY2(!message.contains(QLatin1Char('\n')), qPrintable(message));
        for (const QString &s : says)
            QVERIFY2(message.contains(s), qPrintable(message));
    }

    void anEmptyJournalIsSaid()
    {
        qputenv("DD_FAKE_JOURNAL", "/dev/null");
        JournalSource source;
        source.setUnits({QStringLiteral("ds-docservice")});
        source.setFollow(false);
        QSignalSpy stopped(&source, &LogStreamSource::followStopped);
        QSignalSpy problems(&source, &LogStreamSource::problemFound);
        QSignalSpy failed(&source, &LogStreamSource::sourceFailed);
        source.start();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, 20000);
        qputenv("DD_FAKE_JOURNAL", data("journal/ds-units.json").toUtf8());
        QCOMPARE(failed.count(), 0);
        QCOMPARE(problems.count(), 1);
        QVERIFY(problems.first().first().toString().startsWith(
            QLatin1String("journalctl: no entries for ds-docservice.service")));
    }

    void cliClassifiesTheJournal()
    {
        QProcess p;
        p.start(QStringLiteral(DD_CLI_PATH),
                {QStringLiteral("logs"), QStringLiteral("classify"), QStringLiteral("--journal"),
                 QStringLiteral("ds-docservice"), QStringLiteral("--journal"), QStringLiteral("nginx"),
                 QStringLiteral("--since"), QStringLiteral("2024-10-22 13:00"), QStringLiteral("--summary"),
                 QStringLiteral("--json")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        const QJsonObject summary = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        const QByteArray text = QJsonDocument(summary).toJson();
        QVERIFY2(text.contains("rabbitmq-unreachable") && text.contains("ds-docservice-down"), text.constData());
        QVERIFY(recordedArgs().contains(QStringLiteral("--since=2024-10-22 13:00")));
    }

    void cliFollowsTheJournal()
    {
        QProcess p;
        p.start(QStringLiteral(DD_CLI_PATH),
                {QStringLiteral("logs"), QStringLiteral("follow"), QStringLiteral("--journal"),
                 QStringLiteral("ds-docservice"), QStringLiteral("--classified"), QStringLiteral("--for"),
                 QStringLiteral("2")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
        const QByteArray out = p.readAllStandardOutput();
        QVERIFY2(out.contains("\"cause\":\"rabbitmq-unreachable\""), out.constData());
        QVERIFY(out.contains("\"file\":\"journal:ds-docservice.service\""));
    }

    void cliSaysWhenJournalctlIsMissing()
    {
        qputenv("DD_JOURNALCTL", "/nonexistent/bin/journalctl");
        QProcess p;
        p.start(QStringLiteral(DD_CLI_PATH), {QStringLiteral("logs"), QStringLiteral("follow"),
                                              QStringLiteral("--journal"), QStringLiteral("ds-docservice")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        const QByteArray err = p.readAllStandardError().trimmed();
        QCOMPARE(err.count('\n'), 0);
        QVERIFY2(err.contains("journalctl") && err.contains("not found"), err.constData());
    }
};

QTEST_GUILESS_MAIN(TestLogJournal)
#include "tst_logjournal.moc"
