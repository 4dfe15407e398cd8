// `docserver-doctor-cli lint` end to end (exit codes, formats, stdin, bad input), and the Fault
// Lab's own configurations: for every scenario whose cause is written in a config file, lint
// finds that cause in what the lab really runs.

#include "labfixture.h"

#include "config/linter.h"
#include "config/lintreport.h"
#include "lab/labpaths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace dd;

namespace {

QString data(const QString &name)
{
    return QStringLiteral(DD_SOURCE_DIR "/tests/data/config/") + name;
}

struct CliRun
{
    int exitCode = -1;
    bool crashed = true;
    QByteArray out;
    QByteArray err;
};

CliRun runCli(const QStringList &args, const QByteArray &input = QByteArray(), bool closeInput = true)
{
    CliRun run;
    QProcess p;
    p.start(QStringLiteral(DD_CLI_PATH), QStringList{QStringLiteral("lint")} + args);
    if (!p.waitForStarted(10000))
        return run;
    if (!input.isEmpty())
        p.write(input);
    if (closeInput)
        p.closeWriteChannel();
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished(5000);
        return run;
    }
    run.crashed = p.exitStatus() != QProcess::NormalExit;
    run.exitCode = p.exitCode();
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    return run;
}

QStringList causesOf(const LintResult &result)
{
    QStringList out;
    for (const LintFinding &f : result.findings) {
        if (!f.cause.isEmpty() && !out.contains(f.cause))
            out.append(f.cause);
    }
    return out;
}

} // namespace

class TestLintIntegration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stdoutHas");
        QTest::addColumn<QString>("stderrHas");
        QTest::newRow("error finding") << QStringList{QStringLiteral("--nginx"),
                                                      data(QStringLiteral("nginx/websocket-upgrade.bad.conf"))}
                                       << 1 << QStringLiteral("[websocket-upgrade]") << QString();
        QTest::newRow("clean") << QStringList{QStringLiteral("--nginx"),
                                              data(QStringLiteral("nginx/websocket-upgrade.good.conf"))}
                               << 0 << QStringLiteral("0 error(s), 0 warning(s)") << QString();
        QTest::newRow("warnings only") << QStringList{QStringLiteral("--nginx"),
                                                      data(QStringLiteral("nginx/upstream-max-fails.bad.conf"))}
                                       << 0 << QStringLiteral("[upstream-max-fails]") << QString();
        QTest::newRow("syntax error") << QStringList{QStringLiteral("--nginx"),
                                                     data(QStringLiteral("nginx/invalid/extra-brace.conf"))}
                                      << 1 << QStringLiteral("extra-brace.conf:15: error: [nginx-config-invalid]")
                                      << QString();
        QTest::newRow("missing file") << QStringList{QStringLiteral("--nginx"),
                                                     QStringLiteral("/nonexistent/nginx.conf")}
                                      << 2 << QString() << QStringLiteral("cannot open /nonexistent/nginx.conf");
        QTest::newRow("missing and broken")
            << QStringList{QStringLiteral("--nginx"), QStringLiteral("/nonexistent/nginx.conf"),
                           QStringLiteral("--nginx"), data(QStringLiteral("nginx/websocket-upgrade.bad.conf"))}
            << 2 << QStringLiteral("[websocket-upgrade]") << QStringLiteral("/nonexistent/nginx.conf");
        QTest::newRow("no input") << QStringList{} << 2 << QString() << QStringLiteral("nothing to check");
        QTest::newRow("bad format") << QStringList{QStringLiteral("--format"), QStringLiteral("xml"),
                                                   QStringLiteral("--nginx"),
                                                   data(QStringLiteral("nginx/websocket-upgrade.good.conf"))}
                                    << 2 << QString() << QStringLiteral("--format must be");
        QTest::newRow("positional") << QStringList{data(QStringLiteral("nginx/websocket-upgrade.good.conf"))} << 2
                                    << QString() << QStringLiteral("unexpected argument");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate")} << 2 << QString()
                                        << QStringLiteral("frobnicate");
        QTest::newRow("help") << QStringList{QStringLiteral("--help")} << 0 << QStringLiteral("--nginx-dump")
                              << QString();
        QTest::newRow("dump") << QStringList{QStringLiteral("--nginx-dump"),
                                             data(QStringLiteral("nginx/dump/debian-nginx-T.txt"))}
                              << 1 << QStringLiteral("/etc/nginx/conf.d/upstream.conf:2: error: [upstream-port-8000]")
                              << QString();
        QTest::newRow("not a dump") << QStringList{QStringLiteral("--nginx-dump"),
                                                   data(QStringLiteral("nginx/websocket-upgrade.good.conf"))}
                                    << 2 << QString() << QStringLiteral("not an nginx -T dump");
        QTest::newRow("apache") << QStringList{QStringLiteral("--apache"),
                                               data(QStringLiteral("apache/apache-websocket-path-rule.bad.conf")),
                                               QStringLiteral("--apache-modules"),
                                               data(QStringLiteral("apache/apachectl-M.txt"))}
                                << 1 << QStringLiteral("proxy_wstunnel_module") << QString();
        QTest::newRow("apache modules alone")
            << QStringList{QStringLiteral("--apache-modules"), data(QStringLiteral("apache/apachectl-M.txt"))} << 2
            << QString() << QStringLiteral("--apache-modules needs --apache");
        QTest::newRow("ds and integrator")
            << QStringList{QStringLiteral("--ds-config"), data(QStringLiteral("ds/etc-onlyoffice")),
                           QStringLiteral("--integrator"),
                           data(QStringLiteral("ds/integrator/jwt-secret-mismatch.bad.json"))}
            << 1 << QStringLiteral("[jwt-secret-mismatch]") << QString();
        QTest::newRow("header without secret")
            << QStringList{QStringLiteral("--jwt-header"), QStringLiteral("AuthorizationJwt")} << 2 << QString()
            << QStringLiteral("--jwt-header needs");
        QTest::newRow("ds config unreadable")
            << QStringList{QStringLiteral("--ds-config"), QStringLiteral("/nonexistent/ds")} << 2 << QString()
            << QStringLiteral("/nonexistent/ds");
    }
    void exitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, stdoutHas);
        QFETCH(QString, stderrHas);
        const CliRun run = runCli(args);
        QVERIFY(!run.crashed);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(run.out).contains(stdoutHas), run.out.constData());
        QVERIFY2(QString::fromUtf8(run.err).contains(stderrHas), run.err.constData());
        // Bad input is one line on stderr.
        if (exitCode == 2 && !stderrHas.isEmpty())
            QVERIFY2(run.err.trimmed().count('\n') <= 1, run.err.constData());
    }

    void standardInput()
    {
        QFile file(data(QStringLiteral("nginx/upstream-port-8000.bad.conf")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const CliRun run =
            runCli({QStringLiteral("--nginx"), QStringLiteral("-"), QStringLiteral("--format"), QStringLiteral("json")},
                   file.readAll());
        QCOMPARE(run.exitCode, 1);
        const QJsonObject root = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(
            root.value(QLatin1String("findings")).toArray().first().toObject().value(QLatin1String("file")).toString(),
            QStringLiteral("<stdin>"));

        // A dump through stdin is recognised by its markers.
        QFile dump(data(QStringLiteral("nginx/dump/debian-nginx-T.txt")));
        QVERIFY(dump.open(QIODevice::ReadOnly));
        const CliRun fromDump = runCli({QStringLiteral("--nginx"), QStringLiteral("-")}, dump.readAll());
        QCOMPARE(fromDump.exitCode, 1);
        QVERIFY(fromDump.out.contains("/etc/nginx/sites-enabled/onlyoffice:5"));

        const CliRun twice = runCli(
            {QStringLiteral("--nginx"), QStringLiteral("-"), QStringLiteral("--nginx-dump"), QStringLiteral("-")});
        QCOMPARE(twice.exitCode, 2);
    }

    void sarifAndJsonFiles()
    {
        QTemporaryDir dir;
        const QString sarif = dir.filePath(QStringLiteral("lint.sarif"));
        CliRun run = runCli({QStringLiteral("--nginx"), data(QStringLiteral("nginx/frame-headers.bad.conf")),
                             QStringLiteral("--format"), QStringLiteral("sarif"), QStringLiteral("--output"), sarif});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.out.isEmpty());
        QFile file(sarif);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonParseError error;
        const QJsonObject root = QJsonDocument::fromJson(file.readAll(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(root.value(QLatin1String("version")).toString(), QStringLiteral("2.1.0"));
        const QJsonObject result = root.value(QLatin1String("runs"))
                                       .toArray()
                                       .first()
                                       .toObject()
                                       .value(QLatin1String("results"))
                                       .toArray()
                                       .first()
                                       .toObject();
        QCOMPARE(result.value(QLatin1String("ruleId")).toString(), QStringLiteral("frame-headers"));
        QCOMPARE(result.value(QLatin1String("level")).toString(), QStringLiteral("error"));
        QCOMPARE(result.value(QLatin1String("locations"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QLatin1String("physicalLocation"))
                     .toObject()
                     .value(QLatin1String("region"))
                     .toObject()
                     .value(QLatin1String("startLine"))
                     .toInt(),
                 17);

        const QString json = dir.filePath(QStringLiteral("lint.json"));
        run = runCli({QStringLiteral("--nginx"), data(QStringLiteral("nginx/frame-headers.good.conf")),
                      QStringLiteral("--json"), json});
        QCOMPARE(run.exitCode, 0);
        QFile jsonFile(json);
        QVERIFY(jsonFile.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(jsonFile.readAll()).object().value(QLatin1String("schema")).toString(),
                 QStringLiteral("docserver-doctor.lint/1"));
    }

    void secretsStayHidden()
    {
        const CliRun run =
            runCli({QStringLiteral("--ds-config"), data(QStringLiteral("ds/secure-link.bad.json")),
                    QStringLiteral("--integrator"), data(QStringLiteral("ds/integrator/jwt-secret-mismatch.bad.json")),
                    QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.out.contains("ds-secure-link-mismatch"));
        for (const char *secret :
             {"Rk9vBx3mZ2qT8wLc5nHp1sYd7gJe4uAa", "Qq9vBx3mZ2qT8wLc5nHp1sYd7gJe4uQq", "verysecretstring",
              "n3wS3cret-after-update-script", "onlyoffice-db-pass", "guest-amqp-pass"})
            QVERIFY2(!run.out.contains(secret) && !run.err.contains(secret), secret);
    }

    // The lab's scenarios whose cause lives in a configuration file: lint reads the configs the
    // lab really runs (front proxy, DS's nginx, local.json, the integrator's secret) and names it.
    void labScenarios_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("cause");
        for (const char *s : {"upstream-timeout",
                              "ds-nginx-down",
                              "no-live-upstreams",
                              "wrong-upstream-port",
                              "upstream-scheme-mismatch",
                              "tls-upstream-verify-failed",
                              "backend-bound-loopback",
                              "localhost-ipv6-mismatch",
                              "request-body-too-large",
                              "websocket-upgrade-missing",
                              "websocket-path-rule-outdated",
                              "socketio-query-lost",
                              "jwt-secret-mismatch",
                              "jwt-header-mismatch",
                              "forwarded-proto-mismatch",
                              "missing-host-header",
                              "virtual-path-prefix-missing",
                              "frame-blocked-by-proxy-headers",
                              "secure-link-mismatch",
                              "private-ip-blocked",
                              "hostname-underscore"})
            QTest::newRow(s) << QString::fromLatin1(s) << QString::fromLatin1(s);
        QTest::newRow("healthy") << QStringLiteral("healthy") << QString();
    }
    void labScenarios()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, cause);
        if (!Lab::hasScenario(scenario))
            QFAIL(qPrintable(QStringLiteral("the lab has no scenario %1").arg(scenario)));
        LabFixture fixture;
        QString error;
        QVERIFY2(fixture.start(scenario, &error, 60000), qPrintable(error));
        const Profile profile = fixture.profile();

        LintInputs inputs;
        QVERIFY(QFileInfo::exists(profile.proxyConfig));
        inputs.nginxFiles.append(profile.proxyConfig);
        const QString dsNginx =
            QDir(fixture.workDir()).filePath(QLatin1String(labpaths::DsNginxDir) + QLatin1String("/nginx.conf"));
        if (QFileInfo::exists(dsNginx))
            inputs.nginxFiles.append(dsNginx);
        inputs.dsConfig = profile.dsConfig;
        inputs.jwtSecretFile = profile.jwtSecretFile;
        if (!profile.jwtSecretFile.isEmpty())
            inputs.jwtHeader = profile.jwtHeader;
        const LintResult result = lintConfiguration(inputs);
        QVERIFY2(!result.hasFatalError(), qPrintable(result.errors.value(0).toString()));
        if (cause.isEmpty()) {
            QVERIFY2(!result.hasFindings(LintSeverity::Error), qPrintable(lintReportText(result)));
        } else {
            QVERIFY2(causesOf(result).contains(cause), qPrintable(lintReportText(result)));
        }
        // The configured topology: the front proxy's upstream is what the profile probes.
        QVERIFY(!result.upstreams.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestLintIntegration)
#include "tst_lintcli.moc"
