#pragma once

#include "capturetypes.h"

#include <QByteArray>

#include <list>
#include <vector>

namespace dd {

/**
 * Reassembles fragmented IPv4 datagrams (RFC 791) so that TCP sees whole segments. Fragments may
 * come in any order, duplicated or overlapping (the first copy of a byte wins, as Linux keeps it).
 * Memory is bounded: at most maxPending datagrams and maxPendingBytes of fragment data wait at
 * once (the oldest is dropped to make room), and a datagram not completed within `timeoutNs` of
 * capture time after its first fragment (Linux's ipfrag_time is 30 s) is dropped.
 */
class Ipv4Defragmenter
{
public:
    enum class Result {
        Pending,  ///< kept; the datagram is not complete yet
        Complete, ///< `datagram` holds the whole IPv4 packet, unfragmented
        Invalid,  ///< impossible offsets or lengths; dropped
    };

    static constexpr int maxPending = 256;
    static constexpr qint64 maxPendingBytes = 8 * 1024 * 1024;
    static constexpr qint64 defaultTimeoutNs = 30LL * 1000000000;

    explicit Ipv4Defragmenter(qint64 timeoutNs = defaultTimeoutNs);

    /// `ip` is an IPv4 header whose MF flag or fragment offset is set, `available` the bytes
    /// captured from it. A snaplen-cut fragment is Invalid: its datagram cannot be rebuilt.
    Result add(const quint8 *ip, qint64 available, CaptureTime timeNs, QByteArray *datagram);

    int pendingCount() const { return int(m_pending.size()); }
    qint64 pendingBytes() const { return m_pendingBytes; }
    /// Datagrams given up: timed out, or dropped to stay within the bounds.
    qint64 expiredCount() const { return m_expired; }
    qint64 evictedCount() const { return m_evicted; }
    qint64 reassembledCount() const { return m_reassembled; }

private:
    struct Pending
    {
        quint8 key[10] = {}; ///< source, destination, identification
        quint8 protocol = 0;
        CaptureTime firstNs = 0;
        QByteArray header;                       ///< of the fragment at offset 0, once seen
        QByteArray payload;                      ///< grows to the highest end seen
        std::vector<std::pair<int, int>> ranges; ///< received [begin, end), sorted, merged
        int total = -1;                          ///< payload length, known from the last fragment (MF clear)
        qint64 cost = 0;
    };

    void expire(CaptureTime now);
    void drop(std::list<Pending>::iterator it);
    static void addRange(std::vector<std::pair<int, int>> &ranges, int begin, int end);

    std::list<Pending> m_pending; ///< oldest first
    qint64 m_timeoutNs;
    qint64 m_pendingBytes = 0;
    qint64 m_expired = 0;
    qint64 m_evicted = 0;
    qint64 m_reassembled = 0;
};

} // namespace dd
