// HS256 signing and verification (core/util/jwt). Known vectors: RFC 7515 appendix A.1 and jwt.io's example.
#include "util/jwt.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using dd::JwtCheck;
using Status = dd::JwtCheck::Status;

namespace {

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray b64(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// RFC 7515 A.1: HS256 over a payload with exp 1300819380 and a 64-byte key.
const QByteArray Rfc7515Token =
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const QByteArray Rfc7515Key =
    QByteArray::fromBase64("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
                           QByteArray::Base64UrlEncoding);
constexpr qint64 Rfc7515Exp = 1300819380;

const QByteArray JwtIoToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                              "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
                              "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
const QByteArray JwtIoSecret = "your-256-bit-secret";

} // namespace

class TestJwt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signsKnownVectors_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QByteArray>("secret");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("CommandService version")
            << QByteArray("{\"c\":\"version\",\"iat\":1700000000}") << QByteArray("secret")
            << QByteArray("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjIjoidmVyc2lvbiIsImlhdCI6MTcwMDAwMDAwMH0."
                          "WI54CagMJsP84zHoxEvqDE9HJIqZCO17XS3unN3MT34");
        // QJsonObject sorts keys, so jwt.io's claims come out in another order than on its page.
        QTest::newRow("jwt.io claims, sorted")
            << QByteArray("{\"sub\":\"1234567890\",\"name\":\"John Doe\",\"iat\":1516239022}") << JwtIoSecret
            << QByteArray("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE1MTYyMzkwMjIsIm5hbWUiOiJKb2huIERvZSIsInN1"
                          "YiI6IjEyMzQ1Njc4OTAifQ.fdOPQ05ZfRhkST2-rIWgUpbqUsVhkkNVNcuG7Ki0s-8");
    }

    void signsKnownVectors()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QByteArray, secret);
        QFETCH(QByteArray, expected);
        QCOMPARE(dd::signHs256(object(payload), secret), expected);
    }

    void verifies_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QByteArray>("secret");
        QTest::addColumn<qint64>("now");
        QTest::addColumn<int>("tolerance");
        QTest::addColumn<Status>("expected");

        QTest::newRow("RFC 7515 A.1 before exp") << Rfc7515Token << Rfc7515Key << Rfc7515Exp - 1 << 0 << Status::Ok;
        QTest::newRow("RFC 7515 A.1 at exp") << Rfc7515Token << Rfc7515Key << Rfc7515Exp << 0 << Status::Expired;
        QTest::newRow("RFC 7515 A.1 within tolerance")
            << Rfc7515Token << Rfc7515Key << Rfc7515Exp + 59 << 60 << Status::Ok;
        QTest::newRow("RFC 7515 A.1 past tolerance")
            << Rfc7515Token << Rfc7515Key << Rfc7515Exp + 60 << 60 << Status::Expired;
        QTest::newRow("RFC 7515 A.1 wrong key")
            << Rfc7515Token << QByteArray("another key") << Rfc7515Exp - 1 << 0 << Status::InvalidSignature;
        QTest::newRow("jwt.io example") << JwtIoToken << JwtIoSecret << qint64(1700000000) << 60 << Status::Ok;
        QByteArray tampered = JwtIoToken;
        tampered.replace("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5d");
        QTest::newRow("jwt.io tampered signature")
            << tampered << JwtIoSecret << qint64(1700000000) << 60 << Status::InvalidSignature;
        QByteArray truncated = JwtIoToken;
        truncated.truncate(truncated.lastIndexOf('.') + 1);
        truncated += "SflKxwRJ";
        QTest::newRow("signature truncated")
            << truncated << JwtIoSecret << qint64(1700000000) << 60 << Status::InvalidSignature;
        QTest::newRow("empty") << QByteArray() << JwtIoSecret << qint64(1700000000) << 60 << Status::Malformed;
        QTest::newRow("two parts") << JwtIoToken.left(JwtIoToken.lastIndexOf('.')) << JwtIoSecret << qint64(1700000000)
                                   << 60 << Status::Malformed;
        QTest::newRow("four parts") << JwtIoToken + ".x" << JwtIoSecret << qint64(1700000000) << 60
                                    << Status::Malformed;
        const QByteArray header = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        QTest::newRow("payload not base64url")
            << header + ".!!!." + b64("sig") << JwtIoSecret << qint64(1700000000) << 60 << Status::Malformed;
        QTest::newRow("payload not an object") << header + '.' + b64("[1,2]") + '.' + b64("sig") << JwtIoSecret
                                               << qint64(1700000000) << 60 << Status::Malformed;
        QTest::newRow("alg none") << b64("{\"alg\":\"none\"}") + '.' + b64("{\"a\":1}") + '.' << JwtIoSecret
                                  << qint64(1700000000) << 60 << Status::UnsupportedAlgorithm;
        QTest::newRow("alg HS512") << b64("{\"alg\":\"HS512\"}") + '.' + b64("{\"a\":1}") + '.' + b64("sig")
                                   << JwtIoSecret << qint64(1700000000) << 60 << Status::UnsupportedAlgorithm;
        const QByteArray notBefore = dd::signHs256({{QStringLiteral("nbf"), 1700000100}}, "k");
        QTest::newRow("nbf in the future")
            << notBefore << QByteArray("k") << qint64(1700000000) << 60 << Status::NotActive;
        QTest::newRow("nbf within tolerance") << notBefore << QByteArray("k") << qint64(1700000050) << 60 << Status::Ok;
        QTest::newRow("empty secret signs and verifies")
            << dd::signHs256({{QStringLiteral("c"), QStringLiteral("version")}}, QByteArray()) << QByteArray()
            << qint64(1700000000) << 60 << Status::Ok;
    }

    void verifies()
    {
        QFETCH(QByteArray, token);
        QFETCH(QByteArray, secret);
        QFETCH(qint64, now);
        QFETCH(int, tolerance);
        QFETCH(Status, expected);
        const JwtCheck check = dd::verifyHs256(token, secret, now, tolerance);
        QCOMPARE(check.status, expected);
        QCOMPARE(check.isOk(), expected == Status::Ok);
    }

    void roundTrips_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QByteArray>("secret");
        QTest::newRow("DS command") << QByteArray("{\"c\":\"version\"}") << QByteArray("a long shared secret");
        QTest::newRow("nested, unicode")
            << QByteArray("{\"document\":{\"key\":\"k-1\",\"title\":\"\xe6\x8a\xa5\xe5\x91\x8a.docx\"},\"n\":[1,2]}")
            << QByteArray("a long shared secret");
        QTest::newRow("empty object") << QByteArray("{}") << QByteArray("a long shared secret");
    }

    void roundTrips()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QByteArray, secret);
        const QJsonObject original = object(payload);
        const JwtCheck check = dd::verifyHs256(dd::signHs256(original, secret), secret, 1700000000);
        QCOMPARE(check.status, Status::Ok);
        QCOMPARE(check.payload, original);
        QCOMPARE(check.header.value(QStringLiteral("alg")).toString(), QStringLiteral("HS256"));
    }

    void decodesPayloadOfBadSignature()
    {
        const JwtCheck check = dd::verifyHs256(Rfc7515Token, "not the key", Rfc7515Exp - 1);
        QCOMPARE(check.status, Status::InvalidSignature);
        QCOMPARE(check.payload.value(QStringLiteral("iss")).toString(), QStringLiteral("joe"));
    }

    void statusNames()
    {
        QCOMPARE(dd::verifyHs256(QByteArray(), "k", 0).statusName(), QStringLiteral("malformed"));
        QCOMPARE(dd::verifyHs256(JwtIoToken, "wrong", 0).statusName(), QStringLiteral("invalid_signature"));
        QCOMPARE(dd::verifyHs256(Rfc7515Token, Rfc7515Key, Rfc7515Exp + 100, 0).statusName(),
                 QStringLiteral("expired"));
        QCOMPARE(
            dd::verifyHs256(dd::signHs256({{QStringLiteral("nbf"), 1700000100}}, "k"), "k", 1700000000, 0).statusName(),
            QStringLiteral("not_active"));
    }
};

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
