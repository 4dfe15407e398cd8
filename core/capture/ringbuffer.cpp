#include "ringbuffer.h"

namespace dd {

RingBuffer::RingBuffer(qint64 maxAgeNs, qint64 maxBytes) : m_maxAgeNs(maxAgeNs), m_maxBytes(maxBytes) {}

void RingBuffer::add(const RawPacket &packet)
{
    StoredPacket stored;
    stored.timeNs = packet.timeNs;
    stored.linkType = packet.linkType;
    stored.originalLength = packet.originalLength;
    stored.data = QByteArray(reinterpret_cast<const char *>(packet.data), qsizetype(packet.capturedLength));
    m_bytes += stored.data.size() + perPacketOverhead;
    if (packet.timeNs > m_newestNs)
        m_newestNs = packet.timeNs;
    m_packets.push_back(std::move(stored));
    evict();
}

void RingBuffer::evict()
{
    // Timestamps may step back a little (several interfaces, clock adjustments): the window is
    // measured from the newest time seen, and only the front is ever dropped.
    const CaptureTime cutoff = m_maxAgeNs > 0 ? m_newestNs - m_maxAgeNs : -1;
    while (!m_packets.empty() && (m_bytes > m_maxBytes || (m_maxAgeNs > 0 && m_packets.front().timeNs < cutoff))) {
        m_bytes -= m_packets.front().data.size() + perPacketOverhead;
        m_packets.pop_front();
        ++m_evicted;
    }
}

void RingBuffer::clear()
{
    m_packets.clear();
    m_bytes = 0;
    m_newestNs = -1;
}

} // namespace dd
