#pragma once

#include "capturetypes.h"
#include "tcpconversation.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace dd {

struct TlsAlert
{
    CaptureTime timeNs = -1;
    TcpSide from = TcpSide::None;
    int level = 0;         ///< 1 warning, 2 fatal; 0 when encrypted
    int description = -1;  ///< -1 when encrypted
    bool encrypted = false;

    /// "fatal unknown_ca", "encrypted alert"
    QString text() const;
};

/// What the capture shows of one TLS handshake.
struct TlsSession
{
    int conversation = -1;
    bool clientHelloSeen = false;
    bool serverHelloSeen = false;
    CaptureTime clientHelloNs = -1;
    CaptureTime serverHelloNs = -1;
    QString sni;
    QStringList offeredVersions; ///< "TLS 1.3", "TLS 1.2" (supported_versions, else the legacy version)
    QString serverVersion;       ///< the version the ServerHello selected
    QList<TlsAlert> alerts;

    bool hasFatalAlert() const;
};

/// "TLS 1.2", "SSL 3.0", or "0x7f1c".
QString tlsVersionName(quint16 version);
/// "handshake_failure", "unknown_ca", or the number.
QString tlsAlertName(int description);

} // namespace dd
