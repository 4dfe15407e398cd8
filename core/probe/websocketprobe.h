#pragma once

#include "activeprobe.h"

#include <QUrl>

namespace dd {

class HttpProbe;
struct HttpProbeResult;

/**
 * The Document Server co-editing handshake (socket.io, DS >= 7.3) through a given address:
 * GET /doc/<key>/c/?EIO=4&transport=websocket with the WebSocket upgrade headers, expecting
 * 101 and a correct Sec-WebSocket-Accept; or, with ProbeSpec::polling, the polling transport,
 * expecting an engine.io open packet ("0{"sid":...}").
 *
 * Facts: "outcome", "status", "transport", "handshake" (upgraded, bad-accept, socketio-error,
 * http-error, no-upgrade, open, not-socketio), "upgraded" (bool), "sio_code" and "sio_message"
 * (socket.io's JSON error: 0 Transport unknown, 1 Session ID unknown, 3 Bad request; null when
 * absent), "server_kind", "url" and the timings.
 */
class WebSocketProbe : public ActiveProbe
{
    Q_OBJECT
public:
    explicit WebSocketProbe(QObject *parent = nullptr);
    ~WebSocketProbe() override;

    void start(const ProbeSpec &spec) override;

    /// The socket.io URL for `base`: a DS address (its path kept as a prefix) or already a /doc/.../c/ URL.
    static QUrl socketIoUrl(const QUrl &base, const QString &docKey, bool polling);
    /// Sec-WebSocket-Accept for `key`: base64(SHA-1(key + the RFC 6455 GUID)).
    static QByteArray acceptFor(const QByteArray &key);
    /// socket.io's error body {"code":N,"message":"..."}: N, or -1 when `body` is not one.
    static int socketIoErrorCode(const QByteArray &body, QString *message = nullptr);

protected:
    void abort() override;

private:
    void onFinished(const HttpProbeResult &http);

    HttpProbe *m_http;
    QByteArray m_key;
    bool m_polling = false;
};

} // namespace dd
