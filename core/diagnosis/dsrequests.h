#pragma once

// What diagnose asks Document Server over HTTP beyond its probes' own checks: the addresses,
// and the facts read from the answers.

#include <QByteArray>
#include <QUrl>
#include <QVariantMap>

namespace dd {

/// The address of `path` under a base URL ("https://h/ds" + "healthcheck" → "https://h/ds/healthcheck").
QUrl urlUnder(const QUrl &base, const QString &path);
QUrl healthcheckUrl(const QUrl &base);

/// The co-editing socket address DS serves (socket.io, DS ≥ 7.3) for a probe document key.
QUrl coeditingSocketUrl(const QUrl &base);

/// The socket.io polling handshake (what browsers fall back to) on the same path.
QUrl coeditingPollingUrl(const QUrl &base);
/// The session id of an Engine.IO 4 open packet ('0{"sid":...}'), or empty.
QByteArray socketioSessionId(const QByteArray &body);

/// Extra facts read from an HTTP answer beyond the probe's own: the socket.io error code of a
/// DS 400 body, the frame-blocking headers a proxy may add.
QVariantMap httpAnswerFacts(int status, const QByteArray &body, const QByteArray &xFrameOptions,
                            const QByteArray &contentSecurityPolicy);

} // namespace dd
