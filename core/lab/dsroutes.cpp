// DsSimulator's request routing: healthcheck, info, CommandService with its JWT check, socket.io
// handshakes and the fault knobs. Conversion lives in dsconversion.cpp.
#include "lab/dssimulator.h"

#include "lab/dsurl.h"
#include "lab/httpserver.h"
#include "lab/socketio.h"
#include "util/jwt.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpSocket>

namespace dd {

namespace {

// Express's default 404 page, which docservice returns for unknown routes.
QByteArray notFoundPage(const QByteArray &method, const QByteArray &path)
{
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n"
           "</head>\n<body>\n<pre>Cannot " +
           method + ' ' + path.toPercentEncoding("/?=&.-_~") + "</pre>\n</body>\n</html>\n";
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray newSessionId()
{
    QByteArray bytes(15, '\0');
    for (char &c : bytes)
        c = char(QRandomGenerator::global()->bounded(256));
    return bytes.toBase64(QByteArray::Base64UrlEncoding);
}

// jsonwebtoken's error name and message for a failed check: "JsonWebTokenError message = invalid signature".
QString jsonwebtokenError(const JwtCheck &check, bool missing)
{
    switch (check.status) {
    case JwtCheck::Status::Expired:
        return QStringLiteral("TokenExpiredError message = jwt expired");
    case JwtCheck::Status::NotActive:
        return QStringLiteral("NotBeforeError message = jwt not active");
    case JwtCheck::Status::InvalidSignature:
        return QStringLiteral("JsonWebTokenError message = invalid signature");
    case JwtCheck::Status::UnsupportedAlgorithm:
        return QStringLiteral("JsonWebTokenError message = invalid algorithm");
    case JwtCheck::Status::Malformed:
    case JwtCheck::Status::Ok:
        break;
    }
    return missing ? QStringLiteral("JsonWebTokenError message = jwt must be provided")
                   : QStringLiteral("JsonWebTokenError message = jwt malformed");
}

} // namespace

HttpResponse DsSimulator::faultResponse() const
{
    switch (m_config.fault) {
    case DocserviceConfig::Fault::Hang:
        return HttpResponse::withAction(HttpResponse::Action::Hang);
    case DocserviceConfig::Fault::Close:
        return HttpResponse::withAction(HttpResponse::Action::Close);
    case DocserviceConfig::Fault::Reset:
        return HttpResponse::withAction(HttpResponse::Action::Reset);
    case DocserviceConfig::Fault::None:
    case DocserviceConfig::Fault::OversizedHeaders:
        break;
    }
    return {};
}

void DsSimulator::handle(const HttpRequest &request, const HttpResponder &responder)
{
    if (m_mode == Mode::Hang)
        return;
    if (m_config.fault != DocserviceConfig::Fault::None && m_config.fault != DocserviceConfig::Fault::OversizedHeaders)
        return responder.respond(faultResponse());

    auto send = [&responder](const HttpResponse &response) { responder.respond(response); };

    const QByteArray &path = request.path;
    const bool isGet = request.method == "GET" || request.method == "HEAD";
    if (isGet && path == "/healthcheck")
        return healthcheck(responder);
    if (isGet && path == "/info/info.json")
        return send(info());
    if (request.method == "POST" && (path == "/coauthoring/CommandService.ashx" || path == "/command"))
        return send(commandService(request));
    if (request.method == "POST" && (path == "/ConvertService.ashx" || path == "/converter"))
        return convertService(request, responder);
    static const QRegularExpression socketIoPath(QStringLiteral("^/doc/[^/]+/c/?$"));
    if (socketIoPath.match(QString::fromUtf8(path)).hasMatch())
        return send(socketIo(request));
    send(HttpResponse::make(404, "text/html; charset=utf-8", notFoundPage(request.method, path)));
}

void DsSimulator::healthcheck(const HttpResponder &responder)
{
    // docservice answers 200 either way; only the body tells (DocsCoServer.js healthCheck).
    if (m_mode == Mode::HealthcheckFalse) {
        log("ERROR", QStringLiteral("healthCheck error %1").arg(m_healthcheckError));
        return responder.respond(HttpResponse::make(200, "text/html; charset=utf-8", "false"));
    }
    checkDependencies(false, [this, responder](const QString &dependency, const QString &error, bool) {
        if (!dependency.isEmpty())
            log("ERROR", QStringLiteral("healthCheck error %1").arg(error));
        responder.respond(HttpResponse::make(200, "text/html; charset=utf-8", dependency.isEmpty() ? "true" : "false"));
    });
}

HttpResponse DsSimulator::info() const
{
    const QJsonObject serverInfo{{QStringLiteral("buildVersion"), version().section(QLatin1Char('.'), 0, 2)},
                                 {QStringLiteral("buildNumber"), version().section(QLatin1Char('.'), 3).toInt()},
                                 {QStringLiteral("packageType"), m_config.developerEdition ? 2 : 0}};
    const QJsonObject body{{QStringLiteral("serverInfo"), serverInfo},
                           {QStringLiteral("licenseInfo"), QJsonObject{{QStringLiteral("packageType"), 0}}},
                           {QStringLiteral("quota"), QJsonObject()},
                           {QStringLiteral("connectionsStat"), QJsonObject()}};
    return HttpResponse::json(200, compact(body));
}

bool DsSimulator::checkInboxToken(const HttpRequest &request, const QJsonObject &body, QJsonObject *payload,
                                  int *errorCode)
{
    *payload = body;
    if (!m_config.jwtEnabled)
        return true;
    // checkJwtHeader: the configured header with "Bearer ", else (inBody) the token field of the body.
    QByteArray token = request.header(m_config.jwtHeader.toLower());
    if (token.startsWith("Bearer "))
        token = token.mid(7);
    else
        token.clear();
    if (token.isEmpty() && m_config.jwtInBody)
        token = body.value(QStringLiteral("token")).toString().toUtf8();
    const qint64 now = QDateTime::currentSecsSinceEpoch() + m_config.clockOffsetSecs;
    const JwtCheck check = verifyHs256(token, m_config.jwtSecret, now);
    if (!check.isOk()) {
        // DS logs the token as it came; this file is the simulated DS log, never our own output.
        log("WARN", QStringLiteral("checkJwt error: name = %1 token = %2")
                        .arg(jsonwebtokenError(check, token.isEmpty()),
                             token.isEmpty() ? QStringLiteral("undefined") : QString::fromUtf8(token)));
        *errorCode = check.status == JwtCheck::Status::Expired ? 7 : 6;
        return false;
    }
    // Tokens from the header carry the request under "payload"; body tokens carry it directly.
    const QJsonValue inner = check.payload.value(QStringLiteral("payload"));
    *payload = inner.isObject() ? inner.toObject() : check.payload;
    return true;
}

HttpResponse DsSimulator::commandService(const HttpRequest &request)
{
    // c_oAscServerCommandErrors: 0 no error, 1 document key, 2 parse error, 5 unknown command,
    // 6 token, 7 token expired.
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return HttpResponse::json(200, compact({{QStringLiteral("error"), 2}}));
    QJsonObject params;
    int tokenError = 0;
    if (!checkInboxToken(request, document.object(), &params, &tokenError))
        return HttpResponse::json(200, compact({{QStringLiteral("error"), tokenError}}));

    const QString command = params.value(QStringLiteral("c")).toString();
    const QString key = params.value(QStringLiteral("key")).toString();
    QJsonObject answer;
    if (command == QLatin1String("version")) {
        answer = {{QStringLiteral("error"), 0}, {QStringLiteral("version"), version()}};
    } else if (command == QLatin1String("info") && m_config.documents.contains(key)) {
        // "info" on an open document: DS answers at once and reports the editors to the callback.
        answer = {{QStringLiteral("key"), key}, {QStringLiteral("error"), 0}};
        QJsonArray users;
        QJsonArray actions;
        for (int i = 0; i < qMax(1, m_config.callbackUsers); ++i) {
            const QString user = i == 0 ? QStringLiteral("lab-user") : QStringLiteral("lab-user-%1").arg(i);
            users.append(user);
            actions.append(QJsonObject{{QStringLiteral("type"), 1}, {QStringLiteral("userid"), user}});
        }
        postCallback(key, m_config.documents.value(key),
                     {{QStringLiteral("key"), key},
                      {QStringLiteral("status"), 1},
                      {QStringLiteral("users"), users},
                      {QStringLiteral("actions"), actions}});
    } else if (command == QLatin1String("forcesave") && m_editorBase.contains(key)) {
        // The saved document, linked where the editor's browser reached Document Server: the
        // storage must be able to fetch it from there (callback status 6, forcesavetype 0 = command).
        const QString url = storeCacheFile(m_editorBase.value(key), key, QStringLiteral("output.docx"),
                                           QByteArrayLiteral("DocServer Doctor Fault Lab: saved document\n"));
        answer = {{QStringLiteral("key"), key}, {QStringLiteral("error"), url.isEmpty() ? 3 : 0}};
        if (!url.isEmpty())
            postCallback(key, m_config.documents.value(key),
                         {{QStringLiteral("key"), key},
                          {QStringLiteral("status"), 6},
                          {QStringLiteral("url"), url},
                          {QStringLiteral("filetype"), QStringLiteral("docx")},
                          {QStringLiteral("forcesavetype"), 0},
                          {QStringLiteral("users"), QJsonArray{QStringLiteral("lab-user")}}});
    } else if (command == QLatin1String("forcesave") && m_config.documents.contains(key)) {
        answer = {{QStringLiteral("key"), key}, {QStringLiteral("error"), 4}}; // no editor, no changes
    } else if (command == QLatin1String("info") || command == QLatin1String("drop") ||
               command == QLatin1String("forcesave") || command == QLatin1String("meta")) {
        answer = {{QStringLiteral("error"), 1}};
        if (!key.isEmpty())
            answer.insert(QStringLiteral("key"), key);
    } else {
        answer = {{QStringLiteral("error"), 5}};
    }
    return HttpResponse::json(200, compact(answer));
}

void DsSimulator::rememberEditor(const HttpRequest &request)
{
    // /doc/<key>/c/?EIO=4&...: the editor of document <key>.
    const QList<QByteArray> parts = request.path.split('/');
    const QString key = parts.size() > 3 ? QString::fromUtf8(parts.at(2)) : QString();
    if (m_config.documents.contains(key))
        m_editorBase.insert(key, dsurl::baseUrl(request));
}

HttpResponse DsSimulator::socketIo(const HttpRequest &request)
{
    const socketio::Handshake handshake = socketio::evaluate(request, m_sessions);
    switch (handshake.outcome) {
    case socketio::Handshake::Outcome::Error: {
        log("WARN",
            QStringLiteral("io.connection_error code=%1, message=%2").arg(handshake.code).arg(handshake.message));
        HttpResponse response = HttpResponse::json(400, socketio::errorBody(handshake));
        response.headers.first().second = QByteArrayLiteral("application/json");
        return response;
    }
    case socketio::Handshake::Outcome::BadWebSocket:
        return HttpResponse::make(400, "text/plain", "Bad Request");
    case socketio::Handshake::Outcome::Poll:
        return HttpResponse::make(200, "text/plain; charset=UTF-8", "2"); // a ping packet
    case socketio::Handshake::Outcome::Open: {
        rememberEditor(request);
        const QByteArray sid = newSessionId();
        m_sessions.insert(sid);
        return HttpResponse::make(200, "text/plain; charset=UTF-8", socketio::openPacket(sid, true));
    }
    case socketio::Handshake::Outcome::Upgrade:
        rememberEditor(request);
        break;
    }
    const QByteArray sid = newSessionId();
    m_sessions.insert(sid);
    HttpResponse response;
    response.status = 101;
    response.action = HttpResponse::Action::Upgrade;
    response.headers = {
        {QByteArrayLiteral("Upgrade"), QByteArrayLiteral("websocket")},
        {QByteArrayLiteral("Connection"), QByteArrayLiteral("Upgrade")},
        {QByteArrayLiteral("Sec-WebSocket-Accept"), socketio::websocketAccept(request.header("sec-websocket-key"))}};
    response.body = socketio::textFrame(socketio::openPacket(sid, false)); // the first frame after the 101
    return response;
}

} // namespace dd
