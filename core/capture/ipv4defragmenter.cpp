#include "ipv4defragmenter.h"

#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace dd {

namespace {

constexpr int maxDatagram = 65535;

} // namespace

Ipv4Defragmenter::Ipv4Defragmenter(qint64 timeoutNs) : m_timeoutNs(timeoutNs) {}

void Ipv4Defragmenter::drop(std::list<Pending>::iterator it)
{
    m_pendingBytes -= it->cost;
    m_pending.erase(it);
}

void Ipv4Defragmenter::expire(CaptureTime now)
{
    while (!m_pending.empty() && now - m_pending.front().firstNs > m_timeoutNs) {
        drop(m_pending.begin());
        ++m_expired;
    }
}

void Ipv4Defragmenter::addRange(std::vector<std::pair<int, int>> &ranges, int begin, int end)
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

Ipv4Defragmenter::Result Ipv4Defragmenter::add(const quint8 *ip, qint64 available, CaptureTime timeNs,
                                               QByteArray *datagram)
{
    expire(timeNs);
    if (available < 20)
        return Result::Invalid;
    const int headerLength = (ip[0] & 0x0f) * 4;
    const int totalLength = qFromBigEndian<quint16>(ip + 2);
    const quint16 flags = qFromBigEndian<quint16>(ip + 6);
    const int offset = (flags & 0x1fff) * 8;
    const bool more = (flags & 0x2000) != 0;
    const int length = totalLength - headerLength;
    // Every fragment but the last carries a multiple of 8 bytes.
    if (headerLength < 20 || length <= 0 || available < totalLength || (more && length % 8 != 0) ||
        offset + length > maxDatagram - headerLength)
        return Result::Invalid;

    quint8 key[10];
    std::memcpy(key, ip + 12, 8);
    std::memcpy(key + 8, ip + 4, 2);
    auto it = std::find_if(m_pending.begin(), m_pending.end(), [&](const Pending &p) {
        return p.protocol == ip[9] && std::memcmp(p.key, key, sizeof key) == 0;
    });
    if (it == m_pending.end()) {
        while (int(m_pending.size()) >= maxPending) {
            drop(m_pending.begin());
            ++m_evicted;
        }
        m_pending.emplace_back();
        it = std::prev(m_pending.end());
        std::memcpy(it->key, key, sizeof key);
        it->protocol = ip[9];
        it->firstNs = timeNs;
    }
    Pending &p = *it;
    if (!more) {
        if (p.total >= 0 && p.total != offset + length) {
            drop(it);
            return Result::Invalid; // two different ends: not one datagram
        }
        p.total = offset + length;
    }
    if (offset == 0 && p.header.isEmpty())
        p.header = QByteArray(reinterpret_cast<const char *>(ip), headerLength);
    if (p.payload.size() < offset + length)
        p.payload.resize(offset + length, '\0');
    // Bytes already received stay as they were: copy only the parts of this fragment not yet covered.
    int at = offset;
    const int end = offset + length;
    for (const auto &r : p.ranges) {
        if (r.second <= at)
            continue;
        if (r.first >= end)
            break;
        if (r.first > at)
            std::memcpy(p.payload.data() + at, ip + headerLength + (at - offset), size_t(r.first - at));
        at = std::max(at, r.second);
        if (at >= end)
            break;
    }
    if (at < end)
        std::memcpy(p.payload.data() + at, ip + headerLength + (at - offset), size_t(end - at));
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
        *datagram = p.header + p.payload;
        auto *h = reinterpret_cast<quint8 *>(datagram->data());
        qToBigEndian<quint16>(quint16(datagram->size()), h + 2);
        qToBigEndian<quint16>(quint16(qFromBigEndian<quint16>(h + 6) & 0x4000), h + 6); // keep DF only
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
