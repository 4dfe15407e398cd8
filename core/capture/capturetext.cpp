#include "capturetext.h"

#include "packetdecoder.h"

#include <QTextStream>

#include <algorithm>

namespace dd {

namespace {

constexpr int maxListed = 20;

QString counts(const QList<std::pair<QString, qint64>> &items)
{
    QStringList parts;
    for (const auto &item : items) {
        if (item.second > 0)
            parts << QStringLiteral("%1 %2").arg(item.first).arg(item.second);
    }
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "));
}

} // namespace

void writeCaptureAnalysisText(const CaptureAnalysis &a, QTextStream &out)
{
    QStringList links;
    for (int t : a.linkTypes)
        links << linkTypeName(t);
    out << "Capture: " << a.source << " (" << captureFormatName(a.format)
        << (links.isEmpty() ? QString() : QStringLiteral(", ") + links.join(QStringLiteral(", "))) << ")\n";
    out << "Packets: " << a.packets << " (" << a.tcpPackets << " TCP, " << a.otherPackets << " other, "
        << a.undecodedPackets << " undecoded";
    if (a.filteredPackets > 0)
        out << ", " << a.filteredPackets << " filtered out";
    if (a.reassembledDatagrams > 0)
        out << ", " << a.reassembledDatagrams << " IPv4 datagrams reassembled from fragments";
    out << ")";
    if (a.firstNs >= 0)
        out << " over " << formatCaptureDuration(a.lastNs - a.firstNs) << " from " << formatCaptureTime(a.firstNs)
            << " UTC";
    out << "\nFlows: " << a.conversations.size() + a.untrackedConversations << " TCP conversations\n";

    QList<std::pair<QString, qint64>> outcomes;
    qint64 retransmissions = 0;
    qint64 zeroWindows = 0;
    QList<double> rtts;
    for (const TcpConversation &c : a.conversations) {
        retransmissions += c.retransmissions[0] + c.retransmissions[1];
        zeroWindows += c.zeroWindows[0] + c.zeroWindows[1];
        if (c.handshakeRttMs() >= 0)
            rtts << c.handshakeRttMs();
    }
    for (TcpOutcome o :
         {TcpOutcome::Closed, TcpOutcome::Open, TcpOutcome::Refused, TcpOutcome::Unanswered, TcpOutcome::ResetAfterData,
          TcpOutcome::Reset, TcpOutcome::ClosedBeforeResponse, TcpOutcome::AbandonedBeforeResponse})
        outcomes << std::make_pair(tcpOutcomeName(o), a.outcomeCount(o));
    out << "TCP outcomes: " << counts(outcomes) << '\n';
    out << "  retransmissions " << retransmissions << ", zero windows " << zeroWindows;
    if (!rtts.isEmpty()) {
        std::nth_element(rtts.begin(), rtts.begin() + rtts.size() / 2, rtts.end());
        out << ", handshake RTT median " << formatCaptureDuration(qint64(rtts.at(rtts.size() / 2) * 1e6)) << " ("
            << rtts.size() << " handshakes)";
    }
    out << '\n';

    QList<std::pair<QString, qint64>> statuses;
    for (auto it = a.statusCounts.cbegin(); it != a.statusCounts.cend(); ++it)
        statuses << std::make_pair(QString::number(it.key()) + QLatin1Char(':'), it.value());
    out << "HTTP: " << a.httpRequests << " requests, " << a.httpResponses << " responses, " << a.unansweredRequests
        << " unanswered; status " << counts(statuses) << '\n';
    if (a.websocketRequests > 0)
        out << "WebSocket: " << a.websocketRequests << " upgrade requests, " << a.websocketUpgrades
            << " answered 101\n";
    if (!a.tls.isEmpty()) {
        out << "TLS: " << a.tls.size() << " handshakes\n";
        int listed = 0;
        for (const TlsSession &t : a.tls) {
            if (t.alerts.isEmpty() && a.conversations.at(t.conversation).schemeMismatch == SchemeMismatch::None)
                continue;
            if (listed++ >= maxListed)
                break;
            QStringList alerts;
            for (const TlsAlert &alert : t.alerts)
                alerts << QStringLiteral("%1 from %2").arg(alert.text(), tcpSideName(alert.from));
            out << "  " << a.conversations.at(t.conversation).label() << " SNI "
                << (t.sni.isEmpty() ? QStringLiteral("-") : t.sni) << ", offered "
                << t.offeredVersions.join(QLatin1Char('/')) << ", server "
                << (t.serverVersion.isEmpty() ? QStringLiteral("-") : t.serverVersion);
            if (!alerts.isEmpty())
                out << "; alerts: " << alerts.join(QStringLiteral(", "));
            out << '\n';
        }
    }
    if (!a.notes.isEmpty()) {
        out << "Dependencies and protocol notes:\n";
        for (qsizetype i = 0; i < a.notes.size() && i < maxListed; ++i) {
            const ProtocolNote &n = a.notes.at(i);
            out << "  " << (n.isError ? "! " : "  ") << a.conversations.at(n.conversation).server.toString() << ' '
                << n.text << '\n';
        }
    }
    out << "Failing exchanges: " << a.failing.size() << '\n';
    for (qsizetype i = 0; i < a.failing.size() && i < maxListed; ++i) {
        const FailingExchange &f = a.failing.at(i);
        out << "  " << (i + 1) << ". [" << (f.cause.isEmpty() ? QStringLiteral("cause not decided") : f.cause) << "] "
            << f.text() << '\n';
    }
    if (a.failing.size() > maxListed)
        out << "  ... " << a.failing.size() - maxListed << " more (see --json)\n";
    QStringList problems;
    for (const TcpConversation &c : a.conversations) {
        if (!c.isFailure())
            continue;
        QString line = c.label() + QStringLiteral("  ") + tcpOutcomeName(c.outcome);
        if (c.outcome == TcpOutcome::Unanswered)
            line += QStringLiteral(" (%1 SYNs)").arg(c.synCount);
        if (c.schemeMismatch != SchemeMismatch::None)
            line += QStringLiteral(" (") + schemeMismatchName(c.schemeMismatch) + QLatin1Char(')');
        line += QStringLiteral(" at ") + formatCaptureTime(c.firstNs);
        problems << line;
    }
    if (!problems.isEmpty()) {
        out << "Failed conversations: " << problems.size() << '\n';
        for (qsizetype i = 0; i < problems.size() && i < maxListed; ++i)
            out << "  " << problems.at(i) << '\n';
    }
    if (!a.warnings.isEmpty()) {
        out << "Warnings:\n";
        for (const CaptureWarning &w : a.warnings)
            out << "  " << w.kind << " (x" << w.count << "): " << w.message << '\n';
    }
}

} // namespace dd
