#pragma once

#include "conversationinspector.h"

namespace dd {

// Parsing of one HTTP/1.x head (start line + header lines, without the blank line). Internal:
// the stream parser reads framing for every message and details only for the exchanges kept.

/// What a request head says about the message's framing and kind.
struct RequestFraming
{
    qint64 contentLength = 0;
    bool chunked = false;
    bool isHead = false;
    bool isConnect = false;
    bool hasUpgrade = false;
    bool isWebSocket = false;
};

/// What a response head says about the message's framing.
struct ResponseFraming
{
    int status = 0; ///< 0 when the status line is unreadable
    qint64 contentLength = -1;
    bool chunked = false;
};

/// Reads the framing of the head at the start of `data`; returns the index just past the blank
/// line that ends it, or -1 when `data` holds no complete head (then `f` means nothing).
qsizetype scanRequestHead(const char *data, qsizetype size, RequestFraming *f);
qsizetype scanResponseHead(const char *data, qsizetype size, ResponseFraming *f);

/// Fills method, target (redacted), host, upgrade and X-Forwarded-* of `x` from a request head.
void fillRequestDetails(HttpExchange *x, const char *head, qsizetype size, InspectorSink *sink);
/// Fills reason, Server, Upgrade, Content-Length and chunked of `x` from a response head.
void fillResponseDetails(HttpExchange *x, const char *head, qsizetype size, InspectorSink *sink);

/// Index just past the blank line that ends a head ("\r\n\r\n" or a bare "\n\n"), or -1.
qsizetype findHeadEnd(const char *data, qsizetype size, qsizetype from);

} // namespace dd
