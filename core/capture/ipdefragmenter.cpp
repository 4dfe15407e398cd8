#include "ipdefragmenter.h"

#include <algorithm>
#include <cstring>

namespace dd {

IpDefragmenter::IpDefragmenter(qint64 timeoutNs) : m_timeoutNs(timeoutNs) {}

void IpDefragmenter::drop(std::list<Pending>::iterator it)
{
    m_pendingBytes -= it->cost;
    m_pending.erase(it);
}

void IpDefragmenter::expire(CaptureTime now)
{
    while (!m_pending.empty() && now - m_pending.front().firstNs > m_timeoutNs) {
        drop(m_pending.begin());
        ++m_expired;
    }
}

void IpDefragmenter::addRange(std::vector<std::pair<int, int>> &ranges, int begin, int end)
{
    ranges.emplace_back(begin, end);
    std::sort(ranges.begin(), ranges.end());
    std::vector<std::pair<int, int>> merged;
    for (const auto &r : ranges) {
        if (!merged.empty() && r.first <= merged.back().second)
            merged.back().second = std::max(merged.back().second, r.second);
        else
            merged.push_back(r);
    }
    ranges.swap(merged);
}

IpDefragmenter::Result IpDefragmenter::addPiece(const Piece &piece, CaptureTime timeNs, QByteArray *header,
                                                QByteArray *payload)
{
    expire(timeNs);
    const int offset = piece.offset;
    const int length = int(piece.data.size());
    if (length <= 0 || offset < 0 || offset + length > maxDatagram)
        return Result::Invalid;
    auto it = std::find_if(m_pending.begin(), m_pending.end(), [&](const Pending &p) { return p.key == piece.key; });
    if (it == m_pending.end()) {
        while (int(m_pending.size()) >= maxPending) {
            drop(m_pending.begin());
            ++m_evicted;
        }
        m_pending.emplace_back();
        it = std::prev(m_pending.end());
        it->key = piece.key.toByteArray();
        it->firstNs = timeNs;
    }
    Pending &p = *it;
    if (!piece.more) {
        if (p.total >= 0 && p.total != offset + length) {
            drop(it);
            return Result::Invalid; // two different ends: not one datagram
        }
        p.total = offset + length;
    }
    if (offset == 0 && p.header.isEmpty())
        p.header = piece.header.toByteArray();
    if (p.payload.size() < offset + length)
        p.payload.resize(offset + length, '\0');
    // Bytes already received stay as they were: copy only the parts of this fragment not yet covered.
    const char *data = piece.data.data();
    int at = offset;
    const int end = offset + length;
    for (const auto &r : p.ranges) {
        if (r.second <= at)
            continue;
        if (r.first >= end)
            break;
        if (r.first > at)
            std::memcpy(p.payload.data() + at, data + (at - offset), size_t(r.first - at));
        at = std::max(at, r.second);
        if (at >= end)
            break;
    }
    if (at < end)
        std::memcpy(p.payload.data() + at, data + (at - offset), size_t(end - at));
    addRange(p.ranges, offset, end);
    const qint64 cost = p.payload.size() + p.header.size() + qint64(p.ranges.size()) * 8;
    m_pendingBytes += cost - p.cost;
    p.cost = cost;
    if (p.total >= 0 && p.payload.size() > p.total) {
        drop(it);
        return Result::Invalid; // data beyond the last fragment's end
    }
    if (p.total >= 0 && !p.header.isEmpty() && p.ranges.size() == 1 && p.ranges.front().first == 0 &&
        p.ranges.front().second == p.total) {
        *header = std::move(p.header);
        *payload = std::move(p.payload);
        drop(it);
        ++m_reassembled;
        return Result::Complete;
    }
    while (m_pendingBytes > maxPendingBytes && m_pending.size() > 1) {
        drop(m_pending.begin() == it ? std::next(m_pending.begin()) : m_pending.begin());
        ++m_evicted;
    }
    return Result::Pending;
}

} // namespace dd
