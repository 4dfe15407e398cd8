#pragma once

#include "captureanalysis.h"

#include <QJsonObject>

namespace dd {

/// Version of the JSON below; bumped when a field changes meaning or goes away.
inline constexpr char captureJsonSchema[] = "docserver-doctor.capture/1";

struct CaptureJsonOptions
{
    bool allConversations = false; ///< every conversation and exchange, not only the failed ones
    int maxItems = 1000;           ///< per list
};

/**
 * The machine-readable form of an analysis (`capture analyze --json`): schema, source,
 * packets, flows, tcp {outcomes, retransmissions, zero_windows, handshake_rtt_ms}, http
 * {requests, responses, unanswered, status, websocket}, tls, dependencies, failing_exchanges
 * (with upstreams, cause, events and the timeline text), problem_conversations, warnings.
 */
QJsonObject captureAnalysisToJson(const CaptureAnalysis &analysis,
                                  const CaptureJsonOptions &options = CaptureJsonOptions());

QJsonObject conversationToJson(const TcpConversation &conversation);
QJsonObject exchangeToJson(const HttpExchange &exchange);
QJsonObject failingExchangeToJson(const FailingExchange &failing);

} // namespace dd
