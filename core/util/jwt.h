#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace dd {

/// The result of verifyHs256(): a status and, when the token could be decoded, its header and payload.
struct JwtCheck
{
    enum class Status {
        Ok,
        Malformed,            ///< not three base64url parts of JSON objects (also an empty token)
        UnsupportedAlgorithm, ///< header "alg" is not HS256 (e.g. "none")
        InvalidSignature,
        Expired,   ///< now >= exp + tolerance
        NotActive, ///< now < nbf - tolerance
    };
    Status status = Status::Malformed;
    QJsonObject header;  ///< decoded even when the signature is wrong, empty when malformed
    QJsonObject payload; ///< decoded even when the signature is wrong, empty when malformed

    bool isOk() const { return status == Status::Ok; }
    /// Stable machine name: "ok", "malformed", "unsupported_algorithm", "invalid_signature", "expired", "not_active".
    QString statusName() const;
};

/**
 * Signs `payload` with HMAC-SHA256: header {"alg":"HS256","typ":"JWT"}, compact JSON, base64url
 * without padding, as Document Server and its integrators (jsonwebtoken, firebase/php-jwt) expect.
 */
QByteArray signHs256(const QJsonObject &payload, const QByteArray &secret);

/**
 * Verifies an HS256 token at `nowSecs` (Unix time). `exp` and `nbf` are honoured with
 * `clockToleranceSecs` of slack either way (DS: services.CoAuthoring.token.verifyOptions.clockTolerance = 60).
 * The signature is compared in constant time.
 */
JwtCheck verifyHs256(const QByteArray &token, const QByteArray &secret, qint64 nowSecs, int clockToleranceSecs = 60);

} // namespace dd
