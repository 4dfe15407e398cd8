// Document Server's configuration: local.json merged over default.json as node-config does, the
// Docker environment (env file, compose, docker inspect), the secure-link secret of DS's nginx,
// the integrator's settings, the checks on them, and that no secret ever reaches the output.

#include "config/dsconfig.h"
#include "config/dslint.h"
#include "config/integratorconfig.h"
#include "config/linter.h"
#include "config/lintreport.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace dd;

namespace {

QString dsData(const QString &name)
{
    return QStringLiteral(DD_SOURCE_DIR "/tests/data/config/ds/") + name;
}

const LintFinding *findingOf(const LintResult &result, const QString &check)
{
    for (const LintFinding &f : result.findings) {
        if (f.check == check)
            return &f;
    }
    return nullptr;
}

// Every secret the test data holds; none may appear in any report.
const QStringList secrets = {QStringLiteral("Rk9vBx3mZ2qT8wLc5nHp1sYd7gJe4uAa"),
                             QStringLiteral("Zz9vBx3mZ2qT8wLc5nHp1sYd7gJe4uZz"),
                             QStringLiteral("Qq9vBx3mZ2qT8wLc5nHp1sYd7gJe4uQq"),
                             QStringLiteral("n3wS3cret-after-update-script"),
                             QStringLiteral("verysecretstring"),
                             QStringLiteral("short5"),
                             QStringLiteral("tooshort"),
                             QStringLiteral("onlyoffice-db-pass"),
                             QStringLiteral("guest-amqp-pass"),
                             QStringLiteral("short-seafile")};

void verifyNoSecrets(const LintResult &result)
{
    const QByteArray all = lintReportText(result).toUtf8() + lintReportJson(result) + lintReportSarif(result);
    for (const QString &s : secrets)
        QVERIFY2(!all.contains(s.toUtf8()), qPrintable(QStringLiteral("secret leaked: ") + s));
}

} // namespace

class TestDsConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mergeOverDefault()
    {
        const DsConfig ds = loadDsConfig(dsData(QStringLiteral("jwt-headers-differ.bad.json")));
        QVERIFY2(ds.errors.isEmpty(), qPrintable(ds.errors.value(0).toString()));
        QCOMPARE(ds.files, (QStringList{dsData(QStringLiteral("default.json")),
                                        dsData(QStringLiteral("jwt-headers-differ.bad.json"))}));
        // From local.json, over default.json.
        QCOMPARE(ds.string(QStringLiteral("services.CoAuthoring.token.outbox.header")),
                 QStringLiteral("AuthorizationJwt"));
        QVERIFY(ds.boolean(QStringLiteral("services.CoAuthoring.token.enable.request.inbox"), false));
        // Siblings local.json did not touch survive from default.json.
        QCOMPARE(ds.string(QStringLiteral("services.CoAuthoring.token.outbox.algorithm")), QStringLiteral("HS256"));
        QCOMPARE(ds.string(QStringLiteral("services.CoAuthoring.server.port")), QStringLiteral("8000"));
        QCOMPARE(ds.fileOf(QStringLiteral("services.CoAuthoring.token.outbox.header")),
                 dsData(QStringLiteral("jwt-headers-differ.bad.json")));
        QCOMPARE(ds.fileOf(QStringLiteral("services.CoAuthoring.token.outbox.algorithm")),
                 dsData(QStringLiteral("default.json")));
        QVERIFY(ds.lineOf(QStringLiteral("services.CoAuthoring.token.outbox.header")) > 1);
        // DS's nginx next to it.
        QCOMPARE(ds.nginxSecureLinkFile, dsData(QStringLiteral("nginx/ds.conf")));
        QCOMPARE(ds.nginxSecureLinkLine, 6);
    }

    void directoryLayout()
    {
        const DsConfig ds = loadDsConfig(dsData(QStringLiteral("etc-onlyoffice")));
        QVERIFY(ds.errors.isEmpty());
        QCOMPARE(ds.files.size(), 2);
        const LintResult result = lintDocServer(&ds, nullptr);
        QVERIFY2(result.findings.isEmpty(), qPrintable(lintReportText(result)));
        // Where docservice and its dependencies are.
        QStringList roles;
        for (const ConfiguredEndpoint &e : result.endpoints)
            roles.append(QStringLiteral("%1=%2:%3").arg(e.role, e.host).arg(e.port));
        QCOMPARE(roles,
                 (QStringList{QStringLiteral("docservice=127.0.0.1:8000"), QStringLiteral("database=localhost:5432"),
                              QStringLiteral("rabbitmq=localhost:5672"), QStringLiteral("redis=127.0.0.1:6379")}));
        verifyNoSecrets(result);
    }

    void jsonKeyLines()
    {
        const QByteArray text =
            "{\n  \"a\": {\n    \"x\": 1,\n    \"b\": {\n      \"x\": 2\n    }\n  },\n  \"x\": 3\n}\n";
        QCOMPARE(jsonKeyLine(text, QStringLiteral("a.b.x")), 5);
        QCOMPARE(jsonKeyLine(text, QStringLiteral("a.x")), 3);
        QCOMPARE(jsonKeyLine(text, QStringLiteral("a.b")), 4);
        QCOMPARE(jsonKeyLine(text, QStringLiteral("nope")), 0);
    }

    void checks_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("check");
        QTest::addColumn<QString>("cause");
        QTest::newRow("secure link") << QStringLiteral("secure-link") << QStringLiteral("ds-secure-link-mismatch")
                                     << QStringLiteral("secure-link-mismatch");
        QTest::newRow("short secret") << QStringLiteral("jwt-secret-short") << QStringLiteral("ds-jwt-secret-short")
                                      << QStringLiteral("jwt-secret-too-short");
        QTest::newRow("default secret") << QStringLiteral("jwt-default-secret")
                                        << QStringLiteral("ds-jwt-default-secret")
                                        << QStringLiteral("jwt-secret-mismatch");
        QTest::newRow("inbox/outbox secrets")
            << QStringLiteral("jwt-secrets-differ") << QStringLiteral("ds-jwt-secrets-differ")
            << QStringLiteral("jwt-secret-mismatch");
        QTest::newRow("inbox/outbox headers")
            << QStringLiteral("jwt-headers-differ") << QStringLiteral("ds-jwt-headers-differ")
            << QStringLiteral("jwt-header-mismatch");
        QTest::newRow("private IPs without JWT")
            << QStringLiteral("private-ip-without-jwt") << QStringLiteral("ds-private-ip-without-jwt")
            << QStringLiteral("private-ip-blocked");
    }
    void checks()
    {
        QFETCH(QString, name);
        QFETCH(QString, check);
        QFETCH(QString, cause);
        const DsConfig bad = loadDsConfig(dsData(name + QLatin1String(".bad.json")));
        QVERIFY(bad.errors.isEmpty());
        const LintResult badResult = lintDocServer(&bad, nullptr);
        const LintFinding *f = findingOf(badResult, check);
        QVERIFY2(f, qPrintable(lintReportText(badResult)));
        QCOMPARE(f->cause, cause);
        QVERIFY(f->line > 0);
        QVERIFY(!f->excerpt.isEmpty());
        verifyNoSecrets(badResult);

        const DsConfig good = loadDsConfig(dsData(name + QLatin1String(".good.json")));
        const LintResult goodResult = lintDocServer(&good, nullptr);
        QVERIFY2(goodResult.findings.isEmpty(), qPrintable(lintReportText(goodResult)));
    }

    void secureLinkFromLintedNginx()
    {
        // Without nginx/ds.conf beside it, the secret comes from the nginx config linted alongside.
        QTemporaryDir dir;
        QVERIFY(
            QFile::copy(dsData(QStringLiteral("secure-link.bad.json")), dir.filePath(QStringLiteral("local.json"))));
        QVERIFY(QFile::copy(dsData(QStringLiteral("default.json")), dir.filePath(QStringLiteral("default.json"))));
        const DsConfig ds = loadDsConfig(dir.path());
        QVERIFY(ds.nginxSecureLinkFile.isEmpty());
        QVERIFY(!findingOf(lintDocServer(&ds, nullptr), QStringLiteral("ds-secure-link-mismatch")));

        LintInputs inputs;
        inputs.dsConfig = dir.path();
        inputs.hasNginxText = true;
        inputs.nginxTextName = QStringLiteral("ds.conf");
        inputs.nginxText = "events {}\nhttp {\nupstream docservice { server 127.0.0.1:8000 max_fails=0; }\n"
                           "server { listen 80;\nset $secure_link_secret verysecretstring;\n} }\n";
        const LintResult result = lintConfiguration(inputs);
        const LintFinding *f = findingOf(result, QStringLiteral("ds-secure-link-mismatch"));
        QVERIFY2(f, qPrintable(lintReportText(result)));
        QCOMPARE(f->file, QStringLiteral("ds.conf"));
        QCOMPARE(f->line, 5);
        verifyNoSecrets(result);
    }

    void dockerEnvironment_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("header");
        QTest::addColumn<bool>("randomSecret");
        QTest::addColumn<QString>("dbHost");
        QTest::newRow("env without JWT_SECRET")
            << QStringLiteral("docker-random-secret.bad.env") << QStringLiteral("Authorization") << true
            << QStringLiteral("onlyoffice-postgresql");
        QTest::newRow("env with JWT_SECRET")
            << QStringLiteral("docker-random-secret.good.env") << QStringLiteral("Authorization") << false
            << QStringLiteral("onlyoffice-postgresql");
        QTest::newRow("compose") << QStringLiteral("compose.yml") << QStringLiteral("AuthorizationJwt") << false
                                 << QStringLiteral("onlyoffice-postgresql");
        QTest::newRow("docker inspect") << QStringLiteral("docker-inspect.json") << QStringLiteral("AuthorizationJwt")
                                        << false << QStringLiteral("db");
    }
    void dockerEnvironment()
    {
        QFETCH(QString, file);
        QFETCH(QString, header);
        QFETCH(bool, randomSecret);
        QFETCH(QString, dbHost);
        const DsConfig ds = loadDsConfig(dsData(file));
        QVERIFY2(ds.errors.isEmpty(), qPrintable(ds.errors.value(0).toString()));
        QVERIFY(ds.hasEnvironment());
        QCOMPARE(ds.string(QStringLiteral("services.CoAuthoring.token.inbox.header")), header);
        QVERIFY(ds.boolean(QStringLiteral("services.CoAuthoring.token.enable.request.inbox"), false));
        QCOMPARE(ds.string(QStringLiteral("services.CoAuthoring.sql.dbHost")), dbHost);
        const LintResult result = lintDocServer(&ds, nullptr);
        const LintFinding *f = findingOf(result, QStringLiteral("ds-jwt-random-secret"));
        QCOMPARE(f != nullptr, randomSecret);
        QVERIFY2(result.findings.size() == (randomSecret ? 1 : 0), qPrintable(lintReportText(result)));
        verifyNoSecrets(result);
    }

    void invalidJson()
    {
        const DsConfig ds = loadDsConfig(dsData(QStringLiteral("broken.json")));
        QCOMPARE(ds.errors.size(), 1);
        QCOMPARE(ds.errors.constFirst().line, 4);
        QVERIFY(!ds.errors.constFirst().fatal);
        const LintResult result = lintDocServer(&ds, nullptr);
        const LintFinding *f = findingOf(result, QStringLiteral("ds-config-invalid"));
        QVERIFY(f);
        QCOMPARE(f->line, 4);
        QCOMPARE(f->severity, LintSeverity::Error);
    }

    void unreadable_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("missing") << QStringLiteral("/nonexistent/local.json");
        QTest::newRow("empty directory") << QDir::tempPath() + QStringLiteral("/dd-no-such-ds-dir");
        QTest::newRow("not a config") << dsData(QStringLiteral("nginx/ds.conf"));
    }
    void unreadable()
    {
        QFETCH(QString, path);
        QTemporaryDir empty;
        const DsConfig ds = loadDsConfig(path.endsWith(QLatin1String("dd-no-such-ds-dir")) ? empty.path() : path);
        QCOMPARE(ds.errors.size(), 1);
        QVERIFY(ds.errors.constFirst().fatal);
    }

    void integrator_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("cause");
        QTest::newRow("secret") << QStringLiteral("jwt-secret-mismatch") << QStringLiteral("jwt-secret-mismatch");
        QTest::newRow("header") << QStringLiteral("jwt-header-mismatch") << QStringLiteral("jwt-header-mismatch");
        QTest::newRow("no secret") << QStringLiteral("jwt-missing-in-integrator")
                                   << QStringLiteral("jwt-missing-in-config");
        QTest::newRow("short secret") << QStringLiteral("integrator-jwt-secret-short")
                                      << QStringLiteral("jwt-secret-too-short");
        QTest::newRow("mixed content") << QStringLiteral("integrator-mixed-content")
                                       << QStringLiteral("mixed-active-content-config");
        QTest::newRow("underscore") << QStringLiteral("integrator-hostname-underscore")
                                    << QStringLiteral("hostname-underscore");
    }
    void integrator()
    {
        QFETCH(QString, name);
        QFETCH(QString, cause);
        const DsConfig ds = loadDsConfig(dsData(QStringLiteral("etc-onlyoffice")));
        const IntegratorConfig bad =
            loadIntegratorConfig(dsData(QStringLiteral("integrator/") + name + QLatin1String(".bad.json")));
        QVERIFY(bad.errors.isEmpty());
        QCOMPARE(bad.kind, QStringLiteral("nextcloud"));
        const LintResult badResult = lintDocServer(&ds, &bad);
        const LintFinding *f = findingOf(badResult, name);
        QVERIFY2(f, qPrintable(lintReportText(badResult)));
        QCOMPARE(f->cause, cause);
        QCOMPARE(f->node, QStringLiteral("integrator"));
        verifyNoSecrets(badResult);

        const IntegratorConfig good =
            loadIntegratorConfig(dsData(QStringLiteral("integrator/") + name + QLatin1String(".good.json")));
        const LintResult goodResult = lintDocServer(&ds, &good);
        QVERIFY2(goodResult.findings.isEmpty(), qPrintable(lintReportText(goodResult)));
    }

    void seafile()
    {
        const IntegratorConfig cfg = loadIntegratorConfig(dsData(QStringLiteral("integrator/seahub_settings.py")));
        QVERIFY(cfg.errors.isEmpty());
        QCOMPARE(cfg.kind, QStringLiteral("seafile"));
        QCOMPARE(cfg.documentServerUrl, QStringLiteral("https://docs.example.com/"));
        QCOMPARE(cfg.integratorUrl, QStringLiteral("https://seafile.example.com"));
        QCOMPARE(cfg.lineOf(QStringLiteral("jwt_secret")), 6);
        const DsConfig ds = loadDsConfig(dsData(QStringLiteral("etc-onlyoffice")));
        const LintResult result = lintDocServer(&ds, &cfg);
        QVERIFY(findingOf(result, QStringLiteral("jwt-secret-mismatch")));
        QVERIFY(findingOf(result, QStringLiteral("integrator-jwt-secret-short")));
        QCOMPARE(findingOf(result, QStringLiteral("integrator-jwt-secret-short"))->line, 6);
        verifyNoSecrets(result);
    }

    // DS's own ds.conf is a fragment (a server block); wrapped, the real nginx accepts it.
    void nginxAcceptsDsFragment_data()
    {
        QTest::addColumn<QString>("fragmentFile");
        QTest::newRow("beside local.json") << QStringLiteral("nginx/ds.conf");
        QTest::newRow("configuration directory") << QStringLiteral("etc-onlyoffice/nginx/ds.conf");
    }
    void nginxAcceptsDsFragment()
    {
        QFETCH(QString, fragmentFile);
        const QString nginx = QStandardPaths::findExecutable(
            QStringLiteral("nginx"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")});
        QVERIFY2(!nginx.isEmpty(), "nginx is not installed");
        QTemporaryDir prefix;
        QFile wrapper(prefix.filePath(QStringLiteral("nginx.conf")));
        QVERIFY(wrapper.open(QIODevice::WriteOnly));
        QByteArray fragment;
        {
            QFile f(dsData(fragmentFile));
            QVERIFY(f.open(QIODevice::ReadOnly));
            // Listening on all interfaces is what DS does; for the test, loopback only.
            fragment = f.readAll().replace("0.0.0.0:80", "127.0.0.1:80").replace("listen [::]:80 default_server;", "");
        }
        wrapper.write(
            "events {}\nhttp {\naccess_log off;\nclient_body_temp_path cb;\nproxy_temp_path p;\nfastcgi_temp_path f;\n"
            "uwsgi_temp_path u;\nscgi_temp_path s;\n" +
            fragment + "}\n");
        wrapper.close();
        QProcess p;
        p.start(nginx,
                {QStringLiteral("-t"), QStringLiteral("-p"), prefix.path() + QLatin1Char('/'), QStringLiteral("-c"),
                 wrapper.fileName(), QStringLiteral("-e"), prefix.filePath(QStringLiteral("error.log")),
                 QStringLiteral("-g"), QStringLiteral("pid %1;").arg(prefix.filePath(QStringLiteral("nginx.pid")))});
        QVERIFY(p.waitForFinished(30000));
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, p.readAllStandardError().constData());
    }
};

QTEST_GUILESS_MAIN(TestDsConfig)
#include "tst_dsconfig.moc"
