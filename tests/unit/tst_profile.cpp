#include "model/profile.h"

#include <QTemporaryDir>
#include <QTest>

class TestProfile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void loadsFullProfile()
    {
        const QString path = QFINDTESTDATA("../data/profile/good-full.json");
        QVERIFY(!path.isEmpty());
        const dd::ProfileLoadResult r = dd::loadProfile(path);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.profile.name, QStringLiteral("office"));
        QCOMPARE(r.profile.publicUrl, QUrl(QStringLiteral("https://docs.example.com/")));
        QCOMPARE(r.profile.docserverUrl.port(), 8080);
        QCOMPARE(r.profile.docserviceHost, QStringLiteral("127.0.0.1"));
        QCOMPARE(r.profile.docservicePort, quint16(8000));
        QCOMPARE(r.profile.proxyKind, QStringLiteral("nginx"));
        QCOMPARE(r.profile.logFiles.size(), 2);
        QCOMPARE(r.profile.dsNginxConfig, QStringLiteral("/etc/nginx/conf.d/ds.conf"));
        QCOMPARE(r.profile.jwtHeader, QStringLiteral("AuthorizationJwt"));
        QCOMPARE(r.profile.integratorKind, QStringLiteral("nextcloud"));
        QCOMPARE(r.profile.connectTimeoutMs, 2000);
        QCOMPARE(r.profile.requestTimeoutMs, 30000);
        QCOMPARE(r.profile.startupWatchMs, 5000);
    }

    void roundTrips()
    {
        const dd::ProfileLoadResult r = dd::loadProfile(QFINDTESTDATA("../data/profile/good-full.json"));
        QVERIFY(r.ok());
        const dd::ProfileLoadResult again = dd::parseProfile(dd::profileToJson(r.profile), QStringLiteral("mem"));
        QVERIFY2(again.ok(), qPrintable(again.error));
        QCOMPARE(again.profile.publicUrl, r.profile.publicUrl);
        QCOMPARE(again.profile.docserverUrl, r.profile.docserverUrl);
        QCOMPARE(again.profile.docservicePort, r.profile.docservicePort);
        QCOMPARE(again.profile.logFiles, r.profile.logFiles);
        QCOMPARE(again.profile.jwtSecretFile, r.profile.jwtSecretFile);
        QCOMPARE(again.profile.dsConfig, r.profile.dsConfig);
        QCOMPARE(again.profile.dsNginxConfig, r.profile.dsNginxConfig);
        QCOMPARE(again.profile.tlsCaFile, QStringLiteral("/etc/ssl/office-ca.pem"));
        QCOMPARE(again.profile.startupWatchMs, r.profile.startupWatchMs);
        QCOMPARE(again.profile.callbackUrl,
                 QUrl(QStringLiteral("https://cloud.example.com/apps/onlyoffice/track?doc=x")));
    }

    void keychainAndTestDocumentFieldsRoundTrip()
    {
        // Every field profileToJson() writes must be one parseProfile() accepts.
        const QByteArray json =
            "{\"publicUrl\":\"https://docs.example.com/"
            "\",\"jwt\":{\"secretKeychain\":\"office-ds\",\"header\":\"AuthorizationJwt\"},\"integrator\":{\"kind\":"
            "\"custom\",\"serveOn\":\"[::1]:0\",\"serveUrl\":\"http://storage.example:8081/base/\"}}";
        const dd::ProfileLoadResult r = dd::parseProfile(json, QStringLiteral("p.json"));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.profile.jwtSecretKeychain, QStringLiteral("office-ds"));
        QCOMPARE(r.profile.serveOn, QStringLiteral("[::1]:0"));
        QCOMPARE(r.profile.serveUrl, QStringLiteral("http://storage.example:8081/base/"));
        const dd::ProfileLoadResult again = dd::parseProfile(dd::profileToJson(r.profile), QStringLiteral("mem"));
        QVERIFY2(again.ok(), qPrintable(again.error));
        QCOMPARE(again.profile.jwtSecretKeychain, r.profile.jwtSecretKeychain);
        QCOMPARE(again.profile.jwtHeader, r.profile.jwtHeader);
        QCOMPARE(again.profile.serveOn, r.profile.serveOn);
        QCOMPARE(again.profile.serveUrl, r.profile.serveUrl);
    }

    void minimalProfiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("front");
        QTest::addColumn<bool>("docserver");
        QTest::newRow("public only") << QByteArray("{\"publicUrl\":\"https://docs.example.com\"}") << true << false;
        QTest::newRow("only a capture") << QByteArray("{\"captures\":[\"/tmp/incident.pcap\"]}") << false << false;
        QTest::newRow("docserver only") << QByteArray("{\"docserverUrl\":\"http://127.0.0.1:8080/\"}") << false << true;
        QTest::newRow("ipv6 docservice") << QByteArray(
                                                "{\"docserverUrl\":\"http://[::1]:80/\",\"docservice\":\"[::1]:8000\"}")
                                         << false << true;
    }
    void minimalProfiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, front);
        QFETCH(bool, docserver);
        const dd::ProfileLoadResult r = dd::parseProfile(json, QStringLiteral("p.json"));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.profile.hasFrontProxy(), front);
        QCOMPARE(r.profile.hasDocserver(), docserver);
        QCOMPARE(r.profile.connectTimeoutMs, 3000);
    }

    void rejectsMalformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{publicUrl:") << QStringLiteral("p.json: not valid JSON");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("must be a JSON object");
        QTest::newRow("empty") << QByteArray("{}") << QStringLiteral("field 'publicUrl' is required");
        QTest::newRow("captures not a list")
            << QByteArray("{\"captures\":\"x.pcap\"}") << QStringLiteral("field 'captures'");
        QTest::newRow("url not string") << QByteArray("{\"publicUrl\":42}")
                                        << QStringLiteral("field 'publicUrl' must be a string");
        QTest::newRow("relative url") << QByteArray("{\"publicUrl\":\"docs.example.com\"}")
                                      << QStringLiteral("field 'publicUrl' 'docs.example.com' is not an absolute URL");
        QTest::newRow("ftp scheme") << QByteArray("{\"publicUrl\":\"ftp://docs.example.com/\"}")
                                    << QStringLiteral("field 'publicUrl' scheme 'ftp' is not http or https");
        QTest::newRow("typo key") << QByteArray("{\"publicURL\":\"https://a/\"}")
                                  << QStringLiteral("field 'publicURL' is not a known field");
        QTest::newRow("nested typo") << QByteArray("{\"publicUrl\":\"https://a/\",\"proxy\":{\"kinds\":\"nginx\"}}")
                                     << QStringLiteral("field 'proxy.kinds' is not a known field");
        QTest::newRow("bad proxy kind") << QByteArray("{\"publicUrl\":\"https://a/\",\"proxy\":{\"kind\":\"iis\"}}")
                                        << QStringLiteral("field 'proxy.kind' 'iis' is not one of");
        QTest::newRow("proxy not object") << QByteArray("{\"publicUrl\":\"https://a/\",\"proxy\":\"nginx\"}")
                                          << QStringLiteral("field 'proxy' must be an object");
        QTest::newRow("docservice no port") << QByteArray("{\"publicUrl\":\"https://a/\",\"docservice\":\"127.0.0.1\"}")
                                            << QStringLiteral("field 'docservice' '127.0.0.1' is not HOST:PORT");
        QTest::newRow("docservice port 0") << QByteArray("{\"publicUrl\":\"https://a/\",\"docservice\":\"h:0\"}")
                                           << QStringLiteral("field 'docservice'");
        QTest::newRow("logs not array") << QByteArray("{\"publicUrl\":\"https://a/\",\"logs\":\"/var/log/x\"}")
                                        << QStringLiteral("field 'logs' must be an array of strings");
        QTest::newRow("log entry empty") << QByteArray("{\"publicUrl\":\"https://a/\",\"logs\":[\"a\",\"\"]}")
                                         << QStringLiteral("field 'logs[1]' must be a non-empty string");
        QTest::newRow("timeout fraction")
            << QByteArray("{\"publicUrl\":\"https://a/\",\"timeouts\":{\"connectMs\":1.5}}")
            << QStringLiteral("field 'timeouts.connectMs' must be an integer");
        QTest::newRow("timeout range") << QByteArray("{\"publicUrl\":\"https://a/\",\"timeouts\":{\"connectMs\":0}}")
                                       << QStringLiteral("field 'timeouts.connectMs' 0 is outside 10..120000");
        QTest::newRow("secret in a file and the keychain")
            << QByteArray("{\"publicUrl\":\"https://a/\",\"jwt\":{\"secretFile\":\"/s\",\"secretKeychain\":\"k\"}}")
            << QStringLiteral("field 'jwt.secretKeychain' give the secret in a file or the keychain, not both");
        QTest::newRow("serveOn a name")
            << QByteArray("{\"publicUrl\":\"https://a/\",\"integrator\":{\"serveOn\":\"storage:0\"}}")
            << QStringLiteral("field 'integrator.serveOn' 'storage:0': 'storage' is not "
                              "an IP address to listen on");
        QTest::newRow("serveOn without a port")
            << QByteArray("{\"publicUrl\":\"https://a/\",\"integrator\":{\"serveOn\":\"10.0.0.7\"}}")
            << QStringLiteral("field 'integrator.serveOn' '10.0.0.7': expected IP:PORT");
        QTest::newRow("serveOn every address, no URL")
            << QByteArray("{\"publicUrl\":\"https://a/\",\"integrator\":{\"serveOn\":\"0.0.0.0:8081\"}}")
            << QStringLiteral("field 'integrator.serveOn' '0.0.0.0:8081' listens on every address: give "
                              "integrator.serveUrl");
        QTest::newRow("serveUrl alone")
            << QByteArray("{\"publicUrl\":\"https://a/\",\"integrator\":{\"serveUrl\":\"http://10.0.0.7:8081/\"}}")
            << QStringLiteral("field 'integrator.serveUrl' needs integrator.serveOn");
        QTest::newRow("serveUrl https")
            << QByteArray("{\"publicUrl\":\"https://a/"
                          "\",\"integrator\":{\"serveOn\":\"0.0.0.0:0\",\"serveUrl\":\"https://s/\"}}")
            << QStringLiteral("field 'integrator.serveUrl' 'https://s/' is not an http:// URL with a host");
        QTest::newRow("schema") << QByteArray("{\"schema\":\"other/2\",\"publicUrl\":\"https://a/\"}")
                                << QStringLiteral("field 'schema' 'other/2' is not supported");
    }
    void rejectsMalformed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const dd::ProfileLoadResult r = dd::parseProfile(json, QStringLiteral("p.json"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.startsWith(QStringLiteral("p.json: ")), qPrintable(r.error));
        QVERIFY2(r.error.contains(expected), qPrintable(r.error));
        QVERIFY2(!r.error.contains(QLatin1Char('\n')), "errors are one line");
    }

    void unreadableFiles()
    {
        QTemporaryDir dir;
        const dd::ProfileLoadResult missing = dd::loadProfile(dir.filePath(QStringLiteral("nope.json")));
        QVERIFY(!missing.ok());
        QVERIFY(missing.error.contains(QStringLiteral("nope.json: cannot read the profile")));

        const dd::ProfileLoadResult directory = dd::loadProfile(dir.path());
        QVERIFY(!directory.ok());
        QVERIFY(directory.error.startsWith(dir.path()));

        QFile binary(dir.filePath(QStringLiteral("bin.json")));
        QVERIFY(binary.open(QIODevice::WriteOnly));
        binary.write(QByteArray("\x00\xff\xfe garbage", 12));
        binary.close();
        const dd::ProfileLoadResult garbage = dd::loadProfile(binary.fileName());
        QVERIFY(!garbage.ok());
        QVERIFY(garbage.error.contains(QStringLiteral("not valid JSON")));
    }
};

QTEST_GUILESS_MAIN(TestProfile)
#include "tst_profile.moc"
