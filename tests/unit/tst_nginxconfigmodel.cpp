// The semantic layer over a parsed nginx config: which location nginx picks for a URI, and which
// proxy_set_header / add_header / timeouts apply there after inheritance.

#include "config/nginxconfig.h"
#include "config/nginxmodel.h"

#include <QDir>
#include <QTest>

using namespace dd;

namespace {

NginxConfig wrap(const QByteArray &serverBody, const QByteArray &httpExtra = QByteArray())
{
    return parseNginxText("events {}\nhttp {\n" + httpExtra + "\nserver {\nlisten 80;\n" + serverBody + "\n}\n}\n",
                          QStringLiteral("m.conf"), QDir::tempPath());
}

QString labelOf(const NginxChain &chain)
{
    return NginxModel::locationLabel(chain);
}

} // namespace

class TestNginxConfigModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void locationMatch_data()
    {
        QTest::addColumn<QByteArray>("server");
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("expected");

        const QByteArray order = "location / {}\n"
                                 "location = /exact {}\n"
                                 "location /static/ {}\n"
                                 "location ^~ /static/img/ {}\n"
                                 "location ~ \\.png$ {}\n"
                                 "location ~* \\.JPG$ {}\n"
                                 "location ~ ^/static/ {}\n";
        QTest::newRow("exact wins") << order << QStringLiteral("/exact") << QStringLiteral("location = /exact");
        QTest::newRow("exact needs equality") << order << QStringLiteral("/exact/x") << QStringLiteral("location /");
        QTest::newRow("regex beats plain prefix")
            << order << QStringLiteral("/static/a.png") << QStringLiteral("location ~ \\.png$");
        QTest::newRow("first regex in order")
            << order << QStringLiteral("/static/a.css") << QStringLiteral("location ~ ^/static/");
        QTest::newRow("^~ stops regexes")
            << order << QStringLiteral("/static/img/a.png") << QStringLiteral("location ^~ /static/img/");
        QTest::newRow("caseless regex") << order << QStringLiteral("/a.jpg") << QStringLiteral("location ~* \\.JPG$");
        QTest::newRow("longest prefix when no regex")
            << order << QStringLiteral("/other") << QStringLiteral("location /");
        QTest::newRow("no location") << QByteArray("location /a/ {}") << QStringLiteral("/b")
                                     << QStringLiteral("server level");
        QTest::newRow("nested prefix") << QByteArray("location /a/ { location /a/b/ {} }") << QStringLiteral("/a/b/c")
                                       << QStringLiteral("location /a/b/");
        QTest::newRow("nested regex in prefix")
            << QByteArray("location /a/ { location ~ \\.js$ {} }\nlocation ~ /a/x {}") << QStringLiteral("/a/x.js")
            << QStringLiteral("location ~ \\.js$");
        QTest::newRow("outer regex over nested prefix")
            << QByteArray("location /a/ { location /a/b/ {} }\nlocation ~ /b/ {}") << QStringLiteral("/a/b/c")
            << QStringLiteral("location ~ /b/");
        QTest::newRow("named locations never match") << QByteArray("location @fallback {}\nlocation / {}")
                                                     << QStringLiteral("/x") << QStringLiteral("location /");
        QTest::newRow("exact written without space")
            << QByteArray("location =/x {}\nlocation / {}") << QStringLiteral("/x") << QStringLiteral("location =/x");
        QTest::newRow("DS versioned prefix")
            << QByteArray("location / {}\nlocation ~ ^/([\\d]+\\.[\\d]+\\.[\\d]+[\\.|-][\\w]+)/(?<path>.*)$ {}")
            << QStringLiteral("/9.0.3-abc/doc/k/c/")
            << QStringLiteral("location ~ ^/([\\d]+\\.[\\d]+\\.[\\d]+[\\.|-][\\w]+)/(?<path>.*)$");
        QTest::newRow("SockJS rule misses socket.io")
            << QByteArray("location / {}\nlocation ~ /websocket$ {}") << QStringLiteral("/9.0.3-abc/doc/k/c/")
            << QStringLiteral("location /");
    }
    void locationMatch()
    {
        QFETCH(QByteArray, server);
        QFETCH(QString, uri);
        QFETCH(QString, expected);
        const NginxConfig config = wrap(server);
        QVERIFY2(config.errors.isEmpty(), qPrintable(config.errors.value(0).toString()));
        const NginxModel model(config);
        QCOMPARE(model.servers().size(), 1);
        QCOMPARE(labelOf(model.match(model.servers().constFirst(), uri)), expected);
    }

    void proxyHeaders_data()
    {
        QTest::addColumn<QByteArray>("http");
        QTest::addColumn<QByteArray>("server");
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("isDefault");
        QTest::newRow("inherited from http")
            << QByteArray("proxy_set_header Upgrade $http_upgrade;")
            << QByteArray("location / { proxy_pass http://127.0.0.1; }") << QStringLiteral("/")
            << QStringLiteral("Upgrade") << QStringLiteral("$http_upgrade") << false;
        QTest::newRow("a nested set drops all inherited")
            << QByteArray("proxy_set_header Upgrade $http_upgrade;")
            << QByteArray("location / { proxy_set_header Host $http_host; proxy_pass http://127.0.0.1; }")
            << QStringLiteral("/") << QStringLiteral("Upgrade") << QString() << true;
        QTest::newRow("nginx's default Host")
            << QByteArray() << QByteArray("location / { proxy_pass http://127.0.0.1; }") << QStringLiteral("/")
            << QStringLiteral("Host") << QStringLiteral("$proxy_host") << true;
        QTest::newRow("nginx's default Connection")
            << QByteArray() << QByteArray("location / { proxy_pass http://127.0.0.1; }") << QStringLiteral("/")
            << QStringLiteral("Connection") << QStringLiteral("close") << true;
        QTest::newRow("server level over http level")
            << QByteArray("proxy_set_header Host a;")
            << QByteArray("proxy_set_header Host b;\nlocation / { proxy_pass http://127.0.0.1; }")
            << QStringLiteral("/") << QStringLiteral("Host") << QStringLiteral("b") << false;
        QTest::newRow("nested location inherits its parent")
            << QByteArray()
            << QByteArray("location /a/ { proxy_set_header Host p; location /a/b/ { proxy_pass http://127.0.0.1; } }")
            << QStringLiteral("/a/b/x") << QStringLiteral("Host") << QStringLiteral("p") << false;
        QTest::newRow("case-insensitive names")
            << QByteArray("proxy_set_header upgrade $http_upgrade;")
            << QByteArray("location / { proxy_pass http://127.0.0.1; }") << QStringLiteral("/")
            << QStringLiteral("Upgrade") << QStringLiteral("$http_upgrade") << false;
    }
    void proxyHeaders()
    {
        QFETCH(QByteArray, http);
        QFETCH(QByteArray, server);
        QFETCH(QString, uri);
        QFETCH(QString, header);
        QFETCH(QString, value);
        QFETCH(bool, isDefault);
        const NginxConfig config = wrap(server, http);
        QVERIFY2(config.errors.isEmpty(), qPrintable(config.errors.value(0).toString()));
        const NginxModel model(config);
        const NginxChain chain = model.match(model.servers().constFirst(), uri);
        const NginxHeader h = NginxModel::header(NginxModel::proxyHeaders(chain), header);
        QCOMPARE(h.value, value);
        QCOMPARE(h.directive == nullptr, isDefault);
    }

    void addHeadersFollowTheSameRule()
    {
        const NginxModel model(
            wrap("add_header X-Frame-Options DENY;\nlocation / { add_header X-A 1; }\nlocation /b/ { }"));
        const NginxServer &server = model.servers().constFirst();
        QVERIFY(NginxModel::header(NginxModel::addHeaders(model.match(server, QStringLiteral("/x"))),
                                   QStringLiteral("X-Frame-Options"))
                    .name.isEmpty());
        QCOMPARE(NginxModel::header(NginxModel::addHeaders(model.match(server, QStringLiteral("/b/x"))),
                                    QStringLiteral("X-Frame-Options"))
                     .value,
                 QStringLiteral("DENY"));
    }

    void scalarInheritance()
    {
        const NginxModel model(wrap("proxy_read_timeout 30s;\nlocation / { }\nlocation /c/ { proxy_read_timeout 5m; }",
                                    "proxy_read_timeout 10s;\nclient_max_body_size 50m;"));
        const NginxServer &server = model.servers().constFirst();
        const NginxChain root = model.match(server, QStringLiteral("/"));
        QCOMPARE(NginxModel::effective(root, QStringLiteral("proxy_read_timeout"))->arg(0), QStringLiteral("30s"));
        QCOMPARE(NginxModel::effective(root, QStringLiteral("client_max_body_size"))->arg(0), QStringLiteral("50m"));
        const NginxChain c = model.match(server, QStringLiteral("/c/x"));
        QCOMPARE(parseNginxTime(NginxModel::effective(c, QStringLiteral("proxy_read_timeout"))->arg(0)),
                 qint64(300000));
        QVERIFY(!NginxModel::effective(c, QStringLiteral("resolver")));
    }

    void proxyTargets_data()
    {
        QTest::addColumn<QByteArray>("http");
        QTest::addColumn<QString>("proxyPass");
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("upstream");
        QTest::addColumn<bool>("variables");
        QTest::addColumn<QString>("uri");
        const QByteArray up = "upstream ds { server 127.0.0.1:8080 max_fails=0; server [::1] backup; }";
        QTest::newRow("upstream block") << up << QStringLiteral("http://ds") << QStringLiteral("http")
                                        << QStringLiteral("ds") << 0 << QStringLiteral("ds") << false << QString();
        QTest::newRow("host and port") << up << QStringLiteral("http://10.0.0.5:8080/") << QStringLiteral("http")
                                       << QStringLiteral("10.0.0.5") << 8080 << QString() << false
                                       << QStringLiteral("/");
        QTest::newRow("https default port")
            << up << QStringLiteral("https://docs.example.com") << QStringLiteral("https")
            << QStringLiteral("docs.example.com") << 443 << QString() << false << QString();
        QTest::newRow("ipv6 literal") << up << QStringLiteral("http://[::1]:8000/x") << QStringLiteral("http")
                                      << QStringLiteral("::1") << 8000 << QString() << false << QStringLiteral("/x");
        QTest::newRow("variables") << up << QStringLiteral("http://ds/$path$is_args$args") << QStringLiteral("http")
                                   << QStringLiteral("ds") << 0 << QStringLiteral("ds") << true
                                   << QStringLiteral("/$path$is_args$args");
        QTest::newRow("variable path glued to an upstream")
            << up << QStringLiteral("http://ds$2$is_args$args") << QStringLiteral("http") << QStringLiteral("ds") << 0
            << QStringLiteral("ds") << true << QStringLiteral("$2$is_args$args");
        QTest::newRow("variable host") << up << QStringLiteral("http://$backend") << QStringLiteral("http")
                                       << QStringLiteral("$backend") << 80 << QString() << true << QString();
    }
    void proxyTargets()
    {
        QFETCH(QByteArray, http);
        QFETCH(QString, proxyPass);
        QFETCH(QString, scheme);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, upstream);
        QFETCH(bool, variables);
        QFETCH(QString, uri);
        const NginxModel model(wrap("location / { proxy_pass " + proxyPass.toUtf8() + "; }", http));
        const NginxProxyTarget t = model.proxyTarget(model.match(model.servers().constFirst(), QStringLiteral("/")));
        QVERIFY(t.isValid());
        QCOMPARE(t.scheme, scheme);
        QCOMPARE(t.host, host);
        QCOMPARE(int(t.port), port);
        QCOMPARE(t.upstream ? t.upstream->name : QString(), upstream);
        QCOMPARE(t.hasVariables, variables);
        QCOMPARE(t.uri, uri);
    }

    void upstreamServers()
    {
        const NginxModel model(wrap("", "upstream ds {\n server 127.0.0.1:8080 max_fails=0 fail_timeout=0s;\n"
                                        " server localhost weight=2;\n server [::1]:9 backup down;\n}"));
        const NginxUpstream *up = model.upstream(QStringLiteral("ds"));
        QVERIFY(up);
        QCOMPARE(up->servers.size(), 3);
        QCOMPARE(up->servers.at(0).maxFails, 0);
        QVERIFY(up->servers.at(0).maxFailsSet);
        QCOMPARE(up->servers.at(0).failTimeout, QStringLiteral("0s"));
        QCOMPARE(up->servers.at(1).host, QStringLiteral("localhost"));
        QCOMPARE(up->servers.at(1).port, quint16(80));
        QCOMPARE(up->servers.at(1).maxFails, 1);
        QCOMPARE(up->servers.at(1).directive->line, 5);
        QVERIFY(up->servers.at(2).backup);
        QVERIFY(up->servers.at(2).down);
        QCOMPARE(up->servers.at(2).host, QStringLiteral("::1"));
        QCOMPARE(up->servers.at(2).port, quint16(9));
    }

    void mapsAndListens()
    {
        const NginxModel model(wrap("listen [::]:8443 ssl;\nserver_name a.example b.example;",
                                    "map $http_upgrade $conn { default upgrade; '' close; }"));
        QCOMPARE(model.mapValues(QStringLiteral("$conn")),
                 (QStringList{QStringLiteral("upgrade"), QStringLiteral("close")}));
        QCOMPARE(model.mapSource(QStringLiteral("$conn")), QStringLiteral("$http_upgrade"));
        const NginxServer &s = model.servers().constFirst();
        QCOMPARE(s.listens.size(), 2);
        QVERIFY(s.tls);
        QVERIFY(s.hasNonStandardPort());
        QCOMPARE(s.names, (QStringList{QStringLiteral("a.example"), QStringLiteral("b.example")}));
    }

    void units_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("size");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("100m") << QStringLiteral("100m") << qint64(104857600) << qint64(6000000);
        QTest::newRow("8k") << QStringLiteral("8k") << qint64(8192) << qint64(-1);
        QTest::newRow("bare") << QStringLiteral("90") << qint64(90) << qint64(90000);
        QTest::newRow("1m30s") << QStringLiteral("1m30s") << qint64(-1) << qint64(90000);
        QTest::newRow("500ms") << QStringLiteral("500ms") << qint64(-1) << qint64(500);
        QTest::newRow("1h") << QStringLiteral("1h") << qint64(-1) << qint64(3600000);
        QTest::newRow("junk") << QStringLiteral("x1") << qint64(-1) << qint64(-1);
    }
    void units()
    {
        QFETCH(QString, text);
        QFETCH(qint64, size);
        QFETCH(qint64, ms);
        QCOMPARE(parseNginxSize(text), size);
        QCOMPARE(parseNginxTime(text), ms);
    }
};

QTEST_GUILESS_MAIN(TestNginxConfigModel)
#include "tst_nginxconfigmodel.moc"
