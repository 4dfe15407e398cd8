// `logs follow --journal-file` on a live journal: this container runs no journald, so a real
// journal file is written by systemd-journal-remote (Debian's systemd-journal-remote package)
// from journal export format on its standard input, entry by entry, while the CLI follows the
// file through `journalctl --file -f`. Every entry appended must come out classified; nothing
// may stay running afterwards.
#include "labfixture.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString journalRemote = QStringLiteral("/lib/systemd/systemd-journal-remote");

// One entry in journal export format (text fields only; the boot id is made up).
QByteArray exportEntry(const QByteArray &unit, const QByteArray &message, qint64 pid)
{
    const QByteArray us = QByteArray::number(QDateTime::currentMSecsSinceEpoch() * 1000);
    const QByteArray identifier = unit.left(unit.indexOf('.'));
    return "__REALTIME_TIMESTAMP=" + us + "\n__MONOTONIC_TIMESTAMP=" + us +
           "\n_BOOT_ID=5d2a1c8e4b7f4e0a9c3d6b1f2e8a7c40\n_HOSTNAME=ds1\n_SYSTEMD_UNIT=" + unit +
           "\nSYSLOG_IDENTIFIER=" + identifier + "\n_PID=" + QByteArray::number(pid) +
           "\nPRIORITY=3\nMESSAGE=" + message + "\n\n";
}

struct Expected
{
    QByteArray unit;
    QByteArray message;
    QString cause; ///< or the health signal
};

// Real lines of the DS units (from the failure catalog), one entry each.
const QList<Expected> &entries()
{
    static const QList<Expected> list{
        {"ds-docservice.service",
         "[2024-10-22T13:51:51.120] [ERROR] [localhost] [docId] [userId] nodeJS - [AMQP] Error: connect ECONNREFUSED "
         "127.0.0.1:5672",
         QStringLiteral("rabbitmq-unreachable")},
        {"nginx.service",
         "2024/10/22 13:51:53 [error] 901#901: *45 connect() failed (111: Connection refused) while connecting to "
         "upstream, client: 172.18.0.1, server: , request: \"GET /healthcheck HTTP/1.1\", upstream: "
         "\"http://127.0.0.1:8000/healthcheck\", host: \"localhost\"",
         QStringLiteral("ds-docservice-down")},
        {"ds-docservice.service",
         "[2024-10-22T13:51:56.259] [WARN] [localhost] [docId] [userId] nodeJS - Express server listening on port "
         "8000 in production-linux mode. Version: 8.2.0. Build: 123",
         QStringLiteral("docservice-listening")},
        {"ds-converter.service",
         "[2024-10-22T13:51:57.001] [ERROR] [localhost] [conv_check_1] [userId] nodeJS - error downloadFile:url="
         "http://nc.local/apps/onlyoffice/empty?doc=x;attempt=1;code:ETIMEDOUT;connect:undefined Error: Error: whole "
         "request cycle timeout",
         QStringLiteral("conversion-download-timeout-as-504")},
    };
    return list;
}

} // namespace

class TestLogJournalFile : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString journal() const { return m_dir.filePath(QStringLiteral("remote.journal")); }

    // The JSON lines the CLI printed so far, by MESSAGE text they carry.
    static QList<QJsonObject> parse(const QByteArray &out)
    {
        QList<QJsonObject> lines;
        for (const QByteArray &l : out.split('\n')) {
            if (!l.isEmpty())
                lines << QJsonDocument::fromJson(l).object();
        }
        return lines;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFile::exists(journalRemote))
            QSKIP("systemd-journal-remote is not installed (apt-get install systemd-journal-remote)");
        if (QStandardPaths::findExecutable(QStringLiteral("journalctl")).isEmpty())
            QSKIP("journalctl is not installed (Debian's systemd package)");
        QVERIFY(m_dir.isValid());
    }

    void followsEntriesAsTheyAreWritten()
    {
        QProcess writer;
        writer.start(journalRemote, {QString(QStringLiteral("--output=") + journal()), QStringLiteral("-")});
        QVERIFY2(writer.waitForStarted(5000), qPrintable(writer.errorString()));
        // A first entry creates the file; the follower then reads it from the start.
        writer.write(exportEntry("ds-docservice.service",
                                 "[2024-10-22T13:51:50.001] [WARN] [localhost] [docId] [userId] nodeJS - Express "
                                 "server starting...",
                                 4242));
        QTRY_VERIFY_WITH_TIMEOUT(QFile(journal()).size() > 0, 10000);

        QProcess follower;
        follower.start(QStringLiteral(DD_CLI_PATH),
                       {QStringLiteral("logs"), QStringLiteral("follow"), QStringLiteral("--journal-file"), journal(),
                        QStringLiteral("--from-start"), QStringLiteral("--timezone"), QStringLiteral("UTC")});
        QVERIFY2(follower.waitForStarted(5000), qPrintable(follower.errorString()));
        QByteArray out;
        auto read = [&] {
            out += follower.readAllStandardOutput();
            return parse(out);
        };
        // The stored entry comes out first: journalctl is following now.
        QTRY_VERIFY_WITH_TIMEOUT(!read().isEmpty(), 15000);

        // Each entry appended afterwards comes out classified, one after the other.
        qsizetype seen = read().size();
        for (const Expected &e : entries()) {
            writer.write(exportEntry(e.unit, e.message, 4243));
            QTRY_VERIFY_WITH_TIMEOUT(read().size() > seen, 10000);
            const QList<QJsonObject> lines = read();
            QCOMPARE(lines.size(), seen + 1);
            const QJsonObject line = lines.constLast();
            seen = lines.size();
            QCOMPARE(line.value(QLatin1String("file")).toString(),
                     QString(QStringLiteral("journal:") + QString::fromUtf8(e.unit)));
            const QJsonObject fields = line.value(QLatin1String("fields")).toObject();
            QCOMPARE(fields.value(QLatin1String("unit")).toString(), QString::fromUtf8(e.unit));
            QCOMPARE(fields.value(QLatin1String("host")).toString(), QStringLiteral("ds1"));
            const QString what = line.value(QLatin1String("cause")).isNull()
                                     ? line.value(QLatin1String("signal")).toString()
                                     : line.value(QLatin1String("cause")).toString();
            QCOMPARE(what, e.cause);
            // The time the line carries (UTC here), not the time it was written to the journal.
            QCOMPARE(line.value(QLatin1String("time")).toString().left(16), QStringLiteral("2024-10-22T13:51"));
        }
        const QByteArray stderrText = follower.readAllStandardError();
        QVERIFY2(stderrText.isEmpty(), stderrText.constData());

        // Stop both; neither the CLI nor its journalctl nor the writer may stay behind.
        const QList<qint64> pids = LabFixture::processTree(follower.processId());
        follower.terminate();
        QVERIFY(follower.waitForFinished(10000));
        writer.closeWriteChannel();
        QVERIFY(writer.waitForFinished(10000));
        QCOMPARE(writer.exitCode(), 0);
        for (qint64 pid : pids)
            QVERIFY2(!LabFixture::processExists(pid), qPrintable(QString::number(pid)));
        QVERIFY(LabFixture::processesMentioning(journal()).isEmpty());

        // The same file read once, filtered by unit.
        QProcess classify;
        classify.start(QStringLiteral(DD_CLI_PATH),
                       {QStringLiteral("logs"), QStringLiteral("classify"), QStringLiteral("--journal-file"), journal(),
                        QStringLiteral("--journal"), QStringLiteral("nginx")});
        QVERIFY(classify.waitForFinished(20000));
        const QList<QJsonObject> stored = parse(classify.readAllStandardOutput());
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first().value(QLatin1String("cause")).toString(), QStringLiteral("ds-docservice-down"));
        QCOMPARE(classify.exitCode(), 1); // a line names a failure
    }

    // A journal that cannot be read is said in one line naming it (exit 2), also when reading once
    // (no second line about finding no entries).
    void anUnreadableJournalIsSaidOnce_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("says");
        QTest::newRow("not a journal file")
            << QStringLiteral("follow") << QStringLiteral("--journal-file")
            << m_dir.filePath(QStringLiteral("not-a-journal.journal")) << QStringLiteral("*.journal");
        QTest::newRow("no such directory")
            << QStringLiteral("classify") << QStringLiteral("--journal-dir")
            << m_dir.filePath(QStringLiteral("no-such-dir")) << QStringLiteral("No such file");
    }
    void anUnreadableJournalIsSaidOnce()
    {
        QFETCH(QString, mode);
        QFETCH(QString, option);
        QFETCH(QString, path);
        QFETCH(QString, says);
        if (option == QLatin1String("--journal-file")) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("2024/10/22 13:51:53 [error] plain text, not a journal\n");
        }
        QProcess cli;
        cli.start(QStringLiteral(DD_CLI_PATH), {QStringLiteral("logs"), mode, option, path});
        QVERIFY(cli.waitForFinished(20000));
        const QString err = QString::fromUtf8(cli.readAllStandardError()).trimmed();
        QVERIFY2(!err.contains(QLatin1Char('\n')), qPrintable(err));
        QVERIFY2(err.contains(path) && err.contains(says), qPrintable(err));
        QCOMPARE(cli.exitCode(), 2);
    }
};

QTEST_GUILESS_MAIN(TestLogJournalFile)
#include "tst_logjournalfile.moc"
