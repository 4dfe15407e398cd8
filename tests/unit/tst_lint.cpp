// The nginx checks, one case per check: a config that triggers it and the corrected config that
// does not, both also run through the real `nginx -t`. Then the evidence the findings become and
// the text, JSON and SARIF reports.

#include "config/lintcheckcatalog.h"
#include "config/linter.h"
#include "config/lintreport.h"
#include "config/lintresult.h"
#include "config/nginxconfig.h"
#include "config/nginxlint.h"
#include "model/causecatalog.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace dd;

namespace {

QString nginxData(const QString &name)
{
    return QStringLiteral(DD_SOURCE_DIR "/tests/data/config/nginx/") + name;
}

// nginx -t with everything it writes in a temporary prefix; false also when nginx crashed.
bool nginxAccepts(const QString &config, QString *output)
{
    const QString nginx = QStandardPaths::findExecutable(
        QStringLiteral("nginx"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")});
    QTemporaryDir prefix;
    if (nginx.isEmpty() || !prefix.isValid()) {
        *output = QStringLiteral("nginx not found");
        return false;
    }
    QProcess p;
    p.start(nginx, {QStringLiteral("-t"), QStringLiteral("-p"), prefix.path() + QLatin1Char('/'), QStringLiteral("-c"),
                    config, QStringLiteral("-e"), prefix.filePath(QStringLiteral("error.log")), QStringLiteral("-g"),
                    QStringLiteral("pid %1;").arg(prefix.filePath(QStringLiteral("nginx.pid")))});
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished(5000);
        *output = QStringLiteral("nginx -t did not finish");
        return false;
    }
    *output = QString::fromUtf8(p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

QStringList checksOf(const LintResult &result, LintSeverity atLeast = LintSeverity::Info)
{
    QStringList out;
    for (const LintFinding &f : result.findings) {
        if (f.severity >= atLeast && !out.contains(f.check))
            out.append(f.check);
    }
    return out;
}

const LintFinding *findingOf(const LintResult &result, const QString &check)
{
    for (const LintFinding &f : result.findings) {
        if (f.check == check)
            return &f;
    }
    return nullptr;
}

} // namespace

class TestLint : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void checkCatalog()
    {
        const LintCheckCatalog &checks = LintCheckCatalog::builtIn();
        QVERIFY(checks.checks().size() >= 40);
        const CauseCatalog causes = CauseCatalog::builtIn();
        QVERIFY(!causes.causes().isEmpty());
        for (const LintCheck &c : checks.checks()) {
            QVERIFY2(c.cause.isEmpty() || causes.contains(c.cause), qPrintable(c.id + QLatin1String(": ") + c.cause));
            QVERIFY2(!c.fix.isEmpty() && !c.explanation.isEmpty(), qPrintable(c.id));
            QVERIFY2(QSet<QString>({QStringLiteral("nginx"), QStringLiteral("apache"), QStringLiteral("docserver"),
                                    QStringLiteral("integrator")})
                         .contains(c.appliesTo),
                     qPrintable(c.id));
        }
        QString error;
        LintCheckCatalog broken;
        QVERIFY(!broken.loadFromData("{\"checks\":[{\"id\":\"x\",\"title\":\"t\",\"severity\":\"fatal\"}]}",
                                     QStringLiteral("c.json"), &error));
        QVERIFY(error.contains(QLatin1String("severity")));
    }

    // Every check the code reports is defined in checks.json, every definition is used by the code,
    // and every check has a test naming it.
    void checksInCodeCatalogAndTestsAgree()
    {
        auto readAll = [](const QString &dir, const QStringList &filters) {
            QByteArray all;
            for (const QFileInfo &f : QDir(dir).entryInfoList(filters, QDir::Files)) {
                QFile file(f.filePath());
                if (file.open(QIODevice::ReadOnly))
                    all += file.readAll();
            }
            return QString::fromUtf8(all);
        };
        const QString code = readAll(QStringLiteral(DD_SOURCE_DIR "/core/config"), {QStringLiteral("*.cpp")});
        const QString tests =
            readAll(QStringLiteral(DD_SOURCE_DIR "/tests/unit"), {QStringLiteral("tst_*.cpp")}) +
            readAll(QStringLiteral(DD_SOURCE_DIR "/tests/integration"), {QStringLiteral("tst_lint*.cpp")});
        QVERIFY(!code.isEmpty() && !tests.isEmpty());
        const LintCheckCatalog &checks = LintCheckCatalog::builtIn();
        static const QRegularExpression reported(
            QStringLiteral("(?:report|add|finding)\\(\\s*QStringLiteral\\(\"([a-z0-9-]+)\"\\)"));
        int calls = 0;
        for (auto it = reported.globalMatch(code); it.hasNext(); ++calls) {
            const QString id = it.next().captured(1);
            QVERIFY2(checks.check(id), qPrintable(QStringLiteral("reported but not in checks.json: ") + id));
        }
        QVERIFY(calls >= 40);
        for (const LintCheck &c : checks.checks()) {
            const QString quoted = QLatin1Char('"') + c.id + QLatin1Char('"');
            QVERIFY2(code.contains(quoted), qPrintable(QStringLiteral("defined but never reported: ") + c.id));
            QVERIFY2(tests.contains(quoted), qPrintable(QStringLiteral("no test names: ") + c.id));
        }
    }

    void nginxChecks_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("check");
        QTest::addColumn<QString>("cause");
        QTest::addColumn<int>("line");             // where the finding points in the bad config
        QTest::addColumn<bool>("badIsValidNginx"); // whether nginx -t accepts the bad config
        auto row = [](const char *name, const char *check, const char *cause, int line, bool valid = true) {
            QTest::newRow(name) << QString::fromLatin1(name) << QString::fromLatin1(check) << QString::fromLatin1(cause)
                                << line << valid;
        };
        row("websocket-upgrade", "websocket-upgrade", "websocket-upgrade-missing", 22);
        row("websocket-upgrade-inherited", "websocket-upgrade", "websocket-upgrade-missing", 26);
        row("websocket-path-rule", "websocket-path-rule", "websocket-path-rule-outdated", 23);
        row("host-header", "host-header", "missing-host-header", 22);
        row("host-header-port", "host-header", "missing-host-header", 28);
        row("forwarded-proto", "forwarded-proto", "forwarded-proto-mismatch", 24);
        row("forwarded-prefix", "forwarded-prefix", "virtual-path-prefix-missing", 22);
        row("upstream-port-8000", "upstream-port-8000", "wrong-upstream-port", 19);
        row("upstream-scheme-port", "upstream-scheme-port", "upstream-scheme-mismatch", 19);
        row("upstream-scheme-port-upstream", "upstream-scheme-port", "upstream-scheme-mismatch", 10);
        row("upstream-localhost", "upstream-localhost", "localhost-ipv6-mismatch", 10);
        row("resolver-missing", "resolver-missing", "dns-resolve-failed", 19);
        row("upstream-max-fails", "upstream-max-fails", "no-live-upstreams", 10);
        row("read-timeout-conversion", "read-timeout-conversion", "upstream-timeout", 30);
        row("websocket-read-timeout", "websocket-read-timeout", "websocket-idle-timeout", 18);
        row("client-body-size", "client-body-size", "request-body-too-large", 31);
        row("header-buffers-jwt", "header-buffers-jwt", "jwt-header-too-large", 38);
        row("proxy-ssl-verify-ca", "proxy-ssl-verify-ca", "tls-upstream-verify-failed", 27, false);
        row("proxy-ssl-verify-name", "proxy-ssl-verify-name", "tls-upstream-verify-failed", 31);
        row("frame-headers", "frame-headers", "frame-blocked-by-proxy-headers", 17);
        row("frame-headers-csp", "frame-headers", "frame-blocked-by-proxy-headers", 31);
        row("internal-exposed", "internal-exposed", "", 18);
        row("query-string-dropped", "query-string-dropped", "socketio-query-lost", 23);
        row("hostname-underscore", "hostname-underscore", "hostname-underscore", 15);
        row("hostname-underscore-upstream", "hostname-underscore", "hostname-underscore", 23);
        row("nginx-unknown-variable", "nginx-unknown-variable", "", 28, false);
    }
    void nginxChecks()
    {
        QFETCH(QString, name);
        QFETCH(QString, check);
        QFETCH(QString, cause);
        QFETCH(int, line);
        QFETCH(bool, badIsValidNginx);
        const QString bad = nginxData(name + QLatin1String(".bad.conf"));
        const QString good = nginxData(name + QLatin1String(".good.conf"));

        const LintResult badResult = lintNginx(parseNginxFile(bad));
        QVERIFY2(badResult.errors.isEmpty(), qPrintable(badResult.errors.value(0).toString()));
        const LintFinding *f = findingOf(badResult, check);
        QVERIFY2(
            f,
            qPrintable(
                QStringLiteral("%1 not found; found: %2").arg(check, checksOf(badResult).join(QLatin1String(", ")))));
        QCOMPARE(f->cause, cause);
        QCOMPARE(f->file, bad);
        QCOMPARE(f->line, line);
        QVERIFY(!f->message.isEmpty() && !f->fix.isEmpty() && !f->title.isEmpty());
        QVERIFY2(f->excerpt.contains(bad + QLatin1Char(':')), qPrintable(f->excerpt));

        const LintResult goodResult = lintNginx(parseNginxFile(good));
        QVERIFY2(!checksOf(goodResult).contains(check), qPrintable(lintReportText(goodResult)));
        QVERIFY2(!goodResult.hasFindings(LintSeverity::Error), qPrintable(lintReportText(goodResult)));
        QVERIFY2(!goodResult.hasFindings(LintSeverity::Warning), qPrintable(lintReportText(goodResult)));

        QString output;
        QCOMPARE(nginxAccepts(bad, &output), badIsValidNginx);
        QVERIFY2(nginxAccepts(good, &output), qPrintable(output));
    }

    // A front proxy checked against Document Server's own nginx linted with it (cross/ds-nginx.conf:
    // docservice on 127.0.0.1:8005, plain on 127.0.0.1:8081, TLS on 127.0.0.1:8443).
    void crossConfiguration_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("cause");
        QTest::newRow("docservice directly")
            << QStringLiteral("upstream-docservice-direct") << QStringLiteral("wrong-upstream-port");
        QTest::newRow("port not listened on")
            << QStringLiteral("upstream-not-listening") << QStringLiteral("upstream-refused");
        QTest::newRow("another address") << QStringLiteral("upstream-bound-elsewhere")
                                         << QStringLiteral("backend-bound-loopback");
        QTest::newRow("another family") << QStringLiteral("upstream-family-mismatch")
                                        << QStringLiteral("localhost-ipv6-mismatch");
        QTest::newRow("TLS to a plain listener")
            << QStringLiteral("upstream-scheme-port") << QStringLiteral("upstream-scheme-mismatch");
    }
    void crossConfiguration()
    {
        QFETCH(QString, name);
        QFETCH(QString, cause);
        const QString ds = nginxData(QStringLiteral("cross/ds-nginx.conf"));
        const QString bad = nginxData(QStringLiteral("cross/") + name + QLatin1String(".bad.conf"));
        const QString good = nginxData(QStringLiteral("cross/") + name + QLatin1String(".good.conf"));
        LintInputs inputs;
        inputs.nginxFiles = {bad, ds};
        const LintResult badResult = lintConfiguration(inputs);
        const LintFinding *f = findingOf(badResult, name);
        QVERIFY2(f, qPrintable(lintReportText(badResult)));
        QCOMPARE(f->cause, cause);
        QCOMPARE(f->file, bad);
        QCOMPARE(f->line, 19);
        QCOMPARE(f->node, QStringLiteral("proxy"));
        // Alone, the front proxy's config cannot tell.
        QVERIFY(!findingOf(lintNginx(parseNginxFile(bad)), name));

        inputs.nginxFiles = {good, ds};
        const LintResult goodResult = lintConfiguration(inputs);
        QVERIFY2(!goodResult.hasFindings(LintSeverity::Warning) && !goodResult.hasFindings(LintSeverity::Error),
                 qPrintable(lintReportText(goodResult)));
        QString output;
        for (const QString &config : {ds, bad, good})
            QVERIFY2(nginxAccepts(config, &output), qPrintable(output));
    }

    void unknownVariableStopsDsNginx()
    {
        // In Document Server's own nginx the missing $cache_tag is the ds-nginx-down cause.
        const QByteArray conf = "events {}\nhttp {\nserver { listen 80;\nset $secure_link_secret x;\n"
                                "location /web-apps/ { add_header X-Cache-Tag $cache_tag; }\n} }\n";
        const LintResult result = lintNginx(parseNginxText(conf, QStringLiteral("ds.conf"), QDir::tempPath()));
        const LintFinding *f = findingOf(result, QStringLiteral("nginx-unknown-variable"));
        QVERIFY(f);
        QCOMPARE(f->severity, LintSeverity::Error);
        QCOMPARE(f->cause, QStringLiteral("ds-nginx-down"));
        QCOMPARE(f->line, 5);
        // Variables of nginx's modules, maps, sets and regex captures are known.
        const QByteArray known =
            "events {}\nhttp {\nmap $http_upgrade $c { default upgrade; }\n"
            "server { listen 80; set $s $host; location ~ ^/(?<rest>.*)$ {\n"
            "return 200 \"$c $s $rest $1 $arg_x $http_x $cookie_y $upstream_addr ${host}\"; } } }\n";
        QVERIFY(!findingOf(lintNginx(parseNginxText(known, QStringLiteral("k.conf"), QDir::tempPath())),
                           QStringLiteral("nginx-unknown-variable")));
    }

    void dsNginxRole()
    {
        // Document Server's own nginx: localhost:8000 with max_fails=0 is its normal upstream.
        const QByteArray conf =
            "events {}\nhttp {\n"
            "upstream docservice { server localhost:8000 max_fails=0 fail_timeout=0s; }\n"
            "map $http_upgrade $proxy_connection { default upgrade; \"\" close; }\n"
            "proxy_set_header Host $http_host;\nproxy_set_header Upgrade $http_upgrade;\n"
            "proxy_set_header Connection $proxy_connection;\nproxy_set_header X-Forwarded-Host $http_host;\n"
            "proxy_set_header X-Forwarded-Proto $scheme;\n"
            "server {\nlisten 80;\nclient_max_body_size 100m;\nproxy_http_version 1.1;\n"
            "set $secure_link_secret verysecretstring;\n"
            "location ~ ^/(info|internal)(/.*)?$ { allow 127.0.0.1; deny all; proxy_pass http://docservice; }\n"
            "location / { proxy_pass http://docservice; }\n"
            "location ~ ^(/[\\d]+\\.[\\d]+\\.[\\d]+[\\.|-][\\w]+)?(/doc/.*) {\n"
            "  proxy_pass http://docservice$2$is_args$args; }\n}\n}\n";
        const LintResult result = lintNginx(parseNginxText(conf, QStringLiteral("ds.conf"), QDir::tempPath()));
        QVERIFY2(!result.hasFindings(LintSeverity::Error) && !result.hasFindings(LintSeverity::Warning),
                 qPrintable(lintReportText(result)));
        QCOMPARE(result.upstreams.size(), 3);
        QCOMPARE(result.upstreams.constFirst().role, QStringLiteral("ds-nginx"));
        QVERIFY(!lintReportText(result).contains(QLatin1String("verysecretstring")));

        // ...and the same upstream with nginx's defaults is the DS <= 6.1 "no live upstreams" cause.
        QByteArray legacy = conf;
        legacy.replace("localhost:8000 max_fails=0 fail_timeout=0s", "localhost:8000");
        const LintResult old = lintNginx(parseNginxText(legacy, QStringLiteral("ds.conf"), QDir::tempPath()));
        QVERIFY(findingOf(old, QStringLiteral("upstream-max-fails")));
        QCOMPARE(findingOf(old, QStringLiteral("upstream-max-fails"))->node, QStringLiteral("dsnginx"));
    }

    void frontProxyWithADocserviceUpstream()
    {
        // ONLYOFFICE's proxy examples call their upstream "docservice" too; that is still a front proxy.
        const QByteArray conf = "events {}\nhttp {\nupstream docservice { server 10.0.0.5; }\n"
                                "server { listen 80; location / { proxy_pass http://docservice; } } }\n";
        const LintResult result = lintNginx(parseNginxText(conf, QStringLiteral("p.conf"), QDir::tempPath()));
        QCOMPARE(result.upstreams.constFirst().role, QStringLiteral("front-proxy"));
        QVERIFY(findingOf(result, QStringLiteral("websocket-upgrade")));
        QCOMPARE(findingOf(result, QStringLiteral("websocket-upgrade"))->node, QStringLiteral("proxy"));
    }

    void configuredUpstreams()
    {
        const LintResult result = lintNginx(parseNginxFile(nginxData(QStringLiteral("includes/main.conf"))));
        QCOMPARE(result.upstreams.size(), 1);
        const ConfiguredUpstream &u = result.upstreams.constFirst();
        QCOMPARE(u.location, QStringLiteral("location /"));
        QCOMPARE(u.scheme, QStringLiteral("http"));
        QCOMPARE(u.host, QStringLiteral("127.0.0.1"));
        QCOMPARE(u.port, quint16(8080));
        QCOMPARE(u.role, QStringLiteral("front-proxy"));
        QVERIFY(u.docServer);

        // Every server of an upstream block, backups included.
        const QByteArray conf =
            "events {}\nhttp {\nupstream docserver { server 10.0.0.1:80; server 10.0.0.2 backup; }\n"
            "server { listen 80; location / { proxy_pass http://docserver; } } }\n";
        const LintResult two = lintNginx(parseNginxText(conf, QStringLiteral("u.conf"), QDir::tempPath()));
        QCOMPARE(two.upstreams.size(), 2);
        QCOMPARE(two.upstreams.at(1).host, QStringLiteral("10.0.0.2"));
        QCOMPARE(two.upstreams.at(1).port, quint16(80));
        QVERIFY(two.upstreams.at(1).backup);
        QCOMPARE(two.upstreams.at(1).upstream, QStringLiteral("docserver"));
        QCOMPARE(two.upstreams.at(1).line, 3);
    }

    void parseErrorsAreFindings()
    {
        const LintResult result =
            lintNginx(parseNginxFile(nginxData(QStringLiteral("invalid/missing-semicolon.conf"))));
        const LintFinding *f = findingOf(result, QStringLiteral("nginx-config-invalid"));
        QVERIFY(f);
        QCOMPARE(f->severity, LintSeverity::Error);
        QCOMPARE(f->line, 12);
        QVERIFY(!result.hasFatalError());
        const LintResult missing = lintNginx(parseNginxFile(QStringLiteral("/nonexistent/nginx.conf")));
        QVERIFY(missing.hasFatalError());
        QVERIFY(missing.findings.isEmpty());
    }

    void evidence()
    {
        const LintResult result = lintNginx(parseNginxFile(nginxData(QStringLiteral("websocket-upgrade.bad.conf"))));
        const EvidenceList evidence = configEvidence(result);
        QCOMPARE(evidence.size(), result.findings.size());
        QSet<QString> ids;
        bool found = false;
        for (const Evidence &e : evidence) {
            QCOMPARE(e.source, EvidenceSource::Config);
            QCOMPARE(e.kind, QStringLiteral("lint"));
            QVERIFY(!ids.contains(e.id));
            ids.insert(e.id);
            QVERIFY(e.time.isValid());
            if (!e.facts.contains(QStringLiteral("config.websocket-upgrade")))
                continue;
            found = true;
            QCOMPARE(e.facts.value(QStringLiteral("cause")).toString(), QStringLiteral("websocket-upgrade-missing"));
            QCOMPARE(e.facts.value(QStringLiteral("config.websocket-upgrade")).toBool(), true);
            QCOMPARE(e.health, Health::Failed);
            QCOMPARE(e.node, QStringLiteral("proxy"));
            QVERIFY(e.excerpt.contains(QLatin1String("websocket-upgrade.bad.conf:22: location / {")));
            QVERIFY(e.detail.contains(QLatin1String("proxy_http_version 1.1")));
        }
        QVERIFY(found);
    }

    void secretsAreRedacted()
    {
        const QByteArray conf =
            "events {}\nhttp {\nserver { listen 80;\nset $secure_link_secret s3cr3tvalue;\n"
            "location / { proxy_pass http://127.0.0.1:8000;\n"
            "proxy_set_header Authorization \"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl\"; } } }\n";
        const LintResult result = lintNginx(parseNginxText(conf, QStringLiteral("s.conf"), QDir::tempPath()));
        QVERIFY(!result.findings.isEmpty());
        for (const QByteArray &out :
             {lintReportText(result).toUtf8(), lintReportJson(result), lintReportSarif(result)}) {
            QVERIFY(!out.contains("s3cr3tvalue"));
            QVERIFY(!out.contains("eyJhbGciOiJIUzI1NiJ9"));
        }
    }

    void jsonReport()
    {
        const LintResult result = lintNginx(parseNginxFile(nginxData(QStringLiteral("upstream-port-8000.bad.conf"))));
        QJsonParseError error;
        const QJsonObject root = QJsonDocument::fromJson(lintReportJson(result), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(root.value(QLatin1String("schema")).toString(), QStringLiteral("docserver-doctor.lint/1"));
        const QJsonArray findings = root.value(QLatin1String("findings")).toArray();
        QCOMPARE(findings.size(), result.findings.size());
        const QJsonObject first = findings.first().toObject();
        QCOMPARE(first.value(QLatin1String("id")).toString(), QStringLiteral("upstream-port-8000"));
        QCOMPARE(first.value(QLatin1String("severity")).toString(), QStringLiteral("error"));
        QCOMPARE(first.value(QLatin1String("cause")).toString(), QStringLiteral("wrong-upstream-port"));
        QCOMPARE(first.value(QLatin1String("line")).toInt(), 19);
        QCOMPARE(root.value(QLatin1String("summary")).toObject().value(QLatin1String("error")).toInt(), 1);
        QCOMPARE(
            root.value(QLatin1String("upstreams")).toArray().first().toObject().value(QLatin1String("port")).toInt(),
            8000);
    }

    void sarifReport()
    {
        const LintResult result = lintNginx(parseNginxFile(nginxData(QStringLiteral("websocket-path-rule.bad.conf"))));
        QJsonParseError error;
        const QJsonObject root = QJsonDocument::fromJson(lintReportSarif(result), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(root.value(QLatin1String("version")).toString(), QStringLiteral("2.1.0"));
        QVERIFY(root.value(QLatin1String("$schema")).toString().contains(QLatin1String("sarif-2.1.0")));
        const QJsonArray runs = root.value(QLatin1String("runs")).toArray();
        QCOMPARE(runs.size(), 1);
        const QJsonObject run = runs.first().toObject();
        const QJsonArray rules = run.value(QLatin1String("tool"))
                                     .toObject()
                                     .value(QLatin1String("driver"))
                                     .toObject()
                                     .value(QLatin1String("rules"))
                                     .toArray();
        QVERIFY(rules.size() >= 40);
        const QJsonArray results = run.value(QLatin1String("results")).toArray();
        QCOMPARE(results.size(), result.findings.size());
        for (const QJsonValue &v : results) {
            const QJsonObject r = v.toObject();
            const int index = r.value(QLatin1String("ruleIndex")).toInt(-1);
            QVERIFY(index >= 0 && index < rules.size());
            QCOMPARE(rules.at(index).toObject().value(QLatin1String("id")).toString(),
                     r.value(QLatin1String("ruleId")).toString());
            QVERIFY(QStringList({QStringLiteral("error"), QStringLiteral("warning"), QStringLiteral("note")})
                        .contains(r.value(QLatin1String("level")).toString()));
            QVERIFY(!r.value(QLatin1String("message")).toObject().value(QLatin1String("text")).toString().isEmpty());
            const QJsonObject loc = r.value(QLatin1String("locations"))
                                        .toArray()
                                        .first()
                                        .toObject()
                                        .value(QLatin1String("physicalLocation"))
                                        .toObject();
            QVERIFY(loc.value(QLatin1String("artifactLocation"))
                        .toObject()
                        .value(QLatin1String("uri"))
                        .toString()
                        .startsWith(QLatin1String("file:///")));
            QVERIFY(loc.value(QLatin1String("region")).toObject().value(QLatin1String("startLine")).toInt() >= 1);
        }
        QCOMPARE(results.first().toObject().value(QLatin1String("ruleId")).toString(),
                 QStringLiteral("websocket-path-rule"));
    }

    void textReport()
    {
        const LintResult result = lintNginx(parseNginxFile(nginxData(QStringLiteral("frame-headers.bad.conf"))));
        const QString text = lintReportText(result);
        QVERIFY2(text.contains(nginxData(QStringLiteral("frame-headers.bad.conf:17: error: [frame-headers]"))),
                 qPrintable(text));
        QVERIFY(text.contains(QLatin1String("(cause: frame-blocked-by-proxy-headers)")));
        QVERIFY(text.contains(QLatin1String("    fix:\n")));
        QVERIFY(text.contains(QLatin1String("configured upstreams:")));
        QVERIFY(text.endsWith(QLatin1String("1 error(s), 0 warning(s), 0 info\n")));
    }

    void lintConfigurationMergesInputs()
    {
        LintInputs inputs;
        inputs.nginxFiles = {nginxData(QStringLiteral("upstream-port-8000.bad.conf")),
                             QStringLiteral("/nonexistent.conf")};
        inputs.nginxDumps = {nginxData(QStringLiteral("dump/debian-nginx-T.txt"))};
        const LintResult result = lintConfiguration(inputs);
        QVERIFY(result.hasFatalError());
        QCOMPARE(result.inputs.size(), 3);
        QVERIFY(checksOf(result).contains(QStringLiteral("upstream-port-8000")));
        QVERIFY(checksOf(result).contains(QStringLiteral("websocket-upgrade")));
        // Errors first.
        QCOMPARE(result.findings.constFirst().severity, LintSeverity::Error);
    }
};

QTEST_GUILESS_MAIN(TestLint)
#include "tst_lint.moc"
