#include "labfixture.h"

#include "lab/lab.h"
#include "lab/nginxprocess.h"
#include "model/causecatalog.h"
#include "model/profile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace {

struct HttpResult
{
    bool finished = false;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0;
    QByteArray server;
    QByteArray body;
};

HttpResult httpGet(QNetworkAccessManager &nam, const QUrl &url)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(15000);
    QNetworkReply *reply = nam.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    HttpResult result;
    result.finished = finished.wait(20000);
    result.error = reply->error();
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.server = reply->rawHeader("Server");
    result.body = reply->readAll();
    reply->deleteLater();
    return result;
}

bool portRefuses(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (socket.waitForConnected(3000))
        return false;
    return socket.error() == QAbstractSocket::ConnectionRefusedError;
}

// A config for NginxProcess tests: everything in `dir`, one server answering 200.
QByteArray minimalConfig(const QString &dir, quint16 port, const QByteArray &extra = {})
{
    return QStringLiteral("events { worker_connections 16; }\n"
                          "http {\n"
                          "    access_log off;\n"
                          "    client_body_temp_path %1/client_body_temp;\n"
                          "    proxy_temp_path %1/proxy_temp;\n"
                          "    fastcgi_temp_path %1/fastcgi_temp;\n"
                          "    uwsgi_temp_path %1/uwsgi_temp;\n"
                          "    scgi_temp_path %1/scgi_temp;\n"
                          "    server { listen 127.0.0.1:%2; return 200 \"ok\\n\"; }\n")
               .arg(dir)
               .arg(port)
               .toUtf8() +
           extra + "}\n";
}

} // namespace

class TestLab : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_nam = std::make_unique<QNetworkAccessManager>();
        m_nam->setProxy(QNetworkProxy::NoProxy); // loopback only, whatever the environment says
    }
    void cleanup() { m_nam.reset(); }

    void scenarioCatalog()
    {
        const QList<dd::LabScenario> scenarios = dd::Lab::scenarios();
        QStringList ids;
        for (const dd::LabScenario &s : scenarios)
            ids.append(s.id);
        const QStringList expected{QStringLiteral("healthy"), QStringLiteral("ds-docservice-down"),
                                   QStringLiteral("upstream-refused"), QStringLiteral("upstream-timeout"),
                                   QStringLiteral("healthcheck-false")};
        for (const QString &id : expected)
            QVERIFY2(ids.contains(id), qPrintable(id));
        const dd::CauseCatalog catalog = dd::CauseCatalog::builtIn();
        for (const dd::LabScenario &s : scenarios) {
            QVERIFY2(!s.title.isEmpty() && !s.description.isEmpty(), qPrintable(s.id));
            if (s.id == QLatin1String("healthy")) {
                QVERIFY(s.expectedCause.isEmpty());
                continue;
            }
            // Scenario ids are cause ids, and the expected cause is in the catalog.
            QCOMPARE(s.expectedCause, s.id);
            QVERIFY2(catalog.contains(s.expectedCause), qPrintable(s.expectedCause));
        }
    }

    void scenario_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("publicStatus");
        QTest::addColumn<QByteArray>("publicBody"); // contained in the body at publicUrl/healthcheck
        QTest::addColumn<int>("dsNginxStatus");     // at docserverUrl/healthcheck; 0 = connection refused
        QTest::addColumn<QString>("logName");       // front, ds-nginx or docservice
        QTest::addColumn<QString>("logLine");
        QTest::addColumn<bool>("frontLogSilent"); // a P0 failure leaves P1's error log without upstream errors

        // P1 has no server_tokens off, so a 502/504 page it made says "nginx/1.x"; P0's says "nginx".
        QTest::newRow("healthy") << QStringLiteral("healthy") << 200 << QByteArray("true") << 200
                                 << QStringLiteral("docservice") << QStringLiteral("Express server listening on port")
                                 << true;
        QTest::newRow("ds-docservice-down")
            << QStringLiteral("ds-docservice-down") << 502 << QByteArray("<center>nginx</center>") << 502
            << QStringLiteral("ds-nginx")
            << QStringLiteral("connect() failed (111: Connection refused) while connecting to upstream") << true;
        QTest::newRow("upstream-refused")
            << QStringLiteral("upstream-refused") << 502 << QByteArray("<center>nginx/") << 0 << QStringLiteral("front")
            << QStringLiteral("connect() failed (111: Connection refused) while connecting to upstream") << false;
        QTest::newRow("upstream-timeout")
            << QStringLiteral("upstream-timeout") << 504 << QByteArray("<center>nginx</center>") << 504
            << QStringLiteral("ds-nginx")
            << QStringLiteral(
                   "upstream timed out (110: Connection timed out) while reading response header from upstream")
            << true;
        QTest::newRow("healthcheck-false")
            << QStringLiteral("healthcheck-false") << 200 << QByteArray("false") << 200 << QStringLiteral("docservice")
            << QStringLiteral("healthCheck error Error: ") << true;
    }

    void scenario()
    {
        QFETCH(QString, id);
        QFETCH(int, publicStatus);
        QFETCH(QByteArray, publicBody);
        QFETCH(int, dsNginxStatus);
        QFETCH(QString, logName);
        QFETCH(QString, logLine);
        QFETCH(bool, frontLogSilent);

        LabFixture fixture;
        QString error;
        QVERIFY2(fixture.start(id, &error), qPrintable(error));
        QVERIFY(fixture.lab().isRunning());
        QCOMPARE(fixture.lab().scenarioId(), id);
        const dd::Profile profile = fixture.profile();
        const QString workDir = fixture.workDir();
        QVERIFY(QFileInfo(workDir).isDir());

        // The profile describes the lab.
        QCOMPARE(profile.name, id);
        QCOMPARE(profile.publicUrl.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(profile.docserverUrl.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(profile.publicUrl.port() > 0 && profile.publicUrl.port() != profile.docserverUrl.port());
        QCOMPARE(profile.proxyKind, QStringLiteral("nginx"));
        const QString frontConfig = LabFixture::readFile(profile.proxyConfig);
        QVERIFY(frontConfig.contains(QStringLiteral("proxy_http_version 1.1;")));
        QVERIFY(frontConfig.contains(QStringLiteral("proxy_set_header Host $http_host;")));
        QVERIFY(frontConfig.contains(QStringLiteral("X-Forwarded-Proto")));
        QCOMPARE(profile.hasDocservice(), dsNginxStatus != 0);
        QString frontLog;
        QString dsNginxLog;
        QString docserviceLog;
        for (const QString &log : profile.logFiles) {
            QVERIFY2(log.startsWith(workDir), qPrintable(log));
            if (log.endsWith(QLatin1String("front-proxy/error.log")))
                frontLog = log;
            else if (log.endsWith(QLatin1String("documentserver/nginx.error.log")))
                dsNginxLog = log;
            else if (log.endsWith(QLatin1String("docservice/out.log")))
                docserviceLog = log;
        }
        QVERIFY(!frontLog.isEmpty());
        QCOMPARE(dsNginxLog.isEmpty(), dsNginxStatus == 0);

        // What a client sees at the public address.
        const HttpResult publicResult =
            httpGet(*m_nam, profile.publicUrl.resolved(QUrl(QStringLiteral("healthcheck"))));
        QVERIFY(publicResult.finished);
        QCOMPARE(publicResult.status, publicStatus);
        QVERIFY2(publicResult.body.contains(publicBody), publicResult.body.constData());
        QVERIFY2(publicResult.server.startsWith("nginx/"), publicResult.server.constData());
        if (publicStatus == 200)
            QCOMPARE(publicResult.body, publicBody);

        // What DS's own nginx says when asked directly.
        const HttpResult dsResult = httpGet(*m_nam, profile.docserverUrl.resolved(QUrl(QStringLiteral("healthcheck"))));
        QVERIFY(dsResult.finished);
        if (dsNginxStatus == 0) {
            QCOMPARE(dsResult.error, QNetworkReply::ConnectionRefusedError);
        } else {
            QCOMPARE(dsResult.status, dsNginxStatus);
            QCOMPARE(dsResult.server, QByteArray("nginx")); // server_tokens off
            // Static files of DS's nginx answer whatever docservice does.
            for (const char *path : {"welcome/", "web-apps/apps/api/documents/api.js"}) {
                const HttpResult staticResult =
                    httpGet(*m_nam, profile.publicUrl.resolved(QUrl(QString::fromLatin1(path))));
                QVERIFY(staticResult.finished);
                QVERIFY2(staticResult.status == 200, path);
            }
        }

        // The log line the catalog predicts.
        const QString log = logName == QLatin1String("front")      ? frontLog
                            : logName == QLatin1String("ds-nginx") ? dsNginxLog
                                                                   : docserviceLog;
        QVERIFY2(!log.isEmpty(), qPrintable(logName));
        QTRY_VERIFY2_WITH_TIMEOUT(LabFixture::readFile(log).contains(logLine), qPrintable(LabFixture::readFile(log)),
                                  5000);
        if (frontLogSilent)
            QVERIFY2(!LabFixture::readFile(frontLog).contains(QStringLiteral("upstream")),
                     qPrintable(LabFixture::readFile(frontLog)));

        // Stopping leaves no nginx of the lab and no directory behind.
        QList<qint64> processes;
        const QList<qint64> masters = fixture.lab().nginxProcessIds();
        QCOMPARE(masters.size(), dsNginxStatus == 0 ? 1 : 2);
        for (qint64 master : masters) {
            const QList<qint64> tree = LabFixture::processTree(master);
            QVERIFY2(tree.size() >= 2, "an nginx master with at least one worker");
            processes += tree;
        }
        QVERIFY(!LabFixture::processesMentioning(workDir).isEmpty());
        QSignalSpy stopped(&fixture.lab(), &dd::Lab::labStopped);
        fixture.stop();
        QCOMPARE(stopped.size(), 1);
        QVERIFY(!fixture.lab().isRunning());
        for (qint64 pid : std::as_const(processes))
            QVERIFY2(!LabFixture::processExists(pid), qPrintable(QString::number(pid)));
        QVERIFY(LabFixture::processesMentioning(workDir).isEmpty());
        QVERIFY2(!QFileInfo::exists(workDir), qPrintable(workDir));
        QVERIFY(portRefuses(quint16(profile.publicUrl.port())));
    }

    void stopIsIdempotent()
    {
        dd::Lab lab;
        QSignalSpy stopped(&lab, &dd::Lab::labStopped);
        lab.stop(); // never started: nothing to report
        QCOMPARE(stopped.size(), 0);

        QSignalSpy started(&lab, &dd::Lab::labStarted);
        lab.start(QStringLiteral("healthy"));
        QVERIFY(started.wait(20000));
        const QString workDir = lab.workDir();
        lab.stop();
        lab.stop();
        QCOMPARE(stopped.size(), 1);
        QVERIFY(!QFileInfo::exists(workDir));
        QVERIFY(lab.workDir().isEmpty());
    }

    void stopWhileStarting()
    {
        dd::Lab lab;
        QSignalSpy started(&lab, &dd::Lab::labStarted);
        QSignalSpy failed(&lab, &dd::Lab::labFailed);
        QSignalSpy stopped(&lab, &dd::Lab::labStopped);
        lab.start(QStringLiteral("healthy"));
        QVERIFY(lab.isStarting());
        lab.stop();
        QCOMPARE(stopped.size(), 1);
        // Nothing of the abandoned start may arrive later.
        QVERIFY(!started.wait(1000));
        QVERIFY(failed.isEmpty());
    }

    void destructorStopsEverything()
    {
        auto lab = std::make_unique<dd::Lab>();
        QSignalSpy started(lab.get(), &dd::Lab::labStarted);
        lab->start(QStringLiteral("ds-docservice-down"));
        QVERIFY(started.wait(20000));
        const QString workDir = lab->workDir();
        QList<qint64> processes;
        const QList<qint64> masters = lab->nginxProcessIds();
        for (qint64 master : masters)
            processes += LabFixture::processTree(master);
        QVERIFY(processes.size() >= 4);
        lab.reset();
        for (qint64 pid : std::as_const(processes))
            QVERIFY(!LabFixture::processExists(pid));
        QVERIFY(!QFileInfo::exists(workDir));
    }

    void staleDirectoriesAreRemoved()
    {
        // A lab directory whose owner is gone (killed with SIGKILL) and one whose owner lives.
        QProcess gone;
        gone.start(QStringLiteral("/bin/true"));
        QVERIFY(gone.waitForStarted(5000));
        const qint64 deadPid = gone.processId();
        QVERIFY(gone.waitForFinished(5000));
        QTemporaryDir stale(QDir::tempPath() + QStringLiteral("/docserver-doctor-lab-XXXXXX"));
        QTemporaryDir alive(QDir::tempPath() + QStringLiteral("/docserver-doctor-lab-XXXXXX"));
        QVERIFY(stale.isValid() && alive.isValid());
        for (const auto &[dir, pid] :
             {std::pair{&stale, deadPid}, std::pair{&alive, QCoreApplication::applicationPid()}}) {
            QFile owner(dir->filePath(QStringLiteral("lab-owner.pid")));
            QVERIFY(owner.open(QIODevice::WriteOnly));
            owner.write(QByteArray::number(pid) + '\n');
        }
        QVERIFY(QDir().mkpath(stale.filePath(QStringLiteral("front-proxy"))));

        LabFixture fixture;
        QString error;
        QVERIFY2(fixture.start(QStringLiteral("upstream-refused"), &error), qPrintable(error));
        QVERIFY(!QFileInfo::exists(stale.path()));
        QVERIFY(QFileInfo::exists(alive.path()));
        QCOMPARE(LabFixture::readFile(fixture.workDir() + QStringLiteral("/lab-owner.pid")).trimmed(),
                 QString::number(QCoreApplication::applicationPid()));
    }

    void unknownScenarioFails()
    {
        dd::Lab lab;
        QSignalSpy failed(&lab, &dd::Lab::labFailed);
        lab.start(QStringLiteral("no-such-scenario"));
        QVERIFY(failed.wait(5000));
        const QString reason = failed.first().first().toString();
        QVERIFY2(reason.contains(QStringLiteral("no-such-scenario")), qPrintable(reason));
        QVERIFY(!lab.isRunning());
    }

    void missingNginxBinaryFails()
    {
        dd::Lab lab;
        lab.setNginxProgram(QStringLiteral("/nonexistent/sbin/nginx"));
        QSignalSpy failed(&lab, &dd::Lab::labFailed);
        QSignalSpy started(&lab, &dd::Lab::labStarted);
        lab.start(QStringLiteral("healthy"));
        QVERIFY(failed.wait(10000));
        const QString reason = failed.first().first().toString();
        QVERIFY2(reason.contains(QStringLiteral("/nonexistent/sbin/nginx")) &&
                     reason.contains(QStringLiteral("not found")),
                 qPrintable(reason));
        QVERIFY(started.isEmpty());
        QVERIFY(!lab.isRunning());
        QVERIFY(lab.workDir().isEmpty());
    }

    void nginxRejectsBadConfig()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        dd::NginxProcess nginx;
        nginx.setDirectory(dir.path());
        nginx.setPort(LabFixture::freePort());
        QString error;
        QVERIFY2(nginx.writeConfig(minimalConfig(dir.path(), nginx.port(), "    bogus_directive on;\n"), &error),
                 qPrintable(error));
        QSignalSpy failed(&nginx, &dd::NginxProcess::failed);
        QSignalSpy started(&nginx, &dd::NginxProcess::started);
        nginx.start();
        QVERIFY(failed.wait(10000));
        const QString reason = failed.first().first().toString();
        QVERIFY2(reason.contains(QStringLiteral("nginx -t rejected")), qPrintable(reason));
        QVERIFY2(reason.contains(QStringLiteral("unknown directive \"bogus_directive\"")), qPrintable(reason));
        QVERIFY(started.isEmpty());
        QVERIFY(!nginx.isRunning());
    }

    void nginxPortClash()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QTcpServer holder; // someone else has the port
        QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
        dd::NginxProcess nginx;
        nginx.setDirectory(dir.path());
        nginx.setPort(holder.serverPort());
        QString error;
        QVERIFY2(nginx.writeConfig(minimalConfig(dir.path(), holder.serverPort()), &error), qPrintable(error));
        QSignalSpy failed(&nginx, &dd::NginxProcess::failed);
        QSignalSpy started(&nginx, &dd::NginxProcess::started);
        nginx.start();
        // nginx retries bind() for about 2.5 s before it gives up.
        QVERIFY(failed.wait(15000));
        const QString reason = failed.first().first().toString();
        QVERIFY2(reason.contains(QStringLiteral("Address already in use")), qPrintable(reason));
        QVERIFY2(reason.contains(QString::number(holder.serverPort())), qPrintable(reason));
        QVERIFY(started.isEmpty());
        QVERIFY(LabFixture::processesMentioning(dir.path()).isEmpty());
    }

    void nginxStartTimeout()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QList<quint16> ports{LabFixture::freePort(), LabFixture::freePort()};
        QVERIFY(ports.at(0) != 0 && ports.at(1) != 0 && ports.at(0) != ports.at(1));
        dd::NginxProcess nginx;
        nginx.setDirectory(dir.path());
        nginx.setPort(ports.at(1)); // waits on a port the config does not listen on
        nginx.setStartTimeout(1500);
        QString error;
        QVERIFY2(nginx.writeConfig(minimalConfig(dir.path(), ports.at(0)), &error), qPrintable(error));
        QSignalSpy failed(&nginx, &dd::NginxProcess::failed);
        nginx.start();
        QVERIFY(failed.wait(10000));
        const QString reason = failed.first().first().toString();
        QVERIFY2(reason.contains(QStringLiteral("did not listen on 127.0.0.1:%1").arg(ports.at(1))),
                 qPrintable(reason));
        QCOMPARE(nginx.processId(), qint64(0));
        QVERIFY(LabFixture::processesMentioning(dir.path()).isEmpty());
    }

    void nginxStartsStopsAndReportsExit()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        dd::NginxProcess nginx;
        nginx.setDirectory(dir.path());
        nginx.setPort(LabFixture::freePort());
        QString error;
        QVERIFY2(nginx.writeConfig(minimalConfig(dir.path(), nginx.port()), &error), qPrintable(error));
        QSignalSpy started(&nginx, &dd::NginxProcess::started);
        QSignalSpy failed(&nginx, &dd::NginxProcess::failed);
        nginx.start();
        QVERIFY(started.wait(10000));
        QVERIFY(nginx.isRunning());
        const HttpResult result = httpGet(*m_nam, QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(nginx.port())));
        QCOMPARE(result.status, 200);
        QCOMPARE(result.body, QByteArray("ok\n"));

        // nginx going away on its own is reported.
        const qint64 master = nginx.processId();
        const QList<qint64> tree = LabFixture::processTree(master);
        QVERIFY(tree.size() >= 2);
        QVERIFY(::kill(pid_t(master), SIGTERM) == 0);
        QVERIFY(failed.wait(10000));
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("exited unexpectedly")),
                 qPrintable(failed.first().first().toString()));
        QVERIFY(!nginx.isRunning());
        for (qint64 pid : tree)
            QVERIFY(!LabFixture::processExists(pid));
        QVERIFY(portRefuses(nginx.port()));
    }

    void cliListJson()
    {
        QProcess cli;
        cli.start(QStringLiteral(DD_CLI_PATH),
                  {QStringLiteral("lab"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY(cli.waitForFinished(20000));
        QCOMPARE(cli.exitCode(), 0);
        const QJsonArray scenarios =
            QJsonDocument::fromJson(cli.readAllStandardOutput()).object().value(QStringLiteral("scenarios")).toArray();
        QCOMPARE(scenarios.size(), dd::Lab::scenarios().size());
        QCOMPARE(scenarios.first().toObject().value(QStringLiteral("id")).toString(), QStringLiteral("healthy"));
    }

    void cliUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown scenario") << QStringList{QStringLiteral("up"), QStringLiteral("nope")}
                                          << QStringLiteral("unknown lab scenario 'nope'");
        QTest::newRow("no scenario") << QStringList{QStringLiteral("up")} << QStringLiteral("exactly one SCENARIO");
        QTest::newRow("unknown subcommand")
            << QStringList{QStringLiteral("sideways")} << QStringLiteral("unknown lab command 'sideways'");
        QTest::newRow("bad option") << QStringList{QStringLiteral("list"), QStringLiteral("--frobnicate")}
                                    << QStringLiteral("frobnicate");
    }

    void cliUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QProcess cli;
        cli.start(QStringLiteral(DD_CLI_PATH), QStringList{QStringLiteral("lab")} + args);
        QVERIFY(cli.waitForFinished(20000));
        QCOMPARE(cli.exitCode(), 2);
        const QString stderrText = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(stderrText.contains(message), qPrintable(stderrText));
        QCOMPARE(stderrText.trimmed().count(QLatin1Char('\n')), 0); // one line
    }

    void cliUpAndDown()
    {
        QTemporaryDir state;
        QVERIFY(state.isValid());
        const QString profilePath = state.filePath(QStringLiteral("lab-profile.json"));
        QProcess up;
        up.start(QStringLiteral(DD_CLI_PATH),
                 {QStringLiteral("lab"), QStringLiteral("up"), QStringLiteral("healthcheck-false"),
                  QStringLiteral("--state-dir"), state.path(), QStringLiteral("--profile-out"), profilePath});
        QVERIFY(up.waitForStarted(10000));
        QByteArray output;
        QTRY_VERIFY_WITH_TIMEOUT((output += up.readAllStandardOutput()).contains("is up"), 20000);
        QVERIFY2(output.contains(profilePath.toUtf8()), output.constData());

        const dd::ProfileLoadResult loaded = dd::loadProfile(profilePath);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error));
        QCOMPARE(loaded.profile.name, QStringLiteral("healthcheck-false"));
        const HttpResult result =
            httpGet(*m_nam, loaded.profile.publicUrl.resolved(QUrl(QStringLiteral("healthcheck"))));
        QCOMPARE(result.status, 200);
        QCOMPARE(result.body, QByteArray("false"));
        const QString workDir =
            QFileInfo(loaded.profile.proxyConfig).absoluteDir().absolutePath().section(QLatin1Char('/'), 0, -2);
        QVERIFY(!LabFixture::processesMentioning(workDir).isEmpty());

        // A second 'up' on the same state directory refuses.
        QProcess second;
        second.start(QStringLiteral(DD_CLI_PATH),
                     {QStringLiteral("lab"), QStringLiteral("up"), QStringLiteral("healthy"),
                      QStringLiteral("--state-dir"), state.path()});
        QVERIFY(second.waitForFinished(20000));
        QCOMPARE(second.exitCode(), 3);
        QVERIFY(QString::fromUtf8(second.readAllStandardError()).contains(QStringLiteral("already running")));

        QProcess down;
        down.start(QStringLiteral(DD_CLI_PATH),
                   {QStringLiteral("lab"), QStringLiteral("down"), QStringLiteral("--state-dir"), state.path()});
        QVERIFY(down.waitForFinished(30000));
        QCOMPARE(down.exitCode(), 0);
        QVERIFY(up.waitForFinished(10000));
        QCOMPARE(up.exitStatus(), QProcess::NormalExit);
        QCOMPARE(up.exitCode(), 0);
        QVERIFY(LabFixture::processesMentioning(workDir).isEmpty());
        QVERIFY(!QFileInfo::exists(workDir));
        QVERIFY(!QFileInfo::exists(state.filePath(QStringLiteral("lab.pid"))));

        // Nothing left to stop.
        QProcess again;
        again.start(QStringLiteral(DD_CLI_PATH),
                    {QStringLiteral("lab"), QStringLiteral("down"), QStringLiteral("--state-dir"), state.path()});
        QVERIFY(again.waitForFinished(20000));
        QCOMPARE(again.exitCode(), 0);
    }

    void cliUpStopsOnSigint()
    {
        QTemporaryDir state;
        QVERIFY(state.isValid());
        QProcess up;
        up.start(QStringLiteral(DD_CLI_PATH), {QStringLiteral("lab"), QStringLiteral("up"), QStringLiteral("healthy"),
                                               QStringLiteral("--state-dir"), state.path()});
        QVERIFY(up.waitForStarted(10000));
        QByteArray output;
        QTRY_VERIFY_WITH_TIMEOUT((output += up.readAllStandardOutput()).contains("is up"), 20000);
        const QList<qint64> nginx = LabFixture::processesMentioning(QStringLiteral("docserver-doctor-lab-"));
        QList<qint64> ours;
        for (qint64 pid : nginx) {
            if (LabFixture::processTree(up.processId()).contains(pid))
                ours.append(pid);
        }
        QCOMPARE(ours.size(), 2);
        QVERIFY(::kill(pid_t(up.processId()), SIGINT) == 0);
        QVERIFY(up.waitForFinished(15000));
        QCOMPARE(up.exitCode(), 0);
        for (qint64 pid : std::as_const(ours))
            QVERIFY(!LabFixture::processExists(pid));
    }

private:
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

QTEST_GUILESS_MAIN(TestLab)
#include "tst_lab.moc"
