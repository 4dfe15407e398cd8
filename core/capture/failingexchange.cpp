#include "failingexchange.h"

#include "captureanalysis.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <vector>

namespace dd {

namespace {

constexpr int maxScanned = 4096; // conversations looked at per exchange (busy captures)
constexpr int maxUpstreams = 8;
const QString arrow = QStringLiteral(" \u2192 ");

QString relative(CaptureTime event, CaptureTime reference)
{
    if (event < 0 || reference < 0)
        return QString();
    const qint64 delta = reference - event;
    return formatCaptureDuration(qAbs(delta)) + (delta >= 0 ? QStringLiteral(" earlier") : QStringLiteral(" later"));
}

bool isUpstreamOf(const TcpConversation &c, const TcpConversation &front)
{
    if (c.id == front.id || c.server == front.server)
        return false;
    if (c.client.address == front.server.address)
        return true;
    // On a host capture the proxy reaches local upstreams over loopback whatever address it listens on.
    return c.client.address.isLoopback() && c.server.address.isLoopback();
}

/// The first exchange on a conversation (its list is in time order) whose request lies in [from, to].
const HttpExchange *exchangeIn(const QList<const HttpExchange *> &onConversation, CaptureTime from, CaptureTime to)
{
    auto it = std::lower_bound(onConversation.cbegin(), onConversation.cend(), from,
                               [](const HttpExchange *x, CaptureTime t) { return x->time() < t; });
    return it != onConversation.cend() && (*it)->time() <= to ? *it : nullptr;
}

UpstreamAttempt describe(const TcpConversation &c, const HttpExchange *x, const CaptureAnalysis &a,
                         CaptureTime response)
{
    UpstreamAttempt u;
    u.conversation = c.id;
    u.upstream = c.server;
    u.outcome = c.outcome;
    u.status = x ? x->status : 0;
    const bool plaintextToTls = c.schemeMismatch == SchemeMismatch::PlaintextAnswerToTls;
    if (plaintextToTls) {
        u.eventNs = c.serverDataNs;
        QString code;
        for (const ProtocolNote &n : a.notes) {
            if (n.conversation == c.id && !n.code.isEmpty())
                code = n.code;
        }
        u.description =
            QStringLiteral("TLS ClientHello answered with plaintext HTTP %1 %2")
                .arg(code.isEmpty() ? QStringLiteral("(status unknown)") : code, relative(u.eventNs, response));
        u.cause = QStringLiteral("upstream-scheme-mismatch");
        return u;
    }
    switch (c.outcome) {
    case TcpOutcome::Refused:
        u.eventNs = c.rstNs;
        u.description = QStringLiteral("SYN answered by RST %1").arg(relative(c.rstNs, response));
        u.cause = QStringLiteral("upstream-refused");
        return u;
    case TcpOutcome::Unanswered:
        u.eventNs = c.lastSynNs;
        u.description = QStringLiteral("SYN sent %1 time(s), never answered (first %2)")
                            .arg(c.synCount)
                            .arg(relative(c.synNs, response));
        u.cause = QStringLiteral("backend-unreachable-network");
        return u;
    case TcpOutcome::ClosedBeforeResponse:
        u.eventNs = c.serverFinNs;
        u.description = QStringLiteral("request sent, upstream closed (FIN) with no response byte %1")
                            .arg(relative(c.serverFinNs, response));
        u.cause = QStringLiteral("upstream-prematurely-closed");
        return u;
    case TcpOutcome::AbandonedBeforeResponse:
        u.eventNs = c.clientFinNs;
        u.description = QStringLiteral("request sent, no response for %1; the proxy closed it %2")
                            .arg(formatCaptureDuration(c.clientFinNs - qMax(c.clientDataNs, c.firstNs)),
                                 relative(c.clientFinNs, response));
        u.cause = QStringLiteral("upstream-timeout");
        return u;
    case TcpOutcome::ResetAfterData:
        if (c.resetBy == TcpSide::Server && (!x || x->status == 0)) {
            u.eventNs = c.rstNs;
            u.description = c.bytes[1] == 0
                                ? QStringLiteral("request sent, upstream reset (RST) before any response byte %1")
                                      .arg(relative(c.rstNs, response))
                                : QStringLiteral("upstream reset (RST) after %1 response bytes, before a full "
                                                 "response %2")
                                      .arg(c.bytes[1])
                                      .arg(relative(c.rstNs, response));
            u.cause = QStringLiteral("upstream-reset");
            return u;
        }
        break;
    default:
        break;
    }
    if (x && x->status > 0) {
        u.eventNs = x->responseNs;
        u.description = QStringLiteral("%1 answered %2 %3 %4")
                            .arg(x->requestLine())
                            .arg(x->status)
                            .arg(x->reason, relative(x->responseNs, response));
        return u;
    }
    if (c.tlsIndex >= 0 && a.tls.at(c.tlsIndex).hasFatalAlert()) {
        for (const TlsAlert &alert : a.tls.at(c.tlsIndex).alerts) {
            if (!alert.encrypted && alert.level == 2) {
                u.eventNs = alert.timeNs;
                u.description = QStringLiteral("TLS handshake ended by %1 alert %2 from the %3")
                                    .arg(alert.text(), relative(alert.timeNs, response), tcpSideName(alert.from));
                return u;
            }
        }
    }
    u.eventNs = c.synAckNs >= 0 ? c.synAckNs : c.firstNs;
    const double rtt = c.handshakeRttMs();
    u.description = rtt >= 0 ? QStringLiteral("connected in %1, %2")
                                   .arg(formatCaptureDuration(qint64(rtt * 1e6)), tcpOutcomeName(c.outcome))
                             : QStringLiteral("%1 (handshake not captured)").arg(tcpOutcomeName(c.outcome));
    return u;
}

void addEvents(FailingExchange &f, const TcpConversation &c, const HttpExchange *x)
{
    const QString proxy = QStringLiteral("proxy");
    const QString up = c.server.toString();
    if (c.synNs >= 0)
        f.events.append(
            {c.synNs, proxy, up, c.synCount > 1 ? QStringLiteral("SYN (x%1)").arg(c.synCount) : QStringLiteral("SYN")});
    if (c.synAckNs >= 0)
        f.events.append({c.synAckNs, up, proxy, QStringLiteral("SYN-ACK")});
    if (x && x->requestNs >= 0)
        f.events.append({x->requestNs, proxy, up, x->requestLine()});
    if (x && x->responseNs >= 0)
        f.events.append({x->responseNs, up, proxy, QStringLiteral("%1 %2").arg(x->status).arg(x->reason)});
    if (c.serverFinNs >= 0)
        f.events.append({c.serverFinNs, up, proxy, QStringLiteral("FIN")});
    if (c.clientFinNs >= 0)
        f.events.append({c.clientFinNs, proxy, up, QStringLiteral("FIN")});
    if (c.rstNs >= 0)
        f.events.append(c.resetBy == TcpSide::Server ? TimelineEvent{c.rstNs, up, proxy, QStringLiteral("RST")}
                                                     : TimelineEvent{c.rstNs, proxy, up, QStringLiteral("RST")});
}

} // namespace

QString FailingExchange::text() const
{
    QString out = QStringLiteral("client") + arrow + QStringLiteral("proxy ") + proxy.toString() +
                  QStringLiteral(": %1 answered %2 at %3")
                      .arg(exchange.requestLine())
                      .arg(exchange.status)
                      .arg(formatCaptureTime(exchange.responseNs));
    if (upstreams.isEmpty())
        out += QStringLiteral("; no upstream connection from the proxy in the capture around it");
    for (const UpstreamAttempt &u : upstreams)
        out += QStringLiteral("; proxy") + arrow + u.upstream.toString() + QStringLiteral(": ") + u.description;
    return out;
}

QList<FailingExchange> findFailingExchanges(const CaptureAnalysis &a, int limit)
{
    QList<FailingExchange> result;
    const QList<TcpConversation> &conversations = a.conversations;
    // Conversations by start time, and exchanges by conversation, for the window searches.
    // Conversations come in time order; a multi-interface capture may interleave them a little.
    std::vector<std::pair<CaptureTime, int>> starts;
    starts.reserve(size_t(conversations.size()));
    for (const TcpConversation &c : conversations)
        starts.emplace_back(c.firstNs, c.id);
    if (!std::is_sorted(starts.cbegin(), starts.cend()))
        std::sort(starts.begin(), starts.end());
    QHash<int, QList<const HttpExchange *>> exchangesOf;
    for (const HttpExchange &x : a.exchanges)
        exchangesOf[x.conversation].append(&x);

    QHash<int, QString> causeOfFront; // front conversation id → cause, for chained proxies
    for (const HttpExchange &x : a.exchanges) {
        if (x.status < 500 || x.conversation < 0 || x.conversation >= conversations.size())
            continue;
        if (result.size() >= limit)
            break;
        const TcpConversation &front = conversations.at(x.conversation);
        FailingExchange f;
        f.exchange = x;
        f.client = front.client;
        f.proxy = front.server;
        const CaptureTime response = x.responseNs;
        // Causality bounds the window: a proxy connects upstream after the request arrived and
        // answers after the upstream failed. (One host's interfaces share the kernel's clock.)
        const CaptureTime from = x.requestNs >= 0 ? x.requestNs : response - failingLookBackNs;
        const CaptureTime to = response;

        QList<int> candidates;
        auto first = std::lower_bound(starts.cbegin(), starts.cend(), std::make_pair(from, -1));
        int scanned = 0;
        for (auto it = first; it != starts.cend() && it->first <= to && scanned < maxScanned; ++it, ++scanned) {
            if (isUpstreamOf(conversations.at(it->second), front))
                candidates.append(it->second);
        }
        // Connections the proxy kept alive and reused for a request in the window.
        auto firstExchange = std::lower_bound(a.exchanges.cbegin(), a.exchanges.cend(), from,
                                              [](const HttpExchange &e, CaptureTime t) { return e.time() < t; });
        scanned = 0;
        for (auto it = firstExchange; it != a.exchanges.cend() && it->time() <= to && scanned++ < maxScanned; ++it) {
            if (it->conversation < 0 || it->conversation >= conversations.size())
                continue;
            const TcpConversation &c = conversations.at(it->conversation);
            if (c.firstNs < from && isUpstreamOf(c, front) && !candidates.contains(c.id))
                candidates.append(c.id);
        }
        // On a busy proxy the window also holds upstream connections of other requests: a candidate
        // that carried a different request is one of those. (nginx forwards the same URI, or its
        // tail when the location strips a prefix.)
        if (!x.target.isEmpty()) {
            QList<int> related;
            for (int id : std::as_const(candidates)) {
                const HttpExchange *carried = exchangeIn(exchangesOf.value(id), from, to);
                if (!carried || carried->target.isEmpty() || x.target.endsWith(carried->target) ||
                    carried->target.endsWith(x.target))
                    related.append(id);
            }
            if (!related.isEmpty())
                candidates = related;
        }
        // The attempts closest to the response tell most; keep those.
        if (candidates.size() > maxUpstreams) {
            std::sort(candidates.begin(), candidates.end(), [&](int p, int q) {
                return qAbs(response - conversations.at(p).firstNs) < qAbs(response - conversations.at(q).firstNs);
            });
            candidates.resize(maxUpstreams);
        }
        std::sort(candidates.begin(), candidates.end(),
                  [&](int p, int q) { return conversations.at(p).firstNs < conversations.at(q).firstNs; });

        if (x.requestNs >= 0)
            f.events.append({x.requestNs, QStringLiteral("client"), QStringLiteral("proxy"), x.requestLine()});
        CaptureTime decisiveTime = -1;
        for (int id : std::as_const(candidates)) {
            const TcpConversation &c = conversations.at(id);
            const HttpExchange *upstreamExchange = exchangeIn(exchangesOf.value(id), from, to);
            UpstreamAttempt u = describe(c, upstreamExchange, a, response);
            if (u.cause.isEmpty() && u.status >= 500)
                u.cause = causeOfFront.value(id);
            addEvents(f, c, upstreamExchange);
            f.upstreams.append(u);
            // The last failure before the response is what the proxy answered on.
            if (!u.cause.isEmpty() && u.eventNs <= to && u.eventNs >= decisiveTime) {
                decisiveTime = u.eventNs;
                f.decisive = int(f.upstreams.size()) - 1;
            }
        }
        if (f.decisive >= 0)
            f.cause = f.upstreams.at(f.decisive).cause;
        f.events.append({response, QStringLiteral("proxy"), QStringLiteral("client"),
                         QStringLiteral("%1 %2").arg(x.status).arg(x.reason)});
        std::stable_sort(f.events.begin(), f.events.end(),
                         [](const TimelineEvent &p, const TimelineEvent &q) { return p.timeNs < q.timeNs; });
        if (!f.cause.isEmpty())
            causeOfFront.insert(front.id, f.cause);
        result.append(f);
    }
    return result;
}

} // namespace dd
