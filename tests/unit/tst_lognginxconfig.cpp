// Access logs in the log_formats an nginx configuration defines: reading the formats (also
// from included files and from an `nginx -T` dump), parsing lines written with them (upstream
// lists, escape=json, an unbracketed $time_local), and `logs classify --nginx-config`.
#include "logs/logclassifier.h"
#include "logs/nginxlogformats.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace dd;

namespace {

QString data(const char *name)
{
    return QStringLiteral(DD_SOURCE_DIR "/tests/data/logs/") + QLatin1String(name);
}

QList<QByteArray> fileLines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> out = f.readAll().split('\n');
    while (!out.isEmpty() && out.constLast().isEmpty())
        out.removeLast();
    return out;
}

const NginxLogFormatDefinition *findFormat(const NginxLogFormats &formats, const QString &name)
{
    for (const NginxLogFormatDefinition &f : formats.formats) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

} // namespace

class TestLogNginxConfig : public QObject
{
    Q_OBJECT

    LogClassifier m_classifier;

private Q_SLOTS:
    void initTestCase()
    {
        m_classifier.setTimeZone(QTimeZone::utc());
        const NginxLogFormats formats = readNginxLogFormats(data("nginx/nginx.conf"));
        QVERIFY2(formats.readable, qPrintable(formats.problems.join(QLatin1Char('\n'))));
        QStringList problems;
        QCOMPARE(addNginxLogFormats(&m_classifier, formats, &problems), 3);
        QCOMPARE(m_classifier.accessLogFormatCount(), 3);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().contains(QLatin1String("nostatus")) &&
                     problems.first().contains(QLatin1String("$status")) &&
                     problems.first().contains(QLatin1String("ds.conf:")),
                 qPrintable(problems.first()));
    }

    void readsFormatsFromIncludedFiles()
    {
        const NginxLogFormats formats = readNginxLogFormats(data("nginx/nginx.conf"));
        QCOMPARE(formats.formats.size(), 4);
        const NginxLogFormatDefinition *upstream = findFormat(formats, QStringLiteral("upstreamlog"));
        QVERIFY(upstream);
        QVERIFY(upstream->format.startsWith(
            QLatin1String("$remote_addr - $remote_user [$time_local] \"$request\" $status")));
        QVERIFY(upstream->format.endsWith(QLatin1String("urt=$upstream_response_time")));
        QVERIFY(!upstream->jsonEscaped);
        QCOMPARE(upstream->accessLogs, QStringList{QStringLiteral("/var/log/nginx/access.log")});
        const NginxLogFormatDefinition *json = findFormat(formats, QStringLiteral("dsjson"));
        QVERIFY(json);
        QVERIFY(json->jsonEscaped);
        QVERIFY(json->format.startsWith(QLatin1String("{\"time\":\"$time_iso8601\"")));
        QVERIFY(json->position.contains(QLatin1String("conf.d/ds.conf:1")));
        const NginxLogFormatDefinition *timing = findFormat(formats, QStringLiteral("timing"));
        QVERIFY(timing);
        QCOMPARE(timing->accessLogs, QStringList{QStringLiteral("/var/log/nginx/ds-timing.log")});
    }

    void readsAnNginxTDump()
    {
        const QByteArray dump = "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
                                "# configuration file /etc/nginx/nginx.conf:\n"
                                "events {}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n}\n\n"
                                "# configuration file /etc/nginx/conf.d/log.conf:\n"
                                "log_format short '$time_iso8601 $status $upstream_status $request_id';\n"
                                "access_log /var/log/nginx/short.log short;\n";
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile f(dir.filePath(QStringLiteral("nginx-T.txt")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(dump);
        f.close();
        const NginxLogFormats formats = readNginxLogFormats(f.fileName());
        QVERIFY(formats.readable);
        QCOMPARE(formats.formats.size(), 1);
        QCOMPARE(formats.formats.first().name, QStringLiteral("short"));
        QCOMPARE(formats.formats.first().format, QStringLiteral("$time_iso8601 $status $upstream_status $request_id"));
        QCOMPARE(formats.formats.first().accessLogs, QStringList{QStringLiteral("/var/log/nginx/short.log")});

        LogClassifier c;
        QVERIFY(addNginxLogFormats(&c, formats, nullptr) == 1);
        // The client got the 502 although the last upstream said 200 (an error_page answered): a
        // 502, not a request served after a retry.
        const ClassifiedLine l = c.classify(QStringLiteral("2024-10-22T13:51:56+00:00 502 502 : 200 0b5e61c2"));
        QCOMPARE(l.signal, QStringLiteral("http-502"));
        QCOMPARE(l.fields.value(QStringLiteral("upstream_status")).toString(), QStringLiteral("502 : 200"));
        QCOMPARE(l.fields.value(QStringLiteral("request_id")).toString(), QStringLiteral("0b5e61c2"));
    }

    void unreadableConfigNamesTheFile()
    {
        const NginxLogFormats formats = readNginxLogFormats(QStringLiteral("/nonexistent/nginx.conf"));
        QVERIFY(!formats.readable);
        QCOMPARE(formats.problems.size(), 1);
        QVERIFY(formats.problems.first().startsWith(QLatin1String("/nonexistent/nginx.conf")));
    }

    void parsesLinesInTheConfiguredFormats_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("signal");
        QTest::addColumn<QString>("cause");
        QTest::addColumn<QString>("time");
        QTest::addColumn<QVariantMap>("fields");
        QTest::newRow("upstreamlog, every upstream failed")
            << 0 << QStringLiteral("http-502") << QString() << QStringLiteral("2024-10-22T13:51:56Z")
            << QVariantMap{{QStringLiteral("upstream_addr"), QStringLiteral("127.0.0.1:8000, 127.0.0.1:8001")},
                           {QStringLiteral("upstream_status"), QStringLiteral("502, 502")},
                           {QStringLiteral("upstream_connect_time"), QStringLiteral("-, -")},
                           {QStringLiteral("upstream_response_time"), QStringLiteral("0.001, 0.000")},
                           {QStringLiteral("request_id"), QStringLiteral("7f1c0a9e2b4d")},
                           {QStringLiteral("path"), QStringLiteral("/healthcheck")},
                           {QStringLiteral("status"), 502}};
        QTest::newRow("upstreamlog, the second upstream answered")
            << 1 << QStringLiteral("upstream-retried") << QString() << QStringLiteral("2024-10-22T13:51:57Z")
            << QVariantMap{{QStringLiteral("upstream_status"), QStringLiteral("502, 200")},
                           {QStringLiteral("failed_upstream_addr"), QStringLiteral("127.0.0.1:8000")},
                           {QStringLiteral("failed_upstream_status"), QStringLiteral("502")},
                           {QStringLiteral("http_user_agent"), QStringLiteral("Mozilla/5.0 (X11; Linux x86_64)")},
                           {QStringLiteral("upstream_response_time"), QStringLiteral("0.010, 0.020")},
                           {QStringLiteral("status"), 200}};
        QTest::newRow("escape=json") << 2 << QString() << QStringLiteral("upstream-timeout")
                                     << QStringLiteral("2024-10-22T13:51:58Z")
                                     << QVariantMap{{QStringLiteral("upstream_addr"), QStringLiteral("127.0.0.1:8000")},
                                                    {QStringLiteral("request_id"), QStringLiteral("c3d4e5f6a7b8")},
                                                    {QStringLiteral("path"), QStringLiteral("/ConvertService.ashx")},
                                                    {QStringLiteral("status"), 504}};
        QTest::newRow("bare $time_local and lists between spaces")
            << 3 << QStringLiteral("http-502") << QString() << QStringLiteral("2024-10-22T13:51:59Z")
            << QVariantMap{{QStringLiteral("upstream_addr"), QStringLiteral("127.0.0.1:8000, 127.0.0.1:8001")},
                           {QStringLiteral("upstream_status"), QStringLiteral("502, 502")},
                           {QStringLiteral("request_time"), QStringLiteral("0.003")}};
        QTest::newRow("combined still read")
            << 4 << QStringLiteral("http-503") << QString() << QStringLiteral("2024-10-22T13:52:00Z")
            << QVariantMap{{QStringLiteral("path"), QStringLiteral("/welcome/")}};
    }
    void parsesLinesInTheConfiguredFormats()
    {
        QFETCH(int, index);
        QFETCH(QString, signal);
        QFETCH(QString, cause);
        QFETCH(QString, time);
        QFETCH(QVariantMap, fields);
        const QList<QByteArray> lines = fileLines(data("nginx/access-custom.log"));
        QCOMPARE(lines.size(), 5);
        const ClassifiedLine l = m_classifier.classify(QString::fromUtf8(lines.at(index)));
        QCOMPARE(l.format, QStringLiteral("nginx-access"));
        QCOMPARE(l.signal, signal);
        QCOMPARE(l.causeId, cause);
        QCOMPARE(l.timeUtc.toString(Qt::ISODate), time);
        for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
            QVERIFY2(l.fields.contains(it.key()), qPrintable(QStringLiteral("no field '%1'").arg(it.key())));
            QCOMPARE(l.fields.value(it.key()).toString(), it.value().toString());
        }
    }

    // Without the configuration the same lines are not understood: the test above proves the
    // formats, not the fallback.
    void withoutTheConfigTheFieldsAreMissing()
    {
        LogClassifier plain;
        const QList<QByteArray> lines = fileLines(data("nginx/access-custom.log"));
        QVERIFY(!lines.isEmpty());
        const ClassifiedLine l = plain.classify(QString::fromUtf8(lines.at(3)));
        QVERIFY(!l.fields.contains(QStringLiteral("upstream_status")));
    }

    void cliReadsTheConfig()
    {
        QProcess p;
        p.start(QStringLiteral(DD_CLI_PATH),
                {QStringLiteral("logs"), QStringLiteral("classify"), QStringLiteral("--nginx-config"),
                 data("nginx/nginx.conf"), QStringLiteral("--timezone"), QStringLiteral("UTC"),
                 data("nginx/access-custom.log")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1); // lines name failures
        const QList<QByteArray> out = p.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(out.size(), 5);
        const QJsonObject first = QJsonDocument::fromJson(out.first()).object();
        QCOMPARE(first.value(QLatin1String("format")).toString(), QStringLiteral("nginx-access"));
        const QJsonObject fields = first.value(QLatin1String("fields")).toObject();
        QCOMPARE(fields.value(QLatin1String("upstream_status")).toString(), QStringLiteral("502, 502"));
        QCOMPARE(fields.value(QLatin1String("request_id")).toString(), QStringLiteral("7f1c0a9e2b4d"));
        // The format it could not use is named on stderr, once.
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(err.count("nostatus"), 1);
    }

    void cliRefusesAMissingConfig()
    {
        QProcess p;
        p.start(QStringLiteral(DD_CLI_PATH),
                {QStringLiteral("logs"), QStringLiteral("classify"), QStringLiteral("--nginx-config"),
                 QStringLiteral("/nonexistent/x.conf"), data("access.log")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        const QByteArray err = p.readAllStandardError().trimmed();
        QCOMPARE(err.count('\n'), 0);
        QVERIFY2(err.contains("/nonexistent/x.conf"), err.constData());
        QVERIFY(p.readAllStandardOutput().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestLogNginxConfig)
#include "tst_lognginxconfig.moc"
