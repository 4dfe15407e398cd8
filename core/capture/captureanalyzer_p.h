#pragma once

// Internal state of CaptureAnalyzer; not part of core's interface.

#include "bpffilter.h"
#include "captureanalyzer.h"
#include "conversationinspector.h"
#include "flowtable.h"
#include "ipv4defragmenter.h"
#include "ipv6defragmenter.h"
#include "packetdecoder.h"
#include "tcpreassembler.h"

#include <QHash>

#include <map>
#include <memory>
#include <unordered_set>
#include <vector>

namespace dd {

/// The per-conversation state that the result does not need.
struct Flow
{
    int id = -1;
    TcpReassembler reassembler[2];
    std::unique_ptr<ConversationInspector> inspector;
    quint32 clientIsn = 0;
    bool closed = false;
    bool rolesSettled = false; ///< by a handshake, a known server endpoint or the first payload
};

struct EndpointHash
{
    size_t operator()(const Endpoint &e) const;
};

class CaptureAnalyzerPrivate : public InspectorSink, public StreamReceiver
{
public:
    CaptureAnalyzerPrivate(CaptureAnalyzer *q, const CaptureOptions &options);

    void packet(const RawPacket &packet);
    /// Counts a warning of `kind` seen before; false when it is new (then call addWarning).
    bool bumpWarning(const QString &kind);
    void addWarning(const QString &kind, const QString &message);
    void warn(const QString &kind, const QString &message);
    Flow *flowFor(const TcpSegment &s);
    Flow *createFlow(const FlowKey &key, quint64 hash, const TcpSegment &s);
    void update(Flow &flow, int direction, const TcpSegment &s);
    void close(Flow &flow);
    void flushFlows();
    bool passesFilter(const RawPacket &packet);
    /// Feeds an IPv4 or IPv6 fragment to its defragmenter: Tcp (with `s` set) when it completed a TCP
    /// datagram, Fragment while incomplete or dropped, OtherTransport for a whole non-TCP one.
    DecodeResult reassemble(const RawPacket &packet, const IpFragment &fragment, TcpSegment *s);
    TcpOutcome outcomeOf(const TcpConversation &c) const;
    void swapRoles(Flow &flow);

    // InspectorSink
    TcpConversation &conversation(int id) override { return m_conversations[id]; }
    void requestParsed(int) override { ++m_requests; }
    bool claimExchange(bool interesting) override;
    void exchangeCounted(int status, bool hadRequest, bool webSocketRequest) override;
    void exchangeStored(HttpExchange &&exchange) override;
    void exchangePassed(const HttpExchange &basic, QByteArray &requestHead, const char *responseHead,
                        qsizetype responseSize) override;
    TlsSession &tlsSession(int conversation) override;
    void noteAdded(ProtocolNote &&note) override;
    void inspectionWarning(const QString &kind, const QString &message) override { warn(kind, message); }
    QString intern(const char *data, qsizetype size) override;

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

    QList<TcpConversation> m_conversations; ///< shared with results once final
    std::vector<Flow> m_flows;              ///< parallel to m_conversations; no pointer into it outlives a packet
    FlowTable m_table;
    int m_lastFlow = -1;
    FlowKey m_lastKey;
    Flow *m_current = nullptr;
    std::map<int, std::unique_ptr<BpfFilter>> m_filters;
    /// Endpoints seen accepting a connection (SYN-ACK): the server side of later mid-stream flows.
    std::unordered_set<Endpoint, EndpointHash> m_servers;

    qint64 m_packets = 0;
    qint64 m_tcpPackets = 0;
    qint64 m_otherPackets = 0;
    qint64 m_undecoded = 0;
    qint64 m_filtered = 0;
    qint64 m_snaplenCut = 0;
    qint64 m_untracked = 0;
    qint64 m_reassembled = 0;
    Ipv4Defragmenter m_defragmenter;
    Ipv6Defragmenter m_defragmenter6;
    QByteArray m_datagram; ///< the last reassembled datagram; segments point into it
    CaptureTime m_firstNs = -1;
    CaptureTime m_lastNs = -1;

    QList<HttpExchange> m_exchanges;
    /// The last ordinary exchanges not kept, raw (a ring): the upstream side of a failing exchange
    /// is often an ordinary one (a 200 the proxy could not use), stored in full once one turns up.
    struct PassedExchange
    {
        int conversation = -1;
        int status = 0;
        CaptureTime requestNs = -1;
        CaptureTime requestEndNs = -1;
        CaptureTime responseNs = -1;
        QByteArray requestHead;
        QByteArray responseHead;
        bool pending = false;
    };
    std::vector<PassedExchange> m_passed;
    size_t m_passedNext = 0;
    /// The windows of the last failing exchanges: an ordinary exchange that completes later but
    /// falls in one is stored at once.
    std::pair<CaptureTime, CaptureTime> m_failingWindows[32] = {};
    size_t m_failingWindowNext = 0;
    CaptureTime m_failingWindowsEnd = -1; ///< the latest end among them
    void storePassed(const PassedExchange &passed, const char *responseHead, qsizetype responseSize);
    qint64 m_claimed = 0;
    qint64 m_ordinaryClaimed = 0;
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
    QHash<QByteArray, QString> m_interned;
};

} // namespace dd
