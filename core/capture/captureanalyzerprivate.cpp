#include "captureanalyzer_p.h"

#include "failingexchange.h"
#include "httphead.h"

#include <cstring>

namespace dd {

namespace {

constexpr qint64 unansweredWaitNs = 1000000000; // a lone SYN counts as unanswered after 1 s
constexpr int maxNotes = 10000;
constexpr int statusSlots = 1000;
constexpr size_t maxKnownServers = 65536;
constexpr qsizetype maxInterned = 4096;

} // namespace

size_t EndpointHash::operator()(const Endpoint &e) const
{
    quint64 w[2];
    std::memcpy(w, e.address.bytes, 16);
    return size_t((w[0] * 0x9e3779b97f4a7c15ULL) ^ ((w[1] + e.port) * 0xff51afd7ed558ccdULL));
}

CaptureAnalyzerPrivate::CaptureAnalyzerPrivate(CaptureAnalyzer *q, const CaptureOptions &options)
    : m_options(options), m_parser(q)
{
    m_statusCounts.assign(statusSlots, 0);
}

QString CaptureAnalyzerPrivate::intern(const char *data, qsizetype size)
{
    // Methods, hosts, reasons, Server and X-Forwarded-* values repeat across thousands of
    // exchanges: share one string for each.
    const QByteArray key = QByteArray::fromRawData(data, size);
    const auto it = m_interned.constFind(key);
    if (it != m_interned.cend())
        return *it;
    QString value = QString::fromLatin1(data, size);
    if (m_interned.size() < maxInterned)
        m_interned.insert(QByteArray(data, size), value);
    return value;
}

bool CaptureAnalyzerPrivate::bumpWarning(const QString &kind)
{
    const auto it = m_warningIndex.constFind(kind);
    if (it == m_warningIndex.cend())
        return false;
    ++m_warnings[*it].count;
    return true;
}

void CaptureAnalyzerPrivate::addWarning(const QString &kind, const QString &message)
{
    m_warningIndex.insert(kind, int(m_warnings.size()));
    m_warnings.append(CaptureWarning{kind, message, 1});
}

void CaptureAnalyzerPrivate::warn(const QString &kind, const QString &message)
{
    if (!bumpWarning(kind))
        addWarning(kind, message);
}

bool CaptureAnalyzerPrivate::passesFilter(const RawPacket &packet)
{
    auto it = m_filters.find(packet.linkType);
    if (it == m_filters.end()) {
        auto filter = std::make_unique<BpfFilter>();
        QString error;
        if (!filter->compile(m_options.filter, packet.linkType, &error))
            warn(QStringLiteral("filter"),
                 error + QStringLiteral(" (link type %1; its packets are skipped)").arg(linkTypeName(packet.linkType)));
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
    IpFragment fragment;
    DecodeResult decoded = decodePacket(packet, &s, &fragment);
    if (decoded == DecodeResult::Fragment && fragment.ip) {
        decoded = reassemble(packet, fragment, &s);
        if (decoded == DecodeResult::Fragment) {
            ++m_otherPackets; // held until its datagram is complete
            return;
        }
    }
    if (decoded != DecodeResult::Tcp) {
        const bool other = decoded == DecodeResult::NotIp || decoded == DecodeResult::OtherTransport ||
                           decoded == DecodeResult::Fragment;
        ++(other ? m_otherPackets : m_undecoded);
        if (decoded == DecodeResult::NotIp || decoded == DecodeResult::OtherTransport)
            return;
        static const QString kinds[] = {QString(),
                                        QString(),
                                        QString(),
                                        QStringLiteral("unknown-link-type"),
                                        QStringLiteral("cut-header"),
                                        QStringLiteral("ip-fragment"),
                                        QStringLiteral("malformed")};
        const QString &kind = kinds[int(decoded)];
        if (bumpWarning(kind))
            return;
        switch (decoded) {
        case DecodeResult::UnknownLinkType:
            addWarning(kind, QStringLiteral("packets of %1 are not decoded (supported: Ethernet, Linux cooked "
                                            "SLL/SLL2, raw IP, loopback); skipped")
                                 .arg(linkTypeName(packet.linkType)));
            break;
        case DecodeResult::Truncated:
            addWarning(kind, QStringLiteral("packet %1 ends inside its link, IP or TCP header (%2 of %3 bytes "
                                            "captured); skipped")
                                 .arg(m_packets)
                                 .arg(packet.capturedLength)
                                 .arg(packet.originalLength));
            break;
        case DecodeResult::Fragment:
            addWarning(
                kind,
                QStringLiteral("packet %1: a reassembled IP datagram is itself a fragment; skipped").arg(m_packets));
            break;
        default:
            addWarning(kind,
                       QStringLiteral("packet %1 has impossible IP or TCP header lengths; skipped").arg(m_packets));
            break;
        }
        return;
    }
    ++m_tcpPackets;
    if (s.capturedPayload < s.payloadLength) {
        ++m_snaplenCut;
        if (!bumpWarning(QStringLiteral("snaplen-cut")))
            addWarning(QStringLiteral("snaplen-cut"),
                       QStringLiteral("packet %1: the capture holds %2 of its %3 payload bytes (snaplen); the rest "
                                      "is treated as a gap")
                           .arg(m_packets)
                           .arg(s.capturedPayload)
                           .arg(s.payloadLength));
    }
    Flow *flow = flowFor(s);
    if (!flow)
        return;
    int direction = s.source == m_conversations[flow->id].client ? 0 : 1;
    if (!flow->rolesSettled && s.capturedPayload >= 5) {
        // Without a handshake the roles were guessed from the ports; the first words settle them.
        const bool request =
            looksLikeHttpRequest(s.payload, s.capturedPayload) || looksLikeTlsRecord(s.payload, s.capturedPayload);
        const bool response = looksLikeHttpResponse(s.payload, s.capturedPayload);
        if ((direction == 0 && response) || (direction == 1 && request && !response)) {
            swapRoles(*flow);
            direction = 1 - direction;
        }
        flow->rolesSettled = true;
    }
    update(*flow, direction, s);
}

DecodeResult CaptureAnalyzerPrivate::reassemble(const RawPacket &packet, const IpFragment &fragment, TcpSegment *s)
{
    const bool v6 = (fragment.ip[0] >> 4) == 6;
    const auto lost = [this] {
        return m_defragmenter.expiredCount() + m_defragmenter.evictedCount() + m_defragmenter6.expiredCount() +
               m_defragmenter6.evictedCount();
    };
    const qint64 lostBefore = lost();
    const IpDefragmenter::Result r =
        v6 ? m_defragmenter6.add(fragment.ip, fragment.available, packet.timeNs, &m_datagram)
           : m_defragmenter.add(fragment.ip, fragment.available, packet.timeNs, &m_datagram);
    if (lost() > lostBefore)
        warn(QStringLiteral("ip-fragment-lost"),
             QStringLiteral("fragmented IP datagrams not completed within %1 s or over the reassembly bounds "
                            "(%2 datagrams, %3 MiB) were dropped")
                 .arg(IpDefragmenter::defaultTimeoutNs / 1000000000)
                 .arg(IpDefragmenter::maxPending)
                 .arg(IpDefragmenter::maxPendingBytes / (1024 * 1024)));
    if (r == IpDefragmenter::Result::Invalid) {
        warn(QStringLiteral("ip-fragment-invalid"),
             QStringLiteral("packet %1: an %2 fragment with impossible offsets or cut by snaplen; its datagram is "
                            "dropped")
                 .arg(m_packets)
                 .arg(v6 ? QStringLiteral("IPv6") : QStringLiteral("IPv4")));
        return DecodeResult::Fragment;
    }
    if (r == IpDefragmenter::Result::Pending)
        return DecodeResult::Fragment;
    ++m_reassembled;
    // The whole datagram, decoded as raw IP; `s` points into m_datagram until the next packet.
    RawPacket whole;
    whole.timeNs = packet.timeNs;
    whole.linkType = v6 ? LinkType::Ipv6 : LinkType::Ipv4;
    whole.data = reinterpret_cast<const quint8 *>(m_datagram.constData());
    whole.capturedLength = quint32(m_datagram.size());
    whole.originalLength = quint32(m_datagram.size());
    return decodePacket(whole, s);
}

Flow *CaptureAnalyzerPrivate::flowFor(const TcpSegment &s)
{
    const FlowKey key = FlowKey::of(s);
    int index = -1;
    if (m_lastFlow >= 0 && m_lastKey == key)
        index = m_lastFlow;
    else
        index = m_table.find(key, key.hash());
    const bool opening = s.has(TcpFlag::Syn) && !s.has(TcpFlag::Ack);
    if (index >= 0) {
        Flow &f = m_flows[size_t(index)];
        const TcpConversation &c = m_conversations.at(index);
        // Port reuse: a fresh SYN on a finished conversation, or one with another initial sequence.
        const bool reused =
            opening && (f.closed || (c.handshakeSeen && s.seq != f.clientIsn && (c.synAckNs >= 0 || c.packets[1] > 0)));
        if (!reused) {
            m_lastFlow = index;
            m_lastKey = key;
            return &f;
        }
    }
    return createFlow(key, key.hash(), s);
}

Flow *CaptureAnalyzerPrivate::createFlow(const FlowKey &key, quint64 hash, const TcpSegment &s)
{
    if (int(m_flows.size()) >= m_options.maxConversations) {
        if (s.has(TcpFlag::Syn) && !s.has(TcpFlag::Ack))
            ++m_untracked;
        warn(QStringLiteral("conversation-limit"),
             QStringLiteral("more than %1 conversations: later ones are counted, not analyzed")
                 .arg(m_options.maxConversations));
        return nullptr;
    }
    const int index = int(m_flows.size());
    m_flows.emplace_back();
    Flow &f = m_flows.back();
    f.id = index;
    TcpConversation c;
    c.id = index;
    bool sourceIsClient = true;
    if (s.has(TcpFlag::Syn)) {
        sourceIsClient = !s.has(TcpFlag::Ack);
        f.rolesSettled = true;
    } else if (m_servers.count(s.destination)) {
        f.rolesSettled = true;
    } else if (m_servers.count(s.source)) {
        sourceIsClient = false;
        f.rolesSettled = true;
    } else if (s.source.port != s.destination.port) {
        sourceIsClient = s.source.port > s.destination.port; // a guess: the ephemeral port is the client's
    }
    c.client = sourceIsClient ? s.source : s.destination;
    c.server = sourceIsClient ? s.destination : s.source;
    m_conversations.append(c);
    m_table.put(key, hash, index);
    m_lastFlow = index;
    m_lastKey = key;
    return &f;
}

void CaptureAnalyzerPrivate::swapRoles(Flow &f)
{
    TcpConversation &c = m_conversations[f.id];
    std::swap(c.client, c.server);
    std::swap(c.packets[0], c.packets[1]);
    std::swap(c.bytes[0], c.bytes[1]);
    std::swap(c.frameBytes[0], c.frameBytes[1]);
    std::swap(c.retransmissions[0], c.retransmissions[1]);
    std::swap(c.zeroWindows[0], c.zeroWindows[1]);
    std::swap(c.clientDataNs, c.serverDataNs);
    std::swap(c.clientFinNs, c.serverFinNs);
    if (c.resetBy != TcpSide::None)
        c.resetBy = c.resetBy == TcpSide::Client ? TcpSide::Server : TcpSide::Client;
    std::swap(f.reassembler[0], f.reassembler[1]);
}

void CaptureAnalyzerPrivate::update(Flow &f, int direction, const TcpSegment &s)
{
    TcpConversation &c = m_conversations[f.id];
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
            if (m_servers.size() < maxKnownServers)
                m_servers.insert(c.server);
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
    if (f.closed) {
        if (s.payloadLength > 0)
            ++c.retransmissions[direction];
        return;
    }
    m_current = &f;
    TcpReassembler &peer = f.reassembler[1 - direction];
    if ((flags & TcpFlag::Ack) && !(flags & TcpFlag::Syn) && peer.isStarted() &&
        peer.acknowledged(s.ack, this, 1 - direction, t) > 0 && !bumpWarning(QStringLiteral("capture-loss")))
        addWarning(QStringLiteral("capture-loss"),
                   QStringLiteral("the capture misses bytes that the receiver acknowledged (first on %1): it "
                                  "dropped packets; the gaps are skipped")
                       .arg(c.label()));
    if (s.payloadLength > 0 || (flags & (TcpFlag::Syn | TcpFlag::Fin))) {
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
    }
    m_current = nullptr;
    // `c` still holds: the stream parsers add no conversation.
    if ((flags & TcpFlag::Rst) || (c.clientFinNs >= 0 && c.serverFinNs >= 0))
        close(f);
}

void CaptureAnalyzerPrivate::close(Flow &f)
{
    m_current = &f;
    const CaptureTime last = m_conversations.at(f.id).lastNs;
    f.reassembler[0].flush(this, 0, last);
    f.reassembler[1].flush(this, 1, last);
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

void CaptureAnalyzerPrivate::flushFlows()
{
    for (Flow &f : m_flows) {
        if (f.closed)
            continue;
        m_current = &f;
        const CaptureTime last = m_conversations.at(f.id).lastNs;
        f.reassembler[0].flush(this, 0, last);
        f.reassembler[1].flush(this, 1, last);
        m_current = nullptr;
        if (f.inspector) {
            f.inspector->finish();
            f.inspector.reset();
        }
    }
}

void CaptureAnalyzerPrivate::streamData(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs)
{
    Flow &f = *m_current;
    TcpConversation &c = m_conversations[f.id];
    c.bytes[direction] += quint64(size);
    CaptureTime &first = direction == 0 ? c.clientDataNs : c.serverDataNs;
    if (first < 0)
        first = timeNs;
    if (!f.inspector)
        f.inspector = std::make_unique<ConversationInspector>(f.id, this);
    f.inspector->data(direction, data, size, timeNs);
}

void CaptureAnalyzerPrivate::streamGap(int direction, qint64 size, CaptureTime timeNs)
{
    Flow &f = *m_current;
    TcpConversation &c = m_conversations[f.id];
    c.bytes[direction] += quint64(size);
    c.missingBytes += quint64(size);
    CaptureTime &first = direction == 0 ? c.clientDataNs : c.serverDataNs;
    if (first < 0)
        first = timeNs;
    if (f.inspector)
        f.inspector->gap(direction, size, timeNs);
}

bool CaptureAnalyzerPrivate::claimExchange(bool interesting)
{
    if (m_claimed < m_options.maxStoredExchanges &&
        (interesting || m_ordinaryClaimed < m_options.maxOrdinaryExchanges)) {
        ++m_claimed;
        if (!interesting)
            ++m_ordinaryClaimed;
        return true;
    }
    ++m_unstored;
    return false;
}

void CaptureAnalyzerPrivate::exchangePassed(const HttpExchange &basic, QByteArray &requestHead,
                                            const char *responseHead, qsizetype responseSize)
{
    if (m_options.maxPassedExchanges <= 0)
        return;
    PassedExchange now;
    now.conversation = basic.conversation;
    now.status = basic.status;
    now.requestNs = basic.requestNs;
    now.requestEndNs = basic.requestEndNs;
    now.responseNs = basic.responseNs;
    std::swap(now.requestHead, requestHead);
    const CaptureTime t = basic.time();
    if (t <= m_failingWindowsEnd) {
        for (const auto &[from, to] : m_failingWindows) {
            if (t >= from && t <= to && to > 0) {
                storePassed(now, responseHead, responseSize);
                std::swap(now.requestHead, requestHead);
                return;
            }
        }
    }
    if (m_passed.empty())
        m_passed.resize(size_t(m_options.maxPassedExchanges));
    PassedExchange &slot = m_passed[m_passedNext];
    m_passedNext = (m_passedNext + 1) % m_passed.size();
    std::swap(slot.requestHead, now.requestHead);
    std::swap(now.requestHead, requestHead); // the slot's old buffer, for the parser to reuse
    now.responseHead = std::move(slot.responseHead);
    now.responseHead.resize(responseSize);
    std::memcpy(now.responseHead.data(), responseHead, size_t(responseSize));
    now.requestHead = std::move(slot.requestHead);
    now.pending = true;
    slot = std::move(now);
}

void CaptureAnalyzerPrivate::storePassed(const PassedExchange &p, const char *responseHead, qsizetype responseSize)
{
    if (m_claimed >= m_options.maxStoredExchanges)
        return;
    ++m_claimed;
    --m_unstored;
    HttpExchange x;
    if (!p.requestHead.isEmpty())
        fillRequestDetails(&x, p.requestHead.constData(), p.requestHead.size(), this);
    fillResponseDetails(&x, responseHead, responseSize, this);
    x.conversation = p.conversation;
    x.requestNs = p.requestNs;
    x.requestEndNs = p.requestEndNs;
    x.status = p.status;
    x.responseNs = p.responseNs;
    m_exchanges.append(std::move(x));
}

void CaptureAnalyzerPrivate::exchangeStored(HttpExchange &&exchange)
{
    if (exchange.status >= 500) {
        // The window findFailingExchanges() searches for the proxy's upstream exchanges: those
        // passed before are in the ring, those still running are stored as they complete.
        const CaptureTime to = exchange.responseNs;
        const CaptureTime from = exchange.requestNs >= 0 ? exchange.requestNs : to - failingLookBackNs;
        m_failingWindows[m_failingWindowNext] = {from, to};
        m_failingWindowNext = (m_failingWindowNext + 1) % std::size(m_failingWindows);
        m_failingWindowsEnd = qMax(m_failingWindowsEnd, to);
        for (PassedExchange &p : m_passed) {
            const CaptureTime t = p.requestNs >= 0 ? p.requestNs : p.responseNs;
            if (!p.pending || t < from || t > to || p.conversation == exchange.conversation)
                continue;
            p.pending = false;
            storePassed(p, p.responseHead.constData(), p.responseHead.size());
        }
    }
    m_exchanges.append(std::move(exchange));
}

void CaptureAnalyzerPrivate::exchangeCounted(int status, bool hadRequest, bool webSocketRequest)
{
    if (status > 0) {
        ++m_responses;
        if (status < statusSlots)
            ++m_statusCounts[size_t(status)];
    } else if (hadRequest) {
        ++m_unanswered;
    }
    if (webSocketRequest) {
        ++m_wsRequests;
        if (status == 101)
            ++m_wsUpgrades;
    }
}

TlsSession &CaptureAnalyzerPrivate::tlsSession(int conversation)
{
    TcpConversation &c = m_conversations[conversation];
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

} // namespace dd
