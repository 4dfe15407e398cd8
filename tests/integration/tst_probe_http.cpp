#include "lab/nginxprocess.h"
#include "lab/selfsignedcert.h"
#include "labfixture.h"
#include "probe/httpprobe.h"
#include "probe/httpredirects.h"
#include "probe/probeevidence.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// `probe http` against a real nginx. --follow: a chain across two ports, a loop, a cap, and the
// http <-> https loop of a TLS-terminating proxy whose backend never learns the request was
// https (forwarded-proto-mismatch), each hop timed on its own. Gateway errors: which nginx made
// the error page, also when a proxy in front passed it on with its own Server header.
class TestProbeHttp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void chain_data();
    void chain();
    void cli();
    void errorPageOrigin_data();
    void errorPageOrigin();

private:
    dd::HttpRedirectResult follow(const QString &url, int maxRedirects = 10);
    QString plain(const QString &path) const { return QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path); }

    QTemporaryDir m_dir;
    std::unique_ptr<dd::NginxProcess> m_nginx;
    quint16 m_port = 0;
    quint16 m_other = 0;
    quint16 m_tls = 0;
    quint16 m_dead = 0; ///< nothing listens here
};

void TestProbeHttp::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_port = LabFixture::freePort();
    m_other = LabFixture::freePort();
    m_tls = LabFixture::freePort();
    m_dead = LabFixture::freePort();
    QVERIFY(m_port && m_other && m_tls && m_dead);
    QCOMPARE(QSet<quint16>({m_port, m_other, m_tls, m_dead}).size(), 4);
    const QString dir = m_dir.filePath(QStringLiteral("nginx"));
    QString error;
    QVERIFY(QDir().mkpath(dir));
    QVERIFY2(dd::writeSelfSignedCertificate(QStringLiteral("127.0.0.1"), dir + QStringLiteral("/cert.pem"),
                                            dir + QStringLiteral("/key.pem"), &error),
             qPrintable(error));
    const QString config =
        QStringLiteral("worker_processes 1;\nerror_log %1/error.log;\nevents { worker_connections 64; }\nhttp {\n"
                       "  access_log off;\n  client_body_temp_path %1/body; proxy_temp_path %1/proxy;\n"
                       "  fastcgi_temp_path %1/fastcgi; uwsgi_temp_path %1/uwsgi; scgi_temp_path %1/scgi;\n"
                       "  server {\n    listen 127.0.0.1:%2;\n"
                       "    location = /a { return 301 /b; }\n"
                       "    location = /b { return 302 http://127.0.0.1:%3/c; }\n"
                       "    location = /loop1 { return 302 /loop2; }\n"
                       "    location = /loop2 { return 302 /loop1; }\n"
                       "    location = /post { return 303 /b; }\n"
                       "    location = /keep { return 307 /echo; }\n"
                       "    location = /echo { return 200 \"$request_method $content_length\"; }\n"
                       // The backend behind a TLS-terminating proxy that sends no X-Forwarded-Proto: it
                       // thinks every request is http and sends the browser to https, where the proxy ...
                       "    location = /editor { return 301 https://127.0.0.1:%4/editor; }\n"
                       // A front proxy whose own upstream refuses, and one in front of a Document
                       // Server-like nginx (server_tokens off) whose upstream refuses.
                       "    location = /down { proxy_pass http://127.0.0.1:%5; }\n"
                       "    location = /through { proxy_pass http://127.0.0.1:%3/ds-down; }\n"
                       "  }\n"
                       "  server {\n    listen 127.0.0.1:%3;\n    server_tokens off;\n"
                       "    location = /c { return 200 \"here\"; }\n"
                       "    location = /ds-down { proxy_pass http://127.0.0.1:%5; }\n  }\n"
                       // ... answers with the backend's idea of the URL: http again.
                       "  server {\n    listen 127.0.0.1:%4 ssl;\n    ssl_certificate %1/cert.pem;\n"
                       "    ssl_certificate_key %1/key.pem;\n"
                       "    location = /editor { return 302 http://127.0.0.1:%2/editor; }\n  }\n}\n")
            .arg(dir)
            .arg(m_port)
            .arg(m_other)
            .arg(m_tls)
            .arg(m_dead);
    m_nginx = std::make_unique<dd::NginxProcess>();
    QVERIFY2(LabFixture::startNginx(m_nginx.get(), dir, config, m_port, &error), qPrintable(error));
}

void TestProbeHttp::cleanupTestCase()
{
    if (m_nginx)
        m_nginx->stop();
}

dd::HttpRedirectResult TestProbeHttp::follow(const QString &url, int maxRedirects)
{
    dd::HttpRedirectChain chain;
    QSignalSpy finished(&chain, &dd::HttpRedirectChain::finished);
    dd::HttpRequestSpec spec;
    spec.url = QUrl(url);
    spec.ignoreTlsErrors = true; // the test's self-signed certificate
    if (url.endsWith(QLatin1String("/post")) || url.endsWith(QLatin1String("/keep"))) {
        spec.method = "POST";
        spec.body = "0123456789";
        spec.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("text/plain")));
    }
    chain.start(spec, maxRedirects);
    if (!finished.wait(20000))
        return {};
    return finished.first().first().value<dd::HttpRedirectResult>();
}

void TestProbeHttp::chain_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("maxRedirects");
    QTest::addColumn<QList<int>>("statuses");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QByteArray>("lastBody");

    QTest::newRow("two redirects, the second to another port")
        << QStringLiteral("/a") << 10 << QList<int>{301, 302, 200} << QString() << QByteArray("here");
    QTest::newRow("at most one redirect")
        << QStringLiteral("/a") << 1 << QList<int>{301, 302} << QStringLiteral("more than 1 redirects") << QByteArray();
    QTest::newRow("loop") << QStringLiteral("/loop1") << 10 << QList<int>{302, 302} << QStringLiteral("redirect loop: ")
                          << QByteArray();
    QTest::newRow("303 turns the POST into a GET")
        << QStringLiteral("/post") << 10 << QList<int>{303, 302, 200} << QString() << QByteArray("here");
    QTest::newRow("307 keeps the POST and its body")
        << QStringLiteral("/keep") << 10 << QList<int>{307, 200} << QString() << QByteArray("POST 10");
    QTest::newRow("http and https send to each other") << QStringLiteral("/editor") << 10 << QList<int>{301, 302}
                                                       << QStringLiteral("forwarded-proto-mismatch") << QByteArray();
}

void TestProbeHttp::chain()
{
    QFETCH(QString, path);
    QFETCH(int, maxRedirects);
    QFETCH(QList<int>, statuses);
    QFETCH(QString, error);
    QFETCH(QByteArray, lastBody);

    const dd::HttpRedirectResult r = follow(plain(path), maxRedirects);
    QVERIFY(!r.hops.isEmpty());
    QList<int> seen;
    for (const dd::HttpProbeResult &hop : r.hops) {
        seen << hop.status;
        // Every hop is a timed exchange of its own.
        QCOMPARE(hop.outcome, dd::ProbeOutcome::Ok);
        QVERIFY(hop.timings.connect >= 0 && hop.timings.ttfb >= hop.timings.connect);
        QVERIFY(!hop.peer.isEmpty());
    }
    QCOMPARE(seen, statuses);
    QVERIFY2(error.isEmpty() ? r.error.isEmpty() : r.error.contains(error), qPrintable(r.error));
    if (!lastBody.isEmpty())
        QCOMPARE(r.last().body, lastBody);
    if (path == QLatin1String("/a") && maxRedirects == 10)
        QCOMPARE(r.last().peer, QStringLiteral("127.0.0.1:%1").arg(m_other));
    if (path == QLatin1String("/post"))
        QCOMPARE(r.hops.at(1).request.method, QByteArray("GET"));
    if (path == QLatin1String("/editor"))
        QVERIFY(!r.hops.at(1).tlsSession.isEmpty()); // the second hop really was https
}

void TestProbeHttp::cli()
{
    QProcess process;
    process.start(QStringLiteral(DD_CLI_PATH),
                  {QStringLiteral("probe"), QStringLiteral("http"), plain(QStringLiteral("/a")), QStringLiteral("-L"),
                   QStringLiteral("--json")});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 0);
    const QJsonObject json = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
    QCOMPARE(json.value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(json.value(QStringLiteral("hops")).toArray().size(), 3);
    QCOMPARE(json.value(QStringLiteral("hops")).toArray().at(0).toObject().value(QStringLiteral("status")).toInt(),
             301);
    QVERIFY(json.value(QStringLiteral("redirect_error")).isNull());

    // A loop is a problem found (exit 1), said in the text.
    process.start(QStringLiteral(DD_CLI_PATH), {QStringLiteral("probe"), QStringLiteral("http"),
                                                plain(QStringLiteral("/loop1")), QStringLiteral("--follow")});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 1);
    const QByteArray out = process.readAllStandardOutput();
    QVERIFY2(out.contains("hop 1  GET ") && out.contains("stopped  redirect loop: "), out.constData());

    // Without --follow the redirect is the answer, as before.
    process.start(QStringLiteral(DD_CLI_PATH), {QStringLiteral("probe"), QStringLiteral("http"),
                                                plain(QStringLiteral("/a")), QStringLiteral("--json")});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(QJsonDocument::fromJson(process.readAllStandardOutput()).object().value(QStringLiteral("status")).toInt(),
             301);

    process.start(QStringLiteral(DD_CLI_PATH),
                  {QStringLiteral("probe"), QStringLiteral("http"), plain(QStringLiteral("/a")),
                   QStringLiteral("--max-redirects"), QStringLiteral("many")});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 2);
    const QByteArray err = process.readAllStandardError();
    QCOMPARE(err.count('\n'), 1);
    QVERIFY(err.contains("--max-redirects 'many'"));
}

void TestProbeHttp::errorPageOrigin_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("hint");

    QTest::newRow("the front proxy's own 502")
        << plain(QStringLiteral("/down")) << QStringLiteral("nginx/") << QStringLiteral("nginx-versioned")
        << QStringLiteral("a proxy in front of Document Server made it");
    QTest::newRow("a hidden-version nginx's 502, passed on by the front")
        << plain(QStringLiteral("/through")) << QStringLiteral("nginx/") << QStringLiteral("nginx-hidden-version")
        << QStringLiteral("passed it on: the failing hop is behind the front proxy");
    QTest::newRow("a hidden-version nginx's 502, asked directly")
        << QStringLiteral("http://127.0.0.1:%1/ds-down").arg(m_other) << QStringLiteral("nginx")
        << QStringLiteral("nginx-hidden-version")
        << QStringLiteral("a front nginx with server_tokens off looks the same");
    QTest::newRow("an answer") << plain(QStringLiteral("/echo")) << QStringLiteral("nginx/") << QString() << QString();
}

void TestProbeHttp::errorPageOrigin()
{
    QFETCH(QString, url);
    QFETCH(QString, server);
    QFETCH(QString, from);
    QFETCH(QString, hint);
    dd::HttpProbe probe;
    QSignalSpy finished(&probe, &dd::HttpProbe::finished);
    dd::HttpRequestSpec spec;
    spec.url = QUrl(url);
    probe.start(spec);
    QVERIFY(finished.wait(10000));
    const auto r = finished.first().first().value<dd::HttpProbeResult>();
    QCOMPARE(r.outcome, dd::ProbeOutcome::Ok);
    QVERIFY2(QString::fromUtf8(r.header("Server")).startsWith(server), r.header("Server").constData());
    QCOMPARE(r.errorPageFrom(), from);
    QCOMPARE(r.facts().value(QStringLiteral("error_page_from")).toString(), from);
    QVERIFY2(hint.isEmpty() ? r.errorPageHint().isEmpty() : r.errorPageHint().contains(hint),
             qPrintable(r.errorPageHint()));
    if (!hint.isEmpty())
        QVERIFY(dd::httpEvidence(r).detail.contains(r.errorPageHint()));
}

QTEST_GUILESS_MAIN(TestProbeHttp)
#include "tst_probe_http.moc"
