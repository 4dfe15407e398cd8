#pragma once

#include "httpproberesult.h"
#include "model/evidence.h"
#include "tcpproberesult.h"

namespace dd {

/**
 * Turns probe results into evidence: kind, time, health, a one-line summary, detail, the raw
 * excerpt (redacted), facts (the result's facts()) and latencyMs (the TCP handshake time).
 * id, node and link stay empty: the caller knows what the probe was aimed at.
 *
 * Health: TCP is Ok when every address connected, Degraded when only some did, Failed when
 * none did. HTTP is Failed for any outcome but Ok and for status >= 500, Degraded for 4xx,
 * Ok otherwise.
 */
Evidence tcpEvidence(const TcpProbeResult &result);
Evidence httpEvidence(const HttpProbeResult &result);

/// "12.3 ms", "0.42 ms", or "-" for a negative (unmeasured) time.
QString formatMs(double ms);

struct ProbeTimings;

/**
 * The detail lines of a dependency probe (redis, postgres, amqp): `error`, the addresses that
 * refused before one answered (unless `error` already is that list), and the phase timings,
 * `firstAnswer` naming the protocol's first reply ("PING reply", "Connection.Start", ...).
 */
QString dependencyDetail(const QString &error, const QStringList &connectFailures, const ProbeTimings &timings,
                         const QString &firstAnswer);

} // namespace dd
