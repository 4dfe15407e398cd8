#include "convertroundtrip.h"

#include "docsapi.h"
#include "httpprobe.h"
#include "probeevidence.h"
#include "proberesult.h"
#include "socketsupport.h"
#include "sourcefileserver.h"
#include "util/hostport.h"
#include "util/jwt.h"
#include "util/redact.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <algorithm>
#include <utility>

namespace dd {

namespace {

const QString sourceName = QStringLiteral("docserver-doctor.docx");

} // namespace

ConvertRoundTrip::ConvertRoundTrip(QObject *parent) : QObject(parent) {}

ConvertRoundTrip::~ConvertRoundTrip()
{
    abort();
}

QString ConvertRoundTrip::convertErrorName(int code)
{
    switch (code) {
    case 0:
        return QStringLiteral("ok");
    case -1:
        return QStringLiteral("unknown");
    case -2:
        return QStringLiteral("timeout");
    case -3:
        return QStringLiteral("conversion");
    case -4:
        return QStringLiteral("download");
    case -5:
        return QStringLiteral("password");
    case -6:
        return QStringLiteral("database");
    case -7:
        return QStringLiteral("input");
    case -8:
        return QStringLiteral("invalid-token");
    case -9:
        return QStringLiteral("format-undetectable");
    case -10:
        return QStringLiteral("size-limit");
    default:
        return QStringLiteral("code-%1").arg(code);
    }
}

bool ConvertRoundTrip::parseServeOn(const QString &text, QString *host, quint16 *port, QString *error)
{
    HostPort parsed;
    if (!parseListenAddress(text, &parsed, error)) {
        *error = QStringLiteral("--serve-on ") + *error;
        return false;
    }
    *host = parsed.host;
    *port = parsed.port;
    return true;
}

void ConvertRoundTrip::start(const ConvertRoundTripSpec &spec)
{
    abort();
    m_spec = spec;
    m_jwtSent = false;
    m_servedUrl.clear();

    QString host;
    quint16 port = 0;
    QString error;
    if (!parseServeOn(spec.serveOn, &host, &port, &error))
        return failEarly(error);
    const QHostAddress address(host);
    if (spec.serveUrl.isEmpty() && (address == QHostAddress::AnyIPv4 || address == QHostAddress::AnyIPv6))
        return failEarly(QStringLiteral("--serve-on %1 listens on every address: give --serve-url with the one "
                                        "Document Server should fetch from")
                             .arg(spec.serveOn));
    const QUrl base(spec.serveUrl);
    if (!spec.serveUrl.isEmpty() &&
        (!base.isValid() || base.host().isEmpty() || base.scheme() != QLatin1String("http")))
        return failEarly(QStringLiteral("--serve-url '%1' is not an http:// URL with a host").arg(spec.serveUrl));

    m_server = new SourceFileServer(this);
    m_servedUrl = m_server->serveTestDocument(host, port, spec.serveUrl.isEmpty() ? QUrl() : base, &error);
    if (m_servedUrl.isEmpty())
        return failEarly(error);
    connect(m_server, &SourceFileServer::requestAnswered, this, [this](const SourceRequest &request) {
        if (request.status == 200 && m_fetchMs < 0)
            m_fetchMs = elapsedMs(m_clock);
    });

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QString key = QStringLiteral("docserver-doctor-%1-%2")
                            .arg(now)
                            .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    QJsonObject body{{QStringLiteral("async"), false},      {QStringLiteral("filetype"), QStringLiteral("docx")},
                     {QStringLiteral("key"), key},          {QStringLiteral("outputtype"), QStringLiteral("pdf")},
                     {QStringLiteral("title"), sourceName}, {QStringLiteral("url"), m_servedUrl}};
    HttpRequestSpec request;
    request.url = docsApiUrl(spec.docserver, QStringLiteral("/ConvertService.ashx"));
    request.method = "POST";
    if (!spec.secret.isEmpty()) {
        // As the integrators send it: the header token wraps the body under "payload".
        QJsonObject headerClaims{{QStringLiteral("payload"), body}};
        QJsonObject bodyClaims = body;
        for (QJsonObject *claims : {&headerClaims, &bodyClaims}) {
            claims->insert(QStringLiteral("iat"), now);
            claims->insert(QStringLiteral("exp"), now + 300);
        }
        const QByteArray header = spec.jwtHeader.isEmpty() ? QByteArray("Authorization") : spec.jwtHeader;
        request.headers.append({header, "Bearer " + signHs256(headerClaims, spec.secret)});
        body.insert(QStringLiteral("token"), QString::fromLatin1(signHs256(bodyClaims, spec.secret)));
        m_jwtSent = true;
    }
    request.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    request.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    request.connectTo = spec.connectTo;
    request.connectTimeoutMs = spec.connectTimeoutMs;
    request.timeoutMs = spec.timeoutMs;
    request.ignoreTlsErrors = spec.ignoreTlsErrors;
    request.maxBodyBytes = 16 * 1024;

    m_fetchMs = -1;
    m_legacyAnswer.clear();
    m_clock.start();
    post(request);
}

void ConvertRoundTrip::post(const HttpRequestSpec &request)
{
    m_probe = new HttpProbe(this);
    connect(m_probe, &HttpProbe::finished, this, &ConvertRoundTrip::onPosted);
    m_probe->start(request);
}

void ConvertRoundTrip::failEarly(const QString &error)
{
    Evidence e;
    e.kind = QStringLiteral("docserver");
    e.id = QStringLiteral("probe.docserver.convert");
    e.time = QDateTime::currentDateTimeUtc();
    e.health = Health::Failed;
    e.summary = QStringLiteral("ConvertService round trip: not run: %1").arg(error);
    e.detail = error;
    e.facts = {{QStringLiteral("check"), QStringLiteral("convert")},
               {QStringLiteral("outcome"), probeOutcomeName(ProbeOutcome::Error)},
               {QStringLiteral("fetched"), false},
               {QStringLiteral("convert_error"), QVariant()},
               {QStringLiteral("error"), error}};
    abort();
    // From the event loop, like every result.
    QMetaObject::invokeMethod(
        this, [this, e] { Q_EMIT finished(e); }, Qt::QueuedConnection);
}

void ConvertRoundTrip::onPosted(const HttpProbeResult &http)
{
    if (m_probe) {
        m_probe->deleteLater();
        m_probe = nullptr;
    }
    const QUrl current = http.status == 404 ? docsApiCurrentUrl(http.request.url) : QUrl();
    if (current.isValid() && (!m_server || !m_server->hasServed())) {
        // The pre-8.2 address is not routed here: ask the current one, with the same file and key.
        m_legacyAnswer = QStringLiteral("%1 %2").arg(http.status).arg(QString::fromUtf8(http.reason));
        HttpRequestSpec next = http.request;
        next.url = current;
        return post(next);
    }
    const QList<SourceRequest> requests = m_server ? m_server->requests() : QList<SourceRequest>();
    const bool fetched = m_server && m_server->hasServed();
    if (m_server) {
        m_server->close();
        m_server->deleteLater();
        m_server = nullptr;
    }

    Evidence e = httpEvidence(http);
    e.kind = QStringLiteral("docserver");
    e.id = QStringLiteral("probe.docserver.convert");
    e.facts.insert(QStringLiteral("check"), QStringLiteral("convert"));
    e.facts.insert(QStringLiteral("served_url"), m_servedUrl);
    e.facts.insert(QStringLiteral("jwt_sent"), m_jwtSent);
    e.facts.insert(QStringLiteral("fetched"), fetched);
    e.facts.insert(QStringLiteral("fetch_count"), requests.size());
    e.facts.insert(QStringLiteral("fetch_ms"), msFact(m_fetchMs));
    const SourceRequest first = requests.value(0);
    e.facts.insert(QStringLiteral("fetch_peer"), requests.isEmpty() ? QVariant() : QVariant(first.peer));
    e.facts.insert(QStringLiteral("fetch_user_agent"), requests.isEmpty() ? QVariant() : QVariant(first.userAgent));
    qint64 servedBytes = 0;
    for (const SourceRequest &request : requests)
        servedBytes += request.bytes;
    e.facts.insert(QStringLiteral("served_bytes"), servedBytes);
    e.facts.insert(QStringLiteral("api_path"), http.request.url.path());

    const bool answered = http.outcome == ProbeOutcome::Ok;
    const QJsonObject reply = QJsonDocument::fromJson(http.body).object();
    QVariant code;
    if (reply.value(QStringLiteral("endConvert")).toBool())
        code = 0;
    else if (reply.value(QStringLiteral("error")).isDouble())
        code = reply.value(QStringLiteral("error")).toInt();
    const QString fileUrl = reply.value(QStringLiteral("fileUrl")).toString();
    e.facts.insert(QStringLiteral("convert_error"), code);
    e.facts.insert(QStringLiteral("convert_error_name"),
                   code.isValid() ? QVariant(convertErrorName(code.toInt())) : QVariant());
    e.facts.insert(QStringLiteral("file_url"), fileUrl.isEmpty() ? QVariant() : QVariant(redactJwts(fileUrl)));

    QStringList notes;
    const QString fetchText =
        fetched ? QStringLiteral("DS fetched the file from %1 after %2").arg(first.peer, formatMs(m_fetchMs))
        : requests.isEmpty() ? QStringLiteral("DS never requested the file")
                             : QStringLiteral("DS asked for something else (%1 %2 -> %3)")
                                   .arg(first.method, first.path)
                                   .arg(first.status);
    QString answer;
    if (!answered || http.status >= 400 || !code.isValid()) {
        e.health = answered && http.status < 500 && http.status != 0 ? Health::Degraded : Health::Failed;
        answer = http.status != 0 ? QStringLiteral("%1 %2").arg(http.status).arg(QString::fromUtf8(http.reason))
                                  : probeOutcomeName(http.outcome);
        if (answered && !code.isValid())
            notes.append(QStringLiteral("ConvertService did not answer with DS's JSON (endConvert or error)"));
    } else if (code.toInt() == 0) {
        e.health = fetched ? Health::Ok : Health::Degraded;
        answer = QStringLiteral("converted");
        if (!fetched)
            notes.append(QStringLiteral("DS answered a result without fetching our file: a cached key or another "
                                        "server at the same URL"));
    } else {
        e.health = Health::Failed;
        answer = QStringLiteral("error %1 (%2)").arg(code.toInt()).arg(convertErrorName(code.toInt()));
        if (code.toInt() == -4 && !fetched)
            notes.append(QStringLiteral("DS could not download the source file and never reached %1: its private-IP "
                                        "filter (allowPrivateIPAddress), a firewall, routing or name resolution "
                                        "on the DS host; the converter log's 'error downloadFile' line names it")
                             .arg(m_servedUrl));
        else if (code.toInt() == -4)
            notes.append(QStringLiteral("DS reached the file server but the download failed (we answered %1)")
                             .arg(first.status));
        else if (code.toInt() == -8)
            notes.append(m_jwtSent ? QStringLiteral("invalid token: the secret or the header name (%1) differs "
                                                    "from Document Server's")
                                         .arg(QString::fromLatin1(m_spec.jwtHeader))
                                   : QStringLiteral("Document Server requires a JWT and none was sent (give the "
                                                    "secret file)"));
    }
    e.summary = QStringLiteral("ConvertService round trip%1: %2; %3")
                    .arg(m_jwtSent ? QStringLiteral(" (signed)") : QString(), answer, fetchText);
    if (!m_legacyAnswer.isEmpty())
        notes.append(QStringLiteral("/ConvertService.ashx answered %1, so the request went to %2 (Document Server "
                                    "8.2's name for it)")
                         .arg(m_legacyAnswer, http.request.url.path()));
    notes.append(QStringLiteral("served %1").arg(m_servedUrl));
    if (!fileUrl.isEmpty())
        notes.append(QStringLiteral("fileUrl %1").arg(redactJwts(fileUrl)));
    notes.append(QStringLiteral("timings since the POST: DS fetched the file %1, answer %2")
                     .arg(formatMs(m_fetchMs), formatMs(http.timings.total)));
    e.detail = notes.join(QLatin1Char('\n')) + QLatin1Char('\n') + e.detail;
    for (const char *fact : {"result_outcome", "result_status", "result_bytes", "result_ms", "result_cause"})
        e.facts.insert(QLatin1String(fact), QVariant());
    const QUrl resultUrl(fileUrl, QUrl::StrictMode);
    if (code.isValid() && code.toInt() == 0 && resultUrl.isValid() &&
        (resultUrl.scheme() == QLatin1String("http") || resultUrl.scheme() == QLatin1String("https"))) {
        m_evidence = e;
        return fetchResult(resultUrl);
    }
    Q_EMIT finished(e);
}

void ConvertRoundTrip::fetchResult(const QUrl &fileUrl)
{
    HttpRequestSpec request;
    request.url = fileUrl;
    request.connectTimeoutMs = m_spec.connectTimeoutMs;
    request.timeoutMs = m_spec.timeoutMs;
    request.ignoreTlsErrors = m_spec.ignoreTlsErrors;
    // Only the size counts: the body is read to its end and dropped.
    request.maxBodyBytes = 1024;
    m_resultProbe = new HttpProbe(this);
    connect(m_resultProbe, &HttpProbe::finished, this, &ConvertRoundTrip::onResultFetched);
    m_resultProbe->start(request);
}

void ConvertRoundTrip::onResultFetched(const HttpProbeResult &http)
{
    if (m_resultProbe) {
        m_resultProbe->deleteLater();
        m_resultProbe = nullptr;
    }
    Evidence e = std::exchange(m_evidence, Evidence());
    const bool answered = http.outcome == ProbeOutcome::Ok;
    e.facts.insert(QStringLiteral("result_outcome"), probeOutcomeName(http.outcome));
    e.facts.insert(QStringLiteral("result_status"), http.status != 0 ? QVariant(http.status) : QVariant());
    e.facts.insert(QStringLiteral("result_bytes"), answered ? QVariant(http.bodyBytes) : QVariant());
    e.facts.insert(QStringLiteral("result_ms"), msFact(http.timings.total));
    QString cause;
    QString note;
    QString answer;
    if (!answered) {
        cause = QStringLiteral("ds-result-url-unreachable-from-storage");
        answer = probeOutcomeName(http.outcome);
        note = QStringLiteral("the converted file's URL does not answer from here (%1): DS builds it from the Host "
                              "and X-Forwarded-* headers its request came with, so a proxy that drops the port or "
                              "the scheme, or a name only DS resolves, sends the storage nowhere")
                   .arg(http.error);
    } else {
        answer = QStringLiteral("%1, %2 bytes").arg(http.status).arg(http.bodyBytes);
        if (http.status == 403 || http.status == 410) {
            cause = QStringLiteral("secure-link-mismatch");
            note = http.status == 403 ? QStringLiteral("403 on the signed /cache/files link: DS's nginx checks it "
                                                       "with another secret than docservice signs it with "
                                                       "($secure_link_secret vs storage.fs.secretString)")
                                      : QStringLiteral("410 on the signed /cache/files link: expired at once, DS's "
                                                       "clock or storage.fs.urlExpires is off");
        } else if (http.status >= 400) {
            note = QStringLiteral("the converted file's URL answered %1: it does not reach DS's nginx, which serves "
                                  "/cache/files (a proxy without that location, or docservice's own port)")
                       .arg(http.status);
        }
    }
    e.facts.insert(QStringLiteral("result_cause"), cause.isEmpty() ? QVariant() : QVariant(cause));
    if (!answered || http.status >= 400)
        e.health = cause.isEmpty() ? std::max(e.health, Health::Degraded) : Health::Failed;
    e.summary += QStringLiteral("; result GET %1 in %2").arg(answer, formatMs(http.timings.total));
    if (!note.isEmpty())
        e.detail = note + QLatin1Char('\n') + e.detail;
    Q_EMIT finished(e);
}

void ConvertRoundTrip::abort()
{
    if (m_resultProbe) {
        disconnect(m_resultProbe, nullptr, this, nullptr);
        m_resultProbe->deleteLater();
        m_resultProbe = nullptr;
    }
    if (m_probe) {
        disconnect(m_probe, nullptr, this, nullptr);
        m_probe->deleteLater();
        m_probe = nullptr;
    }
    if (m_server) {
        m_server->close();
        m_server->deleteLater();
        m_server = nullptr;
    }
}

} // namespace dd
