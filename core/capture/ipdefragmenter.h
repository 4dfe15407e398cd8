#pragma once

#include "capturetypes.h"

#include <QByteArray>
#include <QByteArrayView>

#include <list>
#include <vector>

namespace dd {

/**
 * The protocol-neutral half of IP reassembly, the base of Ipv4Defragmenter and Ipv6Defragmenter:
 * fragments of one datagram (named by a key: addresses and identification) may come in any order,
 * duplicated or overlapping (the first copy of a byte wins, as Linux keeps it). Memory is bounded:
 * at most maxPending datagrams and maxPendingBytes of fragment data wait at once (the oldest is
 * dropped to make room), and a datagram not completed within `timeoutNs` of capture time after
 * its first fragment (Linux's ipfrag_time is 30 s) is dropped.
 */
class IpDefragmenter
{
public:
    enum class Result {
        Pending,  ///< kept; the datagram is not complete yet
        Complete, ///< the whole datagram is in the outputs
        Invalid,  ///< impossible offsets or lengths; dropped
    };

    static constexpr int maxPending = 256;
    static constexpr qint64 maxPendingBytes = 8 * 1024 * 1024;
    static constexpr qint64 defaultTimeoutNs = 30LL * 1000000000;
    static constexpr int maxDatagram = 65535;

    /// One fragment: bytes [offset, offset + data.size()) of the datagram's fragmentable part.
    /// `header` is what precedes that part (kept from the fragment at offset 0).
    struct Piece
    {
        QByteArrayView key;
        int offset = 0;
        bool more = false; ///< more fragments follow
        QByteArrayView data;
        QByteArrayView header;
    };

    explicit IpDefragmenter(qint64 timeoutNs = defaultTimeoutNs);

    int pendingCount() const { return int(m_pending.size()); }
    qint64 pendingBytes() const { return m_pendingBytes; }
    /// Datagrams given up: timed out, or dropped to stay within the bounds.
    qint64 expiredCount() const { return m_expired; }
    qint64 evictedCount() const { return m_evicted; }
    qint64 reassembledCount() const { return m_reassembled; }

protected:
    /// On Complete, `header` and `payload` hold the first fragment's header and the whole part.
    Result addPiece(const Piece &piece, CaptureTime timeNs, QByteArray *header, QByteArray *payload);

private:
    struct Pending
    {
        QByteArray key;
        CaptureTime firstNs = 0;
        QByteArray header;                       ///< of the fragment at offset 0, once seen
        QByteArray payload;                      ///< grows to the highest end seen
        std::vector<std::pair<int, int>> ranges; ///< received [begin, end), sorted, merged
        int total = -1;                          ///< payload length, known from the last fragment
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
