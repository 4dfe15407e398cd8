#include "util/redact.h"

#include <QTest>

class TestRedact : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void redactsUrls_data();
    void redactsUrls();
    void redactsHeaders_data();
    void redactsHeaders();
    void redactsJwtsInText();
};

namespace {

const QByteArray jwt("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJkb2N1bWVudCI6eyJrZXkiOiJhIn19.c2lnbmF0dXJlLWJ5dGVz");

} // namespace

void TestRedact::redactsUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("secret");

    QTest::newRow("password in userinfo")
        << QStringLiteral("https://admin:hunter2@ds.example.test/healthcheck")
        << QStringLiteral("https://admin@ds.example.test/healthcheck") << QStringLiteral("hunter2");
    QTest::newRow("token parameter") << QStringLiteral("http://127.0.0.1/api?token=s3cr3t&lang=en")
                                     << QStringLiteral("http://127.0.0.1/api?token=REDACTED&lang=en")
                                     << QStringLiteral("s3cr3t");
    QTest::newRow("secure link md5 keeps the file name")
        << QStringLiteral("http://ds/cache/files/data/k_1/output.docx/output.docx?md5=Abc_123&expires=1700000000&"
                          "filename=output.docx")
        << QStringLiteral("http://ds/cache/files/data/k_1/output.docx/output.docx?md5=REDACTED&expires=1700000000&"
                          "filename=output.docx")
        << QStringLiteral("Abc_123");
    QTest::newRow("access_token, case-insensitive name")
        << QStringLiteral("http://ds/x?Access_Token=zzz9") << QStringLiteral("http://ds/x?Access_Token=REDACTED")
        << QStringLiteral("zzz9");
    QTest::newRow("signature") << QStringLiteral("http://ds/x?signature=abcd1234&key=doc-42")
                               << QStringLiteral("http://ds/x?signature=REDACTED&key=doc-42")
                               << QStringLiteral("abcd1234");
    QTest::newRow("a JWT under any name")
        << QString(QStringLiteral("http://nc/apps/onlyoffice/empty?doc=") + QString::fromLatin1(jwt))
        << QStringLiteral("http://nc/apps/onlyoffice/empty?doc=REDACTED") << QString::fromLatin1(jwt);
    QTest::newRow("a document key stays readable")
        << QStringLiteral("http://ds/coauthoring/CommandService.ashx?key=Khirz6zTPdfd7")
        << QStringLiteral("http://ds/coauthoring/CommandService.ashx?key=Khirz6zTPdfd7") << QString();
    QTest::newRow("nothing to hide") << QStringLiteral("http://127.0.0.1:8080/healthcheck")
                                     << QStringLiteral("http://127.0.0.1:8080/healthcheck") << QString();
}

void TestRedact::redactsUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QFETCH(QString, secret);

    const QString redacted = dd::redactUrl(QUrl(url));
    QCOMPARE(redacted, expected);
    if (!secret.isEmpty())
        QVERIFY(!redacted.contains(secret));
}

void TestRedact::redactsHeaders_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("Authorization bearer")
        << QByteArray("Authorization") << QByteArray("Bearer " + jwt) << QByteArray("Bearer REDACTED");
    QTest::newRow("AuthorizationJwt") << QByteArray("authorizationjwt") << QByteArray("Bearer " + jwt)
                                      << QByteArray("Bearer REDACTED");
    QTest::newRow("Authorization basic") << QByteArray("Authorization") << QByteArray("Basic YWRtaW46aHVudGVyMg==")
                                         << QByteArray("Basic REDACTED");
    QTest::newRow("Proxy-Authorization, no scheme")
        << QByteArray("Proxy-Authorization") << QByteArray("opaque") << QByteArray("REDACTED");
    QTest::newRow("Cookie keeps names") << QByteArray("Cookie") << QByteArray("oc_session=abc; nc_token=def")
                                        << QByteArray("oc_session=REDACTED; nc_token=REDACTED");
    QTest::newRow("Set-Cookie keeps attributes") << QByteArray("Set-Cookie") << QByteArray("sid=xyz; Path=/; HttpOnly")
                                                 << QByteArray("sid=REDACTED; Path=/; HttpOnly");
    QTest::newRow("Location with a token")
        << QByteArray("Location") << QByteArray("https://ds.example.test/login?token=abc&next=/")
        << QByteArray("https://ds.example.test/login?token=REDACTED&next=/");
    QTest::newRow("a bearer value under a custom name")
        << QByteArray("X-Custom-Auth") << QByteArray("Bearer " + jwt) << QByteArray("Bearer REDACTED");
    QTest::newRow("an ordinary header") << QByteArray("Server") << QByteArray("nginx") << QByteArray("nginx");
}

void TestRedact::redactsHeaders()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, expected);

    QCOMPARE(dd::redactHeaderValue(name, value), expected);
}

void TestRedact::redactsJwtsInText()
{
    const QString text = QStringLiteral("checkJwt error: token=") + QString::fromLatin1(jwt) + QStringLiteral(" end");
    QCOMPARE(dd::redactJwts(text), QStringLiteral("checkJwt error: token=REDACTED end"));
    QCOMPARE(dd::redactJwts(QByteArray("no token here")), QByteArray("no token here"));
}

QTEST_GUILESS_MAIN(TestRedact)
#include "tst_redact.moc"
