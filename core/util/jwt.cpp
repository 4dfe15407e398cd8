#include "util/jwt.h"

#include <QJsonDocument>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace dd {

namespace {

constexpr auto base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray hmacSha256(const QByteArray &key, const QByteArray &data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    // HMAC() with a null key pointer fails on an empty secret; any valid pointer with length 0 works.
    static const unsigned char emptyKey = 0;
    const void *keyData = key.isEmpty() ? static_cast<const void *>(&emptyKey) : key.constData();
    if (!HMAC(EVP_sha256(), keyData, int(key.size()), reinterpret_cast<const unsigned char *>(data.constData()),
              size_t(data.size()), digest, &length))
        return {};
    return QByteArray(reinterpret_cast<const char *>(digest), int(length));
}

bool decodeObject(const QByteArray &part, QJsonObject *object)
{
    const auto decoded = QByteArray::fromBase64Encoding(part, base64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return false;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*decoded, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return false;
    *object = document.object();
    return true;
}

} // namespace

QString JwtCheck::statusName() const
{
    switch (status) {
    case Status::Ok:
        return QStringLiteral("ok");
    case Status::Malformed:
        return QStringLiteral("malformed");
    case Status::UnsupportedAlgorithm:
        return QStringLiteral("unsupported_algorithm");
    case Status::InvalidSignature:
        return QStringLiteral("invalid_signature");
    case Status::Expired:
        return QStringLiteral("expired");
    case Status::NotActive:
        return QStringLiteral("not_active");
    }
    return {};
}

QByteArray signHs256(const QJsonObject &payload, const QByteArray &secret)
{
    const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")},
                             {QStringLiteral("typ"), QStringLiteral("JWT")}};
    const QByteArray signingInput = QJsonDocument(header).toJson(QJsonDocument::Compact).toBase64(base64Url) + '.' +
                                    QJsonDocument(payload).toJson(QJsonDocument::Compact).toBase64(base64Url);
    return signingInput + '.' + hmacSha256(secret, signingInput).toBase64(base64Url);
}

JwtCheck verifyHs256(const QByteArray &token, const QByteArray &secret, qint64 nowSecs, int clockToleranceSecs)
{
    JwtCheck result;
    const QList<QByteArray> parts = token.trimmed().split('.');
    QJsonObject header;
    QJsonObject payload;
    if (parts.size() != 3 || !decodeObject(parts.at(0), &header) || !decodeObject(parts.at(1), &payload))
        return result;
    result.header = header;
    result.payload = payload;
    if (header.value(QStringLiteral("alg")).toString() != QLatin1String("HS256")) {
        result.status = JwtCheck::Status::UnsupportedAlgorithm;
        return result;
    }
    const QByteArray expected = hmacSha256(secret, parts.at(0) + '.' + parts.at(1)).toBase64(base64Url);
    const QByteArray &given = parts.at(2);
    if (expected.isEmpty() || expected.size() != given.size() ||
        CRYPTO_memcmp(expected.constData(), given.constData(), size_t(expected.size())) != 0) {
        result.status = JwtCheck::Status::InvalidSignature;
        return result;
    }
    // jsonwebtoken semantics: expired when now >= exp + tolerance; not active when now < nbf - tolerance.
    const QJsonValue exp = payload.value(QStringLiteral("exp"));
    if (exp.isDouble() && nowSecs >= qint64(exp.toDouble()) + clockToleranceSecs) {
        result.status = JwtCheck::Status::Expired;
        return result;
    }
    const QJsonValue nbf = payload.value(QStringLiteral("nbf"));
    if (nbf.isDouble() && nowSecs + clockToleranceSecs < qint64(nbf.toDouble())) {
        result.status = JwtCheck::Status::NotActive;
        return result;
    }
    result.status = JwtCheck::Status::Ok;
    return result;
}

} // namespace dd
