#pragma once

#include "packetdecoder.h"

#include <map>
#include <vector>

namespace dd {

/// Receives one direction's bytes in order. Internal to the analyzer.
class StreamReceiver
{
public:
    virtual ~StreamReceiver() = default;
    virtual void streamData(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs) = 0;
    /// `size` bytes the capture does not hold (snaplen cut, lost) come next in the stream.
    virtual void streamGap(int direction, qint64 size, CaptureTime timeNs) = 0;
};

/**
 * Puts one direction of a TCP conversation back in order: new bytes go to the receiver at once,
 * retransmitted bytes are dropped, segments that arrive early wait in a bounded buffer until the
 * hole before them fills. When the buffer is full the hole is given up as a gap, so a stream
 * that never fills a hole cannot grow memory without limit.
 */
class TcpReassembler
{
public:
    enum class Kind { Empty, InOrder, Retransmission, OutOfOrder };

    static constexpr qsizetype maxBufferedBytes = 256 * 1024;
    static constexpr int maxBufferedSegments = 256;

    /// Feeds one segment (SYN and FIN included: they take a sequence number).
    Kind add(const TcpSegment &segment, StreamReceiver *receiver, int direction);
    /// Delivers what waits in the buffer, with gaps for the holes (at close or end of capture).
    void flush(StreamReceiver *receiver, int direction, CaptureTime timeNs);
    /**
     * The peer acknowledged this direction up to `ack`. Bytes it acknowledged that the capture
     * never showed were lost by the capture, not the network: they become a gap at once, so the
     * stream does not wait for a retransmission that will never come. Returns the bytes skipped.
     */
    qint64 acknowledged(quint32 ack, StreamReceiver *receiver, int direction, CaptureTime timeNs);

    bool isStarted() const { return m_started; }
    qsizetype bufferedBytes() const { return m_bufferedBytes; }

private:
    struct Early
    {
        std::vector<quint8> data; ///< what was captured
        quint32 length = 0;       ///< payload length on the wire
        bool fin = false;
        CaptureTime timeNs = 0;
    };

    void deliver(const quint8 *payload, quint32 captured, quint32 length, quint32 skip, StreamReceiver *receiver,
                 int direction, CaptureTime timeNs);
    void drain(StreamReceiver *receiver, int direction);

    bool m_started = false;
    quint32 m_nextSeq = 0;    ///< next expected sequence number
    quint64 m_nextOffset = 0; ///< the same as a 64-bit stream offset (does not wrap)
    bool m_finished = false;  ///< FIN consumed
    std::map<quint64, Early> m_early;
    qsizetype m_bufferedBytes = 0;
};

} // namespace dd
