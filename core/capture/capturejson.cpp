#include "capturejson.h"

#include "packetdecoder.h"

#include <QJsonArray>

#include <algorithm>

namespace dd {

namespace {

QJsonValue timeValue(CaptureTime ns)
{
    return ns < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(formatCaptureTimeIso(ns));
}

QJsonValue msValue(double ms)
{
    return ms < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(qRound(ms * 1000) / 1000.0);
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonObject rttStats(const CaptureAnalysis &a)
{
    QList<double> rtts;
    for (const TcpConversation &c : a.conversations) {
        const double rtt = c.handshakeRttMs();
        if (rtt >= 0)
            rtts.append(rtt);
    }
    if (rtts.isEmpty())
        return QJsonObject{{QStringLiteral("count"), 0}};
    std::sort(rtts.begin(), rtts.end());
    return QJsonObject{{QStringLiteral("count"), rtts.size()},
                       {QStringLiteral("min"), msValue(rtts.constFirst())},
                       {QStringLiteral("median"), msValue(rtts.at(rtts.size() / 2))},
                       {QStringLiteral("p95"), msValue(rtts.at(qMin(rtts.size() - 1, rtts.size() * 95 / 100)))},
                       {QStringLiteral("max"), msValue(rtts.constLast())}};
}

} // namespace

QJsonObject conversationToJson(const TcpConversation &c)
{
    return QJsonObject{
        {QStringLiteral("id"), c.id},
        {QStringLiteral("client"), c.client.toString()},
        {QStringLiteral("server"), c.server.toString()},
        {QStringLiteral("outcome"), tcpOutcomeName(c.outcome)},
        {QStringLiteral("reset_by"), textOrNull(tcpSideName(c.resetBy))},
        {QStringLiteral("protocol"), appProtocolName(c.protocol)},
        {QStringLiteral("scheme_mismatch"), textOrNull(schemeMismatchName(c.schemeMismatch))},
        {QStringLiteral("handshake_seen"), c.handshakeSeen},
        {QStringLiteral("syn_count"), c.synCount},
        {QStringLiteral("handshake_rtt_ms"), msValue(c.handshakeRttMs())},
        {QStringLiteral("start"), timeValue(c.firstNs)},
        {QStringLiteral("end"), timeValue(c.lastNs)},
        {QStringLiteral("duration_ms"), msValue(c.durationMs())},
        {QStringLiteral("packets"), QJsonObject{{QStringLiteral("client"), qint64(c.packets[0])},
                                                {QStringLiteral("server"), qint64(c.packets[1])}}},
        {QStringLiteral("bytes"),
         QJsonObject{{QStringLiteral("client"), qint64(c.bytes[0])}, {QStringLiteral("server"), qint64(c.bytes[1])}}},
        {QStringLiteral("retransmissions"), qint64(c.retransmissions[0] + c.retransmissions[1])},
        {QStringLiteral("zero_windows"), qint64(c.zeroWindows[0] + c.zeroWindows[1])},
        {QStringLiteral("out_of_order"), qint64(c.outOfOrder)},
        {QStringLiteral("missing_bytes"), qint64(c.missingBytes)},
        {QStringLiteral("http_requests"), c.httpRequests},
        {QStringLiteral("http_responses"), c.httpResponses},
    };
}

QJsonObject exchangeToJson(const HttpExchange &x)
{
    QJsonObject o{
        {QStringLiteral("conversation"), x.conversation},
        {QStringLiteral("method"), textOrNull(x.method)},
        {QStringLiteral("target"), textOrNull(x.target)},
        {QStringLiteral("host"), textOrNull(x.host)},
        {QStringLiteral("request_time"), timeValue(x.requestNs)},
        {QStringLiteral("status"), x.status == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(x.status)},
        {QStringLiteral("reason"), textOrNull(x.reason)},
        {QStringLiteral("server"), textOrNull(x.server)},
        {QStringLiteral("response_time"), timeValue(x.responseNs)},
        {QStringLiteral("ttfb_ms"), msValue(x.timeToFirstByteMs())},
        {QStringLiteral("content_length"),
         x.contentLength < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(x.contentLength)},
    };
    if (!x.upgrade.isEmpty())
        o.insert(QStringLiteral("upgrade"), x.upgrade);
    if (!x.forwarded.isEmpty())
        o.insert(QStringLiteral("forwarded"), QJsonArray::fromStringList(x.forwarded));
    if (!x.bodySnippet.isEmpty())
        o.insert(QStringLiteral("body_snippet"), x.bodySnippet);
    return o;
}

QJsonObject failingExchangeToJson(const FailingExchange &f)
{
    QJsonArray upstreams;
    for (const UpstreamAttempt &u : f.upstreams)
        upstreams.append(
            QJsonObject{{QStringLiteral("conversation"), u.conversation},
                        {QStringLiteral("upstream"), u.upstream.toString()},
                        {QStringLiteral("outcome"), tcpOutcomeName(u.outcome)},
                        {QStringLiteral("status"), u.status == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(u.status)},
                        {QStringLiteral("time"), timeValue(u.eventNs)},
                        {QStringLiteral("description"), u.description},
                        {QStringLiteral("cause"), textOrNull(u.cause)}});
    QJsonArray events;
    for (const TimelineEvent &e : f.events)
        events.append(QJsonObject{{QStringLiteral("time"), timeValue(e.timeNs)},
                                  {QStringLiteral("from"), e.from},
                                  {QStringLiteral("to"), e.to},
                                  {QStringLiteral("what"), e.what}});
    return QJsonObject{{QStringLiteral("client"), f.client.toString()},
                       {QStringLiteral("proxy"), f.proxy.toString()},
                       {QStringLiteral("exchange"), exchangeToJson(f.exchange)},
                       {QStringLiteral("status"), f.exchange.status},
                       {QStringLiteral("cause"), textOrNull(f.cause)},
                       {QStringLiteral("upstreams"), upstreams},
                       {QStringLiteral("events"), events},
                       {QStringLiteral("text"), f.text()}};
}

QJsonObject captureAnalysisToJson(const CaptureAnalysis &a, const CaptureJsonOptions &options)
{
    QJsonArray linkTypes;
    for (int t : a.linkTypes)
        linkTypes.append(linkTypeName(t));

    QJsonObject outcomes;
    for (TcpOutcome o :
         {TcpOutcome::Open, TcpOutcome::Closed, TcpOutcome::Refused, TcpOutcome::Unanswered, TcpOutcome::Reset,
          TcpOutcome::ResetAfterData, TcpOutcome::ClosedBeforeResponse, TcpOutcome::AbandonedBeforeResponse})
        outcomes.insert(tcpOutcomeName(o), a.outcomeCount(o));
    qint64 retransmissions = 0;
    qint64 zeroWindows = 0;
    QJsonArray problems;
    QJsonArray all;
    for (const TcpConversation &c : a.conversations) {
        retransmissions += c.retransmissions[0] + c.retransmissions[1];
        zeroWindows += c.zeroWindows[0] + c.zeroWindows[1];
        if (c.isFailure() && problems.size() < options.maxItems)
            problems.append(conversationToJson(c));
        if (options.allConversations && all.size() < options.maxItems)
            all.append(conversationToJson(c));
    }
    QJsonObject status;
    for (auto it = a.statusCounts.cbegin(); it != a.statusCounts.cend(); ++it)
        status.insert(QString::number(it.key()), it.value());

    QJsonArray tls;
    for (const TlsSession &t : a.tls) {
        if (tls.size() >= options.maxItems)
            break;
        QJsonArray alerts;
        for (const TlsAlert &alert : t.alerts)
            alerts.append(QJsonObject{{QStringLiteral("time"), timeValue(alert.timeNs)},
                                      {QStringLiteral("from"), tcpSideName(alert.from)},
                                      {QStringLiteral("alert"), alert.text()}});
        const TcpConversation &c = a.conversations.at(t.conversation);
        tls.append(QJsonObject{{QStringLiteral("conversation"), t.conversation},
                               {QStringLiteral("client"), c.client.toString()},
                               {QStringLiteral("server"), c.server.toString()},
                               {QStringLiteral("sni"), textOrNull(t.sni)},
                               {QStringLiteral("offered_versions"), QJsonArray::fromStringList(t.offeredVersions)},
                               {QStringLiteral("server_version"), textOrNull(t.serverVersion)},
                               {QStringLiteral("alerts"), alerts}});
    }
    QJsonArray notes;
    for (const ProtocolNote &n : a.notes) {
        if (notes.size() >= options.maxItems)
            break;
        const TcpConversation &c = a.conversations.at(n.conversation);
        notes.append(QJsonObject{{QStringLiteral("conversation"), n.conversation},
                                 {QStringLiteral("server"), c.server.toString()},
                                 {QStringLiteral("protocol"), appProtocolName(n.protocol)},
                                 {QStringLiteral("from"), tcpSideName(n.from)},
                                 {QStringLiteral("time"), timeValue(n.timeNs)},
                                 {QStringLiteral("error"), n.isError},
                                 {QStringLiteral("code"), textOrNull(n.code)},
                                 {QStringLiteral("text"), n.text}});
    }
    QJsonArray failing;
    for (const FailingExchange &f : a.failing) {
        if (failing.size() >= options.maxItems)
            break;
        failing.append(failingExchangeToJson(f));
    }
    QJsonArray warnings;
    for (const CaptureWarning &w : a.warnings)
        warnings.append(QJsonObject{{QStringLiteral("kind"), w.kind},
                                    {QStringLiteral("message"), w.message},
                                    {QStringLiteral("count"), w.count}});

    QJsonObject o{
        {QStringLiteral("schema"), QLatin1String(captureJsonSchema)},
        {QStringLiteral("source"), a.source},
        {QStringLiteral("format"), captureFormatName(a.format)},
        {QStringLiteral("link_types"), linkTypes},
        {QStringLiteral("complete"), a.complete},
        {QStringLiteral("truncated"), a.truncated},
        {QStringLiteral("error"), textOrNull(a.error)},
        {QStringLiteral("problems"), a.hasProblems()},
        {QStringLiteral("packets"), QJsonObject{{QStringLiteral("total"), a.packets},
                                                {QStringLiteral("tcp"), a.tcpPackets},
                                                {QStringLiteral("other"), a.otherPackets},
                                                {QStringLiteral("undecoded"), a.undecodedPackets},
                                                {QStringLiteral("filtered"), a.filteredPackets},
                                                {QStringLiteral("snaplen_cut"), a.snaplenCutPackets},
                                                {QStringLiteral("reassembled_ipv4"), a.reassembledDatagrams}}},
        {QStringLiteral("time"), QJsonObject{{QStringLiteral("first"), timeValue(a.firstNs)},
                                             {QStringLiteral("last"), timeValue(a.lastNs)},
                                             {QStringLiteral("duration_ms"), msValue(a.durationMs())}}},
        {QStringLiteral("flows"), qint64(a.conversations.size()) + a.untrackedConversations},
        {QStringLiteral("untracked_flows"), a.untrackedConversations},
        {QStringLiteral("tcp"), QJsonObject{{QStringLiteral("outcomes"), outcomes},
                                            {QStringLiteral("retransmissions"), retransmissions},
                                            {QStringLiteral("zero_windows"), zeroWindows},
                                            {QStringLiteral("handshake_rtt_ms"), rttStats(a)}}},
        {QStringLiteral("http"),
         QJsonObject{{QStringLiteral("requests"), a.httpRequests},
                     {QStringLiteral("responses"), a.httpResponses},
                     {QStringLiteral("unanswered"), a.unansweredRequests},
                     {QStringLiteral("status"), status},
                     {QStringLiteral("websocket"), QJsonObject{{QStringLiteral("requested"), a.websocketRequests},
                                                               {QStringLiteral("upgraded"), a.websocketUpgrades}}}}},
        {QStringLiteral("tls"), tls},
        {QStringLiteral("dependencies"), notes},
        {QStringLiteral("failing_exchanges"), failing},
        {QStringLiteral("problem_conversations"), problems},
        {QStringLiteral("warnings"), warnings},
    };
    if (options.allConversations) {
        o.insert(QStringLiteral("conversations"), all);
        QJsonArray exchanges;
        for (const HttpExchange &x : a.exchanges) {
            if (exchanges.size() >= options.maxItems)
                break;
            exchanges.append(exchangeToJson(x));
        }
        o.insert(QStringLiteral("exchanges"), exchanges);
    }
    return o;
}

} // namespace dd
