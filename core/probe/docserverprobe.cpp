#include "docserverprobe.h"

#include "convertroundtrip.h"
#include "docsapi.h"
#include "httpprobe.h"
#include "probeevidence.h"
#include "util/jwt.h"
#include "util/redact.h"
#include "util/secretfile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTimeZone>

#include <utility>

namespace dd {

namespace {

const QStringList checkOrder = {QStringLiteral("healthcheck"), QStringLiteral("welcome"), QStringLiteral("apijs"),
                                QStringLiteral("info"),        QStringLiteral("command"), QStringLiteral("convert")};

// RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
QDateTime parseHttpDate(const QByteArray &value)
{
    QDateTime time = QLocale::c().toDateTime(QString::fromLatin1(value.trimmed()),
                                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    time.setTimeSpec(Qt::UTC);
    return time;
}

// A version string anywhere in info.json (serverInfo.buildVersion in DS 8/9).
QString findVersion(const QJsonValue &value, int depth = 0)
{
    if (depth > 4)
        return QString();
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (const char *key : {"buildVersion", "version"}) {
            const QJsonValue v = object.value(QLatin1String(key));
            if (v.isString() && !v.toString().isEmpty())
                return v.toString();
        }
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString found = findVersion(it.value(), depth + 1);
            if (!found.isEmpty())
                return found;
        }
    }
    return QString();
}

Health httpHealthOf(const HttpProbeResult &http)
{
    if (http.outcome != ProbeOutcome::Ok || http.status >= 500)
        return Health::Failed;
    if (http.status >= 400)
        return Health::Degraded;
    return Health::Ok;
}

} // namespace

DocserverProbe::DocserverProbe(QObject *parent) : ActiveProbe(parent) {}

DocserverProbe::~DocserverProbe()
{
    abort();
}

QString DocserverProbe::commandErrorName(int code)
{
    switch (code) {
    case 0:
        return QStringLiteral("ok");
    case 1:
        return QStringLiteral("document-key");
    case 2:
        return QStringLiteral("parse");
    case 3:
        return QStringLiteral("unknown-error");
    case 4:
        return QStringLiteral("not-modified");
    case 5:
        return QStringLiteral("unknown-command");
    case 6:
        return QStringLiteral("invalid-token");
    case 7:
        return QStringLiteral("token-expired");
    default:
        return QStringLiteral("code-%1").arg(code);
    }
}

QString DocserverProbe::healthcheckValue(const QByteArray &body)
{
    if (body == "true")
        return QStringLiteral("true");
    if (body == "false")
        return QStringLiteral("false");
    return QStringLiteral("other");
}

void DocserverProbe::start(const ProbeSpec &spec)
{
    beginRun(spec);
    m_evidence.clear();
    m_results.clear();
    m_legacyAnswers.clear();
    m_order.clear();
    m_secret.clear();
    m_jwtSent = false;
    if (!spec.secretKeychain.isEmpty()) {
        // The keychain answers over D-Bus: the checks start once it has, within the probe's bound.
        const quint64 run = generation();
        readKeychainSecret(spec.secretKeychain, spec.timeoutMs, this,
                           [this, run](const QByteArray &secret, const QString &error) {
                               if (run != generation() || !isRunning())
                                   return;
                               if (!error.isEmpty())
                                   return failOnSecret(error);
                               if (secret.trimmed().isEmpty())
                                   return failOnSecret(
                                       QStringLiteral("keychain entry '%1' is empty").arg(this->spec().secretKeychain));
                               m_secret = secret;
                               startChecks();
                           });
        return;
    }
    if (!spec.secretFile.isEmpty()) {
        QString error;
        if (!readSecretFile(spec.secretFile, &m_secret, &error))
            return failOnSecret(error);
    }
    startChecks();
}

void DocserverProbe::failOnSecret(const QString &error)
{
    ProbeResult result = newResult();
    result.error = error;
    finishRun(result);
}

void DocserverProbe::startChecks()
{
    startCheck(QStringLiteral("healthcheck"), QStringLiteral("/healthcheck"));
    startCheck(QStringLiteral("welcome"), QStringLiteral("/welcome/"));
    startCheck(QStringLiteral("apijs"), QStringLiteral("/web-apps/apps/api/documents/api.js"));
    startCheck(QStringLiteral("info"), QStringLiteral("/info/info.json"));

    const QJsonObject command{{QStringLiteral("c"), QStringLiteral("version")}};
    QJsonObject body = command;
    QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
    if (!m_secret.isEmpty()) {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QJsonObject headerClaims{{QStringLiteral("payload"), command}};
        QJsonObject bodyClaims = command;
        for (QJsonObject *claims : {&headerClaims, &bodyClaims}) {
            claims->insert(QStringLiteral("iat"), now);
            claims->insert(QStringLiteral("exp"), now + 300);
        }
        const QByteArray headerName = spec().jwtHeader.isEmpty() ? QByteArray("Authorization") : spec().jwtHeader;
        headers.append({headerName, "Bearer " + signHs256(headerClaims, m_secret)});
        body.insert(QStringLiteral("token"), QString::fromLatin1(signHs256(bodyClaims, m_secret)));
        m_jwtSent = true;
    }
    startCheck(QStringLiteral("command"), QStringLiteral("/coauthoring/CommandService.ashx"), "POST",
               QJsonDocument(body).toJson(QJsonDocument::Compact), headers);
    if (!spec().serveOn.isEmpty())
        startConvert();
}

void DocserverProbe::startConvert()
{
    ConvertRoundTripSpec convert;
    convert.docserver = QUrl(spec().target);
    convert.serveOn = spec().serveOn;
    convert.serveUrl = spec().serveUrl;
    convert.secret = m_secret;
    if (!spec().jwtHeader.isEmpty())
        convert.jwtHeader = spec().jwtHeader;
    convert.connectTo = spec().connectTo;
    convert.connectTimeoutMs = spec().connectTimeoutMs;
    convert.timeoutMs = spec().timeoutMs;
    convert.ignoreTlsErrors = spec().ignoreTlsErrors;
    m_convert = new ConvertRoundTrip(this);
    if (!m_order.contains(QStringLiteral("convert")))
        m_order.append(QStringLiteral("convert"));
    connect(m_convert, &ConvertRoundTrip::finished, this, [this](const Evidence &evidence) {
        if (m_convert) {
            m_convert->deleteLater();
            m_convert = nullptr;
        }
        if (!isRunning())
            return;
        m_evidence.insert(QStringLiteral("convert"), evidence);
        finishIfDone();
    });
    m_convert->start(convert);
}

void DocserverProbe::startCheck(const QString &check, const QString &path, const QByteArray &method,
                                const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    startRequest(check, docsApiUrl(QUrl(spec().target), path), method, body, headers);
}

void DocserverProbe::startRequest(const QString &check, const QUrl &url, const QByteArray &method,
                                  const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    HttpRequestSpec request;
    request.url = url;
    request.method = method;
    request.body = body;
    request.headers = headers;
    request.connectTo = spec().connectTo;
    request.connectTimeoutMs = spec().connectTimeoutMs;
    request.timeoutMs = spec().timeoutMs;
    request.ignoreTlsErrors = spec().ignoreTlsErrors;
    request.maxBodyBytes = check == QLatin1String("apijs") ? 256 * 1024 : 16 * 1024;
    auto *probe = new HttpProbe(this);
    m_running.insert(check, probe);
    if (!m_order.contains(check))
        m_order.append(check);
    connect(probe, &HttpProbe::finished, this,
            [this, check](const HttpProbeResult &http) { onCheckFinished(check, http); });
    probe->start(request);
}

void DocserverProbe::onCheckFinished(const QString &check, const HttpProbeResult &http)
{
    HttpProbe *probe = m_running.take(check);
    if (probe)
        probe->deleteLater();
    if (!isRunning())
        return;
    if (check == QLatin1String("welcome") && http.status == 404 &&
        !http.request.url.path().endsWith(QLatin1String("index.html"))) {
        startCheck(check, QStringLiteral("/index.html"));
        return;
    }
    if (check == QLatin1String("command") && http.status == 404) {
        const QUrl current = docsApiCurrentUrl(http.request.url);
        if (current.isValid()) {
            m_legacyAnswers.insert(check, QStringLiteral("%1 %2").arg(http.status).arg(QString::fromUtf8(http.reason)));
            startRequest(check, current, http.request.method, http.request.body, http.request.headers);
            return;
        }
    }
    m_results.insert(check, http);
    m_evidence.insert(check, evidenceFor(check, http));
    finishIfDone();
}

Evidence DocserverProbe::evidenceFor(const QString &check, const HttpProbeResult &http) const
{
    Evidence e = httpEvidence(http);
    e.kind = QStringLiteral("docserver");
    e.id = QStringLiteral("probe.docserver.") + check;
    e.facts.insert(QStringLiteral("check"), check);
    QStringList notes;
    const bool answered = http.outcome == ProbeOutcome::Ok;
    const QString body = QString::fromUtf8(http.body.left(200)).simplified();

    if (check == QLatin1String("healthcheck")) {
        const QString value = answered ? healthcheckValue(http.body) : QString();
        e.facts.insert(QStringLiteral("healthcheck"), answered ? QVariant(value) : QVariant());
        const QDateTime date = parseHttpDate(http.header("Date"));
        if (answered && date.isValid() && http.startedAt.isValid()) {
            // Whole seconds only: the Date header has no finer resolution.
            e.facts.insert(QStringLiteral("clock_skew_secs"), http.startedAt.secsTo(date));
        }
        if (!answered || http.status >= 500) {
            e.health = Health::Failed;
        } else if (value == QLatin1String("true")) {
            e.health = http.status == 200 ? Health::Ok : Health::Degraded;
        } else if (value == QLatin1String("false")) {
            e.health = Health::Failed;
            notes.append(QStringLiteral("healthcheck says false: docservice runs but a dependency (database, "
                                        "Redis, RabbitMQ, storage) fails; its log names which"));
        } else {
            e.health = Health::Failed;
            notes.append(QStringLiteral("healthcheck body is neither true nor false (%1 bytes): this is not "
                                        "Document Server's docservice answering")
                             .arg(http.bodyBytes));
        }
        e.summary = QStringLiteral("healthcheck: %1").arg(e.summary);
        if (answered && http.status == 200)
            e.summary += QStringLiteral(", body '%1'").arg(redactJwts(body.left(40)));
    } else if (check == QLatin1String("welcome")) {
        e.health = httpHealthOf(http);
        if (answered && http.status < 400)
            notes.append(QStringLiteral("static page served by DS's nginx: it does not prove docservice is up"));
        e.summary = QStringLiteral("welcome page: %1").arg(e.summary);
    } else if (check == QLatin1String("apijs")) {
        e.health = httpHealthOf(http);
        const bool docsApi = http.body.contains("DocsAPI");
        e.facts.insert(QStringLiteral("docsapi"), docsApi);
        if (answered && http.status == 200 && !docsApi) {
            e.health = Health::Degraded;
            notes.append(QStringLiteral("api.js answered 200 but does not define DocsAPI"));
        }
        e.summary = QStringLiteral("api.js: %1").arg(e.summary);
    } else if (check == QLatin1String("info")) {
        const bool allowed = answered && http.status == 200;
        e.facts.insert(QStringLiteral("allowed"), allowed);
        QString version;
        if (allowed)
            version = findVersion(QJsonDocument::fromJson(http.body).object());
        e.facts.insert(QStringLiteral("version"), version.isEmpty() ? QVariant() : QVariant(version));
        if (answered && (http.status == 403 || http.status == 404)) {
            // DS's nginx serves /info only to 127.0.0.1, and older versions have no info.json.
            e.health = Health::Unknown;
            notes.append(http.status == 403 ? QStringLiteral("info.json is refused from this address (DS allows it "
                                                             "from 127.0.0.1 only): not a fault")
                                            : QStringLiteral("no info.json (older Document Server)"));
        } else {
            e.health = httpHealthOf(http);
        }
        e.summary = QStringLiteral("info.json: %1").arg(e.summary);
    } else if (check == QLatin1String("command")) {
        e.facts.insert(QStringLiteral("jwt_sent"), m_jwtSent);
        e.facts.insert(QStringLiteral("jwt_header"), QString::fromLatin1(spec().jwtHeader));
        const QJsonObject reply = QJsonDocument::fromJson(http.body).object();
        const QJsonValue code = reply.value(QStringLiteral("error"));
        const QJsonValue version = reply.value(QStringLiteral("version"));
        e.facts.insert(QStringLiteral("command_error"), code.isDouble() ? QVariant(code.toInt()) : QVariant());
        e.facts.insert(QStringLiteral("command_error_name"),
                       code.isDouble() ? QVariant(commandErrorName(code.toInt())) : QVariant());
        e.facts.insert(QStringLiteral("version"), version.isString() ? QVariant(version.toString()) : QVariant());
        if (!answered || http.status >= 400 || !code.isDouble()) {
            e.health = answered && http.status < 500 && http.status != 0 ? Health::Degraded : Health::Failed;
            if (answered && !code.isDouble())
                notes.append(QStringLiteral("CommandService did not answer with DS's JSON {\"error\":N}"));
        } else if (code.toInt() == 0) {
            e.health = Health::Ok;
        } else {
            e.health = Health::Failed;
            if (code.toInt() == 6)
                notes.append(m_jwtSent ? QStringLiteral("invalid token: the secret or the header name (%1) differs "
                                                        "from Document Server's")
                                             .arg(QString::fromLatin1(spec().jwtHeader))
                                       : QStringLiteral("Document Server requires a JWT and none was sent "
                                                        "(give the secret file)"));
            else if (code.toInt() == 7)
                notes.append(QStringLiteral("token expired: Document Server's clock is ahead of ours by more than "
                                            "the token lifetime plus its tolerance"));
        }
        QString answer =
            code.isDouble()    ? QStringLiteral("error %1 (%2)").arg(code.toInt()).arg(commandErrorName(code.toInt()))
            : http.status != 0 ? QStringLiteral("%1 %2").arg(http.status).arg(QString::fromUtf8(http.reason))
                               : probeOutcomeName(http.outcome);
        if (version.isString())
            answer += QStringLiteral(", version ") + version.toString();
        e.facts.insert(QStringLiteral("api_path"), http.request.url.path());
        if (m_legacyAnswers.contains(check)) {
            const QString legacy = QStringLiteral("/coauthoring/CommandService.ashx");
            notes.append(answered && http.status != 404
                             ? QStringLiteral("%1 answered %2, %3 answered: Document Server 8.2 or later, or a proxy "
                                              "that routes only the current API names")
                                   .arg(legacy, m_legacyAnswers.value(check), http.request.url.path())
                             : QStringLiteral("neither %1 nor %2 reached CommandService (%3, then %4): the server "
                                              "at this address does not route Document Server's API")
                                   .arg(legacy, http.request.url.path(), m_legacyAnswers.value(check), answer));
        }
        e.summary = QStringLiteral("CommandService {\"c\":\"version\"}%1: %2")
                        .arg(m_jwtSent ? QStringLiteral(" (signed)") : QString(), answer);
    }
    if (!notes.isEmpty())
        e.detail = notes.join(QLatin1Char('\n')) + QLatin1Char('\n') + e.detail;
    return e;
}

void DocserverProbe::finishIfDone()
{
    if (!m_running.isEmpty() || m_convert)
        return;
    ProbeResult result = newResult();
    for (const QString &check : checkOrder) {
        if (m_evidence.contains(check))
            result.evidence.append(m_evidence.value(check));
    }
    const HttpProbeResult main = m_results.value(QStringLiteral("healthcheck"));
    result.outcome = main.outcome;
    result.error = main.error;
    result.timings.dns = main.timings.dns;
    result.timings.connect = main.timings.connect;
    result.timings.tls = main.timings.tls;
    result.timings.ttfb = main.timings.ttfb;
    result.timings.total = main.timings.total;
    finishRun(result);
}

void DocserverProbe::abort()
{
    if (ConvertRoundTrip *convert = std::exchange(m_convert, nullptr)) {
        disconnect(convert, nullptr, this, nullptr);
        convert->abort();
        convert->deleteLater();
    }
    const auto probes = m_running.values();
    m_running.clear();
    for (HttpProbe *probe : probes) {
        disconnect(probe, nullptr, this, nullptr);
        probe->deleteLater();
    }
}

} // namespace dd
