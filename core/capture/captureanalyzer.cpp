#include "captureanalyzer.h"

#include "captureanalyzer_p.h"

#include <algorithm>

namespace dd {

namespace {

/// Orders exchanges by request (else response) time, stably. They are stored as they complete,
/// so nearly in order: sorting (time, index) keys and moving each exchange once costs far less
/// than a stable sort that moves the large structs around O(n log n) times.
void sortByTime(QList<HttpExchange> &exchanges)
{
    if (std::is_sorted(exchanges.cbegin(), exchanges.cend(),
                       [](const HttpExchange &x, const HttpExchange &y) { return x.time() < y.time(); }))
        return;
    std::vector<std::pair<CaptureTime, qsizetype>> keys;
    keys.reserve(size_t(exchanges.size()));
    for (qsizetype i = 0; i < exchanges.size(); ++i)
        keys.emplace_back(exchanges.at(i).time(), i);
    std::sort(keys.begin(), keys.end()); // ties keep their index order: stable
    QList<HttpExchange> sorted;
    sorted.reserve(exchanges.size());
    for (const auto &key : keys)
        sorted.append(std::move(exchanges[key.second]));
    exchanges.swap(sorted);
}

} // namespace

CaptureAnalyzer::CaptureAnalyzer(const CaptureOptions &options)
    : d(std::make_unique<CaptureAnalyzerPrivate>(this, options))
{
}

CaptureAnalyzer::~CaptureAnalyzer() = default;

void CaptureAnalyzer::setSource(const QString &source)
{
    d->m_source = source;
}

void CaptureAnalyzer::expectBytes(qint64 bytes)
{
    // About one conversation per 1.5 KiB in HTTP captures; reserving does not make pages resident.
    const qsizetype flows = qsizetype(qMin<qint64>(bytes / 1024, d->m_options.maxConversations));
    if (flows > d->m_conversations.capacity()) {
        d->m_conversations.reserve(flows);
        d->m_flows.reserve(size_t(flows));
    }
}

bool CaptureAnalyzer::feed(const char *data, qsizetype size)
{
    if (!d->m_error.isEmpty())
        return false;
    if (d->m_parser.feed(data, size))
        return true;
    d->m_error = d->m_parser.error();
    d->m_unreadable = d->m_parser.packetCount() == 0;
    return false;
}

void CaptureAnalyzer::abort(const QString &error)
{
    if (d->m_error.isEmpty())
        d->m_error = error;
    finish();
}

void CaptureAnalyzer::setStreamInfo(CaptureFormat format, const QList<int> &linkTypes)
{
    d->m_format = format;
    d->m_linkTypes = linkTypes;
}

void CaptureAnalyzer::finish()
{
    if (d->m_finished)
        return;
    d->m_finished = true;
    if (d->m_format == CaptureFormat::Unknown) {
        if (d->m_error.isEmpty()) {
            d->m_parser.finish();
            if (d->m_parser.hasFailed()) {
                d->m_error = d->m_parser.error();
                d->m_unreadable = d->m_parser.packetCount() == 0;
            }
        }
        if (d->m_parser.isTruncated())
            d->warn(QStringLiteral("truncated-file"),
                    QStringLiteral("the capture ends inside a record (%1 bytes after byte %2): it was cut short; "
                                   "the packets before are analyzed")
                        .arg(d->m_parser.truncatedBytes())
                        .arg(d->m_parser.bytesParsed()));
    }
    d->flushFlows();
    // The outcomes are final now; results share this list instead of copying it.
    for (TcpConversation &c : d->m_conversations)
        c.outcome = d->outcomeOf(c);
    d->m_flows.clear();
    d->m_table = FlowTable();
    sortByTime(d->m_exchanges);
}

qint64 CaptureAnalyzer::bytesParsed() const
{
    return d->m_parser.bytesParsed();
}

qint64 CaptureAnalyzer::packetCount() const
{
    return d->m_packets;
}

bool CaptureAnalyzer::isUnreadable() const
{
    return d->m_unreadable;
}

void CaptureAnalyzer::packetRead(const RawPacket &packet)
{
    d->packet(packet);
}

void CaptureAnalyzer::streamWarning(const QString &kind, const QString &message)
{
    d->warn(kind, message);
}

CaptureAnalysis CaptureAnalyzer::result() const
{
    CaptureAnalysis a;
    a.source = d->m_source;
    const bool ownParser = d->m_format == CaptureFormat::Unknown;
    a.format = ownParser ? d->m_parser.format() : d->m_format;
    a.linkTypes = ownParser ? d->m_parser.linkTypes() : d->m_linkTypes;
    a.complete = d->m_finished && d->m_error.isEmpty();
    a.truncated = d->m_parser.isTruncated() || (!d->m_error.isEmpty() && d->m_packets > 0);
    a.error = d->m_error;
    a.bytesRead = d->m_parser.bytesParsed();
    a.packets = d->m_packets;
    a.tcpPackets = d->m_tcpPackets;
    a.otherPackets = d->m_otherPackets;
    a.reassembledDatagrams = d->m_reassembled;
    a.undecodedPackets = d->m_undecoded;
    a.filteredPackets = d->m_filtered;
    a.snaplenCutPackets = d->m_snaplenCut;
    a.firstNs = d->m_firstNs;
    a.lastNs = d->m_lastNs;
    a.conversations = d->m_conversations;
    a.exchanges = d->m_exchanges;
    if (!d->m_finished) {
        // A snapshot of a stream that goes on: outcomes and order as they stand now.
        for (TcpConversation &c : a.conversations)
            c.outcome = d->outcomeOf(c);
        sortByTime(a.exchanges);
    }
    a.untrackedConversations = d->m_untracked;
    a.unstoredExchanges = d->m_unstored;
    a.httpRequests = d->m_requests;
    a.httpResponses = d->m_responses;
    a.unansweredRequests = d->m_unanswered;
    for (int status = 0; status < int(d->m_statusCounts.size()); ++status) {
        if (d->m_statusCounts[size_t(status)] > 0)
            a.statusCounts.insert(status, d->m_statusCounts[size_t(status)]);
    }
    a.websocketRequests = d->m_wsRequests;
    a.websocketUpgrades = d->m_wsUpgrades;
    a.tls = d->m_tls;
    a.notes = d->m_notes;
    a.warnings = d->m_warnings;
    if (!d->m_error.isEmpty() && d->m_packets > 0)
        a.warnings.append(CaptureWarning{
            QStringLiteral("read-error"),
            QStringLiteral("reading stopped after %1 packets: %2").arg(d->m_packets).arg(d->m_error), 1});
    a.failing = findFailingExchanges(a, d->m_options.maxFailingExchanges);
    return a;
}

} // namespace dd
