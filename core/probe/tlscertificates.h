#pragma once

// Internal to core/probe: certificate inspection and chain verification with OpenSSL.

#include <QString>
#include <QStringList>
#include <QVariantMap>

typedef struct x509_st X509;

namespace dd {

/// One certificate of a chain, as a person reads it.
struct CertificateInfo
{
    QString subject; ///< RFC 2253, e.g. "CN=ds.example.test,O=Lab"
    QString issuer;
    QString notBefore; ///< ISO 8601 UTC
    QString notAfter;
    qint64 secondsLeft = 0;      ///< until notAfter, negative when expired
    qint64 secondsToStart = 0;   ///< until notBefore, positive when not yet valid
    QStringList subjectAltNames; ///< "DNS:name", "IP:127.0.0.1"
    bool isCa = false;
    bool selfSigned = false; ///< issued by itself and its signature verifies with its own key

    QVariantMap toVariant() const;
};

CertificateInfo certificateInfo(X509 *certificate);

/// The outcome of one X509_verify_cert() run over a chain as sent.
struct ChainVerification
{
    int code = 0;                    ///< X509_V_OK (0) or an X509_V_ERR_* code
    QString reason;                  ///< "ok" or OpenSSL's text
    int depth = 0;                   ///< where it failed
    bool issuerMissing = false;      ///< failed because an issuer was neither sent nor trusted
    bool missingForLeafLike = false; ///< ...and the cert lacking it is not a CA (a leaf): incomplete chain
    QString missingIssuer;           ///< the issuer name that could not be found
};

/**
 * Verifies `chain` (leaf first, as sent) for TLS server use without a host name check and
 * without fetching anything: against the system default store when `caFile` is empty, else
 * against `caFile` alone. `loadError` is set when the CA file cannot be read.
 */
ChainVerification verifyChain(const QList<X509 *> &chain, const QString &caFile, QString *loadError);

/// Whether `certificate` is valid for `name` (DNS name or IP address literal).
bool certificateMatchesName(X509 *certificate, const QString &name);

/// The text of the OpenSSL error queue, oldest first, joined with "; ", then cleared.
QString takeOpenSslErrors();

} // namespace dd
