#include "servicechecks.h"

#include "probe/docsapi.h"
#include "util/jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace dd::servicechecks {

namespace {

int defaultPort(const QUrl &url)
{
    return url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
}

} // namespace

HttpRequestSpec commandRequest(const QUrl &base, const QByteArray &secret, const QString &header,
                               TokenPlacement placement, qint64 nowSecs)
{
    HttpRequestSpec spec;
    spec.url = docsApiUrl(base, QStringLiteral("/coauthoring/CommandService.ashx"));
    spec.method = QByteArrayLiteral("POST");
    QJsonObject body{{QStringLiteral("c"), QStringLiteral("version")}};
    if (!secret.isEmpty()) {
        // DS verifies the header token's payload as {"payload": <body>} and the body token as the
        // body itself; iat/exp as the Nextcloud connector sets them (5 minutes).
        QJsonObject claims =
            placement == TokenPlacement::Header ? QJsonObject{{QStringLiteral("payload"), body}} : body;
        claims.insert(QStringLiteral("iat"), nowSecs);
        claims.insert(QStringLiteral("exp"), nowSecs + 300);
        const QByteArray token = signHs256(claims, secret);
        if (placement == TokenPlacement::Header)
            spec.headers.append({header.toLatin1(), QByteArrayLiteral("Bearer ") + token});
        else
            body.insert(QStringLiteral("token"), QString::fromLatin1(token));
    }
    spec.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    spec.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return spec;
}

QVariantMap commandFacts(const HttpProbeResult &result)
{
    QVariantMap facts;
    const QJsonObject o = QJsonDocument::fromJson(result.body).object();
    if (o.value(QStringLiteral("error")).isDouble())
        facts.insert(QStringLiteral("command_error"), o.value(QStringLiteral("error")).toInt());
    if (o.contains(QStringLiteral("version")))
        facts.insert(QStringLiteral("version"), o.value(QStringLiteral("version")).toString());
    return facts;
}

HttpRequestSpec rootRequest(const QUrl &base)
{
    HttpRequestSpec spec;
    spec.url = base;
    if (spec.url.path().isEmpty())
        spec.url.setPath(QStringLiteral("/"));
    return spec;
}

QVariantMap redirectFacts(const HttpProbeResult &result, const QUrl &publicUrl)
{
    QVariantMap facts;
    if (result.status < 300 || result.status >= 400)
        return facts;
    const QByteArray raw = result.header(QByteArrayLiteral("Location"));
    if (raw.isEmpty())
        return facts;
    facts.insert(QStringLiteral("redirect_location"), QString::fromLatin1(raw));
    facts.insert(QStringLiteral("redirect_problem"), generatedUrlProblem(raw, publicUrl));
    return facts;
}

QString generatedUrlProblem(const QUrl &generated, const QUrl &publicUrl)
{
    // DS escapes "_" as "%5f" in host names (storage-base.js), which strict clients reject.
    if (generated.toEncoded().contains("%5f") || generated.toEncoded().contains("%5F"))
        return QStringLiteral("underscore");
    if (generated.scheme() != publicUrl.scheme())
        return QStringLiteral("scheme");
    if (generated.host().compare(publicUrl.host(), Qt::CaseInsensitive) != 0 ||
        defaultPort(generated) != defaultPort(publicUrl))
        return QStringLiteral("host");
    if (!generated.path().startsWith(publicUrl.path().isEmpty() ? QStringLiteral("/") : publicUrl.path()))
        return QStringLiteral("prefix");
    return QStringLiteral("none");
}

QString generatedUrlProblem(const QByteArray &raw, const QUrl &publicUrl)
{
    const qsizetype schemeEnd = raw.indexOf("://");
    if (schemeEnd > 0) {
        const qsizetype authorityStart = schemeEnd + 3;
        qsizetype authorityEnd = raw.size();
        for (const char stop : {'/', '?', '#'}) {
            const qsizetype at = raw.indexOf(stop, authorityStart);
            if (at >= 0 && at < authorityEnd)
                authorityEnd = at;
        }
        const QByteArray authority = raw.mid(authorityStart, authorityEnd - authorityStart).toLower();
        if (authority.contains("%5f"))
            return QStringLiteral("underscore");
    }
    return generatedUrlProblem(publicUrl.resolved(QUrl::fromEncoded(raw, QUrl::TolerantMode)), publicUrl);
}

HttpRequestSpec convertRequest(const QUrl &base, const QUrl &documentUrl, const QByteArray &secret,
                               const QString &header, qint64 nowSecs)
{
    HttpRequestSpec spec;
    spec.url = docsApiUrl(base, QStringLiteral("/ConvertService.ashx"));
    spec.method = QByteArrayLiteral("POST");
    QJsonObject body{{QStringLiteral("async"), false},
                     {QStringLiteral("filetype"), QStringLiteral("docx")},
                     {QStringLiteral("key"), QStringLiteral("docserver-doctor-%1").arg(nowSecs)},
                     {QStringLiteral("outputtype"), QStringLiteral("pdf")},
                     {QStringLiteral("title"), QStringLiteral("docserver-doctor.docx")},
                     {QStringLiteral("url"), QString::fromUtf8(documentUrl.toEncoded())}};
    if (!secret.isEmpty()) {
        QJsonObject claims{{QStringLiteral("payload"), body}};
        claims.insert(QStringLiteral("iat"), nowSecs);
        claims.insert(QStringLiteral("exp"), nowSecs + 300);
        spec.headers.append({header.toLatin1(), QByteArrayLiteral("Bearer ") + signHs256(claims, secret)});
        QJsonObject bodyClaims = body;
        bodyClaims.insert(QStringLiteral("iat"), nowSecs);
        bodyClaims.insert(QStringLiteral("exp"), nowSecs + 300);
        body.insert(QStringLiteral("token"), QString::fromLatin1(signHs256(bodyClaims, secret)));
    }
    spec.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    spec.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    spec.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return spec;
}

QVariantMap convertFacts(const HttpProbeResult &result)
{
    QVariantMap facts;
    const QJsonObject o = QJsonDocument::fromJson(result.body).object();
    if (o.value(QStringLiteral("endConvert")).toBool())
        facts.insert(QStringLiteral("convert_error"), 0);
    else if (o.value(QStringLiteral("error")).isDouble())
        facts.insert(QStringLiteral("convert_error"), o.value(QStringLiteral("error")).toInt());
    if (o.contains(QStringLiteral("fileUrl")))
        facts.insert(QStringLiteral("file_url"), o.value(QStringLiteral("fileUrl")).toString());
    return facts;
}

HttpRequestSpec bodyLimitRequest(const QUrl &base, qint64 bytes)
{
    HttpRequestSpec spec;
    spec.url = docsApiUrl(base, QStringLiteral("/upload/docserver-doctor-probe"));
    spec.method = QByteArrayLiteral("POST");
    spec.headers = {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/octet-stream")},
                    {QByteArrayLiteral("Content-Length"), QByteArray::number(bytes)},
                    {QByteArrayLiteral("Expect"), QByteArrayLiteral("100-continue")}};
    // No body follows: a proxy that accepts the size waits for it (or says 100 Continue), which
    // the short timeout turns into "not rejected".
    spec.timeoutMs = 2000;
    return spec;
}

HttpRequestSpec callbackRequest(const QUrl &callbackUrl, const QByteArray &secret, const QString &header, int editors,
                                qint64 nowSecs)
{
    HttpRequestSpec spec;
    spec.url = callbackUrl;
    spec.method = QByteArrayLiteral("POST");
    QJsonArray users;
    QJsonArray actions;
    for (int i = 0; i < qMax(1, editors); ++i) {
        const QString user = QStringLiteral("docserver-doctor-editor-%1").arg(i, 4, 10, QLatin1Char('0'));
        users.append(user);
        actions.append(QJsonObject{{QStringLiteral("type"), 0}, {QStringLiteral("userid"), user}});
    }
    const QJsonObject body{{QStringLiteral("key"), QStringLiteral("docserver-doctor-check-%1").arg(nowSecs)},
                           {QStringLiteral("status"), 4},
                           {QStringLiteral("users"), users},
                           {QStringLiteral("actions"), actions}};
    if (!secret.isEmpty()) {
        QJsonObject claims{{QStringLiteral("payload"), body}};
        claims.insert(QStringLiteral("iat"), nowSecs);
        claims.insert(QStringLiteral("exp"), nowSecs + 300);
        spec.headers.append({header.toLatin1(), QByteArrayLiteral("Bearer ") + signHs256(claims, secret)});
    }
    spec.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    spec.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return spec;
}

QVariantMap callbackFacts(const HttpProbeResult &result)
{
    QString problem;
    if (result.outcome != ProbeOutcome::Ok) {
        problem = QStringLiteral("unreachable");
    } else if (result.status == 431 || result.status == 494 ||
               (result.status == 400 && result.body.toLower().contains("header"))) {
        // nginx: "400 Request Header Or Cookie Too Large"; Apache: "Size of a request header
        // field exceeds server limit"; 431 Request Header Fields Too Large elsewhere.
        problem = QStringLiteral("header-too-large");
    } else if (result.status >= 500) {
        problem = QStringLiteral("server-error");
    } else if (result.status >= 400) {
        problem = QStringLiteral("rejected");
    } else {
        QJsonParseError error;
        const QJsonDocument json = QJsonDocument::fromJson(result.body, &error);
        problem = error.error == QJsonParseError::NoError && json.isObject() ? QStringLiteral("none")
                                                                             : QStringLiteral("not-json");
    }
    return {{QStringLiteral("problem"), problem}};
}

} // namespace dd::servicechecks
