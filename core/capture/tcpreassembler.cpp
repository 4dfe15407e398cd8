#include "tcpreassembler.h"

namespace dd {

TcpReassembler::Kind TcpReassembler::add(const TcpSegment &s, StreamReceiver *receiver, int direction)
{
    if (s.has(TcpFlag::Syn)) {
        if (m_started && s.seq + 1 == m_nextSeq)
            return Kind::Retransmission;
        if (!m_started || m_nextOffset == 0) {
            m_started = true;
            m_nextSeq = s.seq + 1;
            m_nextOffset = 0;
        }
        return Kind::Empty; // data on a SYN (TCP Fast Open) is not followed
    }
    if (!m_started) {
        m_started = true;
        m_nextSeq = s.seq;
        m_nextOffset = 0;
    }
    const quint32 length = s.payloadLength;
    const bool fin = s.has(TcpFlag::Fin);
    const qint32 delta = qint32(s.seq - m_nextSeq);

    if (delta > 0) {
        if (length == 0 && !fin)
            return Kind::Empty; // a pure ACK ahead of a hole says nothing about the stream
        const quint64 offset = m_nextOffset + quint64(delta);
        if (m_bufferedBytes + qsizetype(s.capturedPayload) <= maxBufferedBytes &&
            int(m_early.size()) < maxBufferedSegments) {
            if (m_early.count(offset) == 0) {
                Early e;
                e.data.assign(s.payload, s.payload + s.capturedPayload);
                e.length = length;
                e.fin = fin;
                e.timeNs = s.timeNs;
                m_bufferedBytes += qsizetype(e.data.size());
                m_early.emplace(offset, std::move(e));
            }
            return Kind::OutOfOrder;
        }
        // The buffer is full: give up on the hole so the stream can go on.
        flush(receiver, direction, s.timeNs);
        const qint32 left = qint32(s.seq - m_nextSeq);
        if (left > 0) {
            receiver->streamGap(direction, left, s.timeNs);
            m_nextSeq = s.seq;
            m_nextOffset += quint64(left);
        }
        deliver(s.payload, s.capturedPayload, length, 0, receiver, direction, s.timeNs);
        if (fin && !m_finished) {
            m_finished = true;
            ++m_nextSeq;
        }
        drain(receiver, direction);
        return Kind::OutOfOrder;
    }

    if (delta < 0) {
        const qint64 overlap = -qint64(delta);
        if (length == 0 || qint64(length) <= overlap)
            return length == 0 ? Kind::Empty : Kind::Retransmission;
        deliver(s.payload, s.capturedPayload, length, quint32(overlap), receiver, direction, s.timeNs);
        if (fin && !m_finished) {
            m_finished = true;
            ++m_nextSeq;
        }
        drain(receiver, direction);
        return Kind::Retransmission;
    }

    if (length > 0)
        deliver(s.payload, s.capturedPayload, length, 0, receiver, direction, s.timeNs);
    if (fin && !m_finished) {
        m_finished = true;
        ++m_nextSeq;
    }
    if (!m_early.empty())
        drain(receiver, direction);
    return length > 0 ? Kind::InOrder : Kind::Empty;
}

void TcpReassembler::deliver(const quint8 *payload, quint32 captured, quint32 length, quint32 skip,
                             StreamReceiver *receiver, int direction, CaptureTime timeNs)
{
    if (skip < captured)
        receiver->streamData(direction, payload + skip, qsizetype(captured - skip), timeNs);
    const quint32 held = qMax(captured, skip);
    if (held < length)
        receiver->streamGap(direction, qint64(length - held), timeNs);
    m_nextSeq += length - skip;
    m_nextOffset += length - skip;
}

void TcpReassembler::drain(StreamReceiver *receiver, int direction)
{
    while (!m_early.empty()) {
        auto it = m_early.begin();
        if (it->first > m_nextOffset)
            return;
        Early e = std::move(it->second);
        const quint64 offset = it->first;
        m_bufferedBytes -= qsizetype(e.data.size());
        m_early.erase(it);
        const quint64 overlap = m_nextOffset - offset;
        if (overlap < e.length)
            deliver(e.data.data(), quint32(e.data.size()), e.length, quint32(overlap), receiver, direction, e.timeNs);
        if (e.fin && !m_finished) {
            m_finished = true;
            ++m_nextSeq;
        }
    }
}

qint64 TcpReassembler::acknowledged(quint32 ack, StreamReceiver *receiver, int direction, CaptureTime timeNs)
{
    if (!m_started || m_finished)
        return 0;
    const qint32 ahead = qint32(ack - m_nextSeq);
    if (ahead <= 0)
        return 0;
    qint64 skipped = 0;
    const quint64 target = m_nextOffset + quint64(ahead);
    while (m_nextOffset < target) {
        // Up to the next buffered segment (or the acknowledged point), then what follows in order.
        const auto early = m_early.begin();
        const quint64 until = early != m_early.end() && early->first < target ? early->first : target;
        if (until > m_nextOffset) {
            const qint64 hole = qint64(until - m_nextOffset);
            receiver->streamGap(direction, hole, timeNs);
            skipped += hole;
            m_nextSeq += quint32(hole);
            m_nextOffset = until;
        }
        const quint64 before = m_nextOffset;
        drain(receiver, direction);
        if (m_nextOffset == before && until == target)
            break;
        if (m_finished)
            break;
    }
    return skipped;
}

void TcpReassembler::flush(StreamReceiver *receiver, int direction, CaptureTime timeNs)
{
    Q_UNUSED(timeNs);
    while (!m_early.empty()) {
        auto it = m_early.begin();
        if (it->first > m_nextOffset) {
            const qint64 hole = qint64(it->first - m_nextOffset);
            receiver->streamGap(direction, hole, it->second.timeNs);
            m_nextSeq += quint32(hole);
            m_nextOffset += quint64(hole);
        }
        drain(receiver, direction);
    }
}

} // namespace dd
