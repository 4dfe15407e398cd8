#pragma once

#include "captureanalysis.h"
#include "model/evidence.h"

namespace dd {

/**
 * Turns a capture analysis into evidence for the diagnosis (source Capture):
 *
 * - one summary item (id "capture.summary", kind "capture") with the counts as facts:
 *   "capture.packets", "capture.flows", "capture.refused_syns", "capture.unanswered_syns",
 *   "capture.resets_after_request", "capture.closed_before_response", "capture.abandoned",
 *   "capture.http_responses", "capture.http_5xx", "capture.http_502", "capture.http_503",
 *   "capture.http_504", "capture.tls_fatal_alerts", "capture.scheme_mismatches",
 *   "capture.websocket_requests", "capture.websocket_upgrades", "capture.failing_exchanges",
 *   and "capture.cause" (the cause most failing exchanges show) when the packets decide one;
 * - one item per distinct (cause, proxy, upstream) of the failing exchanges (kind
 *   "capture-exchange"), with "cause" set when the packets decide one, "capture.status",
 *   "capture.proxy", "capture.upstream", "capture.upstream_outcome", "capture.count", and the
 *   timeline text of the first such exchange as excerpt;
 * - one item per dependency error note (kind "capture-dependency").
 *
 * latencyMs of the summary is the median handshake RTT; node and link stay empty (the caller
 * knows which addresses are which hop).
 */
EvidenceList captureEvidence(const CaptureAnalysis &analysis);

} // namespace dd
