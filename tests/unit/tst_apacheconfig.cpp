// Apache httpd 2.4 configuration: the reader (sections, quotes, continuation lines, Include /
// IncludeOptional, LoadModule, apachectl -M) and the checks in front of Document Server, one
// triggering and one corrected config per check. Every check's configs are also run through the
// real `apache2 -t`, inside a main config that loads the modules they use.

#include "config/apacheconfig.h"
#include "config/apachelint.h"
#include "config/lintreport.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace dd;

namespace {

QString apacheData(const QString &name)
{
    return QStringLiteral(DD_SOURCE_DIR "/tests/data/config/apache/") + name;
}

// apache2 -t on a virtual host file: a main config in a temporary directory loads the modules the
// test configs use and includes it; ServerRoot is the data folder, so relative paths resolve
// there. False also when apache2 is missing or did not finish.
bool apacheAccepts(const QString &config, QString *output)
{
    QTemporaryDir dir;
    QFile main(dir.filePath(QStringLiteral("apache2.conf")));
    if (!dir.isValid() || !QFile::exists(QStringLiteral("/usr/sbin/apache2")) || !main.open(QIODevice::WriteOnly)) {
        *output = QStringLiteral("apache2 not found (/usr/sbin/apache2, Debian package apache2)");
        return false;
    }
    QByteArray text = "ServerRoot \"" + apacheData(QString()).toUtf8() + "\"\nServerName doctor-test\n" + "PidFile " +
                      dir.filePath(QStringLiteral("apache2.pid")).toUtf8() + "\nMutex file:" + dir.path().toUtf8() +
                      " default\nErrorLog " + dir.filePath(QStringLiteral("e.log")).toUtf8() + "\n";
    // A module the config loads again is skipped with a warning, not rejected.
    for (const char *module :
         {"mpm_event", "authz_core", "headers", "rewrite", "proxy", "proxy_http", "proxy_wstunnel", "ssl"})
        text += QByteArray("LoadModule ") + module + "_module /usr/lib/apache2/modules/mod_" + module + ".so\n";
    main.write(text + "Include " + config.toUtf8() + '\n');
    main.close();
    QProcess p;
    p.start(QStringLiteral("/usr/sbin/apache2"), {QStringLiteral("-t"), QStringLiteral("-f"), main.fileName()});
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished(5000);
        *output = QStringLiteral("apache2 -t did not finish");
        return false;
    }
    *output = QString::fromUtf8(p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

const LintFinding *findingOf(const LintResult &result, const QString &check)
{
    for (const LintFinding &f : result.findings) {
        if (f.check == check)
            return &f;
    }
    return nullptr;
}

const ApacheDirective *findFirst(const QList<ApacheDirective> &list, QLatin1String name)
{
    for (const ApacheDirective &d : list) {
        if (d.is(name))
            return &d;
        if (const ApacheDirective *inner = findFirst(d.children, name))
            return inner;
    }
    return nullptr;
}

} // namespace

class TestApacheConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse()
    {
        const QByteArray text = "# comment\n"
                                "<VirtualHost *:443>\n"
                                "    ServerName docs.example.com\n"
                                "    RequestHeader set X-Forwarded-Proto \"https\"\n"
                                "    ProxyPass / \\\n"
                                "        http://127.0.0.1:8080/ retry=0\n"
                                "    <Location \"/ds vpath/\">\n"
                                "        Header set X-Test 'a \\' b'\n"
                                "    </Location>\n"
                                "</virtualhost>\n";
        const ApacheConfig config = parseApacheText(text, QStringLiteral("a.conf"), QDir::tempPath());
        QVERIFY2(config.errors.isEmpty(), qPrintable(config.errors.value(0).toString()));
        QCOMPARE(config.directives.size(), 1);
        const ApacheDirective &vhost = config.directives.constFirst();
        QVERIFY(vhost.isSection);
        QCOMPARE(vhost.args, QStringList{QStringLiteral("*:443")});
        QCOMPARE(vhost.line, 2);
        const ApacheDirective *pass = findFirst(config.directives, QLatin1String("proxypass"));
        QVERIFY(pass);
        QCOMPARE(pass->line, 5);
        QCOMPARE(pass->args, (QStringList{QStringLiteral("/"), QStringLiteral("http://127.0.0.1:8080/"),
                                          QStringLiteral("retry=0")}));
        const ApacheDirective *loc = findFirst(config.directives, QLatin1String("Location"));
        QCOMPARE(loc->args, QStringList{QStringLiteral("/ds vpath/")});
        QCOMPARE(findFirst(config.directives, QLatin1String("Header"))->args.last(), QStringLiteral("a ' b"));
        QCOMPARE(findFirst(config.directives, QLatin1String("RequestHeader"))->args.last(), QStringLiteral("https"));
    }

    void includes()
    {
        const ApacheConfig config = parseApacheFile(apacheData(QStringLiteral("includes/apache2.conf")));
        QVERIFY2(config.errors.isEmpty(), qPrintable(config.errors.value(0).toString()));
        QVERIFY(config.modulesKnown);
        QCOMPARE(config.modules, (QStringList{QStringLiteral("headers_module"), QStringLiteral("proxy_module"),
                                              QStringLiteral("proxy_http_module")}));
        QCOMPARE(config.files.size(), 5);
        const ApacheDirective *pass = findFirst(config.directives, QLatin1String("ProxyPass"));
        QVERIFY(pass);
        QCOMPARE(pass->position(), apacheData(QStringLiteral("includes/sites-enabled/docs.conf:9")));

        const LintResult result = lintApache(config);
        QCOMPARE(result.upstreams.size(), 1);
        QCOMPARE(result.upstreams.constFirst().port, quint16(8080));
        QCOMPARE(result.upstreams.constFirst().location, QStringLiteral("ProxyPass /ds-vpath/"));
        // Inside <IfModule> and <Location>: retry is still 60 s there.
        QVERIFY(findingOf(result, QStringLiteral("apache-retry")));
        QVERIFY(!findingOf(result, QStringLiteral("apache-forwarded-proto")));
        QVERIFY(!findingOf(result, QStringLiteral("apache-websocket")));
    }

    void moduleList()
    {
        QFile file(apacheData(QStringLiteral("apachectl-M.txt")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList modules = parseApacheModuleList(file.readAll());
        QCOMPARE(modules.size(), 9);
        QVERIFY(modules.contains(QStringLiteral("proxy_http_module")));
        QVERIFY(!modules.contains(QStringLiteral("proxy_wstunnel_module")));
        QVERIFY(parseApacheModuleList("no modules here\n").isEmpty());
    }

    void includeLoop()
    {
        QTemporaryDir dir;
        QFile a(dir.filePath(QStringLiteral("a.conf")));
        QVERIFY(a.open(QIODevice::WriteOnly));
        a.write("ServerName x\nInclude b.conf\n");
        a.close();
        QFile b(dir.filePath(QStringLiteral("b.conf")));
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write("Include a.conf\n");
        b.close();
        const ApacheConfig config = parseApacheFile(a.fileName());
        QCOMPARE(config.errors.size(), 1);
        QCOMPARE(config.errors.constFirst().file, b.fileName());
        QCOMPARE(config.errors.constFirst().line, 1);
        QVERIFY(config.errors.constFirst().message.contains(QLatin1String("include loop")));
    }

    void invalid_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        QTest::newRow("unclosed") << QStringLiteral("invalid/unclosed-vhost.conf") << 2
                                  << QStringLiteral("was not closed");
        QTest::newRow("mismatched") << QStringLiteral("invalid/mismatched-section.conf") << 4
                                    << QStringLiteral("expected </VirtualHost> but saw </Location>");
        QTest::newRow("missing include") << QStringLiteral("invalid/missing-include.conf") << 3
                                         << QStringLiteral("does-not-exist.conf");
        QTest::newRow("unterminated quote")
            << QStringLiteral("invalid/unterminated-quote.conf") << 3 << QStringLiteral("unterminated quoted string");
    }
    void invalid()
    {
        QFETCH(QString, file);
        QFETCH(int, line);
        QFETCH(QString, message);
        const LintResult result = lintApache(parseApacheFile(apacheData(file)));
        QCOMPARE(result.errors.size(), 1);
        QCOMPARE(result.errors.constFirst().line, line);
        QVERIFY2(result.errors.constFirst().message.contains(message), qPrintable(result.errors.constFirst().message));
        const LintFinding *f = findingOf(result, QStringLiteral("apache-config-invalid"));
        QVERIFY(f);
        QCOMPARE(f->line, line);
        QCOMPARE(f->severity, LintSeverity::Error);
    }

    void unreadable()
    {
        const ApacheConfig config = parseApacheFile(QStringLiteral("/nonexistent/apache2.conf"));
        QCOMPARE(config.errors.size(), 1);
        QVERIFY(config.errors.constFirst().fatal);
    }

    void checks_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("cause");
        QTest::addColumn<int>("line");
        auto row = [](const char *name, const char *cause, int line) {
            QTest::newRow(name) << QString::fromLatin1(name) << QString::fromLatin1(cause) << line;
        };
        row("apache-websocket", "websocket-upgrade-missing", 6);
        row("apache-websocket-path-rule", "websocket-path-rule-outdated", 6);
        row("apache-preserve-host", "missing-host-header", 4);
        row("apache-forwarded-proto", "forwarded-proto-mismatch", 2);
        row("apache-upstream-port-8000", "wrong-upstream-port", 6);
        row("apache-scheme-port", "upstream-scheme-mismatch", 6);
        row("apache-localhost", "localhost-ipv6-mismatch", 6);
        row("apache-retry", "no-live-upstreams", 6);
        row("apache-timeout", "upstream-timeout", 5);
        row("apache-body-limit", "request-body-too-large", 4);
        row("apache-ssl-proxy-engine", "tls-upstream-verify-failed", 6);
        row("apache-ssl-proxy-verify", "tls-upstream-verify-failed", 5);
        row("apache-frame-headers", "frame-blocked-by-proxy-headers", 4);
        row("apache-hostname-underscore", "hostname-underscore", 3);
        row("apache-proxy-modules", "apache-missing-proxy-modules", 8);
    }
    void checks()
    {
        QFETCH(QString, name);
        QFETCH(QString, cause);
        QFETCH(int, line);
        const QString bad = apacheData(name + QLatin1String(".bad.conf"));
        const LintResult badResult = lintApache(parseApacheFile(bad));
        QVERIFY(badResult.errors.isEmpty());
        const LintFinding *f = findingOf(badResult, name);
        QVERIFY2(f, qPrintable(lintReportText(badResult)));
        QCOMPARE(f->cause, cause);
        QCOMPARE(f->file, bad);
        QCOMPARE(f->line, line);
        QCOMPARE(f->node, QStringLiteral("proxy"));
        QVERIFY(f->excerpt.contains(bad + QLatin1Char(':')));

        const QString good = apacheData(name + QLatin1String(".good.conf"));
        const LintResult goodResult = lintApache(parseApacheFile(good));
        QVERIFY2(goodResult.findings.isEmpty(), qPrintable(lintReportText(goodResult)));

        QString output;
        QVERIFY2(apacheAccepts(bad, &output), qPrintable(output));
        QVERIFY2(apacheAccepts(good, &output), qPrintable(output));
    }

    // The co-editing socket's idle timeout as httpd 2.4 applies it to an upgraded connection: the
    // longer of Timeout (virtual host, else main server) and the backend timeout (timeout=, else
    // ProxyTimeout, else Timeout). Checked against a real Apache tunnel to an idle backend.
    void websocketTimeout_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("line"); // 0: no finding
        QTest::addColumn<bool>("error");
        QTest::addColumn<QString>("seconds");
        QTest::newRow("main server Timeout inherited")
            << QStringLiteral("apache-websocket-timeout.bad.conf") << 3 << true << QStringLiteral("20 s idle");
        QTest::newRow("worker timeout= longer than Timeout")
            << QStringLiteral("apache-websocket-timeout-worker.bad.conf") << 8 << false << QStringLiteral("40 s idle");
        QTest::newRow("rewrite to ws://")
            << QStringLiteral("apache-websocket-timeout-rewrite.bad.conf") << 6 << true << QStringLiteral("25 s idle");
        QTest::newRow("corrected") << QStringLiteral("apache-websocket-timeout.good.conf") << 0 << false << QString();
        QTest::newRow("ProxyTimeout alone, Timeout 60 s")
            << QStringLiteral("apache-websocket-timeout-client.good.conf") << 0 << false << QString();
    }
    void websocketTimeout()
    {
        QFETCH(QString, file);
        QFETCH(int, line);
        QFETCH(bool, error);
        QFETCH(QString, seconds);
        const QString path = apacheData(file);
        const LintResult result = lintApache(parseApacheFile(path));
        QVERIFY(result.errors.isEmpty());
        const LintFinding *f = findingOf(result, QStringLiteral("apache-websocket-timeout"));
        if (line == 0) {
            QVERIFY2(!f, qPrintable(lintReportText(result)));
        } else {
            QVERIFY2(f, qPrintable(lintReportText(result)));
            QCOMPARE(f->cause, QStringLiteral("websocket-idle-timeout"));
            QCOMPARE(f->file, path);
            QCOMPARE(f->line, line);
            QCOMPARE(f->severity, error ? LintSeverity::Error : LintSeverity::Warning);
            QVERIFY2(f->message.contains(seconds), qPrintable(f->message));
        }
        QString output;
        QVERIFY2(apacheAccepts(path, &output), qPrintable(output));
    }

    void modulesFromApachectl()
    {
        // A vhost alone says nothing about modules; with `apachectl -M` output it does.
        ApacheConfig config = parseApacheFile(apacheData(QStringLiteral("apache-websocket-path-rule.bad.conf")));
        QVERIFY(!config.modulesKnown);
        QVERIFY(!findingOf(lintApache(config), QStringLiteral("apache-proxy-modules")));
        QFile file(apacheData(QStringLiteral("apachectl-M.txt")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        config.modules = parseApacheModuleList(file.readAll());
        config.modulesKnown = true;
        const LintFinding *f = findingOf(lintApache(config), QStringLiteral("apache-proxy-modules"));
        QVERIFY(f);
        QVERIFY2(f->message.contains(QLatin1String("proxy_wstunnel_module")), qPrintable(f->message));
        QVERIFY(!f->message.contains(QLatin1String("proxy_http_module")));
    }
};

QTEST_GUILESS_MAIN(TestApacheConfig)
#include "tst_apacheconfig.moc"
