#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSslCertificate>
#include <QUrl>

#include <functional>

namespace dd {

/// What docservice's outgoing request (document download, callback POST) ended with.
struct LabHttpResult
{
    QString
        code; ///< node's err.code when the request failed: ECONNREFUSED, ETIMEDOUT, DEPTH_ZERO_SELF_SIGNED_CERT, ...
    QString error; ///< node's err.stack first line: "Error: connect ECONNREFUSED 127.0.0.1:8080"; empty on success
    bool connected = false; ///< the TCP connection was made (DS logs it as "connect:")
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    bool ok() const { return error.isEmpty(); }
};

/// One request of docservice's own HTTP(S) client.
struct LabHttpRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    int timeoutMs = 10000;
    QList<QSslCertificate> caCertificates; ///< trusted besides none: DS trusts only public CAs
};

/**
 * Sends `request` over HTTP/1.1 or HTTPS (OpenSSL verification through QSslSocket, peer name
 * checked) and calls `done` once. Only loopback addresses are ever connected to: any other
 * host fails with code EHOSTUNREACH before a packet leaves. `context` bounds the lifetime.
 */
void labHttpSend(QObject *context, const LabHttpRequest &request,
                 const std::function<void(const LabHttpResult &)> &done);

/// Whether `host` (a name or address) resolves to a loopback or private address (DS's request-filtering-agent view).
bool isPrivateAddress(const QString &host, QString *resolvedAddress = nullptr, int *family = nullptr);

} // namespace dd
