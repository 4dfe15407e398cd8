#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QVariantMap>

namespace dd {

/// Where a piece of evidence came from.
enum class EvidenceSource { Probe, Log, Capture, Config, Host, User };

QString evidenceSourceName(EvidenceSource source);

/// How healthy the thing an evidence item is about looked.
enum class Health { Unknown, Ok, Degraded, Failed };

QString healthName(Health health);

/**
 * One observed fact about the stack: typed, timestamped, tied to a topology node or link,
 * with the raw excerpt that proves it. Evidence is a value type; engines emit it, the
 * diagnosis reads it, views and reports show it.
 *
 * `facts` holds the machine-readable part the decision tree asks about, under keys named
 * `<subject>.<property>` (e.g. "public.status" = 502, "docservice.tcp" = "refused").
 */
struct Evidence
{
    QString id; ///< unique within one diagnosis run, e.g. "probe.http.public.healthcheck"
    EvidenceSource source = EvidenceSource::Probe;
    QString kind;   ///< what produced it: "tcp", "http", "nginx-error", ...
    QDateTime time; ///< when it was observed (UTC)
    QString node;   ///< topology node id it is about, or empty
    QString link;   ///< topology link id it is about, or empty
    Health health = Health::Unknown;
    QString summary;       ///< one line a person reads first
    QString detail;        ///< longer explanation
    QString excerpt;       ///< the raw text that proves it (status line, log line, ...)
    QVariantMap facts;     ///< typed facts for the decision tree
    double latencyMs = -1; ///< a latency measured on `link`, or -1
};

using EvidenceList = QList<Evidence>;

} // namespace dd

Q_DECLARE_METATYPE(dd::Evidence)
