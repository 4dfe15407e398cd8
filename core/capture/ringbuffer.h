#pragma once

#include "pcapstreamparser.h"

#include <QByteArray>

#include <deque>
#include <vector>

namespace dd {

/// A captured frame with its own copy of the bytes (RawPacket only points into a parser's buffer).
struct StoredPacket
{
    CaptureTime timeNs = 0;
    int linkType = 0;
    quint32 originalLength = 0;
    QByteArray data;
};

/**
 * Keeps the most recent packets of a live capture, bounded both by age (relative to the newest
 * packet's timestamp, so a stalled capture keeps its last window) and by bytes, for writing out
 * when something fails. Oldest packets go first when either bound is exceeded.
 */
class RingBuffer : public PacketSink
{
public:
    /// `maxAgeNs` <= 0: no age bound; `maxBytes` is always enforced.
    RingBuffer(qint64 maxAgeNs, qint64 maxBytes);

    void add(const RawPacket &packet);
    void packetRead(const RawPacket &packet) override { add(packet); }

    qsizetype packetCount() const { return qsizetype(m_packets.size()); }
    /// Bytes counted against the bound: the frames plus a fixed per-packet overhead.
    qint64 bytes() const { return m_bytes; }
    /// Packets evicted by either bound so far.
    qint64 evictedPackets() const { return m_evicted; }
    qint64 maxAgeNs() const { return m_maxAgeNs; }
    qint64 maxBytes() const { return m_maxBytes; }
    /// -1 when empty.
    CaptureTime oldestNs() const { return m_packets.empty() ? -1 : m_packets.front().timeNs; }
    CaptureTime newestNs() const { return m_packets.empty() ? -1 : m_newestNs; }

    /// The packets held, oldest first.
    std::vector<StoredPacket> snapshot() const { return {m_packets.begin(), m_packets.end()}; }
    void clear();

    /// What a packet costs beyond its frame (struct, QByteArray header, deque slot), roughly.
    static constexpr qint64 perPacketOverhead = 64;

private:
    void evict();

    std::deque<StoredPacket> m_packets;
    qint64 m_maxAgeNs;
    qint64 m_maxBytes;
    qint64 m_bytes = 0;
    qint64 m_evicted = 0;
    CaptureTime m_newestNs = -1;
};

} // namespace dd
