#pragma once

#include "evidence.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace dd {

/**
 * Evidence items from independent origins (two log files, a log and a capture, a probe and the
 * log line it caused, the configuration and a packet) that name the same request or connection:
 * the same upstream address, request path, nginx connection number, request id or document key,
 * at overlapping times. One incident seen from several places.
 *
 * Evidence offers its keys as facts "keys.<kind>" (a string or a list of strings) and, for
 * captures, "capture.upstream"/"capture.path"; evidence that carries a time range has the facts
 * "time.first"/"time.last" (ISO 8601), otherwise its `time` is the instant. Configuration
 * evidence is timeless: it joins any time.
 */
struct Correlation
{
    QString key;   ///< "upstream", "path", "connection", "request_id", "document"
    QString value; ///< normalised: host:port, a path without its query, ...
    QStringList evidenceIds;
    QStringList origins; ///< the distinct places the items came from ("log:/var/log/nginx/error.log", "capture", ...)
    QDateTime first;     ///< the earliest time of a timed item, invalid if none is timed
    QDateTime last;

    QString describe() const; ///< "upstream 127.0.0.1:8000 in 3 places: log:error.log, capture, probe"
};

/// Seconds by which two items' times may differ and still be one incident (nginx logs whole seconds).
inline constexpr int kCorrelationWindowSecs = 3;

/**
 * Groups `evidence` by shared keys. A group is kept when its items come from at least two
 * origins and their times overlap within kCorrelationWindowSecs (timeless items join any group);
 * a key shared by items far apart in time forms one group per cluster of nearby items. Groups are
 * ordered by the number of origins, then items, then key; each item's keys are read once.
 */
QList<Correlation> correlateEvidence(const EvidenceList &evidence);

/// Where an evidence item came from, for telling independent origins apart.
QString evidenceOrigin(const Evidence &evidence);

} // namespace dd
