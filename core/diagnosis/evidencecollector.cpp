#include "evidencecollector.h"

#include "logs/nginxerrorlog.h"
#include "model/topology.h"
#include "probe/httpprobe.h"
#include "probe/probeevidence.h"
#include "probe/tcpprobe.h"

#include <QFile>
#include <QHash>
#include <QTimer>

namespace dd {

namespace {

// Only the end of a log is read: the lines that matter were written by the probes a moment
// ago or during the incident the user is looking at now.
constexpr qint64 kLogTailBytes = 2 * 1024 * 1024;
// Older lines describe another incident; they would outvote what happens now.
constexpr qint64 kRecentLogSeconds = 15 * 60;

QVariantMap prefixed(const QVariantMap &facts, const QString &subject)
{
    QVariantMap out;
    for (auto it = facts.cbegin(); it != facts.cend(); ++it)
        out.insert(subject + QLatin1Char('.') + it.key(), it.value());
    return out;
}

QString hostPortOf(const QUrl &url)
{
    return url.host() + QLatin1Char(':') + QString::number(url.port(url.scheme() == QLatin1String("https") ? 443 : 80));
}

} // namespace

QUrl healthcheckUrl(const QUrl &base)
{
    QUrl url = base;
    QString path = url.path();
    if (!path.endsWith(QLatin1Char('/')))
        path += QLatin1Char('/');
    url.setPath(path + QLatin1String("healthcheck"));
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

EvidenceCollector::EvidenceCollector(const Profile &profile, QObject *parent) : QObject(parent), m_profile(profile)
{
    m_frontPresent = profile.hasFrontProxy() && profile.proxyKind != QLatin1String("none") &&
                     profile.publicUrl != profile.docserverUrl;
    m_entry = m_frontPresent ? QStringLiteral("proxy") : QStringLiteral("browser");
}

QVariantMap EvidenceCollector::facts() const
{
    QVariantMap out;
    out.insert(QStringLiteral("front.present"), m_frontPresent);
    for (const Evidence &e : m_evidence) {
        for (auto it = e.facts.cbegin(); it != e.facts.cend(); ++it)
            out.insert(it.key(), it.value());
    }
    return out;
}

void EvidenceCollector::start()
{
    m_started = QDateTime::currentDateTimeUtc();
    const QUrl docserver = m_profile.hasDocserver() ? m_profile.docserverUrl
                           : m_frontPresent         ? QUrl()
                                                    : m_profile.publicUrl;
    // Count every probe before starting any, so that one finishing synchronously cannot
    // end the collection early.
    m_pending = (m_frontPresent ? 1 : 0) + (docserver.isValid() && !docserver.isEmpty() ? 2 : 0) +
                (m_profile.hasDocservice() ? 1 : 0);
    if (m_frontPresent)
        startHttp(QStringLiteral("public"), healthcheckUrl(m_profile.publicUrl), QStringLiteral("proxy"),
                  Topology::linkId(QStringLiteral("browser"), QStringLiteral("proxy")));
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
    if (m_pending == 0)
        QTimer::singleShot(0, this, &EvidenceCollector::readLogs);
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

void EvidenceCollector::startHttp(const QString &subject, const QUrl &url, const QString &node, const QString &link)
{
    auto *probe = new HttpProbe(this);
    HttpRequestSpec spec;
    spec.url = url;
    spec.connectTimeoutMs = m_profile.connectTimeoutMs;
    spec.timeoutMs = m_profile.requestTimeoutMs;
    connect(probe, &HttpProbe::finished, this, [this, probe, subject, node, link](const HttpProbeResult &r) {
        Evidence e = httpEvidence(r);
        e.id = QStringLiteral("probe.http.") + subject;
        e.node = r.outcome == ProbeOutcome::Ok ? node : QString();
        e.link = link;
        // Any complete HTTP answer proves the hop works; a 5xx names a failure further on.
        e.health = r.outcome == ProbeOutcome::Ok ? Health::Ok : Health::Failed;
        e.facts = prefixed(r.facts(), subject);
        add(e);
        probe->deleteLater();
        probeDone();
    });
    probe->start(spec);
}

void EvidenceCollector::startTcp(const QString &subject, const QString &host, quint16 port, const QString &node,
                                 const QString &link)
{
    auto *probe = new TcpProbe(this);
    connect(probe, &TcpProbe::finished, this, [this, probe, subject, node, link](const TcpProbeResult &r) {
        Evidence e = tcpEvidence(r);
        e.id = QStringLiteral("probe.tcp.") + subject;
        e.node = node;
        e.link = link;
        e.health = r.outcome == ProbeOutcome::Ok ? Health::Ok : Health::Failed;
        QVariantMap facts = prefixed(r.facts(), subject);
        facts.insert(subject + QLatin1String(".tcp"), probeOutcomeName(r.outcome));
        e.facts = facts;
        add(e);
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
    // Queued: the probe that just finished is still on the stack.
    QTimer::singleShot(0, this, &EvidenceCollector::readLogs);
}

void EvidenceCollector::readLogs()
{
    if (m_cancelled) {
        Q_EMIT collectionFinished();
        return;
    }
    const QString docserverAddress = m_profile.hasDocserver() ? hostPortOf(m_profile.docserverUrl) : QString();
    const QString docserviceAddress = m_profile.hasDocservice() ? m_profile.docserviceHost + QLatin1Char(':') +
                                                                      QString::number(m_profile.docservicePort)
                                                                : QString();
    const QDateTime recent = QDateTime::currentDateTime().addSecs(-kRecentLogSeconds);

    struct Group
    {
        QString hop;
        QString cause;
        QString file;
        QString lastLine;
        int count = 0;
    };
    QHash<QString, Group> groups;
    QStringList order;
    for (const QString &path : std::as_const(m_profile.logFiles)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            Evidence e;
            e.id = QStringLiteral("log.unreadable.") + QString::number(m_evidence.size());
            e.source = EvidenceSource::Log;
            e.kind = QStringLiteral("log-unreadable");
            e.summary = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
            add(e);
            continue;
        }
        if (file.size() > kLogTailBytes)
            file.seek(file.size() - kLogTailBytes);
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (const QByteArray &raw : lines) {
            const QString text = QString::fromUtf8(raw);
            const auto parsed = parseNginxErrorLine(text);
            if (!parsed || parsed->causeId.isEmpty() || (parsed->time.isValid() && parsed->time < recent))
                continue;
            const QString upstream = QUrl(parsed->upstream).authority();
            QString hop = QStringLiteral("any");
            if (!docserviceAddress.isEmpty() && upstream == docserviceAddress)
                hop = QStringLiteral("to_docservice");
            else if (!docserverAddress.isEmpty() && upstream == docserverAddress)
                hop = QStringLiteral("to_docserver");
            else if (upstream.endsWith(QLatin1String(":8000")) || upstream == QLatin1String("docservice"))
                hop = QStringLiteral("to_docservice");
            const QString key = hop + QLatin1Char('|') + parsed->causeId + QLatin1Char('|') + path;
            if (!groups.contains(key))
                order << key;
            Group &g = groups[key];
            g.hop = hop;
            g.cause = parsed->causeId;
            g.file = path;
            g.lastLine = text.trimmed();
            ++g.count;
        }
    }
    // Per hop, the cause with most lines decides the hop's fact; every group stays evidence.
    QHash<QString, int> best;
    for (const QString &key : std::as_const(order)) {
        const Group &g = groups.value(key);
        Evidence e;
        e.id = QStringLiteral("log.nginx.") + QString::number(m_evidence.size());
        e.source = EvidenceSource::Log;
        e.kind = QStringLiteral("nginx-error");
        e.health = Health::Failed;
        e.link = g.hop == QLatin1String("to_docservice")
                     ? Topology::linkId(QStringLiteral("dsnginx"), QStringLiteral("docservice"))
                 : g.hop == QLatin1String("to_docserver") ? Topology::linkId(m_entry, QStringLiteral("dsnginx"))
                                                          : QString();
        e.summary = QStringLiteral("%1 nginx error line(s) naming %2 in %3").arg(g.count).arg(g.cause, g.file);
        e.excerpt = g.lastLine;
        QVariantMap facts{{QStringLiteral("cause"), g.cause}};
        if (g.count > best.value(g.hop, 0)) {
            best.insert(g.hop, g.count);
            facts.insert(QStringLiteral("log.") + g.hop + QLatin1String(".cause"), g.cause);
        }
        if (g.count > best.value(QStringLiteral("*"), 0)) {
            best.insert(QStringLiteral("*"), g.count);
            facts.insert(QStringLiteral("log.any.cause"), g.cause);
        }
        e.facts = facts;
        add(e);
    }
    Q_EMIT collectionFinished();
}

} // namespace dd
