#pragma once

#include "model/evidence.h"
#include "probeoutcome.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QVariantMap>

namespace dd {

/// Milliseconds since a check started, -1 for a phase that did not happen (as HttpTimings).
struct ProbeTimings
{
    double dns = -1;     ///< name resolved
    double connect = -1; ///< TCP connected (postgres: connection ready, authentication included)
    double tls = -1;     ///< TLS handshake done
    double ttfb = -1;    ///< first reply byte to the first request (PING, SELECT 1, Connection.Start, ...)
    double total = -1;   ///< done or given up

    /// "dns_ms", "connect_ms", "tls_ms", "ttfb_ms", "total_ms"; absent phases are null.
    QVariantMap facts() const;
};

/**
 * What any active check found: how it ended (outcome, error), its phase timings, and the
 * evidence, one item per sub-check (a docserver check has several; most kinds have one).
 * The first evidence item is the main one; its latencyMs is the check's latency.
 */
struct ProbeResult
{
    QString kind;   ///< probeKindName()
    QString target; ///< as given, redacted
    ProbeOutcome outcome = ProbeOutcome::Error;
    Health health = Health::Unknown; ///< the worst health among the evidence
    QString error;                   ///< one line; empty when the check itself ran fine
    ProbeTimings timings;
    EvidenceList evidence;
    QDateTime startedAt; ///< UTC

    /// Healthy means outcome Ok and no evidence item degraded or failed.
    bool isHealthy() const { return outcome == ProbeOutcome::Ok && health == Health::Ok; }
    /// The main evidence item's latency, or -1.
    double latencyMs() const { return evidence.isEmpty() ? -1 : evidence.constFirst().latencyMs; }
};

/**
 * The machine-readable form `probe KIND --json` prints: schema "docserver-doctor.probe.<kind>/1",
 * kind, target, outcome, healthy, health, error, timings_ms {dns, connect, tls, ttfb, total},
 * facts (of the main evidence item) and evidence [{id, kind, health, summary, detail, excerpt,
 * latency_ms, facts}]. Secrets never reach a ProbeResult, so nothing is redacted here.
 */
QJsonObject probeResultToJson(const ProbeResult &result);

/// The worst of two healths (Failed > Degraded > Ok > Unknown).
Health worseHealth(Health a, Health b);

/// A fact value for a time: null when negative (not measured), else rounded to microseconds.
QVariant msFact(double ms);

} // namespace dd

Q_DECLARE_METATYPE(dd::ProbeResult)
