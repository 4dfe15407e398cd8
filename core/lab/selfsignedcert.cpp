#include "lab/selfsignedcert.h"

#include <QFile>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <QDateTime>

#include <functional>

namespace dd {

namespace {

QByteArray toPem(const std::function<int(BIO *)> &write)
{
    BIO *bio = BIO_new(BIO_s_mem());
    QByteArray pem;
    if (bio && write(bio) == 1) {
        char *data = nullptr;
        const long size = BIO_get_mem_data(bio, &data);
        pem = QByteArray(data, int(size));
    }
    BIO_free(bio);
    return pem;
}

bool writeFile(const QString &path, const QByteArray &data, QFile::Permissions permissions, QString *error)
{
    QFile file(path);
    if (data.isEmpty() || !file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data) != data.size()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.setPermissions(permissions);
    return true;
}

} // namespace

bool writeSelfSignedCertificate(const QString &commonName, const QString &certPath, const QString &keyPath,
                                QString *error)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = X509_new();
    bool ok = key && cert;
    if (ok) {
        X509_set_version(cert, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(cert), long(QDateTime::currentSecsSinceEpoch() & 0x7fffffff));
        X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
        X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
        X509_set_pubkey(cert, key);
        X509_NAME *name = X509_get_subject_name(cert);
        const QByteArray cn = commonName.toUtf8();
        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char *>("DocServer Doctor Fault Lab"), -1, -1, 0);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(cn.constData()),
                                   -1, -1, 0);
        X509_set_issuer_name(cert, name);
        const QByteArray san = "DNS:" + cn + ",IP:127.0.0.1";
        X509V3_CTX context;
        X509V3_set_ctx_nodb(&context);
        X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
        X509_EXTENSION *extension = X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, san.constData());
        ok = extension && X509_add_ext(cert, extension, -1) == 1 && X509_sign(cert, key, EVP_sha256()) > 0;
        X509_EXTENSION_free(extension);
    }
    QByteArray certPem;
    QByteArray keyPem;
    if (ok) {
        certPem = toPem([cert](BIO *bio) { return PEM_write_bio_X509(bio, cert); });
        keyPem = toPem(
            [key](BIO *bio) { return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr); });
    }
    X509_free(cert);
    EVP_PKEY_free(key);
    if (!ok) {
        *error = QStringLiteral("OpenSSL could not make a self-signed certificate for %1").arg(commonName);
        return false;
    }
    return writeFile(certPath, certPem, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther,
                     error) &&
           writeFile(keyPath, keyPem, QFile::ReadOwner | QFile::WriteOwner, error);
}

} // namespace dd
