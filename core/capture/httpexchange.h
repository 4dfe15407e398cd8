#pragma once

#include "capturetypes.h"

#include <QString>
#include <QStringList>

namespace dd {

/**
 * One HTTP/1.x request and the response paired with it on the same conversation. A request
 * without a response has status 0; a response whose request the capture missed has an empty
 * method. URL tokens and credentials are redacted before they are stored.
 */
struct HttpExchange
{
    int conversation = -1;
    QString method;
    QString target;                ///< request target, redacted
    QString host;                  ///< Host header
    QString upgrade;               ///< request Upgrade header
    QStringList forwarded;         ///< "X-Forwarded-Proto: https", ... in request order
    CaptureTime requestNs = -1;    ///< first byte of the request
    CaptureTime requestEndNs = -1; ///< last byte of the request (body included), when known

    int status = 0;
    QString reason;
    QString server;          ///< Server header
    QString responseUpgrade; ///< response Upgrade header
    qint64 contentLength = -1;
    bool chunked = false;
    CaptureTime responseNs = -1; ///< first byte of the response
    QString bodySnippet;         ///< first bytes of the body of an error response (status >= 400), printable

    /// The request's first byte, else the response's: the order exchanges are listed in.
    CaptureTime time() const { return requestNs >= 0 ? requestNs : responseNs; }
    bool isWebSocketRequest() const { return upgrade.contains(QLatin1String("websocket"), Qt::CaseInsensitive); }
    bool isUpgraded() const { return status == 101; }
    /// Request to first response byte, in ms (from the request's end when known), or -1.
    double timeToFirstByteMs() const;
    /// "GET /healthcheck"
    QString requestLine() const;
};

} // namespace dd
