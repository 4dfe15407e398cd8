#pragma once

#include "capturetypes.h"
#include "httpexchange.h"
#include "tcpconversation.h"

#include <QList>
#include <QString>

namespace dd {

struct CaptureAnalysis;

/// A failing exchange whose request the capture missed: its upstream connections are looked for
/// this long before the response.
constexpr qint64 failingLookBackNs = 1000000000;

/// One moment of a failing exchange, as a sequence diagram draws it: an arrow from → to.
struct TimelineEvent
{
    CaptureTime timeNs = -1;
    QString from; ///< "client", "proxy", or an upstream address
    QString to;
    QString what; ///< "GET /healthcheck", "SYN", "RST", "502 Bad Gateway"
};

/// A connection the proxy opened (or reused) around the failing response, and how it went.
struct UpstreamAttempt
{
    int conversation = -1;
    Endpoint upstream;
    TcpOutcome outcome = TcpOutcome::Open;
    int status = 0;           ///< the upstream's own HTTP status on it in the window, or 0
    CaptureTime eventNs = -1; ///< the moment that decided it (RST, FIN, response, last SYN)
    QString description;      ///< "SYN answered by RST 0.1 ms earlier"
    QString cause;            ///< the cause this attempt alone shows, or empty
};

/**
 * A 5xx a proxy sent, with the upstream connections the same host opened around it. cause is
 * the catalog id the packets decide ("upstream-refused", "backend-unreachable-network",
 * "upstream-prematurely-closed", "upstream-reset", "upstream-scheme-mismatch",
 * "upstream-timeout"), or empty when the packets do not decide one.
 */
struct FailingExchange
{
    HttpExchange exchange;
    Endpoint client;
    Endpoint proxy;
    QList<UpstreamAttempt> upstreams; ///< in time order
    int decisive = -1;                ///< index in upstreams of the attempt that decided the cause
    QString cause;
    QList<TimelineEvent> events; ///< in time order

    /// "client → proxy 127.0.0.1:8080: GET / answered 502 at 10:02:03.214; proxy → 127.0.0.1:8000:
    /// SYN answered by RST 0.1 ms earlier"
    QString text() const;
};

/**
 * Finds, for every stored response with status >= 500, the upstream conversations the proxy
 * opened in the window from the request to the response (and connections it reused for a
 * request in that window), describes them and decides a cause where the packets allow.
 * Upstreams are conversations from the proxy's address (or, on loopback, from loopback) to any
 * server but the proxy itself. At most `limit` exchanges are returned, earliest first.
 */
QList<FailingExchange> findFailingExchanges(const CaptureAnalysis &analysis, int limit = 1000);

} // namespace dd
