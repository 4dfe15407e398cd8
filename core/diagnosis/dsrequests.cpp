#include "dsrequests.h"

#include "probe/docsapi.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace dd {

QUrl urlUnder(const QUrl &base, const QString &path)
{
    return docsApiUrl(base, QLatin1Char('/') + path);
}

QUrl healthcheckUrl(const QUrl &base)
{
    return urlUnder(base, QStringLiteral("healthcheck"));
}

QUrl coeditingSocketUrl(const QUrl &base)
{
    // The key is the tool's own: DS answers the handshake before it looks the document up.
    QUrl url = urlUnder(base, QStringLiteral("doc/docserver-doctor-probe/c/"));
    url.setQuery(QStringLiteral("EIO=4&transport=websocket"));
    return url;
}

QUrl coeditingPollingUrl(const QUrl &base)
{
    QUrl url = urlUnder(base, QStringLiteral("doc/docserver-doctor-probe/c/"));
    url.setQuery(QStringLiteral("EIO=4&transport=polling"));
    return url;
}

QByteArray socketioSessionId(const QByteArray &body)
{
    // Engine.IO 4 open packet: '0' then JSON {"sid":"...","upgrades":[...],...}.
    const qsizetype brace = body.indexOf('{');
    if (brace < 0 || !body.left(brace).endsWith('0'))
        return {};
    const QJsonObject open = QJsonDocument::fromJson(body.mid(brace)).object();
    const QString sid = open.value(QStringLiteral("sid")).toString();
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    return safe.match(sid).hasMatch() ? sid.toLatin1() : QByteArray();
}

QVariantMap httpAnswerFacts(int status, const QByteArray &body, const QByteArray &xFrameOptions,
                            const QByteArray &contentSecurityPolicy)
{
    QVariantMap facts;
    // socket.io's error answer: 400 {"code":N,"message":"..."} (3 bad request, 0 transport
    // unknown, 1 session unknown).
    if (status == 400) {
        const QJsonObject o = QJsonDocument::fromJson(body).object();
        if (o.contains(QStringLiteral("code")) && o.value(QStringLiteral("code")).isDouble())
            facts.insert(QStringLiteral("sio_code"), o.value(QStringLiteral("code")).toInt());
    }
    if (!xFrameOptions.isEmpty())
        facts.insert(QStringLiteral("x_frame_options"), QString::fromLatin1(xFrameOptions).trimmed());
    if (contentSecurityPolicy.contains("frame-ancestors"))
        facts.insert(QStringLiteral("csp_frame_ancestors"), true);
    const bool frameBlocked = xFrameOptions.toLower().contains("deny") ||
                              xFrameOptions.toLower().contains("sameorigin") ||
                              contentSecurityPolicy.contains("frame-ancestors");
    facts.insert(QStringLiteral("frame_blocked"), frameBlocked);
    return facts;
}

} // namespace dd
