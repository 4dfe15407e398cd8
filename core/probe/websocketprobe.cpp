#include "websocketprobe.h"

#include "httpprobe.h"
#include "probeevidence.h"
#include "util/redact.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QUrlQuery>

namespace dd {

namespace {

const QChar arrow(0x2192);

// engine.io v3 prefixes polling payloads with "<length>:"; v4 (EIO=4) does not.
QByteArray stripLengthPrefix(const QByteArray &body)
{
    qsizetype i = 0;
    while (i < body.size() && body.at(i) >= '0' && body.at(i) <= '9')
        ++i;
    if (i > 0 && i < body.size() && body.at(i) == ':')
        return body.mid(i + 1);
    return body;
}

QString hintFor(int sioCode, bool polling)
{
    switch (sioCode) {
    case 0:
        return QStringLiteral("socket.io 'Transport unknown': the query string (EIO, transport) did not reach "
                              "docservice, or the request bypassed DS's own nginx");
    case 1:
        return QStringLiteral("socket.io 'Session ID unknown': the session lives on another docservice instance "
                              "(no sticky sessions) or expired");
    case 3:
        return polling ? QStringLiteral("socket.io 'Bad request' on polling")
                       : QStringLiteral("socket.io 'Bad request' for the websocket transport: the Upgrade/Connection "
                                        "headers were dropped on the way (a proxy without WebSocket support)");
    default:
        return QString();
    }
}

} // namespace

WebSocketProbe::WebSocketProbe(QObject *parent) : ActiveProbe(parent), m_http(new HttpProbe(this))
{
    connect(m_http, &HttpProbe::finished, this, &WebSocketProbe::onFinished);
}

WebSocketProbe::~WebSocketProbe() = default;

QUrl WebSocketProbe::socketIoUrl(const QUrl &base, const QString &docKey, bool polling)
{
    QUrl url(base);
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("ws"))
        url.setScheme(QStringLiteral("http"));
    else if (scheme == QLatin1String("wss"))
        url.setScheme(QStringLiteral("https"));
    const QString transport = polling ? QStringLiteral("polling") : QStringLiteral("websocket");
    QUrlQuery query(url);
    if (url.path().contains(QLatin1String("/c/")) || query.hasQueryItem(QStringLiteral("EIO"))) {
        // Already a socket.io URL: only the transport follows the option.
        query.removeAllQueryItems(QStringLiteral("transport"));
        query.addQueryItem(QStringLiteral("transport"), transport);
        if (!query.hasQueryItem(QStringLiteral("EIO")))
            query.addQueryItem(QStringLiteral("EIO"), QStringLiteral("4"));
        url.setQuery(query);
        return url;
    }
    QString path = url.path();
    if (!path.endsWith(QLatin1Char('/')))
        path += QLatin1Char('/');
    const QString key = docKey.isEmpty() ? QStringLiteral("docserver-doctor") : docKey;
    url.setPath(path + QStringLiteral("doc/") + key + QStringLiteral("/c/"));
    QUrlQuery socketIo;
    socketIo.addQueryItem(QStringLiteral("EIO"), QStringLiteral("4"));
    socketIo.addQueryItem(QStringLiteral("transport"), transport);
    if (polling)
        socketIo.addQueryItem(QStringLiteral("t"), QString::number(QRandomGenerator::global()->generate(), 36));
    url.setQuery(socketIo);
    return url;
}

QByteArray WebSocketProbe::acceptFor(const QByteArray &key)
{
    return QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
        .toBase64();
}

int WebSocketProbe::socketIoErrorCode(const QByteArray &body, QString *message)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body.trimmed(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return -1;
    const QJsonValue code = document.object().value(QStringLiteral("code"));
    if (!code.isDouble())
        return -1;
    if (message)
        *message = document.object().value(QStringLiteral("message")).toString();
    return code.toInt(-1);
}

void WebSocketProbe::start(const ProbeSpec &spec)
{
    beginRun(spec);
    m_polling = spec.polling;
    HttpRequestSpec request;
    request.url = socketIoUrl(QUrl(spec.target), spec.docKey, spec.polling);
    request.connectTo = spec.connectTo;
    request.connectTimeoutMs = spec.connectTimeoutMs;
    request.timeoutMs = spec.timeoutMs;
    request.ignoreTlsErrors = spec.ignoreTlsErrors;
    request.maxBodyBytes = 4096;
    if (!spec.polling) {
        QByteArray nonce(16, Qt::Uninitialized);
        for (char &c : nonce)
            c = char(QRandomGenerator::global()->bounded(256));
        m_key = nonce.toBase64();
        request.headers = {{"Upgrade", "websocket"},
                           {"Connection", "Upgrade"},
                           {"Sec-WebSocket-Key", m_key},
                           {"Sec-WebSocket-Version", "13"}};
    }
    m_http->start(request);
}

void WebSocketProbe::abort()
{
    if (m_http->isRunning())
        m_http->cancel();
}

void WebSocketProbe::onFinished(const HttpProbeResult &http)
{
    if (!isRunning())
        return;
    ProbeResult result = newResult();
    result.outcome = http.outcome;
    result.error = http.error;
    result.timings.dns = http.timings.dns;
    result.timings.connect = http.timings.connect;
    result.timings.tls = http.timings.tls;
    result.timings.ttfb = http.timings.ttfb;
    result.timings.total = http.timings.total;

    Evidence evidence = httpEvidence(http);
    evidence.kind = QStringLiteral("websocket");
    QVariantMap facts = http.facts();
    facts.insert(result.timings.facts());
    facts.insert(QStringLiteral("transport"), m_polling ? QStringLiteral("polling") : QStringLiteral("websocket"));

    QString sioMessage;
    const int sioCode = http.status == 0 ? -1 : socketIoErrorCode(http.body, &sioMessage);
    facts.insert(QStringLiteral("sio_code"), sioCode < 0 ? QVariant() : QVariant(sioCode));
    facts.insert(QStringLiteral("sio_message"), sioCode < 0 ? QVariant() : QVariant(sioMessage));

    QString handshake;
    bool upgraded = false;
    QStringList notes;
    if (http.outcome != ProbeOutcome::Ok) {
        handshake = probeOutcomeName(http.outcome);
    } else if (!m_polling && http.status == 101) {
        const QByteArray accept = http.header("Sec-WebSocket-Accept").trimmed();
        if (accept == acceptFor(m_key)) {
            handshake = QStringLiteral("upgraded");
            upgraded = true;
        } else {
            handshake = QStringLiteral("bad-accept");
            result.outcome = ProbeOutcome::Malformed;
            notes.append(accept.isEmpty()
                             ? QStringLiteral("101 without Sec-WebSocket-Accept")
                             : QStringLiteral("Sec-WebSocket-Accept does not match the key sent (expected %1)")
                                   .arg(QString::fromLatin1(acceptFor(m_key))));
        }
    } else if (m_polling && http.status == 200) {
        const QByteArray payload = stripLengthPrefix(http.body.trimmed());
        QJsonObject open;
        if (payload.startsWith('0'))
            open = QJsonDocument::fromJson(payload.mid(1)).object();
        if (open.contains(QStringLiteral("sid"))) {
            handshake = QStringLiteral("open");
            // The session id is not printed: it identifies a live session.
            facts.insert(QStringLiteral("sid_present"), true);
            QStringList upgrades;
            const QVariantList list = open.value(QStringLiteral("upgrades")).toVariant().toList();
            for (const QVariant &u : list)
                upgrades.append(u.toString());
            facts.insert(QStringLiteral("upgrades"), upgrades);
            facts.insert(QStringLiteral("ping_interval_ms"), open.value(QStringLiteral("pingInterval")).toInt());
            facts.insert(QStringLiteral("ping_timeout_ms"), open.value(QStringLiteral("pingTimeout")).toInt());
        } else {
            handshake = QStringLiteral("not-socketio");
            notes.append(QStringLiteral("200 but the body is not an engine.io open packet"));
        }
    } else if (sioCode >= 0) {
        handshake = QStringLiteral("socketio-error");
        const QString hint = hintFor(sioCode, m_polling);
        if (!hint.isEmpty())
            notes.append(hint);
    } else if (http.status >= 300) {
        handshake = QStringLiteral("http-error");
    } else {
        handshake = QStringLiteral("no-upgrade");
        notes.append(QStringLiteral("answered %1 instead of 101: something on the way does not speak WebSocket")
                         .arg(http.status));
    }
    facts.insert(QStringLiteral("handshake"), handshake);
    facts.insert(QStringLiteral("upgraded"), upgraded);
    facts.insert(QStringLiteral("outcome"), probeOutcomeName(result.outcome));
    evidence.facts = facts;
    evidence.health =
        (handshake == QLatin1String("upgraded") || handshake == QLatin1String("open")) ? Health::Ok : Health::Failed;

    const QString what = m_polling ? QStringLiteral("socket.io polling") : QStringLiteral("WebSocket upgrade");
    QString answer;
    if (http.status == 0)
        answer = probeOutcomeName(http.outcome);
    else if (sioCode >= 0)
        answer = QStringLiteral("%1 (socket.io code %2 \"%3\")").arg(http.status).arg(sioCode).arg(sioMessage);
    else
        answer = QStringLiteral("%1 %2").arg(http.status).arg(QString::fromUtf8(http.reason));
    evidence.summary =
        QStringLiteral("%1 %2 %3 %4: %5 in %6")
            .arg(what, redactUrl(http.request.url), arrow, answer, handshake, formatMs(http.timings.total));
    if (!notes.isEmpty())
        evidence.detail = notes.join(QLatin1Char('\n')) + QLatin1Char('\n') + evidence.detail;
    const QString body = redactJwts(QString::fromUtf8(http.body.left(512)).trimmed());
    if (!body.isEmpty() && !evidence.excerpt.isEmpty() && !m_polling)
        evidence.excerpt += QStringLiteral("\n\n") + body;
    result.evidence.append(evidence);
    finishRun(result);
}

} // namespace dd
