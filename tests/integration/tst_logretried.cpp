// access.upstream-retried against a real nginx: a front server whose upstreams have a refusing
// first server (IPv4 and [::1]), a first server that never accepts (connect timeout, 504), every
// server refusing, and an error_page to another upstream. Each request goes through nginx, and
// the lines nginx writes to its access log (in a log_format with $upstream_addr/$upstream_status,
// read from the same nginx.conf) are classified.
#include "labfixture.h"

#include "lab/blackholelistener.h"
#include "lab/loopbackport.h"
#include "lab/nginxprocess.h"
#include "logs/logclassifier.h"
#include "logs/nginxlogformats.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

namespace {

// A port on [::1] with nothing listening: connect() is refused there.
quint16 freeIpv6LoopbackPort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHostIPv6, 0) ? probe.serverPort() : 0;
}

} // namespace

class TestLogRetried : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    dd::NginxProcess m_nginx;
    dd::BlackholeListener m_blackhole;
    QNetworkAccessManager m_nam;
    quint16 m_ok = 0;
    quint16 m_refused = 0;
    quint16 m_refused6 = 0;

    QString accessLog() const { return m_dir.filePath(QStringLiteral("access.log")); }
    QString addr(quint16 port) const { return QStringLiteral("127.0.0.1:%1").arg(port); }

    // GET through the front server; the status nginx answered with.
    int get(const QString &path)
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_nginx.port()).arg(path)));
        request.setTransferTimeout(15000);
        QNetworkReply *reply = m_nam.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished() && !finished.wait(20000))
            return -1;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status;
    }

    // The access-log lines written so far.
    QStringList lines() const
    {
        QFile file(accessLog());
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_nam.setProxy(QNetworkProxy::NoProxy); // loopback only, whatever the environment says
        const QList<quint16> ports = dd::findFreeLoopbackPorts(3);
        QCOMPARE(ports.size(), 3);
        m_ok = ports.at(1);
        m_refused = ports.at(2);
        m_refused6 = freeIpv6LoopbackPort();
        QVERIFY(m_refused6 != 0);
        QString error;
        QVERIFY2(m_blackhole.listen(0, &error), qPrintable(error));
        m_nginx.setDirectory(m_dir.path());
        m_nginx.setPort(ports.at(0));
        const QString config =
            QStringLiteral("events { worker_connections 64; }\n"
                           "http {\n"
                           "    client_body_temp_path %1/t1; proxy_temp_path %1/t2; fastcgi_temp_path %1/t3;\n"
                           "    uwsgi_temp_path %1/t4; scgi_temp_path %1/t5;\n"
                           "    log_format upstreaminfo '$remote_addr - $remote_user [$time_local] \"$request\" '\n"
                           "        '$status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_time '\n"
                           "        'ua=\"$upstream_addr\" us=\"$upstream_status\" urt=\"$upstream_response_time\"';\n"
                           "    access_log %1/access.log upstreaminfo;\n"
                           "    proxy_connect_timeout 1s;\n"
                           "    upstream pool { server 127.0.0.1:%3; server 127.0.0.1:%4; }\n"
                           "    upstream pool6 { server [::1]:%5; server 127.0.0.1:%4; }\n"
                           "    upstream slow { server 127.0.0.1:%6; server 127.0.0.1:%4; }\n"
                           "    upstream dead { server 127.0.0.1:%3; server [::1]:%5; }\n"
                           "    server { listen 127.0.0.1:%4; access_log off; location / { return 200 \"ok\\n\"; } }\n"
                           "    server {\n"
                           "        listen 127.0.0.1:%2;\n"
                           "        location /pool/ { proxy_pass http://pool; }\n"
                           "        location /pool6/ { proxy_pass http://pool6; }\n"
                           "        location /slow/ { proxy_pass http://slow; }\n"
                           "        location /dead/ { proxy_pass http://dead; }\n"
                           "        location /fallback/ { proxy_pass http://127.0.0.1:%3; error_page 502 = @ok; }\n"
                           "        location @ok { proxy_pass http://127.0.0.1:%4; }\n"
                           "        location /direct/ { proxy_pass http://127.0.0.1:%4; }\n"
                           "    }\n"
                           "}\n")
                .arg(m_dir.path())
                .arg(m_nginx.port())
                .arg(m_refused)
                .arg(m_ok)
                .arg(m_refused6)
                .arg(m_blackhole.port());
        QVERIFY2(m_nginx.writeConfig(config.toUtf8(), &error), qPrintable(error));
        QSignalSpy started(&m_nginx, &dd::NginxProcess::started);
        QSignalSpy failed(&m_nginx, &dd::NginxProcess::failed);
        m_nginx.start();
        QTRY_VERIFY_WITH_TIMEOUT(!started.isEmpty() || !failed.isEmpty(), 15000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    }

    void cleanupTestCase()
    {
        const qint64 pid = m_nginx.processId();
        m_nginx.stop();
        QVERIFY(pid == 0 || !LabFixture::processExists(pid));
        QVERIFY(LabFixture::processesMentioning(m_dir.path()).isEmpty());
    }

    void classifiesWhatNginxWrote_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("cause");
        QTest::addColumn<QString>("signal");
        QTest::addColumn<QString>("failedAddr");
        QTest::addColumn<QString>("failedStatus");
        const QString none;
        QTest::newRow("refused first server")
            << QStringLiteral("/pool/a") << 200 << none << QStringLiteral("upstream-retried") << addr(m_refused)
            << QStringLiteral("502");
        QTest::newRow("[::1] refused, IPv4 served")
            << QStringLiteral("/pool6/b") << 200 << QStringLiteral("localhost-ipv6-mismatch") << none
            << QStringLiteral("[::1]:%1").arg(m_refused6) << QStringLiteral("502");
        QTest::newRow("connect timeout on the first server")
            << QStringLiteral("/slow/c") << 200 << none << QStringLiteral("upstream-retried")
            << addr(m_blackhole.port()) << QStringLiteral("504");
        QTest::newRow("error_page to another upstream")
            << QStringLiteral("/fallback/d") << 200 << none << QStringLiteral("upstream-retried") << addr(m_refused)
            << QStringLiteral("502");
        QTest::newRow("every server refused")
            << QStringLiteral("/dead/e") << 502 << none << QStringLiteral("http-502") << none << none;
        QTest::newRow("served at once") << QStringLiteral("/direct/f") << 200 << none << none << none << none;
    }
    void classifiesWhatNginxWrote()
    {
        QFETCH(QString, path);
        QFETCH(int, status);
        QFETCH(QString, cause);
        QFETCH(QString, signal);
        QFETCH(QString, failedAddr);
        QFETCH(QString, failedStatus);
        const qsizetype before = lines().size();
        QCOMPARE(get(path), status);
        // nginx logs the request once the response is out: wait for its line.
        QTRY_COMPARE_WITH_TIMEOUT(lines().size(), before + 1, 5000);
        const QString line = lines().constLast();
        QVERIFY2(line.contains(path), qPrintable(line));

        const dd::NginxLogFormats formats = dd::readNginxLogFormats(m_nginx.configPath());
        QVERIFY2(formats.problems.isEmpty(), qPrintable(formats.problems.join(QLatin1Char('\n'))));
        dd::LogClassifier classifier;
        QStringList problems;
        QCOMPARE(dd::addNginxLogFormats(&classifier, formats, &problems), 1);
        const dd::ClassifiedLine c = classifier.classify(line);
        QCOMPARE(c.format, QStringLiteral("nginx-access"));
        QCOMPARE(c.fields.value(QStringLiteral("status")).toInt(), status);
        QCOMPARE(c.causeId, cause);
        QCOMPARE(c.signal, signal);
        QCOMPARE(c.fields.value(QStringLiteral("failed_upstream_addr")).toString(), failedAddr);
        QCOMPARE(c.fields.value(QStringLiteral("failed_upstream_status")).toString(), failedStatus);
        if (!failedAddr.isEmpty())
            QCOMPARE(c.fields.value(QStringLiteral("served_upstream_addr")).toString(), addr(m_ok));
    }
};

QTEST_GUILESS_MAIN(TestLogRetried)
#include "tst_logretried.moc"
