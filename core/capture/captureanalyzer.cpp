#include "captureanalyzer.h"

#include "bpffilter.h"
#include "conversationinspector.h"
#include "packetdecoder.h"
#include "tcpreassembler.h"

#include <QHash>

#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>

namespace dd {

namespace {

constexpr qint64 unansweredWaitNs = 1000000000; // a lone SYN counts as unanswered after 1 s
constexpr int maxNotes = 10000;
constexpr int statusSlots = 1000;

// Both endpoints in a fixed order, so the two directions of a conversation share one key.
struct FlowKey
{
    quint64 words[5] = {};

    bool operator==(const FlowKey &other) const { return std::equal(words, words + 5, other.words); }
};

struct FlowKeyHash
{
    size_t operator()(const FlowKey &k) const
    {
        quint64 h = 0x9e3779b97f4a7c15ULL;
        for (quint64 w : k.words) {
            h ^= w + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
            h *= 0xff51afd7ed558ccdULL;
        }
        return size_t(h ^ (h >> 33));
    }
};

bool endpointLess(const Endpoint &a, const Endpoint &b)
{
    const int c = std::memcmp(a.address.bytes, b.address.bytes, 16);
    return c < 0 || (c == 0 && a.port < b.port);
}

FlowKey makeKey(const TcpSegment &s)
{
    const bool swap = endpointLess(s.destination, s.source);
    const Endpoint &a = swap ? s.destination : s.source;
    const Endpoint &b = swap ? s.source : s.destination;
    FlowKey k;
    auto *bytes = reinterpret_cast<quint8 *>(k.words);
    std::memcpy(bytes, a.address.bytes, 16);
    std::memcpy(bytes + 16, b.address.bytes, 16);
    std::memcpy(bytes + 32, &a.port, 2);
    std::memcpy(bytes + 34, &b.port, 2);
    bytes[36] = a.address.isV6 ? 1 : 0;
    return k;
}

struct Flow
{
    TcpConversation conversation;
    TcpReassembler reassembler[2];
    std::unique_ptr<ConversationInspector> inspector;
    quint32 clientIsn = 0;
    bool closed = false;
};

bool isInteresting(const HttpExchange &x)
{
    return x.status == 0 || x.status >= 400 || x.status == 101 || !x.upgrade.isEmpty();
}

} // namespace

class CaptureAnalyzerPrivate : public InspectorSink, public StreamReceiver
{
public:
    explicit CaptureAnalyzerPrivate(CaptureAnalyzer *q, const CaptureOptions &options)
        : m_options(options)
        , m_parser(q)
    {
        m_statusCounts.assign(statusSlots, 0);
    }

    void packet(const RawPacket &packet);
    void warn(const QString &kind, const QString &message, qint64 count = 1);
    Flow *flowFor(const TcpSegment &s);
    Flow *createFlow(const FlowKey &key, const TcpSegment &s);
    void update(Flow &flow, int direction, const TcpSegment &s);
    void close(Flow &flow);
    bool passesFilter(const RawPacket &packet);
    TcpOutcome outcomeOf(const TcpConversation &c) const;

    // InspectorSink
    TcpConversation &conversation(int id) override { return m_flows[size_t(id)].conversation; }
    void requestParsed(int) override { ++m_requests; }
    void exchangeCompleted(HttpExchange &&exchange) override;
    TlsSession &tlsSession(int conversation) override;
    void noteAdded(ProtocolNote &&note) override;
    void inspectionWarning(const QString &kind, const QString &message) override { warn(kind, message); }

    // StreamReceiver
    void streamData(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs) override;
    void streamGap(int direction, qint64 size, CaptureTime timeNs) override;

    CaptureOptions m_options;
    PcapStreamParser m_parser;
    QString m_source;
    CaptureFormat m_format = CaptureFormat::Unknown;
    QList<int> m_linkTypes;
    bool m_finished = false;
    bool m_unreadable = false;
    QString m_error;

    std::deque<Flow> m_flows;
    std::unordered_map<FlowKey, int, FlowKeyHash> m_index;
    FlowKey m_lastKey;
    int m_lastFlow = -1;
    Flow *m_current = nullptr;

    std::map<int, std::unique_ptr<BpfFilter>> m_filters;

    qint64 m_packets = 0;
    qint64 m_tcpPackets = 0;
    qint64 m_otherPackets = 0;
    qint64 m_undecoded = 0;
    qint64 m_filtered = 0;
    qint64 m_snaplenCut = 0;
    qint64 m_untracked = 0;
    CaptureTime m_firstNs = -1;
    CaptureTime m_lastNs = -1;

    QList<HttpExchange> m_exchanges;
    qint64 m_unstored = 0;
    qint64 m_requests = 0;
    qint64 m_responses = 0;
    qint64 m_unanswered = 0;
    qint64 m_wsRequests = 0;
    qint64 m_wsUpgrades = 0;
    std::vector<qint64> m_statusCounts;
    QList<TlsSession> m_tls;
    QList<ProtocolNote> m_notes;
    QList<CaptureWarning> m_warnings;
    QHash<QString, int> m_warningIndex;
};

void CaptureAnalyzerPrivate::warn(const QString &kind, const QString &message, qint64 count)
{
    const auto it = m_warningIndex.constFind(kind);
    if (it != m_warningIndex.cend()) {
        m_warnings[*it].count += count;
        return;
    }
    m_warningIndex.insert(kind, int(m_warnings.size()));
    m_warnings.append(CaptureWarning{kind, message, count});
}

bool CaptureAnalyzerPrivate::passesFilter(const RawPacket &packet)
{
    auto it = m_filters.find(packet.linkType);
    if (it == m_filters.end()) {
        auto filter = std::make_unique<BpfFilter>();
        QString error;
        if (!filter->compile(m_options.filter, packet.linkType, &error))
            warn(QStringLiteral("filter"), error + QStringLiteral(" (link type %1; its packets are skipped)")
                                                       .arg(linkTypeName(packet.linkType)));
        it = m_filters.emplace(packet.linkType, std::move(filter)).first;
    }
    return it->second->matches(packet);
}

void CaptureAnalyzerPrivate::packet(const RawPacket &packet)
{
    ++m_packets;
    if (m_firstNs < 0 || packet.timeNs < m_firstNs)
        m_firstNs = packet.timeNs;
    if (packet.timeNs > m_lastNs)
        m_lastNs = packet.timeNs;
    if (!m_options.filter.isEmpty() && !passesFilter(packet)) {
        ++m_filtered;
        return;
    }
    TcpSegment s;
    switch (decodePacket(packet, &s)) {
    case DecodeResult::Tcp:
        break;
    case DecodeResult::NotIp:
    case DecodeResult::OtherTransport:
        ++m_otherPackets;
        return;
    case DecodeResult::Fragment:
        ++m_otherPackets;
        warn(QStringLiteral("ip-fragment"),
             QStringLiteral("packet %1 is an IP fragment; fragments are not reassembled").arg(m_packets));
        return;
    case DecodeResult::UnknownLinkType:
        ++m_undecoded;
        warn(QStringLiteral("unknown-link-type"),
             QStringLiteral("packets of %1 are not decoded (supported: Ethernet, Linux cooked SLL/SLL2, raw IP, "
                            "loopback); skipped")
                 .arg(linkTypeName(packet.linkType)));
        return;
    case DecodeResult::Truncated:
        ++m_undecoded;
        warn(QStringLiteral("cut-header"),
             QStringLiteral("packet %1 ends inside its link, IP or TCP header (%2 of %3 bytes captured); skipped")
                 .arg(m_packets)
                 .arg(packet.capturedLength)
                 .arg(packet.originalLength));
        return;
    case DecodeResult::Malformed:
        ++m_undecoded;
        warn(QStringLiteral("malformed"),
             QStringLiteral("packet %1 has impossible IP or TCP header lengths; skipped").arg(m_packets));
        return;
    }
    ++m_tcpPackets;
    if (s.capturedPayload < s.payloadLength) {
        ++m_snaplenCut;
        warn(QStringLiteral("snaplen-cut"),
             QStringLiteral("packet %1: the capture holds %2 of its %3 payload bytes (snaplen); the rest is "
                            "treated as a gap")
                 .arg(m_packets)
                 .arg(s.capturedPayload)
                 .arg(s.payloadLength));
    }
    Flow *flow = flowFor(s);
    if (!flow)
        return;
    const int direction = s.source == flow->conversation.client ? 0 : 1;
    update(*flow, direction, s);
}

Flow *CaptureAnalyzerPrivate::flowFor(const TcpSegment &s)
{
    const FlowKey key = makeKey(s);
    int index = -1;
    if (m_lastFlow >= 0 && key == m_lastKey) {
        index = m_lastFlow;
    } else {
        const auto it = m_index.find(key);
        if (it != m_index.end())
            index = it->second;
    }
    const bool opening = s.has(TcpFlag::Syn) && !s.has(TcpFlag::Ack);
    if (index >= 0) {
        Flow &f = m_flows[size_t(index)];
        const TcpConversation &c = f.conversation;
        // Port reuse: a fresh SYN on a finished conversation, or one with another initial sequence.
        const bool reused = opening && (f.closed || (c.handshakeSeen && s.seq != f.clientIsn &&
                                                     (c.synAckNs >= 0 || c.packets[1] > 0)));
        if (!reused) {
            m_lastKey = key;
            m_lastFlow = index;
            return &f;
        }
    }
    return createFlow(key, s);
}

Flow *CaptureAnalyzerPrivate::createFlow(const FlowKey &key, const TcpSegment &s)
{
    if (int(m_flows.size()) >= m_options.maxConversations) {
        if (s.has(TcpFlag::Syn) && !s.has(TcpFlag::Ack))
            ++m_untracked;
        if (m_untracked == 1)
            warn(QStringLiteral("conversation-limit"),
                 QStringLiteral("more than %1 conversations: later ones are counted, not analyzed")
                     .arg(m_options.maxConversations));
        return nullptr;
    }
    const int index = int(m_flows.size());
    m_flows.emplace_back();
    Flow &f = m_flows.back();
    TcpConversation &c = f.conversation;
    c.id = index;
    bool sourceIsClient = true;
    if (s.has(TcpFlag::Syn))
        sourceIsClient = !s.has(TcpFlag::Ack);
    else if (s.source.port != s.destination.port)
        sourceIsClient = s.source.port > s.destination.port; // the ephemeral port is the client's
    c.client = sourceIsClient ? s.source : s.destination;
    c.server = sourceIsClient ? s.destination : s.source;
    m_index[key] = index;
    m_lastKey = key;
    m_lastFlow = index;
    return &f;
}

void CaptureAnalyzerPrivate::update(Flow &f, int direction, const TcpSegment &s)
{
    TcpConversation &c = f.conversation;
    const CaptureTime t = s.timeNs;
    if (c.firstNs < 0)
        c.firstNs = t;
    if (t > c.lastNs)
        c.lastNs = t;
    ++c.packets[direction];
    c.frameBytes[direction] += s.frameLength;
    const quint8 flags = s.flags;
    if (flags & TcpFlag::Syn) {
        if (!(flags & TcpFlag::Ack) && direction == 0) {
            ++c.synCount;
            if (c.synNs < 0)
                c.synNs = t;
            if (c.synAckNs < 0)
                c.lastSynNs = t;
            c.handshakeSeen = true;
            f.clientIsn = s.seq;
        } else if ((flags & TcpFlag::Ack) && direction == 1 && c.synAckNs < 0) {
            c.synAckNs = t;
        }
    }
    if ((flags & TcpFlag::Rst) && c.rstNs < 0) {
        c.rstNs = t;
        c.resetBy = direction == 0 ? TcpSide::Client : TcpSide::Server;
    }
    if (flags & TcpFlag::Fin) {
        CaptureTime &fin = direction == 0 ? c.clientFinNs : c.serverFinNs;
        if (fin < 0)
            fin = t;
    }
    if (s.window == 0 && !(flags & (TcpFlag::Syn | TcpFlag::Fin | TcpFlag::Rst)))
        ++c.zeroWindows[direction];
    if (s.capturedPayload < s.payloadLength)
        ++c.snaplenCut;

    if (!f.closed && (s.payloadLength > 0 || (flags & (TcpFlag::Syn | TcpFlag::Fin)))) {
        m_current = &f;
        switch (f.reassembler[direction].add(s, this, direction)) {
        case TcpReassembler::Kind::Retransmission:
            ++c.retransmissions[direction];
            break;
        case TcpReassembler::Kind::OutOfOrder:
            ++c.outOfOrder;
            break;
        default:
            break;
        }
        m_current = nullptr;
    } else if (f.closed && s.payloadLength > 0) {
        ++c.retransmissions[direction];
    }
    if (!f.closed && ((flags & TcpFlag::Rst) || (c.clientFinNs >= 0 && c.serverFinNs >= 0)))
        close(f);
}

void CaptureAnalyzerPrivate::close(Flow &f)
{
    m_current = &f;
    f.reassembler[0].flush(this, 0, f.conversation.lastNs);
    f.reassembler[1].flush(this, 1, f.conversation.lastNs);
    m_current = nullptr;
    if (f.inspector) {
        f.inspector->finish();
        f.inspector.reset();
    }
    f.closed = true;
    // Free the reassembly state too; a late retransmission is only counted.
    f.reassembler[0] = TcpReassembler();
    f.reassembler[1] = TcpReassembler();
}

void CaptureAnalyzerPrivate::streamData(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs)
{
    Flow &f = *m_current;
    TcpConversation &c = f.conversation;
    c.bytes[direction] += quint64(size);
    CaptureTime &first = direction == 0 ? c.clientDataNs : c.serverDataNs;
    if (first < 0)
        first = timeNs;
    if (!f.inspector)
        f.inspector = std::make_unique<ConversationInspector>(c.id, this);
    f.inspector->data(direction, data, size, timeNs);
}

void CaptureAnalyzerPrivate::streamGap(int direction, qint64 size, CaptureTime timeNs)
{
    Flow &f = *m_current;
    TcpConversation &c = f.conversation;
    c.bytes[direction] += quint64(size);
    c.missingBytes += quint64(size);
    CaptureTime &first = direction == 0 ? c.clientDataNs : c.serverDataNs;
    if (first < 0)
        first = timeNs;
    if (f.inspector)
        f.inspector->gap(direction, size, timeNs);
}

void CaptureAnalyzerPrivate::exchangeCompleted(HttpExchange &&x)
{
    if (x.status > 0) {
        ++m_responses;
        if (x.status < statusSlots)
            ++m_statusCounts[size_t(x.status)];
    } else if (!x.method.isEmpty()) {
        ++m_unanswered;
    }
    if (x.isWebSocketRequest()) {
        ++m_wsRequests;
        if (x.status == 101)
            ++m_wsUpgrades;
    }
    const qsizetype stored = m_exchanges.size();
    if (stored < m_options.maxStoredExchanges / 2 || (stored < m_options.maxStoredExchanges && isInteresting(x)))
        m_exchanges.append(std::move(x));
    else
        ++m_unstored;
}

TlsSession &CaptureAnalyzerPrivate::tlsSession(int conversation)
{
    TcpConversation &c = m_flows[size_t(conversation)].conversation;
    if (c.tlsIndex < 0) {
        c.tlsIndex = int(m_tls.size());
        TlsSession session;
        session.conversation = conversation;
        m_tls.append(session);
    }
    return m_tls[c.tlsIndex];
}

void CaptureAnalyzerPrivate::noteAdded(ProtocolNote &&note)
{
    if (m_notes.size() < maxNotes)
        m_notes.append(std::move(note));
}

TcpOutcome CaptureAnalyzerPrivate::outcomeOf(const TcpConversation &c) const
{
    if (c.handshakeSeen && c.packets[1] == 0) {
        if (c.synCount >= 2 || m_lastNs - c.lastSynNs >= unansweredWaitNs)
            return TcpOutcome::Unanswered;
        return TcpOutcome::Open;
    }
    if (c.rstNs >= 0) {
        if (c.handshakeSeen && c.synAckNs < 0 && c.resetBy == TcpSide::Server)
            return TcpOutcome::Refused;
        return c.bytes[0] > 0 || c.bytes[1] > 0 ? TcpOutcome::ResetAfterData : TcpOutcome::Reset;
    }
    if (c.bytes[0] > 0 && c.bytes[1] == 0) {
        if (c.serverFinNs >= 0 && (c.clientFinNs < 0 || c.serverFinNs <= c.clientFinNs))
            return TcpOutcome::ClosedBeforeResponse;
        if (c.clientFinNs >= 0)
            return TcpOutcome::AbandonedBeforeResponse;
    }
    if (c.clientFinNs >= 0 && c.serverFinNs >= 0)
        return TcpOutcome::Closed;
    return TcpOutcome::Open;
}

CaptureAnalyzer::CaptureAnalyzer(const CaptureOptions &options)
    : d(std::make_unique<CaptureAnalyzerPrivate>(this, options))
{
}

CaptureAnalyzer::~CaptureAnalyzer() = default;

void CaptureAnalyzer::setSource(const QString &source)
{
    d->m_source = source;
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
    for (Flow &f : d->m_flows) {
        if (!f.closed) {
            d->m_current = &f;
            f.reassembler[0].flush(d.get(), 0, f.conversation.lastNs);
            f.reassembler[1].flush(d.get(), 1, f.conversation.lastNs);
            d->m_current = nullptr;
        }
        if (f.inspector) {
            f.inspector->finish();
            f.inspector.reset();
        }
    }
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
    a.truncated = d->m_parser.isTruncated() || !d->m_error.isEmpty();
    a.error = d->m_error;
    a.bytesRead = d->m_parser.bytesParsed();
    a.packets = d->m_packets;
    a.tcpPackets = d->m_tcpPackets;
    a.otherPackets = d->m_otherPackets;
    a.undecodedPackets = d->m_undecoded;
    a.filteredPackets = d->m_filtered;
    a.snaplenCutPackets = d->m_snaplenCut;
    a.firstNs = d->m_firstNs;
    a.lastNs = d->m_lastNs;
    a.conversations.reserve(qsizetype(d->m_flows.size()));
    for (const Flow &f : d->m_flows) {
        a.conversations.append(f.conversation);
        a.conversations.last().outcome = d->outcomeOf(f.conversation);
    }
    a.untrackedConversations = d->m_untracked;
    a.exchanges = d->m_exchanges;
    std::stable_sort(a.exchanges.begin(), a.exchanges.end(), [](const HttpExchange &x, const HttpExchange &y) {
        return (x.requestNs >= 0 ? x.requestNs : x.responseNs) < (y.requestNs >= 0 ? y.requestNs : y.responseNs);
    });
    a.unstoredExchanges = d->m_unstored;
    a.httpRequests = d->m_requests;
    a.httpResponses = d->m_responses;
    a.unansweredRequests = d->m_unanswered;
    for (int status = 0; status < statusSlots; ++status) {
        if (d->m_statusCounts[size_t(status)] > 0)
            a.statusCounts.insert(status, d->m_statusCounts[size_t(status)]);
    }
    a.websocketRequests = d->m_wsRequests;
    a.websocketUpgrades = d->m_wsUpgrades;
    a.tls = d->m_tls;
    a.notes = d->m_notes;
    a.warnings = d->m_warnings;
    if (!d->m_error.isEmpty() && d->m_packets > 0)
        a.warnings.append(CaptureWarning{QStringLiteral("read-error"),
                                         QStringLiteral("reading stopped after %1 packets: %2")
                                             .arg(d->m_packets)
                                             .arg(d->m_error),
                                         1});
    a.failing = findFailingExchanges(a, d->m_options.maxFailingExchanges);
    return a;
}

} // namespace dd
