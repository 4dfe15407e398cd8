// The nginx configuration reader: tokens as ngx_conf_read_token() makes them, blocks, includes
// (globs, the conf prefix, loops, missing files), `nginx -T` dumps, and bad input of every kind.
// Every test config is also handed to the real `nginx -t`, so none rests on a config nginx
// would read differently.

#include "config/nginxconfig.h"
#include "config/nginxlint.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace dd;

namespace {

QString dataDir()
{
    return QStringLiteral(DD_SOURCE_DIR "/tests/data/config/nginx");
}

struct NginxRun
{
    bool started = false;
    bool ok = false;
    QByteArray out;
    QByteArray err;
};

// Runs the real nginx on `config` with every path it writes inside a temporary prefix.
NginxRun runNginx(const QString &flag, const QString &config)
{
    NginxRun run;
    const QString nginx = QStandardPaths::findExecutable(
        QStringLiteral("nginx"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")});
    QTemporaryDir prefix;
    if (nginx.isEmpty() || !prefix.isValid())
        return run;
    QProcess p;
    p.start(nginx, {flag, QStringLiteral("-p"), prefix.path() + QLatin1Char('/'), QStringLiteral("-c"), config,
                    QStringLiteral("-e"), prefix.filePath(QStringLiteral("error.log")), QStringLiteral("-g"),
                    QStringLiteral("pid %1;").arg(prefix.filePath(QStringLiteral("nginx.pid")))});
    run.started = p.waitForStarted(10000);
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished(5000);
        return run;
    }
    run.ok = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    return run;
}

QStringList describe(const QList<NginxDirective> &list, int depth = 0)
{
    QStringList out;
    for (const NginxDirective &d : list) {
        out.append(QString(depth * 2, QLatin1Char(' ')) + d.name + QLatin1Char('|') + d.args.join(QLatin1Char('|')) +
                   (d.hasBlock ? QStringLiteral("{") : QString()));
        out += describe(d.children, depth + 1);
    }
    return out;
}

const NginxDirective *findFirst(const QList<NginxDirective> &list, const QString &name)
{
    for (const NginxDirective &d : list) {
        if (d.name == name)
            return &d;
        if (const NginxDirective *inner = findFirst(d.children, name))
            return inner;
    }
    return nullptr;
}

} // namespace

class TestNginxConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tokens_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("simple") << QByteArray("worker_processes 1;")
                                << QStringList{QStringLiteral("worker_processes|1")};
        QTest::newRow("block") << QByteArray("http { server { listen 80; } }")
                               << QStringList{QStringLiteral("http|{"), QStringLiteral("  server|{"),
                                              QStringLiteral("    listen|80")};
        QTest::newRow("comments") << QByteArray("# a comment { ;\nlisten 80; # trailing\n")
                                  << QStringList{QStringLiteral("listen|80")};
        QTest::newRow("hash inside a word") << QByteArray("set $a x#y;") << QStringList{QStringLiteral("set|$a|x#y")};
        QTest::newRow("double quotes") << QByteArray("add_header X \"a b; {c}\";")
                                       << QStringList{QStringLiteral("add_header|X|a b; {c}")};
        QTest::newRow("single quotes") << QByteArray("add_header X 'it \"is\"';")
                                       << QStringList{QStringLiteral("add_header|X|it \"is\"")};
        QTest::newRow("escaped quote") << QByteArray("set $a \"x\\\"y\";")
                                       << QStringList{QStringLiteral("set|$a|x\"y")};
        // The backslash keeps the blank inside the word and stays: only \" \' \\ \t \r \n are resolved.
        QTest::newRow("escaped space") << QByteArray("set $a x\\ y;") << QStringList{QStringLiteral("set|$a|x\\ y")};
        QTest::newRow("other escapes stay")
            << QByteArray("location ~ ^/a\\.b$ { }") << QStringList{QStringLiteral("location|~|^/a\\.b${")};
        QTest::newRow("empty string") << QByteArray("proxy_set_header Accept-Encoding \"\";")
                                      << QStringList{QStringLiteral("proxy_set_header|Accept-Encoding|")};
        QTest::newRow("${var} is not a block")
            << QByteArray("set $b ${a}x;") << QStringList{QStringLiteral("set|$b|${a}x")};
        QTest::newRow("brace inside a word")
            << QByteArray("return 200 a}b;") << QStringList{QStringLiteral("return|200|a}b")};
        QTest::newRow("if with quoted operand")
            << QByteArray("if ($a = \"x\") { return 404; }")
            << QStringList{QStringLiteral("if|($a|=|x|){"), QStringLiteral("  return|404")};
        QTest::newRow("regex with braces")
            << QByteArray("location ~ \"^/x{2}$\" { }") << QStringList{QStringLiteral("location|~|^/x{2}${")};
        QTest::newRow("map entries") << QByteArray("map $http_upgrade $c { default upgrade; \"\" close; }")
                                     << QStringList{QStringLiteral("map|$http_upgrade|$c{"),
                                                    QStringLiteral("  default|upgrade"), QStringLiteral("  |close")};
        QTest::newRow("lua block is skipped")
            << QByteArray("content_by_lua_block { ngx.say(\"}\") -- }\n }\nlisten 80;")
            << QStringList{QStringLiteral("content_by_lua_block|{"), QStringLiteral("listen|80")};
        QTest::newRow("crlf") << QByteArray("listen 80;\r\nserver_name a;\r\n")
                              << QStringList{QStringLiteral("listen|80"), QStringLiteral("server_name|a")};
    }
    void tokens()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, expected);
        const NginxConfig config = parseNginxText(text, QStringLiteral("t.conf"), QDir::tempPath());
        QVERIFY2(config.errors.isEmpty(), qPrintable(config.errors.value(0).toString()));
        QCOMPARE(describe(config.directives), expected);
    }

    void lines()
    {
        const NginxConfig config =
            parseNginxText("events {\n}\n\nhttp {\n    server {\n        listen\n            80;\n"
                           "    }\n}\n",
                           QStringLiteral("t.conf"), QDir::tempPath());
        QVERIFY(config.errors.isEmpty());
        const NginxDirective *listen = findFirst(config.directives, QStringLiteral("listen"));
        QVERIFY(listen);
        QCOMPARE(listen->line, 6);
        QCOMPARE(listen->position(), QStringLiteral("t.conf:6"));
        QCOMPARE(findFirst(config.directives, QStringLiteral("server"))->line, 5);
    }

    void syntaxErrors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("directives"); // top-level directives still read
        QTest::newRow("unclosed block") << QByteArray("a 1;\nhttp {\n  b 2;\n") << 2 << QStringLiteral("never closed")
                                        << 2;
        QTest::newRow("extra brace") << QByteArray("a 1;\n}\nb 2;\n") << 2 << QStringLiteral("unexpected \"}\"") << 1;
        QTest::newRow("missing semicolon at eof")
            << QByteArray("a 1;\nb 2") << 2 << QStringLiteral("expecting \";\"") << 1;
        QTest::newRow("unterminated quote")
            << QByteArray("a 1;\nb \"x;\nc 3;\n") << 2 << QStringLiteral("unterminated quoted string") << 1;
        QTest::newRow("unterminated single quote")
            << QByteArray("b 'x;\n") << 1 << QStringLiteral("unterminated quoted string") << 0;
        QTest::newRow("semicolon alone") << QByteArray("a 1;\n;\n") << 2 << QStringLiteral("unexpected \";\"") << 1;
        QTest::newRow("brace alone") << QByteArray("{ a 1; }") << 1 << QStringLiteral("unexpected \"{\"") << 0;
        QTest::newRow("text after quote") << QByteArray("a \"x\"y;") << 1 << QStringLiteral("unexpected \"y\"") << 0;
        QTest::newRow("brace in arguments") << QByteArray("a b\n}\n") << 2 << QStringLiteral("unexpected \"}\"") << 0;
    }
    void syntaxErrors()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(QString, message);
        QFETCH(int, directives);
        const NginxConfig config = parseNginxText(text, QStringLiteral("bad.conf"), QDir::tempPath());
        QCOMPARE(config.errors.size(), 1);
        QCOMPARE(config.errors.constFirst().file, QStringLiteral("bad.conf"));
        QCOMPARE(config.errors.constFirst().line, line);
        QVERIFY2(config.errors.constFirst().message.contains(message), qPrintable(config.errors.constFirst().message));
        QCOMPARE(config.directives.size(), directives);
    }

    // Invalid files: our error names the line nginx names (or, for an unclosed block or quote,
    // where it was opened), and the real nginx -t rejects every one of them.
    void invalidFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("errorFile");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("nginxLine"); // where nginx reports it; 0 when nginx cannot say (it crashes)
        QTest::newRow("unclosed block") << QStringLiteral("invalid/unclosed-block.conf")
                                        << QStringLiteral("invalid/unclosed-block.conf") << 5
                                        << QStringLiteral("\"http\" block opened here is never closed") << 14;
        QTest::newRow("extra brace") << QStringLiteral("invalid/extra-brace.conf")
                                     << QStringLiteral("invalid/extra-brace.conf") << 15
                                     << QStringLiteral("unexpected \"}\"") << 15;
        QTest::newRow("unterminated quote")
            << QStringLiteral("invalid/unterminated-quote.conf") << QStringLiteral("invalid/unterminated-quote.conf")
            << 10 << QStringLiteral("unterminated quoted string") << 16;
        QTest::newRow("missing semicolon")
            << QStringLiteral("invalid/missing-semicolon.conf") << QStringLiteral("invalid/missing-semicolon.conf")
            << 12 << QStringLiteral("unexpected \"}\"") << 12;
        QTest::newRow("missing include") << QStringLiteral("invalid/missing-include.conf")
                                         << QStringLiteral("invalid/missing-include.conf") << 7
                                         << QStringLiteral("does-not-exist.conf") << 7;
        QTest::newRow("brace without directive")
            << QStringLiteral("invalid/brace-without-directive.conf")
            << QStringLiteral("invalid/brace-without-directive.conf") << 7 << QStringLiteral("unexpected \"{\"") << 7;
        QTest::newRow("includes itself") << QStringLiteral("invalid/include-loop.conf")
                                         << QStringLiteral("invalid/include-loop.conf") << 7
                                         << QStringLiteral("include loop") << 0;
        QTest::newRow("include loop through two files")
            << QStringLiteral("invalid/loop/main.conf") << QStringLiteral("invalid/loop/b.conf") << 1
            << QStringLiteral("include loop") << 0;
    }
    void invalidFiles()
    {
        QFETCH(QString, file);
        QFETCH(QString, errorFile);
        QFETCH(int, line);
        QFETCH(QString, message);
        QFETCH(int, nginxLine);
        const QString path = dataDir() + QLatin1Char('/') + file;
        const NginxConfig config = parseNginxFile(path);
        QVERIFY(!config.errors.isEmpty());
        const ConfigError &e = config.errors.constFirst();
        QCOMPARE(e.file, dataDir() + QLatin1Char('/') + errorFile);
        QCOMPARE(e.line, line);
        QVERIFY2(e.message.contains(message), qPrintable(e.toString()));
        QVERIFY(!e.fatal);

        const NginxRun nginx = runNginx(QStringLiteral("-t"), path);
        QVERIFY2(nginx.started, "nginx is not installed");
        QVERIFY2(!nginx.ok, "nginx -t accepted a config meant to be invalid");
        if (nginxLine > 0) {
            const QString where = QStringLiteral("%1:%2").arg(path).arg(nginxLine);
            QVERIFY2(QString::fromUtf8(nginx.err).contains(where), nginx.err.constData());
        }
        // What could be read is still there.
        QVERIFY(!config.directives.isEmpty());
    }

    void includes()
    {
        const QString main = dataDir() + QStringLiteral("/includes/main.conf");
        const NginxConfig config = parseNginxFile(main);
        QVERIFY2(config.errors.isEmpty(), qPrintable(config.errors.value(0).toString()));
        const QString dir = dataDir() + QStringLiteral("/includes/");
        QCOMPARE(config.files,
                 (QStringList{main, dir + QStringLiteral("common.conf"), dir + QStringLiteral("conf.d/a-upstream.conf"),
                              dir + QStringLiteral("conf.d/b-docs.conf"),
                              dir + QStringLiteral("snippets/ds-headers.conf")}));
        // Spliced where the include stood, each directive with its own file and line.
        const NginxDirective *http = findFirst(config.directives, QStringLiteral("http"));
        QVERIFY(http);
        QStringList order;
        for (const NginxDirective &d : http->children)
            order.append(d.name);
        QCOMPARE(order.constFirst(), QStringLiteral("access_log"));
        QVERIFY(order.indexOf(QStringLiteral("upstream")) < order.indexOf(QStringLiteral("server")));
        const NginxDirective *version = findFirst(config.directives, QStringLiteral("proxy_http_version"));
        QVERIFY(version);
        QCOMPARE(version->file, dir + QStringLiteral("snippets/ds-headers.conf"));
        QCOMPARE(version->line, 1);
        QVERIFY(nginxAccepts(main));
    }

    // The same configuration read from disk and from the real `nginx -T` dump of it.
    void dumpOfRealNginx()
    {
        const QString main = dataDir() + QStringLiteral("/includes/main.conf");
        const NginxRun dump = runNginx(QStringLiteral("-T"), main);
        QVERIFY2(dump.started && dump.ok, dump.err.constData());
        QVERIFY(looksLikeNginxDump(dump.out));
        const NginxConfig fromDump = parseNginxDump(dump.err + dump.out, QStringLiteral("nginx -T"));
        const NginxConfig fromDisk = parseNginxFile(main);
        QVERIFY2(fromDump.errors.isEmpty(), qPrintable(fromDump.errors.value(0).toString()));
        QVERIFY(fromDump.fromDump);
        QCOMPARE(fromDump.mainFile, main);
        QCOMPARE(fromDump.files, fromDisk.files);
        QCOMPARE(describe(fromDump.directives), describe(fromDisk.directives));
        const NginxDirective *a = findFirst(fromDump.directives, QStringLiteral("proxy_set_header"));
        const NginxDirective *b = findFirst(fromDisk.directives, QStringLiteral("proxy_set_header"));
        QCOMPARE(a->position(), b->position());
    }

    void dumpSample()
    {
        QFile file(dataDir() + QStringLiteral("/dump/debian-nginx-T.txt"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const NginxConfig config = parseNginxDump(file.readAll(), file.fileName());
        QVERIFY2(config.errors.isEmpty(), qPrintable(config.errors.value(0).toString()));
        QCOMPARE(config.mainFile, QStringLiteral("/etc/nginx/nginx.conf"));
        QCOMPARE(config.files,
                 (QStringList{QStringLiteral("/etc/nginx/nginx.conf"), QStringLiteral("/etc/nginx/mime.types"),
                              QStringLiteral("/etc/nginx/conf.d/upstream.conf"),
                              QStringLiteral("/etc/nginx/sites-enabled/onlyoffice")}));
        const NginxDirective *pass = findFirst(config.directives, QStringLiteral("proxy_pass"));
        QVERIFY(pass);
        QCOMPARE(pass->position(), QStringLiteral("/etc/nginx/sites-enabled/onlyoffice:6"));
        const LintResult result = lintNginx(config);
        QCOMPARE(result.upstreams.size(), 1);
        QCOMPARE(result.upstreams.constFirst().port, quint16(8000));
        QCOMPARE(result.upstreams.constFirst().file, QStringLiteral("/etc/nginx/conf.d/upstream.conf"));
    }

    void dumpErrors_data()
    {
        QTest::addColumn<QByteArray>("dump");
        QTest::addColumn<QString>("error");
        QTest::newRow("no markers") << QByteArray("nginx: [emerg] unknown directive \"x\"\n")
                                    << QStringLiteral("not an nginx -T dump");
        QTest::newRow("missing included file")
            << QByteArray("# configuration file /etc/nginx/nginx.conf:\ninclude x.conf;\n")
            << QStringLiteral("/etc/nginx/nginx.conf:1: included file /etc/nginx/x.conf is not in the dump");
        QTest::newRow("syntax error in a dumped file")
            << QByteArray(
                   "# configuration file /e/n.conf:\nhttp { include /e/a.conf; }\n\n# configuration file /e/a.conf:\n"
                   "server {\n")
            << QStringLiteral("/e/a.conf:1: \"server\" block opened here is never closed");
    }
    void dumpErrors()
    {
        QFETCH(QByteArray, dump);
        QFETCH(QString, error);
        const NginxConfig config = parseNginxDump(dump, QStringLiteral("dump.txt"));
        QVERIFY(!config.errors.isEmpty());
        QVERIFY2(config.errors.constFirst().toString().startsWith(error) ||
                     config.errors.constFirst().message.startsWith(error),
                 qPrintable(config.errors.constFirst().toString()));
    }

    void unreadableInput_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing") << QStringLiteral("/nonexistent/nginx.conf")
                                 << QStringLiteral("cannot open /nonexistent/nginx.conf");
        QTest::newRow("directory") << QDir::tempPath() << QStringLiteral("is a directory");
    }
    void unreadableInput()
    {
        QFETCH(QString, path);
        QFETCH(QString, message);
        const NginxConfig config = parseNginxFile(path);
        QCOMPARE(config.errors.size(), 1);
        QVERIFY(config.errors.constFirst().fatal);
        QVERIFY2(config.errors.constFirst().message.contains(message), qPrintable(config.errors.constFirst().message));
    }

    void limits()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // A file over the size limit, as the main file and as an include.
        QFile big(dir.filePath(QStringLiteral("big.conf")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        big.write(QByteArray(4096, '#'));
        big.close();
        NginxParseOptions options;
        options.maxFileBytes = 1024;
        NginxConfig config = parseNginxFile(big.fileName(), options);
        QCOMPARE(config.errors.size(), 1);
        QVERIFY(config.errors.constFirst().fatal);
        QVERIFY(config.errors.constFirst().message.contains(QLatin1String("too large")));
        config = parseNginxText("a 1;\ninclude big.conf;\nb 2;\n", QStringLiteral("m.conf"), dir.path(), options);
        QCOMPARE(config.errors.size(), 1);
        QCOMPARE(config.errors.constFirst().line, 2);
        QCOMPARE(config.directives.size(), 2);
        // A device that never ends is read up to the limit only.
        config = parseNginxText("include /dev/zero;\n", QStringLiteral("m.conf"), dir.path(), options);
        QCOMPARE(config.errors.size(), 1);
        QVERIFY(config.errors.constFirst().message.contains(QLatin1String("too large")));
        // Nesting deep enough to overflow a naive recursive parser.
        config = parseNginxText(QByteArray(200000, '{').prepend("a "), QStringLiteral("deep.conf"), dir.path());
        QCOMPARE(config.errors.size(), 1);
        config = parseNginxText(QByteArray("a{").repeated(100000), QStringLiteral("deep.conf"), dir.path());
        QCOMPARE(config.errors.size(), 1);
        QVERIFY(config.errors.constFirst().message.contains(QLatin1String("nested more than")));
        // Directive count.
        options.maxDirectives = 1000;
        options.maxFileBytes = 1024 * 1024;
        config = parseNginxText(QByteArray("a 1;\n").repeated(5000), QStringLiteral("many.conf"), dir.path(), options);
        QCOMPARE(config.errors.size(), 1);
        QCOMPARE(config.errors.constFirst().line, 1001);
        QCOMPARE(config.directives.size(), 1000);
    }

    void globWithoutMatchIsNoError()
    {
        const NginxConfig config = parseNginxText("include /nonexistent-dir/*.conf;\nlisten 80;\n",
                                                  QStringLiteral("m.conf"), QDir::tempPath());
        QVERIFY(config.errors.isEmpty());
        QCOMPARE(config.directives.size(), 1);
    }

    // Fuzz-like: every test config cut at every byte reads (and lints) without a crash, in bounded time.
    void truncatedAtEveryByte()
    {
        QElapsedTimer timer;
        timer.start();
        // Each file is cut by itself (included files get their own turn), so includes are not followed.
        NginxParseOptions options;
        options.followIncludes = false;
        int files = 0;
        qint64 parses = 0;
        QDirIterator it(dataDir(), {QStringLiteral("*.conf"), QStringLiteral("*.txt")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray text = f.readAll();
            const QString dir = QFileInfo(path).absolutePath();
            ++files;
            for (qsizetype n = 0; n <= text.size(); ++n) {
                const QByteArray cut = text.left(n);
                const NginxConfig config = looksLikeNginxDump(cut) ? parseNginxDump(cut, path, options)
                                                                   : parseNginxText(cut, path, dir, options);
                // Linting every prefix would take minutes; every 32nd still covers partial trees.
                if (n % 32 == 0)
                    lintNginx(config);
                ++parses;
            }
        }
        QVERIFY(files >= 40);
        QVERIFY2(timer.elapsed() < 50000,
                 qPrintable(QStringLiteral("%1 parses took %2 ms").arg(parses).arg(timer.elapsed())));
    }

private:
    static bool nginxAccepts(const QString &path)
    {
        const NginxRun run = runNginx(QStringLiteral("-t"), path);
        if (!run.ok)
            qWarning("%s", run.err.constData());
        return run.ok;
    }
};

QTEST_GUILESS_MAIN(TestNginxConfig)
#include "tst_nginxconfig.moc"
