// The evidence collector's readers of recorded evidence: the configuration (linted, and the
// addresses it names), packet captures and logs. Probes and the startup watch are in
// evidencecollector.cpp.
#include "evidencecollector.h"
#include "evidencecollector_p.h"

#include "capture/captureengine.h"
#include "capture/captureevidence.h"
#include "config/linter.h"
#include "logs/classifiedline.h"
#include "logs/logclassifier.h"
#include "logs/logformat.h"
#include "logs/logscan.h"
#include "logs/nginxlogformats.h"
#include "model/topology.h"
#include "util/hostport.h"

#include <QHash>
#include <QRegularExpression>

namespace dd {

using collector::hostPortOf;
using collector::kLogTailBytes;
using collector::kRecentLogSeconds;

void EvidenceCollector::readCapture(const QString &path, qsizetype index)
{
    // Packets recorded during the incident, analyzed on the capture engine's thread. Each failing
    // exchange names the proxy and the upstream it dialled; the profile says which hop that is.
    auto *engine = new CaptureEngine(this);
    const QString prefix = index == 0 ? QString() : QStringLiteral("#%1").arg(index + 1);
    const auto done = [this, engine]() {
        engine->disconnect(this);
        engine->deleteLater();
        probeDone();
    };
    connect(engine, &CaptureEngine::analysisFinished, this, [this, prefix, done](const CaptureAnalysis &a) {
        const QString docserver = m_profile.hasDocserver() ? hostPortOf(m_profile.docserverUrl) : QString();
        const QString docservice =
            m_profile.hasDocservice() ? formatHostPort(m_profile.docserviceHost, m_profile.docservicePort) : QString();
        for (Evidence e : captureEvidence(a)) {
            e.id += prefix;
            const QString upstream = e.facts.value(QStringLiteral("capture.upstream")).toString();
            if (!upstream.isEmpty() && upstream == docservice)
                e.link = Topology::linkId(QStringLiteral("dsnginx"), QStringLiteral("docservice"));
            else if (!upstream.isEmpty() && upstream == docserver)
                e.link = Topology::linkId(m_entry, QStringLiteral("dsnginx"));
            add(e);
        }
        done();
    });
    connect(engine, &CaptureEngine::analysisFailed, this, [this, path, done](const QString &error) {
        Evidence e;
        e.id = QStringLiteral("capture.unreadable.") + QString::number(m_evidence.size());
        e.source = EvidenceSource::Capture;
        e.kind = QStringLiteral("capture-unreadable");
        e.time = QDateTime::currentDateTimeUtc();
        e.summary = error.contains(path) ? error : path + QLatin1String(": ") + error;
        add(e);
        done();
    });
    engine->analyzeFile(path);
}

void EvidenceCollector::addressesFromConfig(const LintResult &result)
{
    const auto derived = [this](const QString &what, const ConfiguredUpstream &u, const QString &address) {
        Evidence e;
        e.id = QStringLiteral("config.address.") + what;
        e.source = EvidenceSource::Config;
        e.kind = QStringLiteral("configured-address");
        e.time = QDateTime::currentDateTimeUtc();
        e.summary = QStringLiteral("%1 taken from the configuration: %2 (%3:%4, %5)")
                        .arg(what == QLatin1String("docserver") ? QStringLiteral("Document Server's address")
                                                                : QStringLiteral("docservice's address"),
                             address, u.file)
                        .arg(u.line)
                        .arg(u.location);
        e.excerpt = QStringLiteral("%1:%2").arg(u.file).arg(u.line);
        e.facts.insert(QStringLiteral("keys.upstream"), formatHostPort(u.host, u.port));
        add(e);
    };
    for (const ConfiguredUpstream &u : result.upstreams) {
        if (u.backup || u.port == 0 || u.host.isEmpty())
            continue;
        if (!m_profile.hasDocserver() && u.role == QLatin1String("front-proxy") && u.docServer) {
            const QString scheme = u.scheme.isEmpty() ? QStringLiteral("http") : u.scheme;
            QUrl url;
            url.setScheme(scheme);
            url.setHost(u.host);
            url.setPort(u.port);
            url.setPath(QStringLiteral("/"));
            if (!url.isValid())
                continue;
            m_profile.docserverUrl = url;
            derived(QStringLiteral("docserver"), u, url.toString());
        } else if (!m_profile.hasDocservice() && u.role == QLatin1String("ds-nginx")) {
            m_profile.docserviceHost = u.host;
            m_profile.docservicePort = u.port;
            derived(QStringLiteral("docservice"), u, formatHostPort(u.host, u.port));
        }
    }
    m_frontPresent = m_profile.hasFrontProxy() && m_profile.proxyKind != QLatin1String("none") &&
                     m_profile.publicUrl != m_profile.docserverUrl;
    m_entry = m_frontPresent ? QStringLiteral("proxy") : QStringLiteral("browser");
}

void EvidenceCollector::readConfig()
{
    LintInputs inputs;
    if (!m_profile.proxyConfig.isEmpty()) {
        if (m_profile.proxyKind == QLatin1String("apache"))
            inputs.apacheFile = m_profile.proxyConfig;
        else if (m_profile.proxyKind.isEmpty() || m_profile.proxyKind == QLatin1String("nginx"))
            inputs.nginxFiles << m_profile.proxyConfig;
    }
    if (!m_profile.dsNginxConfig.isEmpty())
        inputs.nginxFiles << m_profile.dsNginxConfig;
    inputs.dsConfig = m_profile.dsConfig;
    inputs.jwtSecretFile = m_profile.jwtSecretFile;
    if (!inputs.jwtSecretFile.isEmpty())
        inputs.jwtHeader = m_profile.jwtHeader;
    if (inputs.isEmpty())
        return;
    const LintResult result = lintConfiguration(inputs);
    addressesFromConfig(result);

    // One item per finding (the file:line that proves it), and one that sums them up for the
    // tree: the cause the most severe finding names, and every cause any finding names.
    for (const Evidence &e : configEvidence(result))
        add(e);
    Evidence summary;
    summary.id = QStringLiteral("config.summary");
    summary.source = EvidenceSource::Config;
    summary.kind = QStringLiteral("lint-summary");
    summary.time = QDateTime::currentDateTimeUtc();
    QStringList causes;
    QString firstError;
    for (const LintFinding &f : result.findings) {
        if (f.cause.isEmpty())
            continue;
        if (!causes.contains(f.cause))
            causes << f.cause;
        if (firstError.isEmpty() && f.severity == LintSeverity::Error)
            firstError = f.cause;
    }
    QStringList unreadable;
    for (const ConfigError &error : result.errors) {
        if (error.fatal)
            unreadable << error.toString();
    }
    summary.summary = QStringLiteral("configuration read (%1): %2 error(s), %3 warning(s)")
                          .arg(result.inputs.join(QStringLiteral(", ")))
                          .arg(result.count(LintSeverity::Error))
                          .arg(result.count(LintSeverity::Warning));
    if (!unreadable.isEmpty()) {
        summary.health = Health::Unknown;
        summary.detail = QStringLiteral("not read: ") + unreadable.join(QStringLiteral("; "));
    } else {
        summary.health = firstError.isEmpty() ? Health::Ok : Health::Failed;
    }
    if (!firstError.isEmpty())
        summary.facts.insert(QStringLiteral("config.cause"), firstError);
    summary.facts.insert(QStringLiteral("config.causes"), causes);
    summary.facts.insert(QStringLiteral("config.errors"), result.count(LintSeverity::Error));
    add(summary);
}

namespace {

constexpr qsizetype kKeysPerKind = 8; // distinct values kept per key and group

// The fields of a classified line that name its request or connection, as correlation keys.
// nginx connection numbers are left out: each nginx counts its own, so two logs' "*12" are
// not one connection.
void addLineKeys(const ClassifiedLine &l, QHash<QString, QStringList> *keys)
{
    const auto add = [keys](const QString &kind, const QVariant &value) {
        const QString v = value.toString().trimmed();
        if (v.isEmpty() || v == QLatin1String("-"))
            return;
        QStringList &list = (*keys)[kind];
        if (!list.contains(v) && list.size() < kKeysPerKind)
            list << v;
    };
    // An access log's "$upstream_addr" may list every server tried ("127.0.0.1:8000, 127.0.0.2:8000").
    static const QRegularExpression separator(QStringLiteral("\\s*,\\s*|\\s+:\\s+"));
    const QString upstreams = l.fields.value(QStringLiteral("upstream_addr")).toString();
    for (const QString &u : upstreams.split(separator, Qt::SkipEmptyParts))
        add(QStringLiteral("upstream"), u);
    const QVariant path = l.fields.value(QStringLiteral("path"));
    add(QStringLiteral("path"), path.isValid() ? path : l.fields.value(QStringLiteral("request")));
    add(QStringLiteral("request_id"), l.fields.value(QStringLiteral("request_id")));
    add(QStringLiteral("document"), l.fields.value(QStringLiteral("docId")));
}

} // namespace

void EvidenceCollector::readLogs()
{
    if (m_cancelled) {
        Q_EMIT collectionFinished();
        return;
    }
    const QString docserverAddress = m_profile.hasDocserver() ? hostPortOf(m_profile.docserverUrl) : QString();
    const QString docserviceAddress =
        m_profile.hasDocservice() ? formatHostPort(m_profile.docserviceHost, m_profile.docservicePort) : QString();
    const QString docserverPort =
        docserverAddress.isEmpty() ? QString() : docserverAddress.mid(docserverAddress.lastIndexOf(QLatin1Char(':')));
    const QDateTime recent = QDateTime::currentDateTimeUtc().addSecs(-kRecentLogSeconds);
    // With addresses to probe, the diagnosis is about now and old lines describe another
    // incident; from recorded evidence alone, the logs handed over are the incident.
    const bool live = m_profile.hasFrontProxy() || m_profile.hasDocserver();

    // Lines are grouped by the hop they speak of and the cause they name: a proxy's line about
    // its upstream says which hop failed; Document Server's own log says why docservice fails.
    struct Group
    {
        QString hop;
        QString cause;
        QString file;
        QString lastLine;
        int count = 0;
        bool symptom = false; ///< a failure the line shows (an access-log 502) without naming a cause
        QDateTime first;
        QDateTime last;
        QHash<QString, QStringList> keys; ///< correlation keys of its lines (evidence facts "keys.*")
    };
    QHash<QString, Group> groups;
    QStringList order;
    QHash<QString, int> provoked;
    const QDateTime runStart = m_started.addSecs(-2);
    // Access logs written with the nginx configs' own log_formats (upstream lists, timings).
    LogClassifier classifier;
    for (const QString &config : {m_profile.proxyKind == QLatin1String("apache") ? QString() : m_profile.proxyConfig,
                                  m_profile.dsNginxConfig}) {
        if (config.isEmpty())
            continue;
        QStringList problems;
        addNginxLogFormats(&classifier, readNginxLogFormats(config), &problems);
    }
    for (const QString &path : std::as_const(m_profile.logFiles)) {
        QString error;
        const QList<ClassifiedLine> lines = classifyFileTail(classifier, path, kLogTailBytes, &error);
        if (!error.isEmpty()) {
            Evidence e;
            e.id = QStringLiteral("log.unreadable.") + QString::number(m_evidence.size());
            e.source = EvidenceSource::Log;
            e.kind = QStringLiteral("log-unreadable");
            e.summary = error;
            add(e);
            continue;
        }
        for (const ClassifiedLine &l : lines) {
            const bool symptom = l.kind == LineKind::Symptom && !l.signal.isEmpty();
            if ((!symptom && (l.kind != LineKind::Cause || l.causeId.isEmpty())) ||
                (live && l.timeUtc.isValid() && l.timeUtc < recent))
                continue;
            if (!symptom && l.timeUtc.isValid() && l.timeUtc >= runStart && m_provokedCauses.contains(l.causeId)) {
                ++provoked[l.causeId];
                continue;
            }
            const QString upstream = l.fields.value(QStringLiteral("upstream_addr")).toString();
            QString hop = QStringLiteral("any");
            if (!upstream.isEmpty()) {
                if (!docserviceAddress.isEmpty() && upstream == docserviceAddress)
                    hop = QStringLiteral("to_docservice");
                else if (!docserverAddress.isEmpty() && upstream == docserverAddress)
                    hop = QStringLiteral("to_docserver");
                else if (upstream.endsWith(QLatin1String(":8000")) || upstream == QLatin1String("docservice"))
                    hop = QStringLiteral("to_docservice");
                else if (!docserverPort.isEmpty() && upstream.endsWith(docserverPort))
                    // Document Server's port on another address: the [::1] half of "localhost"
                    // (nginx then falls over to 127.0.0.1), or another loopback/host address.
                    hop = upstream.startsWith(QLatin1String("[::1]:")) &&
                                  !m_profile.docserverUrl.host().contains(QLatin1Char(':'))
                              ? QStringLiteral("ipv6_fallback")
                              : QStringLiteral("other_host");
            } else if (l.format == logFormatName(LogFormat::DocServer)) {
                hop = QStringLiteral("docservice");
            }
            const QString what = symptom ? QStringLiteral("symptom:") + l.signal : l.causeId;
            const QString key = hop + QLatin1Char('|') + what + QLatin1Char('|') + path;
            if (!groups.contains(key))
                order << key;
            Group &g = groups[key];
            g.hop = hop;
            g.cause = symptom ? l.signal : l.causeId;
            g.symptom = symptom;
            g.file = path;
            g.lastLine = l.text.trimmed();
            ++g.count;
            addLineKeys(l, &g.keys);
            if (l.timeUtc.isValid()) {
                if (!g.first.isValid() || l.timeUtc < g.first)
                    g.first = l.timeUtc;
                g.last = qMax(g.last, l.timeUtc);
            }
        }
    }
    // Per hop, the cause with most lines decides the hop's fact; every group stays evidence.
    QHash<QString, int> best;
    for (const QString &key : std::as_const(order)) {
        const Group &g = groups.value(key);
        Evidence e;
        e.id = QStringLiteral("log.") + QString::number(m_evidence.size());
        e.source = EvidenceSource::Log;
        e.kind = QStringLiteral("log-line");
        e.health = Health::Failed;
        e.link = g.hop == QLatin1String("to_docservice")
                     ? Topology::linkId(QStringLiteral("dsnginx"), QStringLiteral("docservice"))
                 : g.hop == QLatin1String("to_docserver") ? Topology::linkId(m_entry, QStringLiteral("dsnginx"))
                                                          : QString();
        e.node = g.hop == QLatin1String("docservice") ? QStringLiteral("docservice") : QString();
        e.excerpt = g.lastLine;
        QVariantMap facts{{QStringLiteral("log.file"), g.file}};
        for (auto it = g.keys.cbegin(); it != g.keys.cend(); ++it)
            facts.insert(QStringLiteral("keys.") + it.key(), it.value());
        if (g.first.isValid()) {
            e.time = g.last;
            facts.insert(QStringLiteral("time.first"), g.first.toString(Qt::ISODateWithMs));
            facts.insert(QStringLiteral("time.last"), g.last.toString(Qt::ISODateWithMs));
        }
        if (g.symptom) {
            // What the client got (an access line's 502), not why: no cause, no tree fact; it
            // ties a request to the lines that explain it.
            e.kind = QStringLiteral("log-symptom");
            e.link.clear(); // the hop's health is for the lines that say why
            e.node.clear();
            e.summary = QStringLiteral("%1 line(s) showing %2 in %3").arg(g.count).arg(g.cause, g.file);
            e.facts = facts;
            add(e);
            continue;
        }
        e.summary = QStringLiteral("%1 line(s) naming %2 in %3").arg(g.count).arg(g.cause, g.file);
        facts.insert(QStringLiteral("cause"), g.cause);
        if (g.count > best.value(g.hop, 0)) {
            best.insert(g.hop, g.count);
            facts.insert(QStringLiteral("log.") + g.hop + QLatin1String(".cause"), g.cause);
        }
        if (g.hop != QLatin1String("ipv6_fallback") && g.count > best.value(QStringLiteral("*"), 0)) {
            best.insert(QStringLiteral("*"), g.count);
            facts.insert(QStringLiteral("log.any.cause"), g.cause);
        }
        e.facts = facts;
        add(e);
    }
    for (auto it = provoked.cbegin(); it != provoked.cend(); ++it) {
        Evidence e;
        e.id = QStringLiteral("log.provoked.") + it.key();
        e.source = EvidenceSource::Log;
        e.kind = QStringLiteral("log-line");
        e.time = QDateTime::currentDateTimeUtc();
        e.summary = QStringLiteral("%1 line(s) naming %2 written in answer to this run's own token checks: not counted")
                        .arg(it.value())
                        .arg(it.key());
        add(e);
    }
    watchStartupOrFinish();
}

} // namespace dd
