#pragma once

#include <QString>

namespace dd {

/**
 * Writes a fresh self-signed certificate (EC P-256, SHA-256, valid one day, CN and SAN
 * `commonName`, SAN also IP 127.0.0.1) and its key as PEM files, with OpenSSL. The key file is
 * readable by its owner only (nginx's master reads it before dropping privileges). False with
 * `error` set on failure.
 */
bool writeSelfSignedCertificate(const QString &commonName, const QString &certPath, const QString &keyPath,
                                QString *error);

} // namespace dd
