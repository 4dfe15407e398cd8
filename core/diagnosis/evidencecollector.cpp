#include "evidencecollector.h"
#include "evidencecollector_p.h"

#include "configreality.h"
#include "dsrequests.h"
#include "model/topology.h"
#include "probe/docsapi.h"
#include "probe/httpprobe.h"
#include "probe/probeevidence.h"
#include "probe/sourcefileserver.h"
#include "probe/tcpprobe.h"
#include "servicechecks.h"
#include "startupwatch.h"
#include "util/hostport.h"
#include "util/redact.h"
#include "util/secretfile.h"

#include <QFile>
#include <QHash>
#include <QTimer>

namespace dd {

namespace {

// Polls that reuse one socket.io session: with two backends round-robin, one of them misses it.
constexpr int kSessionPolls = 4;
// A keychain that does not answer by then (a locked keyring waiting for its prompt) is an error.
constexpr int kKeychainTimeoutMs = 10000;

QVariantMap prefixed(const QVariantMap &facts, const QString &subject)
{
    QVariantMap out;
    for (auto it = facts.cbegin(); it != facts.cend(); ++it)
        out.insert(subject + QLatin1Char('.') + it.key(), it.value());
    return out;
}

} // namespace

EvidenceCollector::EvidenceCollector(const Profile &profile, QObject *parent) : QObject(parent), m_profile(profile)
{
    m_frontPresent = profile.hasFrontProxy() && profile.proxyKind != QLatin1String("none") &&
                     profile.publicUrl != profile.docserverUrl;
    m_entry = m_frontPresent ? QStringLiteral("proxy") : QStringLiteral("browser");
}

QVariantMap EvidenceCollector::facts() const
{
    QVariantMap out;
    for (const Evidence &e : m_evidence) {
        for (auto it = e.facts.cbegin(); it != e.facts.cend(); ++it)
            out.insert(it.key(), it.value());
    }
    return out;
}

void EvidenceCollector::start()
{
    m_started = QDateTime::currentDateTimeUtc();
    // The configuration first: where it says the proxy sends Document Server's requests (and
    // where DS's nginx sends docservice's) fills addresses the profile leaves out.
    readConfig();
    const QList<ConfiguredEndpoint> services = collector::configuredServices(m_profile.dsConfig);
    for (const ConfiguredEndpoint &e : services)
        add(collector::configuredServiceEvidence(e));
    Evidence shape;
    shape.id = QStringLiteral("profile.shape");
    shape.source = EvidenceSource::Config;
    shape.kind = QStringLiteral("profile");
    shape.summary = m_frontPresent             ? QStringLiteral("a front proxy stands before Document Server")
                    : m_profile.hasDocserver() ? QStringLiteral("the public address is Document Server's own nginx")
                                               : QStringLiteral("no address to probe: diagnosing from recorded "
                                                                "evidence (logs, captures, configuration)");
    shape.facts.insert(QStringLiteral("front.present"), m_frontPresent);
    shape.facts.insert(QStringLiteral("jwt.secret_given"), false);
    add(shape);
    if (!m_profile.jwtSecretKeychain.isEmpty() && m_profile.jwtSecretFile.isEmpty()) {
        // The keychain answers asynchronously (a D-Bus round trip, maybe an unlock prompt).
        readKeychainSecret(m_profile.jwtSecretKeychain, kKeychainTimeoutMs, this,
                           [this](const QByteArray &secret, const QString &error) {
                               addSecretEvidence(
                                   secret, error,
                                   QStringLiteral("keychain entry '%1'").arg(m_profile.jwtSecretKeychain));
                               startProbes(secret);
                           });
        return;
    }
    QByteArray secret;
    if (!m_profile.jwtSecretFile.isEmpty()) {
        QString error;
        readSecretFile(m_profile.jwtSecretFile, &secret, &error);
        addSecretEvidence(secret, error, m_profile.jwtSecretFile);
    }
    startProbes(secret);
}

void EvidenceCollector::addSecretEvidence(const QByteArray &secret, const QString &error, const QString &from)
{
    Evidence jwt;
    jwt.id = QStringLiteral("profile.jwt");
    jwt.source = EvidenceSource::Config;
    jwt.kind = QStringLiteral("secret");
    if (error.isEmpty()) {
        jwt.summary = QStringLiteral("the integrator's JWT secret (%1 characters) from %2, header %3")
                          .arg(secret.size())
                          .arg(from, m_profile.jwtHeader);
    } else {
        jwt.health = Health::Failed;
        jwt.summary = error;
    }
    jwt.facts.insert(QStringLiteral("jwt.secret_given"), !secret.isEmpty());
    add(jwt);
}

void EvidenceCollector::startProbes(const QByteArray &secret)
{
    if (m_cancelled) {
        Q_EMIT collectionFinished();
        return;
    }
    const QUrl docserver = m_profile.hasDocserver() ? m_profile.docserverUrl
                           : m_frontPresent         ? QUrl()
                                                    : m_profile.publicUrl;
    // Count every probe before starting any, so that one finishing synchronously cannot
    // end the collection early.
    const QUrl entryUrl = m_frontPresent ? m_profile.publicUrl : docserver;
    const bool hasEntry = entryUrl.isValid() && !entryUrl.isEmpty();
    QUrl documentUrl = m_profile.documentUrl;
    if ((!documentUrl.isValid() || documentUrl.isEmpty()) && !m_profile.serveOn.isEmpty() && hasEntry)
        documentUrl = serveTestDocument();
    const bool hasDocument = documentUrl.isValid() && !documentUrl.isEmpty();
    const bool hasCallback = m_profile.callbackUrl.isValid() && !m_profile.callbackUrl.isEmpty();
    m_pending = int(m_profile.captures.size()) + (hasCallback ? (secret.isEmpty() ? 1 : 2) : 0) +
                (m_frontPresent ? 1 : 0) + (docserver.isValid() && !docserver.isEmpty() ? 2 : 0) +
                (m_profile.hasDocservice() ? 1 : 0) + (hasEntry ? 8 : 0) + (hasEntry && hasDocument ? 1 : 0);
    if (m_frontPresent)
        startHttp(QStringLiteral("public"), healthcheckUrl(m_profile.publicUrl), QStringLiteral("proxy"),
                  Topology::linkId(QStringLiteral("browser"), QStringLiteral("proxy")));
    if (hasEntry) {
        // What the browser needs beyond /healthcheck: the co-editing socket (upgraded through
        // every proxy) and api.js, whose headers show a proxy that forbids framing the editor.
        startHttp(QStringLiteral("ws"), coeditingSocketUrl(entryUrl), QString(), QString(),
                  {{QByteArrayLiteral("Connection"), QByteArrayLiteral("Upgrade")},
                   {QByteArrayLiteral("Upgrade"), QByteArrayLiteral("websocket")},
                   {QByteArrayLiteral("Sec-WebSocket-Version"), QByteArrayLiteral("13")},
                   {QByteArrayLiteral("Sec-WebSocket-Key"), QByteArrayLiteral("ZG9jc2VydmVyLWRvY3Rvcg==")}});
        startHttp(QStringLiteral("poll"), coeditingPollingUrl(entryUrl), QString(), QString());
        startHttp(QStringLiteral("apijs"), urlUnder(entryUrl, QStringLiteral("web-apps/apps/api/documents/api.js")),
                  QString(), QString());
        startRequest(QStringLiteral("root"), servicechecks::rootRequest(entryUrl), QString(), QString());
        startHttp(QStringLiteral("example"), urlUnder(entryUrl, QStringLiteral("example/")), QString(), QString());
        // 50 MB: above nginx's default 1 MB, below Document Server's own 100 MB limit.
        startRequest(QStringLiteral("bodylimit"), servicechecks::bodyLimitRequest(entryUrl, 50 * 1024 * 1024),
                     QString(), QString());
        // As the integrator calls it: the token in its header, then in the body. Which of the two
        // DS accepts tells a wrong secret from a wrong header name.
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        startRequest(QStringLiteral("command_header"),
                     servicechecks::commandRequest(entryUrl, secret, m_profile.jwtHeader, TokenPlacement::Header, now),
                     QString(), QString());
        // The other header name DS and integrators use: accepted there means the secret is right
        // and the header name is not.
        const QString otherHeader =
            m_profile.jwtHeader.compare(QLatin1String("Authorization"), Qt::CaseInsensitive) == 0
                ? QStringLiteral("AuthorizationJwt")
                : QStringLiteral("Authorization");
        // Both checks make DS log token errors of its own ("jwt must be provided", "invalid
        // signature"): those lines answer this run's requests, not the incident.
        m_provokedCauses = {QStringLiteral("jwt-missing-in-config"), QStringLiteral("jwt-secret-mismatch"),
                            QStringLiteral("jwt-header-mismatch")};
        startRequest(QStringLiteral("command_alt"),
                     servicechecks::commandRequest(entryUrl, secret, otherHeader, TokenPlacement::Header, now),
                     QString(), QString());
        if (hasDocument) {
            HttpRequestSpec convert =
                servicechecks::convertRequest(entryUrl, documentUrl, secret, m_profile.jwtHeader, now);
            startRequest(QStringLiteral("convert"), convert, QString(),
                         Topology::linkId(QStringLiteral("converter"), QStringLiteral("integrator")));
        }
    }
    for (qsizetype i = 0; i < m_profile.captures.size(); ++i)
        readCapture(m_profile.captures.at(i), i);
    if (hasCallback) {
        // docservice → the integrator's callback handler, as docservice posts it: small, and (with
        // JWT) with the header token of a document 120 editors touched, about 12 KB.
        const QString link = Topology::linkId(QStringLiteral("converter"), QStringLiteral("integrator"));
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        startRequest(QStringLiteral("callback"),
                     servicechecks::callbackRequest(m_profile.callbackUrl, secret, m_profile.jwtHeader, 1, now),
                     QStringLiteral("integrator"), link);
        if (!secret.isEmpty())
            startRequest(QStringLiteral("callback_large"),
                         servicechecks::callbackRequest(m_profile.callbackUrl, secret, m_profile.jwtHeader, 120, now),
                         QStringLiteral("integrator"), link);
    }
    if (docserver.isValid() && !docserver.isEmpty()) {
        const QString link = Topology::linkId(m_entry, QStringLiteral("dsnginx"));
        startHttp(QStringLiteral("docserver"), healthcheckUrl(docserver), QStringLiteral("dsnginx"), link);
        startTcp(QStringLiteral("dsnginx"), docserver.host(),
                 quint16(docserver.port(docserver.scheme() == QLatin1String("https") ? 443 : 80)), QString(), link);
    }
    if (m_profile.hasDocservice())
        startTcp(QStringLiteral("docservice"), m_profile.docserviceHost, m_profile.docservicePort,
                 QStringLiteral("docservice"),
                 Topology::linkId(QStringLiteral("dsnginx"), QStringLiteral("docservice")));
    if (m_pending == 0) {
        // Nothing else to probe: straight to docservice's services (or the logs).
        m_pending = 1;
        QTimer::singleShot(0, this, &EvidenceCollector::probeDone);
    }
}

void EvidenceCollector::cancel()
{
    m_cancelled = true;
    const auto http = findChildren<HttpProbe *>();
    for (HttpProbe *p : http)
        p->cancel();
    const auto tcp = findChildren<TcpProbe *>();
    for (TcpProbe *p : tcp)
        p->cancel();
}

void EvidenceCollector::startHttp(const QString &subject, const QUrl &url, const QString &node, const QString &link,
                                  const QList<QPair<QByteArray, QByteArray>> &headers)
{
    HttpRequestSpec spec;
    spec.url = url;
    spec.headers = headers;
    startRequest(subject, spec, node, link);
}

void EvidenceCollector::startRequest(const QString &subject, HttpRequestSpec spec, const QString &node,
                                     const QString &link)
{
    auto *probe = new HttpProbe(this);
    spec.connectTimeoutMs = m_profile.connectTimeoutMs;
    spec.caFile = m_profile.tlsCaFile;
    if (spec.timeoutMs == HttpRequestSpec().timeoutMs)
        spec.timeoutMs = m_profile.requestTimeoutMs;
    connect(probe, &HttpProbe::finished, this, [this, probe, subject, node, link](const HttpProbeResult &r) {
        if (r.status == 404 && (subject.startsWith(QLatin1String("command")) || subject == QLatin1String("convert"))) {
            // Not routed under its pre-8.2 name here: the same request to the current one.
            const QUrl current = docsApiCurrentUrl(r.request.url);
            if (current.isValid()) {
                HttpRequestSpec next = r.request;
                next.url = current;
                probe->deleteLater();
                startRequest(subject, next, node, link);
                return;
            }
        }
        Evidence e = httpEvidence(r);
        e.id = QStringLiteral("probe.http.") + subject;
        e.node = r.outcome == ProbeOutcome::Ok ? node : QString();
        e.link = link;
        const bool answered = r.outcome == ProbeOutcome::Ok;
        QVariantMap facts = r.facts();
        QStringList storageNotes;
        if (subject == QLatin1String("convert") && m_testDocument)
            facts.insert(testDocumentFacts(&storageNotes));
        if (answered) {
            facts.insert(httpAnswerFacts(r.status, r.body, r.header(QByteArrayLiteral("X-Frame-Options")),
                                         r.header(QByteArrayLiteral("Content-Security-Policy"))));
            facts.insert(servicechecks::commandFacts(r));
            if (subject == QLatin1String("convert"))
                facts.insert(servicechecks::convertFacts(r));
            facts.insert(servicechecks::redirectFacts(r, m_frontPresent ? m_profile.publicUrl : r.request.url));
        }
        if (subject.startsWith(QLatin1String("callback")))
            facts.insert(servicechecks::callbackFacts(r));
        e.health = healthOf(subject, r, facts);
        if (subject == QLatin1String("convert"))
            fetchConversionResult(facts.value(QStringLiteral("file_url")).toString());
        if (subject == QLatin1String("result"))
            facts.insert(QStringLiteral("url_problem"), QStringLiteral("none"));
        if (subject == QLatin1String("poll") && answered) {
            // The session the open packet names must be known to whichever docservice the next
            // polls reach: several workers or nodes without sticky routing lose it (code 1).
            const QByteArray sid = socketioSessionId(r.body);
            if (!sid.isEmpty()) {
                m_pending += kSessionPolls;
                QUrl next = r.request.url;
                next.setQuery(QStringLiteral("EIO=4&transport=polling&sid=") + QString::fromLatin1(sid));
                for (int i = 1; i <= kSessionPolls; ++i)
                    startHttp(QStringLiteral("poll%1").arg(i), next, QString(), QString());
            }
        }
        const bool sessionLost = subject.startsWith(QLatin1String("poll")) && subject != QLatin1String("poll") &&
                                 r.status == 400 && facts.value(QStringLiteral("sio_code")).toInt() == 1;
        e.facts = prefixed(facts, subject);
        // The request as the logs and packets it causes name it (a correlation key).
        e.facts.insert(QStringLiteral("keys.path"), r.request.url.path());
        if (sessionLost)
            e.facts.insert(QStringLiteral("poll.session_unknown"), true);
        if (!storageNotes.isEmpty())
            e.detail = storageNotes.join(QLatin1Char('\n')) + QLatin1Char('\n') + e.detail;
        add(e);
        probe->deleteLater();
        probeDone();
    });
    probe->start(spec);
}

QUrl EvidenceCollector::serveTestDocument()
{
    // The profile has no document of the integrator's: this machine stands in for the storage.
    HostPort listen;
    QString error;
    QString served;
    if (parseListenAddress(m_profile.serveOn, &listen, &error)) {
        m_testDocument = new SourceFileServer(this);
        served = m_testDocument->serveTestDocument(listen.host, listen.port, QUrl(m_profile.serveUrl), &error);
    }
    if (served.isEmpty()) {
        Evidence e;
        e.id = QStringLiteral("check.serve_on");
        e.source = EvidenceSource::Probe;
        e.kind = QStringLiteral("url");
        e.time = QDateTime::currentDateTimeUtc();
        e.health = Health::Failed;
        e.summary = QStringLiteral("integrator.serveOn %1: the conversion test document cannot be served: %2")
                        .arg(m_profile.serveOn, error);
        add(e);
        return QUrl();
    }
    return QUrl(served);
}

QVariantMap EvidenceCollector::testDocumentFacts(QStringList *notes)
{
    // What the stand-in storage saw: whether Document Server came for the file, and from where.
    const QList<SourceRequest> requests = m_testDocument->requests();
    const bool fetched = m_testDocument->hasServed();
    QVariantMap facts{
        {QStringLiteral("served_url"), m_testDocument->servedUrl()},
        {QStringLiteral("fetched"), fetched},
        {QStringLiteral("fetch_count"), requests.size()},
        {QStringLiteral("fetch_peer"), requests.isEmpty() ? QVariant() : QVariant(requests.first().peer)}};
    notes->append(fetched ? QStringLiteral("Document Server fetched the test document from %1 (%2)")
                                .arg(m_testDocument->servedUrl(), requests.first().peer)
                          : QStringLiteral("Document Server never requested the test document at %1")
                                .arg(m_testDocument->servedUrl()));
    m_testDocument->close();
    m_testDocument->deleteLater();
    m_testDocument = nullptr;
    return facts;
}

void EvidenceCollector::fetchConversionResult(const QString &fileUrl)
{
    if (fileUrl.isEmpty())
        return;
    const QUrl base = m_frontPresent ? m_profile.publicUrl : m_profile.docserverUrl;
    const QString problem = servicechecks::generatedUrlProblem(fileUrl.toUtf8(), base);
    const QUrl url(fileUrl, QUrl::TolerantMode);
    if (problem != QLatin1String("none") || !url.isValid()) {
        // Built for another address than the one the integrator uses: not fetched (DS could
        // name any host), the difference is the evidence.
        Evidence e;
        e.id = QStringLiteral("check.result_url");
        e.source = EvidenceSource::Probe;
        e.kind = QStringLiteral("url");
        e.time = QDateTime::currentDateTimeUtc();
        e.link = Topology::linkId(m_entry, QStringLiteral("dsnginx"));
        e.health = Health::Failed;
        e.summary = QStringLiteral("Document Server's result URL %1 does not match %2 (%3 differs)")
                        .arg(redactSecrets(fileUrl), base.toString(), problem);
        e.excerpt = redactSecrets(fileUrl);
        e.facts.insert(QStringLiteral("result.url_problem"), problem);
        add(e);
        return;
    }
    // The result link DS signed (/cache/files/...?md5=&expires=) must open where the integrator
    // fetches it: a secure-link mismatch answers 403. It names the profile's own address here.
    ++m_pending;
    HttpRequestSpec spec;
    spec.url = url;
    startRequest(QStringLiteral("result"), spec, QString(), QString());
}

Health EvidenceCollector::healthOf(const QString &subject, const HttpProbeResult &r, const QVariantMap &facts)
{
    // Any complete HTTP answer proves the hop works; a 5xx names a failure further on. The
    // other checks have their own idea of a good answer.
    if (subject.startsWith(QLatin1String("callback")))
        return facts.value(QStringLiteral("problem")).toString() == QLatin1String("none") ? Health::Ok : Health::Failed;
    if (r.outcome != ProbeOutcome::Ok)
        return subject == QLatin1String("bodylimit") && r.outcome == ProbeOutcome::TimedOut ? Health::Ok
                                                                                            : Health::Failed;
    if (subject == QLatin1String("ws"))
        return r.status == 101 ? Health::Ok : Health::Degraded;
    if (subject == QLatin1String("apijs")) {
        if (r.status >= 500)
            return Health::Failed;
        return r.status == 200 && !facts.value(QStringLiteral("frame_blocked")).toBool() ? Health::Ok
                                                                                         : Health::Degraded;
    }
    if (subject.startsWith(QLatin1String("command")))
        return facts.value(QStringLiteral("command_error"), -1).toInt() == 0 ? Health::Ok : Health::Degraded;
    if (subject == QLatin1String("root"))
        return facts.value(QStringLiteral("redirect_problem"), QStringLiteral("none")).toString() ==
                       QLatin1String("none")
                   ? Health::Ok
                   : Health::Degraded;
    if (subject == QLatin1String("convert"))
        return facts.value(QStringLiteral("convert_error"), -1).toInt() == 0 ? Health::Ok : Health::Failed;
    if (subject == QLatin1String("result"))
        return r.status == 200 ? Health::Ok : Health::Failed;
    if (subject == QLatin1String("bodylimit"))
        return r.status == 413 ? Health::Degraded : Health::Ok;
    if (subject == QLatin1String("example"))
        return r.status >= 500 ? Health::Degraded : Health::Ok;
    return Health::Ok;
}

void EvidenceCollector::startTcp(const QString &subject, const QString &host, quint16 port, const QString &node,
                                 const QString &link)
{
    auto *probe = new TcpProbe(this);
    connect(probe, &TcpProbe::finished, this, [this, probe, subject, node, link, host, port](const TcpProbeResult &r) {
        Evidence e = tcpEvidence(r);
        e.id = QStringLiteral("probe.tcp.") + subject;
        e.node = node;
        e.link = link;
        e.health = r.outcome == ProbeOutcome::Ok ? Health::Ok : Health::Failed;
        // Document Server's /healthcheck is true only when docservice reaches its database, Redis
        // and RabbitMQ: an address it names that this host cannot reach is on another network
        // (a container's localhost), not down.
        const QVariantMap known = facts();
        const bool reachedByDocservice =
            e.link.startsWith(QLatin1String("docservice->")) &&
            (known.value(QStringLiteral("docserver.body")).toString() == QLatin1String("true") ||
             known.value(QStringLiteral("public.body")).toString() == QLatin1String("true"));
        if (reachedByDocservice && e.health == Health::Failed) {
            e.health = Health::Unknown;
            e.detail = QStringLiteral("Document Server's /healthcheck is true, so docservice reaches it from where it "
                                      "runs; this host does not");
        }
        QVariantMap facts = prefixed(r.facts(), subject);
        facts.insert(subject + QLatin1String(".tcp"), probeOutcomeName(r.outcome));
        facts.insert(QStringLiteral("keys.upstream"), formatHostPort(host, port));
        e.facts = facts;
        add(e);
        const QString configured = QStringLiteral("config.address.") +
                                   (subject == QLatin1String("dsnginx") ? QStringLiteral("docserver") : subject);
        for (const Evidence &c : std::as_const(m_evidence)) {
            if (c.id != configured)
                continue;
            if (std::optional<Evidence> reality =
                    collector::configVersusReality(c, r, subject, link, reachedByDocservice))
                add(*reality);
            break;
        }
        probe->deleteLater();
        probeDone();
    });
    probe->start(host, port, m_profile.connectTimeoutMs);
}

void EvidenceCollector::add(Evidence evidence)
{
    if (!evidence.time.isValid())
        evidence.time = QDateTime::currentDateTimeUtc();
    m_evidence.append(evidence);
    Q_EMIT evidenceAvailable(evidence);
}

void EvidenceCollector::probeDone()
{
    if (--m_pending > 0)
        return;
    // docservice's database, Redis and RabbitMQ as Document Server's configuration names them,
    // last: by then its own /healthcheck has said whether docservice reaches them.
    QList<ConfiguredEndpoint> services = collector::configuredServices(m_profile.dsConfig);
    services.removeIf([this](const ConfiguredEndpoint &e) {
        return std::any_of(m_evidence.cbegin(), m_evidence.cend(),
                           [&](const Evidence &x) { return x.id == QLatin1String("probe.tcp.") + e.role; });
    });
    if (!m_cancelled && !services.isEmpty()) {
        m_pending = int(services.size());
        for (const ConfiguredEndpoint &e : std::as_const(services))
            startTcp(e.role, e.host, e.port, e.role, Topology::linkId(QStringLiteral("docservice"), e.role));
        return;
    }
    nameTheFailingDependency();
    // Queued: the probe that just finished is still on the stack.
    QTimer::singleShot(0, this, &EvidenceCollector::readLogs);
}

void EvidenceCollector::nameTheFailingDependency()
{
    // A dependency docservice's configuration names that accepts no connections explains a
    // docservice that never listens or a false /healthcheck when the log cannot be read: the
    // first in the order docservice checks them at start-up is the one it waits on.
    static const QList<QPair<QString, QString>> order{
        {QStringLiteral("rabbitmq"), QStringLiteral("rabbitmq-unreachable")},
        {QStringLiteral("database"), QStringLiteral("docservice-db-unreachable")},
        {QStringLiteral("redis"), QStringLiteral("redis-unreachable")}};
    for (const auto &[role, cause] : order) {
        const QString id = QStringLiteral("config.reality.") + role;
        for (Evidence &e : m_evidence) {
            if (e.id == id && e.facts.value(id).toString() == QLatin1String("not-listening")) {
                e.facts.insert(QStringLiteral("config.reality.cause"), cause);
                return;
            }
        }
    }
}

void EvidenceCollector::watchStartupOrFinish()
{
    // docservice refuses and Document Server's log names nothing that keeps it down: it may be
    // starting. Watch it for a while, as an admin would poll /healthcheck.
    const QVariantMap known = facts();
    static const QStringList blocking = {
        QStringLiteral("rabbitmq-unreachable"),      QStringLiteral("rabbitmq-41-frame-max"),
        QStringLiteral("docservice-db-unreachable"), QStringLiteral("db-schema-mismatch"),
        QStringLiteral("redis-unreachable"),         QStringLiteral("port-8000-conflict")};
    const bool refusing = m_profile.hasDocservice()
                              ? known.value(QStringLiteral("docservice.tcp")).toString() == QLatin1String("refused")
                              : known.value(QStringLiteral("docserver.status")).toInt() == 502;
    const QUrl docserver = m_profile.hasDocserver() ? m_profile.docserverUrl : m_profile.publicUrl;
    // A configured dependency that accepts no connections already explains it (see the tree's
    // configured-dependency node): watching would only wait for a start that cannot happen.
    if (m_cancelled || m_profile.startupWatchMs <= 0 || !refusing || !docserver.isValid() ||
        blocking.contains(known.value(QStringLiteral("log.docservice.cause")).toString()) ||
        known.contains(QStringLiteral("config.reality.cause"))) {
        Q_EMIT collectionFinished();
        return;
    }
    auto *watch = new StartupWatch(this);
    connect(watch, &StartupWatch::finished, this, [this, watch](const StartupWatchResult &r) {
        watch->deleteLater();
        Evidence e;
        e.id = QStringLiteral("probe.startup");
        e.source = EvidenceSource::Probe;
        e.kind = QStringLiteral("startup-watch");
        e.time = QDateTime::currentDateTimeUtc();
        e.node = QStringLiteral("docservice");
        e.link = Topology::linkId(QStringLiteral("dsnginx"), QStringLiteral("docservice"));
        e.health = r.healthy ? Health::Ok : Health::Failed;
        if (r.healthy) {
            e.summary = QStringLiteral("/healthcheck turned true %1 s into a %2 s watch")
                            .arg(double(r.healthyAfterMs) / 1000.0, 0, 'f', 1)
                            .arg(m_profile.startupWatchMs / 1000);
        } else {
            e.summary = QStringLiteral("/healthcheck did not turn true within %1 s (%2 rounds)")
                            .arg(m_profile.startupWatchMs / 1000)
                            .arg(r.rounds);
        }
        if (r.docserviceUpAfterMs >= 0)
            e.detail = QStringLiteral("docservice accepted TCP connections %1 s into the watch")
                           .arg(double(r.docserviceUpAfterMs) / 1000.0, 0, 'f', 1);
        e.facts.insert(QStringLiteral("startup.recovered"), r.healthy);
        if (r.healthy)
            e.facts.insert(QStringLiteral("startup.healthy_after_ms"), r.healthyAfterMs);
        if (r.docserviceUpAfterMs >= 0)
            e.facts.insert(QStringLiteral("startup.docservice_up_after_ms"), r.docserviceUpAfterMs);
        if (r.healthy && r.docserviceUpAfterMs >= 0)
            e.facts.insert(QStringLiteral("startup.lag_ms"), r.healthyAfterMs - r.docserviceUpAfterMs);
        add(e);
        Q_EMIT collectionFinished();
    });
    watch->start(healthcheckUrl(docserver), m_profile.docserviceHost, m_profile.docservicePort,
                 m_profile.startupWatchMs, 500, qMin(m_profile.connectTimeoutMs, 2000));
}

} // namespace dd
