// Formats: detection, timestamps, fields, nginx log_format, the record reader (continuation
// lines, bad input), the prefilter, and whole-file scans (tail, gzip, engine thread).
#include "logs/logclassifier.h"
#include "logs/logformatdetector.h"
#include "logs/logrecordreader.h"
#include "logs/logscan.h"
#include "logs/logscanner.h"
#include "logs/multiliteralmatcher.h"
#include "logs/nginxaccessformat.h"

#include <QBuffer>
#include <QDate>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace dd;

namespace {

QList<LogRecordReader::Record> readAll(LogRecordReader &reader, const QByteArray &data, int chunk,
                                       QList<QByteArray> *texts)
{
    QList<LogRecordReader::Record> out;
    LogRecordReader::Record r;
    for (qsizetype at = 0; at < data.size(); at += chunk) {
        reader.append(QByteArrayView(data).sliced(at, std::min<qsizetype>(chunk, data.size() - at)));
        while (reader.next(&r)) {
            out << r;
            texts->append(r.bytes.toByteArray());
        }
    }
    while (reader.next(&r, LogRecordReader::Flush::All)) {
        out << r;
        texts->append(r.bytes.toByteArray());
    }
    return out;
}

} // namespace

class TestLogFormats : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    LogClassifier m_utc;

    QString writeFile(const QString &name, const QByteArray &data)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
            return QString();
        return f.fileName();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_utc.setTimeZone(QTimeZone::utc());
    }

    void detectsFormats_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("format");
        QTest::newRow("nginx error") << QStringLiteral("2024/10/22 13:51:56 [error] 1#1: *2 x")
                                     << QStringLiteral("nginx-error");
        QTest::newRow("nginx -t") << QStringLiteral("nginx: [emerg] unknown \"cache_tag\" variable")
                                  << QStringLiteral("nginx-error");
        QTest::newRow("compose prefix, colours")
            << QStringLiteral("\x1b[36monlyoffice-1  |\x1b[0m 2024/10/22 13:51:56 [error] 1#1: x")
            << QStringLiteral("nginx-error");
        QTest::newRow("journald") << QStringLiteral(
                                         "Oct  2 13:51:56 host nginx[12]: 2024/10/02 13:51:56 [error] 1#1: x")
                                  << QStringLiteral("nginx-error");
        QTest::newRow("journald short-iso")
            << QStringLiteral(
                   "2024-10-22T13:51:56+0000 host ds-docservice[9]: [2024-10-22T13:51:56.259] [ERROR] nodeJS - x")
            << QStringLiteral("ds");
        QTest::newRow("access") << QStringLiteral(
                                       "::1 - - [22/Oct/2024:13:51:56 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"")
                                << QStringLiteral("nginx-access");
        QTest::newRow("access by name")
            << QStringLiteral("docs.example 10.0.0.1 - - [22/Oct/2024:13:51:56 +0000] \"GET / HTTP/1.1\" 200 1")
            << QStringLiteral("text"); // not the combined shape: needs --log-format
        QTest::newRow("apache 2.4") << QStringLiteral("[Tue Oct 22 13:51:56.259123 2024] [proxy:error] [pid 1:tid 2] x")
                                    << QStringLiteral("apache-error");
        QTest::newRow("log4js 7.2+") << QStringLiteral(
                                            "[2024-10-22T13:51:56.259] [ERROR] [localhost] [docId] [userId] nodeJS - x")
                                     << QStringLiteral("ds");
        QTest::newRow("log4js 5.x") << QStringLiteral("[2020-10-21T10:36:32.131] [ERROR] nodeJS - x")
                                    << QStringLiteral("ds");
        QTest::newRow("log4js 5.1") << QStringLiteral("[2018-04-28 16:08:42.109] [ERROR] nodeJS - x")
                                    << QStringLiteral("ds");
        QTest::newRow("traefik logfmt") << QStringLiteral("time=\"2024-10-22T13:51:56Z\" level=debug msg=\"x\"")
                                        << QStringLiteral("traefik");
        QTest::newRow("traefik json") << QStringLiteral(
                                             "{\"level\":\"debug\",\"msg\":\"x\",\"time\":\"2024-10-22T13:51:56Z\"}")
                                      << QStringLiteral("traefik");
        QTest::newRow("caddy")
            << QStringLiteral("{\"level\":\"error\",\"ts\":1729605116.259,\"logger\":\"http.log.error\",\"msg\":\"x\"}")
            << QStringLiteral("caddy");
        QTest::newRow("nextcloud") << QStringLiteral("{\"reqId\":\"a\",\"level\":3,\"time\":\"2024-10-22T13:51:56+00:"
                                                     "00\",\"app\":\"onlyoffice\",\"message\":\"x\"}")
                                   << QStringLiteral("nextcloud");
        QTest::newRow("rabbitmq") << QStringLiteral("2024-10-22 13:51:56.259403+00:00 [info] <0.230.0> x")
                                  << QStringLiteral("rabbitmq");
        QTest::newRow("postgresql") << QStringLiteral("2024-10-22 13:51:56.259 UTC [1] LOG:  x")
                                    << QStringLiteral("postgresql");
        QTest::newRow("postgresql, zone name")
            << QStringLiteral("2024-10-22 13:51:56.259 CEST [1] LOG:  x") << QStringLiteral("postgresql");
        QTest::newRow("redis") << QStringLiteral("1:M 22 Oct 2024 13:51:56.259 * Ready to accept connections tcp")
                               << QStringLiteral("redis");
        QTest::newRow("supervisor")
            << QStringLiteral("2024-10-22 13:51:56,259 INFO exited: docservice (exit status 1; not expected)")
            << QStringLiteral("supervisor");
        QTest::newRow("anything else") << QStringLiteral("hello") << QStringLiteral("text");
        QTest::newRow("docker logs header")
            << QStringLiteral("==> /var/log/onlyoffice/documentserver/nginx.error.log <==") << QStringLiteral("text");
    }
    void detectsFormats()
    {
        QFETCH(QString, line);
        QFETCH(QString, format);
        QCOMPARE(m_utc.classify(line).format, format);
    }

    void timestamps_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QString>("utc");
        const QString berlin = QStringLiteral("Europe/Berlin");
        QTest::newRow("nginx error, local time") << QStringLiteral("2024/10/22 13:51:56 [error] 1#1: x") << berlin
                                                 << QStringLiteral("2024-10-22T11:51:56.000Z");
        QTest::newRow("nginx error, winter") << QStringLiteral("2024/01/22 13:51:56 [error] 1#1: x") << berlin
                                             << QStringLiteral("2024-01-22T12:51:56.000Z");
        QTest::newRow("access has its offset")
            << QStringLiteral("1.2.3.4 - - [22/Oct/2024:13:51:56 +0530] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"") << berlin
            << QStringLiteral("2024-10-22T08:21:56.000Z");
        QTest::newRow("log4js") << QStringLiteral("[2024-10-22T13:51:56.259] [ERROR] nodeJS - x") << berlin
                                << QStringLiteral("2024-10-22T11:51:56.259Z");
        QTest::newRow("log4js 5.1") << QStringLiteral("[2018-04-28 16:08:42.109] [ERROR] nodeJS - x")
                                    << QStringLiteral("UTC") << QStringLiteral("2018-04-28T16:08:42.109Z");
        QTest::newRow("apache") << QStringLiteral("[Tue Oct 22 13:51:56.259123 2024] [proxy:error] [pid 1] x") << berlin
                                << QStringLiteral("2024-10-22T11:51:56.259Z");
        QTest::newRow("traefik Z") << QStringLiteral("time=\"2024-10-22T13:51:56Z\" level=debug msg=\"x\"") << berlin
                                   << QStringLiteral("2024-10-22T13:51:56.000Z");
        QTest::newRow("caddy epoch")
            << QStringLiteral("{\"level\":\"error\",\"ts\":1729605116.259,\"logger\":\"l\",\"msg\":\"x\"}") << berlin
            << QStringLiteral("2024-10-22T13:51:56.259Z");
        QTest::newRow("nextcloud offset") << QStringLiteral("{\"reqId\":\"a\",\"level\":3,\"time\":\"2024-10-22T15:51:"
                                                            "56+02:00\",\"app\":\"x\",\"message\":\"x\"}")
                                          << QStringLiteral("UTC") << QStringLiteral("2024-10-22T13:51:56.000Z");
        QTest::newRow("rabbitmq") << QStringLiteral("2024-10-22 13:51:56.259403+00:00 [info] <0.1.0> x") << berlin
                                  << QStringLiteral("2024-10-22T13:51:56.259Z");
        QTest::newRow("postgresql UTC") << QStringLiteral("2024-10-22 13:51:56.259 UTC [1] LOG:  x") << berlin
                                        << QStringLiteral("2024-10-22T13:51:56.259Z");
        QTest::newRow("postgresql zone name is local") << QStringLiteral("2024-10-22 13:51:56.259 CEST [1] LOG:  x")
                                                       << berlin << QStringLiteral("2024-10-22T11:51:56.259Z");
        QTest::newRow("redis") << QStringLiteral("1:M 22 Oct 2024 13:51:56.259 * x") << QStringLiteral("UTC")
                               << QStringLiteral("2024-10-22T13:51:56.259Z");
        QTest::newRow("supervisor") << QStringLiteral("2024-10-22 13:51:56,259 INFO x") << QStringLiteral("UTC")
                                    << QStringLiteral("2024-10-22T13:51:56.259Z");
        QTest::newRow("docker --timestamps wins when the line has none")
            << QStringLiteral("2024-10-22T13:51:56.123456789Z Generating AllFonts.js, please wait...Done") << berlin
            << QStringLiteral("2024-10-22T13:51:56.123Z");
        QTest::newRow("no time") << QStringLiteral("hello") << berlin << QString();
    }
    void timestamps()
    {
        QFETCH(QString, line);
        QFETCH(QString, zone);
        QFETCH(QString, utc);
        LogClassifier c;
        c.setTimeZone(QTimeZone(zone.toUtf8()));
        const ClassifiedLine l = c.classify(line);
        QCOMPARE(l.timeUtc.isValid() ? l.timeUtc.toString(Qt::ISODateWithMs) : QString(), utc);
    }

    void journaldYearIsThisYear()
    {
        const ClassifiedLine l = m_utc.classify(
            QStringLiteral("Oct 22 13:51:56 host ds-converter[9]: Waiting for connection to the db host on port 5432"));
        QCOMPARE(l.timeUtc.date().year(), QDate::currentDate().year());
        QCOMPARE(l.fields.value(QStringLiteral("unit")).toString(), QStringLiteral("ds-converter"));
    }

    void customAccessFormat_data()
    {
        QTest::addColumn<QString>("logFormat");
        QTest::addColumn<QString>("line");
        QTest::addColumn<QVariantMap>("fields");
        QTest::addColumn<QString>("signal");
        QTest::newRow("upstream lists")
            << QStringLiteral(
                   "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" "
                   "\"$http_user_agent\" ua=\"$upstream_addr\" us=\"$upstream_status\" rt=$request_time "
                   "uct=\"$upstream_connect_time\" urt=\"$upstream_response_time\" rid=$request_id")
            << QStringLiteral("10.0.0.1 - - [22/Oct/2024:13:51:56 +0000] \"GET /healthcheck HTTP/1.1\" 502 157 "
                              "\"-\" \"curl/8\" ua=\"127.0.0.1:8000, [::1]:8000\" us=\"502, 502\" rt=0.001 "
                              "uct=\"-, -\" urt=\"0.000, 0.001\" rid=7f1c0a9e2b")
            << QVariantMap{{QStringLiteral("upstream_addr"), QStringLiteral("127.0.0.1:8000, [::1]:8000")},
                           {QStringLiteral("upstream_status"), QStringLiteral("502, 502")},
                           {QStringLiteral("upstream_response_time"), QStringLiteral("0.000, 0.001")},
                           {QStringLiteral("upstream_connect_time"), QStringLiteral("-, -")},
                           {QStringLiteral("request_id"), QStringLiteral("7f1c0a9e2b")},
                           {QStringLiteral("status"), 502},
                           {QStringLiteral("path"), QStringLiteral("/healthcheck")}}
            << QStringLiteral("http-502");
        QTest::newRow("pasted as in nginx.conf, status first")
            << QStringLiteral("'$status $request_time [$time_iso8601] '\n    '$host \"$request\"'")
            << QStringLiteral("504 60.001 [2024-10-22T13:51:56+00:00] docs \"POST /ConvertService.ashx HTTP/1.1\"")
            << QVariantMap{{QStringLiteral("host"), QStringLiteral("docs")}, {QStringLiteral("status"), 504}}
            << QString();
        QTest::newRow("json-ish") << QStringLiteral("{\"s\":\"$status\",\"u\":\"$uri\",\"ua\":\"$upstream_addr\"}")
                                  << QStringLiteral("{\"s\":\"413\",\"u\":\"/upload\",\"ua\":\"10.0.0.5:80\"}")
                                  << QVariantMap{{QStringLiteral("uri"), QStringLiteral("/upload")},
                                                 {QStringLiteral("status"), 413}}
                                  << QString();
    }
    void customAccessFormat()
    {
        QFETCH(QString, logFormat);
        QFETCH(QString, line);
        QFETCH(QVariantMap, fields);
        QFETCH(QString, signal);
        LogClassifier c = m_utc;
        QString error;
        QVERIFY2(c.setAccessLogFormat(logFormat, &error), qPrintable(error));
        const ClassifiedLine l = c.classify(line);
        QCOMPARE(l.format, QStringLiteral("nginx-access"));
        for (auto it = fields.cbegin(); it != fields.cend(); ++it)
            QCOMPARE(l.fields.value(it.key()).toString(), it.value().toString());
        if (!signal.isEmpty())
            QCOMPARE(l.signal, signal);
    }
    void customFormatKeepsItsCauses()
    {
        LogClassifier c = m_utc;
        QString error;
        QVERIFY(c.setAccessLogFormat(QStringLiteral("$time_iso8601|$status|$request_uri|$upstream_status"), &error));
        const ClassifiedLine l = c.classify(QStringLiteral("2024-10-22T13:51:56+00:00|413|/example/upload|-"));
        QCOMPARE(l.causeId, QStringLiteral("request-body-too-large"));
        QCOMPARE(l.timeUtc.toString(Qt::ISODate), QStringLiteral("2024-10-22T13:51:56Z"));
    }
    void badLogFormatIsRefused()
    {
        LogClassifier c;
        QString error;
        QVERIFY(!c.setAccessLogFormat(QStringLiteral("no variables here"), &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!c.setAccessLogFormat(QStringLiteral("$remote_addr $request"), &error));
        QVERIFY(error.contains(QLatin1String("$status")));
    }

    void reader_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QList<QByteArray>>("records");
        QTest::addColumn<QList<qint64>>("lineNumbers");
        QTest::newRow("stack trace joined")
            << QByteArray("a\nb\n    at x\n    at y\nc\n") << QList<QByteArray>{"a", "b\n    at x\n    at y", "c"}
            << QList<qint64>{1, 2, 5};
        QTest::newRow("crlf and blank lines")
            << QByteArray("a\r\n\r\n\nb\r\n") << QList<QByteArray>{"a", "b"} << QList<qint64>{1, 4};
        QTest::newRow("no final newline") << QByteArray("a\nb") << QList<QByteArray>{"a", "b"} << QList<qint64>{1, 2};
        QTest::newRow("tab continuation")
            << QByteArray("a\n\tmore\n") << QList<QByteArray>{"a\n\tmore"} << QList<qint64>{1};
        QTest::newRow("leading continuation stands alone")
            << QByteArray("    at x\na\n") << QList<QByteArray>{"    at x", "a"} << QList<qint64>{1, 2};
    }
    void reader()
    {
        QFETCH(QByteArray, data);
        QFETCH(QList<QByteArray>, records);
        QFETCH(QList<qint64>, lineNumbers);
        for (int chunk : {1, 3, 1 << 20}) { // boundaries anywhere must not change the records
            LogRecordReader reader;
            QList<QByteArray> texts;
            const auto got = readAll(reader, data, chunk, &texts);
            QCOMPARE(texts, records);
            QList<qint64> numbers;
            for (const auto &r : got)
                numbers << r.line;
            QCOMPARE(numbers, lineNumbers);
        }
    }

    void readerBoundsLongLinesAndFlagsBadBytes()
    {
        LogRecordReader reader(4096, 1000);
        QList<QByteArray> texts;
        QByteArray data = "ok\n" + QByteArray(5000, 'x') + "\nbin";
        data += '\0';
        data += "ary\nbad \xc3\x28 utf8\nend\n"; // 0xc3 0x28: a lead byte without its continuation
        const auto got = readAll(reader, data, 700, &texts);
        QCOMPARE(got.size(), 5);
        QCOMPARE(texts.at(1).size(), 1000);
        QVERIFY(got.at(1).truncated);
        QCOMPARE(got.at(2).line, 3);
        QVERIFY(got.at(2).hasNul);
        QVERIFY(got.at(3).invalidUtf8);
        QVERIFY(!got.at(4).invalidUtf8 && !got.at(4).hasNul);
        QCOMPARE(reader.issues().firstLongLine, 2);
        QCOMPARE(reader.issues().firstNulLine, 3);
        QCOMPARE(reader.issues().firstInvalidUtf8Line, 4);
        QCOMPARE(reader.linesSeen(), 5);
    }

    void matcherFindsWhatASimpleSearchFinds()
    {
        const QList<QByteArray> literals{"connect() ", "upstream timed out", "ECONNREFUSED", "HTTP/1.1\" 502 ", "abcd",
                                         "bcde",       "zzzzzzzzzzzz",       "AH01144: No"};
        QRandomGenerator rng(42);
        const QByteArray alphabet = "abcdez() \"/HTTP1.502EONRFUSDconect";
        for (const bool tuned : {false, true}) {
            MultiLiteralMatcher m;
            QByteArray sample;
            for (int i = 0; i < 2000; ++i)
                sample += alphabet.at(rng.bounded(int(alphabet.size())));
            m.build(literals, tuned ? QByteArrayView(sample) : QByteArrayView());
            for (int round = 0; round < 3000; ++round) {
                QByteArray text;
                const int len = rng.bounded(120);
                for (int i = 0; i < len; ++i)
                    text += alphabet.at(rng.bounded(int(alphabet.size())));
                if (rng.bounded(3) == 0)
                    text.insert(rng.bounded(int(text.size()) + 1), literals.at(rng.bounded(int(literals.size()))));
                MultiLiteralMatcher::Hits hits;
                m.findAll(text, &hits);
                for (int id = 0; id < literals.size(); ++id)
                    QCOMPARE(hits.contains(quint16(id)), text.contains(literals.at(id)));
            }
        }
    }

    void detectorDecidesPerFile()
    {
        LogFormatDetector d;
        QCOMPARE(d.resultName(), QString());
        for (int i = 0; i < 20; ++i)
            d.addLine("2024/10/22 13:51:56 [error] 1#1: x");
        d.addLine("garbage");
        QCOMPARE(d.result(), LogFormat::NginxError);
        for (int i = 0; i < 20; ++i)
            d.addLine("[2024-10-22T13:51:56.259] [ERROR] nodeJS - x");
        QCOMPARE(d.result(), LogFormat::Auto);
        QCOMPARE(d.resultName(), QStringLiteral("mixed"));
    }

    void tailOfAFile()
    {
        QByteArray data;
        for (int i = 1; i <= 1000; ++i)
            data += "[2024-10-22T13:51:56.259] [WARN] nodeJS - line " + QByteArray::number(i) + "\n";
        data += "[2024-10-22T13:51:57.000] [ERROR] nodeJS - healthCheck error Error: editorData\n";
        const QString file = writeFile(QStringLiteral("tail.log"), data);
        QString error;
        const QList<ClassifiedLine> lines = classifyFileTail(m_utc, file, 300, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.constFirst().line, 1001);
        QCOMPARE(lines.constFirst().causeId, QStringLiteral("healthcheck-false"));
        QCOMPARE(lines.constFirst().file, file);
        QVERIFY(classifyFileTail(m_utc, m_dir.filePath(QStringLiteral("nope.log")), 300, &error).isEmpty());
        QVERIFY(error.contains(QLatin1String("nope.log")));
    }

    void scanSummarisesFiles()
    {
        const QByteArray data =
            "2024/10/22 13:51:56 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to "
            "upstream, "
            "client: 1.1.1.1, server: , request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:8000/\", host: "
            "\"h\"\n"
            "2024/10/22 13:52:56 [error] 1#1: *2 connect() failed (111: Connection refused) while connecting to "
            "upstream, "
            "client: 1.1.1.1, server: , request: \"GET / HTTP/1.1\", upstream: \"http://[::1]:8000/\", host: \"h\"\n"
            "2024/10/22 13:50:00 [notice] 1#1: signal process started\n";
        const QString file = writeFile(QStringLiteral("summary.log"), data);
        LogScan scan(m_utc, LogScanOptions{});
        QVERIFY(scan.scanPath(file));
        QVERIFY(!scan.scanPath(m_dir.filePath(QStringLiteral("missing.log"))));
        const LogSummary s = scan.summary();
        QCOMPARE(s.records, 3);
        QCOMPARE(s.classified, 2);
        QCOMPARE(s.entries.size(), 1);
        QCOMPARE(s.entries.constFirst().id, QStringLiteral("ds-docservice-down"));
        QCOMPARE(s.entries.constFirst().count, 2);
        QCOMPARE(s.entries.constFirst().first.toString(Qt::ISODate), QStringLiteral("2024-10-22T13:51:56Z"));
        QCOMPARE(s.entries.constFirst().last.toString(Qt::ISODate), QStringLiteral("2024-10-22T13:52:56Z"));
        QCOMPARE(s.entries.constFirst().rules.value(QStringLiteral("nginx.connect-refused")), 2);
        QCOMPARE(s.files.size(), 2);
        QCOMPARE(s.files.at(0).format, QStringLiteral("nginx-error"));
        QVERIFY(!s.files.at(1).readable);
        QVERIFY(s.files.at(1).problems.value(0).contains(QLatin1String("missing.log")));
        QVERIFY(s.hasFailure());
        QVERIFY(s.hasUnreadable());
    }

    void readsGzipHistory()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("gzip")).isEmpty())
            QSKIP("gzip is not installed");
        const QString file = writeFile(QStringLiteral("old.log"),
                                       "[2024-10-22T13:51:56.259] [ERROR] nodeJS - [AMQP] Error: read ECONNRESET\n");
        QCOMPARE(QProcess::execute(QStringLiteral("gzip"), {QStringLiteral("-f"), file}), 0);
        LogScan scan(m_utc, LogScanOptions{});
        QVERIFY(scan.scanPath(file + QStringLiteral(".gz")));
        QCOMPARE(scan.summary().entries.value(0).id, QStringLiteral("rabbitmq-41-frame-max"));
    }

    void scannerRunsOnItsThreadAndKeepsOrder()
    {
        QByteArray data;
        constexpr int count = 20000;
        for (int i = 0; i < count; ++i)
            data += "[2024-10-22T13:51:56.259] [WARN] nodeJS - io.connection_error code=" + QByteArray::number(i % 3) +
                    ", message=x " + QByteArray::number(i) + "\n";
        const QString file = writeFile(QStringLiteral("many.log"), data);
        LogScanner scanner;
        scanner.setClassifier(m_utc);
        QList<qint64> numbers;
        connect(&scanner, &LogScanner::linesClassified, this, [&](const QList<ClassifiedLine> &lines) {
            QVERIFY(QThread::currentThread() == thread());
            for (const ClassifiedLine &l : lines)
                numbers << l.line;
        });
        QSignalSpy finished(&scanner, &LogScanner::scanFinished);
        LogScanOptions options;
        options.emitLines = true;
        scanner.scan({file}, options);
        QVERIFY(scanner.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QCOMPARE(numbers.size(), count);
        for (int i = 0; i < count; ++i)
            QCOMPARE(numbers.at(i), qint64(i + 1));
        const LogSummary s = finished.constFirst().constFirst().value<LogSummary>();
        QCOMPARE(s.classified, count);
        QCOMPARE(s.entries.size(), 3);
    }

    void scannerCancels()
    {
        QByteArray data;
        for (int i = 0; i < 200000; ++i)
            data += "2024/10/22 13:51:56 [error] 1#1: *1 no live upstreams while connecting to upstream\n";
        const QString file = writeFile(QStringLiteral("cancel.log"), data);
        LogScanner scanner;
        QSignalSpy finished(&scanner, &LogScanner::scanFinished);
        int batches = 0;
        connect(&scanner, &LogScanner::linesClassified, this, [&](const QList<ClassifiedLine> &) {
            if (++batches == 2)
                scanner.cancel();
        });
        LogScanOptions options;
        options.emitLines = true;
        scanner.scan({file}, options);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QVERIFY(finished.constFirst().constFirst().value<LogSummary>().records < 200000);
    }
};

QTEST_GUILESS_MAIN(TestLogFormats)
#include "tst_logformats.moc"
