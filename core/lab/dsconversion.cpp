// DsSimulator's conversion service and outgoing requests: the converter's download of `url`
// (private-IP filter, TLS verification, retries), the signed /cache/files result link, and the
// callback POSTs with their outbox JWT.
#include "lab/dssimulator.h"

#include "lab/dslog.h"
#include "lab/dsurl.h"
#include "lab/httpserver.h"
#include "lab/labhttpclient.h"
#include "util/jwt.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>

namespace dd {

namespace {

constexpr int UrlExpiresSecs = 900; // storage.fs.urlExpires

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

HttpResponse conversionAnswer(bool json, int error, const QString &fileUrl = {}, const QString &fileType = {})
{
    if (json) {
        const QJsonObject body = error != 0 ? QJsonObject{{QStringLiteral("error"), error}}
                                            : QJsonObject{{QStringLiteral("endConvert"), true},
                                                          {QStringLiteral("fileUrl"), fileUrl},
                                                          {QStringLiteral("fileType"), fileType},
                                                          {QStringLiteral("percent"), 100}};
        return HttpResponse::json(200, compact(body));
    }
    QByteArray xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><FileResult>";
    if (error != 0)
        xml += "<Error>" + QByteArray::number(error) + "</Error>";
    else
        xml += "<FileUrl>" + fileUrl.toHtmlEscaped().toUtf8() + "</FileUrl><FileType>" + fileType.toUtf8() +
               "</FileType><Percent>100</Percent><EndConvert>True</EndConvert>";
    return HttpResponse::make(200, "application/xml; charset=utf-8", xml + "</FileResult>");
}

QString responseError(const LabHttpResult &result)
{
    return QStringLiteral("Error: Error response: statusCode:%1 ;body:%2")
        .arg(result.status)
        .arg(QString::fromUtf8(result.body.left(200)).simplified());
}

} // namespace

void DsSimulator::convertService(const HttpRequest &request, const HttpResponder &responder)
{
    // Conversion error codes: -4 download, -7 input, -8 token.
    const bool json = request.path == "/converter" || request.header("accept").contains("application/json");
    QJsonObject body;
    if (request.body.trimmed().startsWith('{')) {
        body = QJsonDocument::fromJson(request.body).object();
    } else {
        const auto items = request.query.queryItems(QUrl::FullyDecoded);
        for (const auto &item : items)
            body.insert(item.first, item.second);
    }
    QJsonObject params;
    int tokenError = 0;
    if (!checkInboxToken(request, body, &params, &tokenError))
        return responder.respond(conversionAnswer(json, -8));
    const QUrl url(params.value(QStringLiteral("url")).toString());
    static const QRegularExpression validKey(QStringLiteral("^[0-9A-Za-z_\\-.=]{1,128}$"));
    const QString key = params.value(QStringLiteral("key")).toString();
    if (!url.isValid() || url.scheme().isEmpty() || !validKey.match(key).hasMatch())
        return responder.respond(conversionAnswer(json, -7));
    QString outputType = params.value(QStringLiteral("outputtype")).toString().toLower();
    if (!QRegularExpression(QStringLiteral("^[a-z0-9]{1,8}$")).match(outputType).hasMatch())
        outputType = QStringLiteral("docx");
    const QString baseUrl = dsurl::baseUrl(request);
    // URLs inside a valid JWT bypass the private-IP filter (externalRequest.directIfIn.jwtToken).
    const bool viaToken = m_config.jwtEnabled;
    download(url, key, 1, viaToken, [this, responder, json, key, outputType, baseUrl](bool ok, const QByteArray &data) {
        if (!ok)
            return responder.respond(conversionAnswer(json, -4));
        const QString fileUrl = storeCacheFile(baseUrl, key, QStringLiteral("output.") + outputType, data);
        if (fileUrl.isEmpty())
            return responder.respond(conversionAnswer(json, -3));
        responder.respond(conversionAnswer(json, 0, fileUrl, outputType));
    });
}

QString DsSimulator::storeCacheFile(const QString &baseUrl, const QString &key, const QString &name,
                                    const QByteArray &data) const
{
    const QString relative = QStringLiteral("data/%1/%2").arg(key, name);
    const QString file = m_config.cacheDir + QStringLiteral("/cache/files/") + relative;
    QDir().mkpath(QFileInfo(file).absolutePath());
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(data) != data.size())
        return QString();
    const qint64 expires = QDateTime::currentSecsSinceEpoch() + m_config.clockOffsetSecs + UrlExpiresSecs;
    return dsurl::signedCacheUrl(baseUrl, relative, name, m_config.secureLinkSecret, expires);
}

void DsSimulator::download(const QUrl &url, const QString &key, int attempt, bool viaToken,
                           const std::function<void(bool ok, const QByteArray &data)> &done)
{
    const QString prefix = QStringLiteral("error downloadFile:url=%1;attempt=%2;").arg(url.toString()).arg(attempt);
    const QString converterLog = m_config.converterLogFile;
    auto retryOrFail = [this, url, key, attempt, viaToken, done] {
        if (attempt < m_config.downloadAttempts)
            return download(url, key, attempt + 1, viaToken, done);
        done(false, {});
    };
    QString address;
    int family = 4;
    if (!m_config.allowPrivateIpAddress && !viaToken && isPrivateAddress(url.host(), &address, &family)) {
        appendDsLog(converterLog, "ERROR",
                    prefix + QStringLiteral("code:null;connect:null Error: DNS lookup %1(family:%2, host:%3) is not "
                                            "allowed. Because, It is private IP address.\n    at validateIPAddress "
                                            "(/snapshot/server/node_modules/request-filtering-agent/lib/"
                                            "request-filtering-agent.js:73:20)")
                                 .arg(address)
                                 .arg(family)
                                 .arg(url.host()),
                    key);
        return retryOrFail();
    }
    LabHttpRequest request;
    request.url = url;
    request.timeoutMs = m_config.downloadTimeoutMs;
    QPointer<DsSimulator> self(this);
    labHttpSend(this, request, [self, prefix, converterLog, key, done, retryOrFail](const LabHttpResult &result) {
        if (!self)
            return;
        if (result.ok() && result.status == 200)
            return done(true, result.body);
        const QString code = result.ok() ? QStringLiteral("null") : result.code;
        const QString connect =
            result.code == QLatin1String("ETIMEDOUT") ? QStringLiteral("undefined") : QStringLiteral("null");
        const QString error = result.ok() ? responseError(result) : result.error;
        appendDsLog(converterLog, "ERROR", prefix + QStringLiteral("code:%1;connect:%2 %3").arg(code, connect, error),
                    key);
        retryOrFail();
    });
}

void DsSimulator::postCallback(const QString &key, const QUrl &url, const QJsonObject &data)
{
    LabHttpRequest request;
    request.method = "POST";
    request.url = url;
    request.timeoutMs = m_config.downloadTimeoutMs;
    request.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    QJsonObject body = data;
    if (m_config.jwtEnabled) {
        // The outbox token goes in the header (payload wrapped) and in the body.
        const QByteArray headerToken = signHs256({{QStringLiteral("payload"), data}}, m_config.jwtSecret);
        request.headers.append({m_config.jwtHeader, "Bearer " + headerToken});
        body.insert(QStringLiteral("token"), QString::fromLatin1(signHs256(data, m_config.jwtSecret)));
    }
    request.body = compact(body);
    const QString logFile = m_logFile;
    const QString logged =
        QStringLiteral("postData error: url = %1;data = %2 ").arg(url.toString(), QString::fromUtf8(compact(data)));
    labHttpSend(this, request, [logFile, logged, key](const LabHttpResult &result) {
        if (result.ok() && result.status == 200)
            return;
        appendDsLog(logFile, "ERROR", logged + (result.ok() ? responseError(result) : result.error), key);
    });
}

} // namespace dd
