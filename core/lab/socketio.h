#pragma once

#include "lab/httpmessage.h"

#include <QByteArray>
#include <QSet>
#include <QString>

namespace dd::socketio {

/// What engine.io (socket.io 4, DS >= 7.3) does with a request on /doc/<key>/c/.
struct Handshake
{
    enum class Outcome {
        Open,        ///< polling handshake: 200 with the open packet
        Upgrade,     ///< websocket handshake: 101 Switching Protocols
        Poll,        ///< polling request of a known session
        Error,       ///< 400 {"code":N,"message":"..."}; docservice logs io.connection_error
        BadWebSocket ///< upgrade headers without a valid key: the ws library's plain 400
    };
    Outcome outcome = Outcome::Error;
    int code = 0;
    QString message;
};

/// Engine.io's verify() and handshake() order: transport (0), session id (1), method (2), upgrade (3), EIO version (5).
Handshake evaluate(const HttpRequest &request, const QSet<QByteArray> &knownSessions);

/// Whether the request carries the headers node turns into an 'upgrade' event.
bool isUpgradeRequest(const HttpRequest &request);

/// Sec-WebSocket-Accept for `key`: base64(SHA-1(key + RFC 6455 GUID)).
QByteArray websocketAccept(const QByteArray &key);

/// Engine.io's open packet for session `sid`.
QByteArray openPacket(const QByteArray &sid, bool allowUpgrade);

/// The 400 body engine.io answers an error with.
QByteArray errorBody(const Handshake &handshake);

/// One unmasked WebSocket text frame carrying `payload` (server to client).
QByteArray textFrame(const QByteArray &payload);

} // namespace dd::socketio
