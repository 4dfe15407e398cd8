#include "flowtable.h"

#include <cstring>

namespace dd {

namespace {

bool endpointLess(const Endpoint &a, const Endpoint &b)
{
    quint64 x[2];
    quint64 y[2];
    std::memcpy(x, a.address.bytes, 16);
    std::memcpy(y, b.address.bytes, 16);
    if (x[0] != y[0])
        return x[0] < y[0];
    if (x[1] != y[1])
        return x[1] < y[1];
    return a.port < b.port;
}

} // namespace

FlowKey FlowKey::of(const TcpSegment &s)
{
    const bool swap = endpointLess(s.destination, s.source);
    const Endpoint &a = swap ? s.destination : s.source;
    const Endpoint &b = swap ? s.source : s.destination;
    FlowKey k;
    auto *bytes = reinterpret_cast<quint8 *>(k.words);
    std::memcpy(bytes, a.address.bytes, 16);
    std::memcpy(bytes + 16, b.address.bytes, 16);
    std::memcpy(bytes + 32, &a.port, 2);
    std::memcpy(bytes + 34, &b.port, 2);
    bytes[36] = a.address.isV6 ? 1 : 0;
    return k;
}

quint64 FlowKey::hash() const
{
    // Multiply-xorshift mixing of every word: the low bits (the probe start) depend on all of them.
    quint64 h = 0x9e3779b97f4a7c15ULL;
    for (quint64 w : words) {
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    return h ^ (h >> 29);
}

void FlowTable::grow()
{
    std::vector<Slot> old;
    old.swap(m_slots);
    const size_t capacity = old.empty() ? 1024 : old.size() * 2;
    m_slots.assign(capacity, Slot());
    m_mask = capacity - 1;
    for (const Slot &slot : old) {
        if (slot.index < 0)
            continue;
        size_t i = slot.key.hash() & m_mask;
        while (m_slots[i].index >= 0)
            i = (i + 1) & m_mask;
        m_slots[i] = slot;
    }
}

} // namespace dd
