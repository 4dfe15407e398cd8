#include "lab/socketio.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace dd::socketio {

bool isUpgradeRequest(const HttpRequest &request)
{
    const QList<QByteArray> tokens = request.header("connection").toLower().split(',');
    bool connectionUpgrade = false;
    for (const QByteArray &token : tokens)
        connectionUpgrade = connectionUpgrade || token.trimmed() == "upgrade";
    return connectionUpgrade && request.hasHeader("upgrade");
}

Handshake evaluate(const HttpRequest &request, const QSet<QByteArray> &knownSessions)
{
    Handshake result;
    const QString transport = request.query.queryItemValue(QStringLiteral("transport"));
    if (transport != QLatin1String("polling") && transport != QLatin1String("websocket")) {
        result.message = QStringLiteral("Transport unknown");
        return result;
    }
    const QByteArray sid = request.query.queryItemValue(QStringLiteral("sid")).toUtf8();
    const bool upgrade = isUpgradeRequest(request);
    if (!sid.isEmpty()) {
        if (!knownSessions.contains(sid)) {
            result.code = 1;
            result.message = QStringLiteral("Session ID unknown");
            return result;
        }
        result.outcome = Handshake::Outcome::Poll;
        return result;
    }
    if (request.method != "GET") {
        result.code = 2;
        result.message = QStringLiteral("Bad handshake method");
        return result;
    }
    if (transport == QLatin1String("websocket") && !upgrade) {
        result.code = 3;
        result.message = QStringLiteral("Bad request");
        return result;
    }
    if (request.query.queryItemValue(QStringLiteral("EIO")) != QLatin1String("4")) {
        result.code = 5;
        result.message = QStringLiteral("Unsupported protocol version");
        return result;
    }
    if (transport == QLatin1String("polling")) {
        result.outcome = Handshake::Outcome::Open;
        return result;
    }
    const QByteArray key = request.header("sec-websocket-key");
    const bool validKey = QByteArray::fromBase64(key).size() == 16;
    result.outcome = request.header("upgrade").toLower() == "websocket" && validKey &&
                             request.header("sec-websocket-version") == "13"
                         ? Handshake::Outcome::Upgrade
                         : Handshake::Outcome::BadWebSocket;
    return result;
}

QByteArray websocketAccept(const QByteArray &key)
{
    return QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
        .toBase64();
}

QByteArray openPacket(const QByteArray &sid, bool allowUpgrade)
{
    QJsonObject open{{QStringLiteral("sid"), QString::fromLatin1(sid)},
                     {QStringLiteral("pingInterval"), 25000},
                     {QStringLiteral("pingTimeout"), 20000},
                     {QStringLiteral("maxPayload"), 100000000}};
    open.insert(QStringLiteral("upgrades"), allowUpgrade ? QJsonArray{QStringLiteral("websocket")} : QJsonArray());
    return '0' + QJsonDocument(open).toJson(QJsonDocument::Compact);
}

QByteArray errorBody(const Handshake &handshake)
{
    return QJsonDocument(
               QJsonObject{{QStringLiteral("code"), handshake.code}, {QStringLiteral("message"), handshake.message}})
        .toJson(QJsonDocument::Compact);
}

QByteArray textFrame(const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x81)); // FIN + text
    if (payload.size() < 126) {
        frame.append(char(payload.size()));
    } else {
        frame.append(char(126));
        frame.append(char((payload.size() >> 8) & 0xFF));
        frame.append(char(payload.size() & 0xFF));
    }
    return frame + payload;
}

} // namespace dd::socketio
