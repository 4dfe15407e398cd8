#include "captureevidence.h"

#include <QDateTime>
#include <QHash>

#include <algorithm>

namespace dd {

namespace {

constexpr int maxExchangeEvidence = 20;
constexpr int maxDependencyEvidence = 10;
constexpr int maxTimelineEvents = 48;

QDateTime timeOf(CaptureTime ns)
{
    return ns < 0 ? QDateTime::currentDateTimeUtc() : QDateTime::fromMSecsSinceEpoch(ns / 1000000, Qt::UTC);
}

/// The exchange's events as data, for the report's sequence diagram: [{time, from, to, what}],
/// time in ISO 8601 UTC with microseconds.
QVariantList timelineFacts(const FailingExchange &f)
{
    QVariantList events;
    for (const TimelineEvent &t : f.events) {
        if (events.size() >= maxTimelineEvents)
            break;
        events.append(QVariantMap{{QStringLiteral("time"), t.timeNs < 0 ? QString() : formatCaptureTimeIso(t.timeNs)},
                                  {QStringLiteral("from"), t.from},
                                  {QStringLiteral("to"), t.to},
                                  {QStringLiteral("what"), t.what}});
    }
    return events;
}

double medianRtt(const CaptureAnalysis &a)
{
    QList<double> rtts;
    for (const TcpConversation &c : a.conversations) {
        const double rtt = c.handshakeRttMs();
        if (rtt >= 0)
            rtts.append(rtt);
    }
    if (rtts.isEmpty())
        return -1;
    std::nth_element(rtts.begin(), rtts.begin() + rtts.size() / 2, rtts.end());
    return rtts.at(rtts.size() / 2);
}

} // namespace

EvidenceList captureEvidence(const CaptureAnalysis &a)
{
    EvidenceList list;
    qint64 refused = 0;
    qint64 unanswered = 0;
    qint64 resets = 0;
    qint64 closedEarly = 0;
    qint64 abandoned = 0;
    qint64 mismatches = 0;
    for (const TcpConversation &c : a.conversations) {
        switch (c.outcome) {
        case TcpOutcome::Refused:
            ++refused;
            break;
        case TcpOutcome::Unanswered:
            ++unanswered;
            break;
        case TcpOutcome::ResetAfterData:
            if (c.resetBy == TcpSide::Server && c.bytes[0] > 0)
                ++resets;
            break;
        case TcpOutcome::ClosedBeforeResponse:
            ++closedEarly;
            break;
        case TcpOutcome::AbandonedBeforeResponse:
            ++abandoned;
            break;
        default:
            break;
        }
        if (c.schemeMismatch != SchemeMismatch::None)
            ++mismatches;
    }
    qint64 fatalAlerts = 0;
    for (const TlsSession &t : a.tls) {
        if (t.hasFatalAlert())
            ++fatalAlerts;
    }
    QHash<QString, int> causeVotes;
    for (const FailingExchange &f : a.failing) {
        if (!f.cause.isEmpty())
            ++causeVotes[f.cause];
    }
    QString mainCause;
    for (auto it = causeVotes.cbegin(); it != causeVotes.cend(); ++it) {
        if (mainCause.isEmpty() || it.value() > causeVotes.value(mainCause) ||
            (it.value() == causeVotes.value(mainCause) && it.key() < mainCause))
            mainCause = it.key();
    }

    Evidence summary;
    summary.id = QStringLiteral("capture.summary");
    summary.source = EvidenceSource::Capture;
    summary.kind = QStringLiteral("capture");
    summary.time = timeOf(a.firstNs);
    summary.latencyMs = medianRtt(a);
    const qint64 http5xx = a.statusCount(500, 599);
    summary.facts = QVariantMap{
        {QStringLiteral("capture.packets"), a.packets},
        {QStringLiteral("capture.flows"), qint64(a.conversations.size()) + a.untrackedConversations},
        {QStringLiteral("capture.refused_syns"), refused},
        {QStringLiteral("capture.unanswered_syns"), unanswered},
        {QStringLiteral("capture.resets_after_request"), resets},
        {QStringLiteral("capture.closed_before_response"), closedEarly},
        {QStringLiteral("capture.abandoned"), abandoned},
        {QStringLiteral("capture.http_responses"), a.httpResponses},
        {QStringLiteral("capture.http_5xx"), http5xx},
        {QStringLiteral("capture.http_502"), a.statusCounts.value(502)},
        {QStringLiteral("capture.http_503"), a.statusCounts.value(503)},
        {QStringLiteral("capture.http_504"), a.statusCounts.value(504)},
        {QStringLiteral("capture.tls_fatal_alerts"), fatalAlerts},
        {QStringLiteral("capture.scheme_mismatches"), mismatches},
        {QStringLiteral("capture.websocket_requests"), a.websocketRequests},
        {QStringLiteral("capture.websocket_upgrades"), a.websocketUpgrades},
        {QStringLiteral("capture.failing_exchanges"), qint64(a.failing.size())},
    };
    if (!mainCause.isEmpty())
        summary.facts.insert(QStringLiteral("capture.cause"), mainCause);
    const bool problems = a.hasProblems();
    summary.health = problems ? Health::Failed : Health::Ok;
    summary.summary = QStringLiteral("capture: %1 packets, %2 TCP conversations, %3 HTTP responses (%4 5xx)")
                          .arg(a.packets)
                          .arg(a.conversations.size())
                          .arg(a.httpResponses)
                          .arg(http5xx);
    QStringList detail;
    detail << QStringLiteral("refused SYNs: %1; unanswered SYNs: %2; resets after a request: %3; closed before "
                             "a response: %4; abandoned by the client: %5")
                  .arg(refused)
                  .arg(unanswered)
                  .arg(resets)
                  .arg(closedEarly)
                  .arg(abandoned);
    if (!mainCause.isEmpty())
        detail << QStringLiteral("the packets of %1 failing exchange(s) point to %2")
                      .arg(causeVotes.value(mainCause))
                      .arg(mainCause);
    for (const CaptureWarning &w : a.warnings)
        detail << QStringLiteral("%1 (x%2)").arg(w.message).arg(w.count);
    summary.detail = detail.join(QLatin1Char('\n'));
    if (!a.failing.isEmpty())
        summary.excerpt = a.failing.constFirst().text();
    list.append(summary);

    // One item per distinct failure shape; repeats are counted, not repeated.
    QHash<QString, int> seen;
    for (const FailingExchange &f : a.failing) {
        const UpstreamAttempt *u = f.decisive >= 0 ? &f.upstreams.at(f.decisive) : nullptr;
        const QString upstream = u ? u->upstream.toString() : QString();
        const QString key = f.cause + QLatin1Char('|') + f.proxy.toString() + QLatin1Char('|') + upstream +
                            QLatin1Char('|') + QString::number(f.exchange.status);
        const auto it = seen.constFind(key);
        if (it != seen.cend()) {
            Evidence &e = list[*it];
            e.facts[QStringLiteral("capture.count")] = e.facts.value(QStringLiteral("capture.count")).toLongLong() + 1;
            continue;
        }
        if (seen.size() >= maxExchangeEvidence)
            continue;
        Evidence e;
        e.id = QStringLiteral("capture.exchange.%1").arg(seen.size() + 1);
        e.source = EvidenceSource::Capture;
        e.kind = QStringLiteral("capture-exchange");
        e.time = timeOf(f.exchange.responseNs);
        e.health = Health::Failed;
        e.excerpt = f.text();
        e.facts.insert(QStringLiteral("capture.status"), f.exchange.status);
        e.facts.insert(QStringLiteral("capture.proxy"), f.proxy.toString());
        e.facts.insert(QStringLiteral("capture.path"), f.exchange.target); // a correlation key
        e.facts.insert(QStringLiteral("capture.count"), qint64(1));
        e.facts.insert(QStringLiteral("capture.timeline"), timelineFacts(f));
        if (u) {
            e.facts.insert(QStringLiteral("capture.upstream"), upstream);
            e.facts.insert(QStringLiteral("capture.upstream_outcome"), tcpOutcomeName(u->outcome));
            const TcpConversation &c = a.conversations.at(u->conversation);
            e.latencyMs = c.handshakeRttMs();
        }
        if (!f.cause.isEmpty())
            e.facts.insert(QStringLiteral("cause"), f.cause);
        e.summary = f.cause.isEmpty()
                        ? QStringLiteral("proxy %1 answered %2; the capture shows no failed upstream connection")
                              .arg(f.proxy.toString())
                              .arg(f.exchange.status)
                        : QStringLiteral("proxy %1 answered %2 after its upstream %3: %4")
                              .arg(f.proxy.toString())
                              .arg(f.exchange.status)
                              .arg(upstream, u->description);
        e.detail = QStringLiteral("request %1 (Host %2) from %3; response at %4")
                       .arg(f.exchange.requestLine(), f.exchange.host.isEmpty() ? QStringLiteral("-") : f.exchange.host,
                            f.client.toString(), formatCaptureTimeIso(f.exchange.responseNs));
        seen.insert(key, int(list.size()));
        list.append(e);
    }

    int dependencyItems = 0;
    for (const ProtocolNote &n : a.notes) {
        if (!n.isError || n.protocol == AppProtocol::Tls || dependencyItems >= maxDependencyEvidence)
            continue;
        const TcpConversation &c = a.conversations.at(n.conversation);
        Evidence e;
        e.id = QStringLiteral("capture.dependency.%1").arg(++dependencyItems);
        e.source = EvidenceSource::Capture;
        e.kind = QStringLiteral("capture-dependency");
        e.time = timeOf(n.timeNs);
        e.health = Health::Failed;
        e.summary = QStringLiteral("%1 on %2").arg(n.text, c.label());
        e.excerpt = n.text;
        e.facts.insert(QStringLiteral("capture.protocol"), appProtocolName(n.protocol));
        e.facts.insert(QStringLiteral("capture.server"), c.server.toString());
        e.facts.insert(QStringLiteral("capture.code"), n.code);
        list.append(e);
    }
    return list;
}

} // namespace dd
