#include "tlscertificates.h"

#include <QDateTime>
#include <QFile>
#include <QHostAddress>
#include <QTimeZone>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>

namespace dd {

namespace {

template <typename T, void (*Free)(T *)> struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

QString nameText(const X509_NAME *name)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || !name)
        return QString();
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QString::fromUtf8(data, int(size));
}

QDateTime asn1Time(const ASN1_TIME *time)
{
    struct tm tm = {};
    if (!time || ASN1_TIME_to_tm(time, &tm) != 1)
        return QDateTime();
    return QDateTime(QDate(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday), QTime(tm.tm_hour, tm.tm_min, tm.tm_sec),
                     Qt::UTC);
}

QStringList altNames(X509 *certificate)
{
    QStringList names;
    auto *sans = static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
    if (!sans)
        return names;
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(sans, i);
        if (name->type == GEN_DNS) {
            const ASN1_STRING *s = name->d.dNSName;
            names.append(
                QStringLiteral("DNS:") +
                QString::fromLatin1(reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s)));
        } else if (name->type == GEN_IPADD) {
            const ASN1_OCTET_STRING *s = name->d.iPAddress;
            const auto *bytes = ASN1_STRING_get0_data(s);
            QHostAddress address;
            if (ASN1_STRING_length(s) == 4)
                address.setAddress(quint32(bytes[0]) << 24 | quint32(bytes[1]) << 16 | quint32(bytes[2]) << 8 |
                                   quint32(bytes[3]));
            else if (ASN1_STRING_length(s) == 16)
                address.setAddress(bytes);
            names.append(QStringLiteral("IP:") + address.toString());
        }
    }
    GENERAL_NAMES_free(sans);
    return names;
}

bool isSelfSigned(X509 *certificate)
{
    if (X509_check_issued(certificate, certificate) != X509_V_OK)
        return false;
    EVP_PKEY *key = X509_get0_pubkey(certificate);
    const bool verified = key && X509_verify(certificate, key) == 1;
    ERR_clear_error();
    return verified;
}

} // namespace

QVariantMap CertificateInfo::toVariant() const
{
    return {{QStringLiteral("subject"), subject},       {QStringLiteral("issuer"), issuer},
            {QStringLiteral("not_before"), notBefore},  {QStringLiteral("not_after"), notAfter},
            {QStringLiteral("sans"), subjectAltNames},  {QStringLiteral("is_ca"), isCa},
            {QStringLiteral("self_signed"), selfSigned}};
}

CertificateInfo certificateInfo(X509 *certificate)
{
    CertificateInfo info;
    info.subject = nameText(X509_get_subject_name(certificate));
    info.issuer = nameText(X509_get_issuer_name(certificate));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime notBefore = asn1Time(X509_get0_notBefore(certificate));
    const QDateTime notAfter = asn1Time(X509_get0_notAfter(certificate));
    info.notBefore = notBefore.toString(Qt::ISODate);
    info.notAfter = notAfter.toString(Qt::ISODate);
    info.secondsLeft = now.secsTo(notAfter);
    info.secondsToStart = now.secsTo(notBefore);
    info.subjectAltNames = altNames(certificate);
    info.isCa = X509_check_ca(certificate) != 0;
    info.selfSigned = isSelfSigned(certificate);
    return info;
}

ChainVerification verifyChain(const QList<X509 *> &chain, const QString &caFile, QString *loadError)
{
    ChainVerification result;
    if (chain.isEmpty()) {
        result.code = X509_V_ERR_UNSPECIFIED;
        result.reason = QStringLiteral("no certificate received");
        return result;
    }
    StorePtr store(X509_STORE_new());
    if (caFile.isEmpty()) {
        X509_STORE_set_default_paths(store.get());
    } else if (X509_STORE_load_file(store.get(), QFile::encodeName(caFile).constData()) != 1) {
        *loadError = QStringLiteral("cannot load CA file '%1': %2").arg(caFile, takeOpenSslErrors());
        result.code = X509_V_ERR_UNSPECIFIED;
        result.reason = *loadError;
        return result;
    }
    // Untrusted intermediates: exactly what the server sent, nothing fetched (no AIA).
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    for (qsizetype i = 1; i < chain.size(); ++i)
        sk_X509_push(untrusted, chain.at(i));
    StoreCtxPtr ctx(X509_STORE_CTX_new());
    X509_STORE_CTX_init(ctx.get(), store.get(), chain.first(), untrusted);
    X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
    const int ok = X509_verify_cert(ctx.get());
    result.code = ok == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx.get());
    result.reason = result.code == X509_V_OK ? QStringLiteral("ok")
                                             : QString::fromLatin1(X509_verify_cert_error_string(result.code));
    result.depth = X509_STORE_CTX_get_error_depth(ctx.get());
    if (result.code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
        result.code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT) {
        result.issuerMissing = true;
        X509 *lacking = X509_STORE_CTX_get_current_cert(ctx.get());
        if (lacking) {
            result.missingIssuer = nameText(X509_get_issuer_name(lacking));
            result.missingForLeafLike = X509_check_ca(lacking) == 0;
        }
    }
    sk_X509_free(untrusted);
    ERR_clear_error();
    return result;
}

bool certificateMatchesName(X509 *certificate, const QString &name)
{
    const QHostAddress address(name);
    int rc = 0;
    if (!address.isNull())
        rc = X509_check_ip_asc(certificate, address.toString().toLatin1().constData(), 0);
    else
        rc = X509_check_host(certificate, name.toUtf8().constData(), size_t(name.toUtf8().size()),
                             X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr);
    ERR_clear_error();
    return rc == 1;
}

QString takeOpenSslErrors()
{
    QStringList errors;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        errors.append(QString::fromLatin1(buffer));
    }
    return errors.join(QLatin1String("; "));
}

} // namespace dd
