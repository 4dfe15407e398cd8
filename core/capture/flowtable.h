#pragma once

#include "capturetypes.h"
#include "packetdecoder.h"

#include <vector>

namespace dd {

/// Both endpoints of a segment in a fixed order, so the two directions share one key. Internal.
struct FlowKey
{
    quint64 words[5] = {};

    static FlowKey of(const TcpSegment &segment);
    quint64 hash() const;
    bool operator==(const FlowKey &other) const
    {
        return words[0] == other.words[0] && words[1] == other.words[1] && words[2] == other.words[2] &&
               words[3] == other.words[3] && words[4] == other.words[4];
    }
};

/**
 * Maps flow keys to conversation indexes: open addressing with linear probing over slots that
 * hold the key itself, so a lookup touches the table only. A key may be re-pointed to a newer
 * conversation (port reuse). Internal to the analyzer.
 */
class FlowTable
{
public:
    /// The conversation index stored for `key`, or -1.
    int find(const FlowKey &key, quint64 hash) const
    {
        if (m_slots.empty())
            return -1;
        for (size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
            const Slot &slot = m_slots[i];
            if (slot.index < 0)
                return -1;
            if (slot.key == key)
                return slot.index;
        }
    }

    /// Stores `index` for `key`, replacing what it held.
    void put(const FlowKey &key, quint64 hash, int index)
    {
        if ((m_count + 1) * 2 > m_slots.size())
            grow();
        for (size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
            Slot &slot = m_slots[i];
            if (slot.index < 0) {
                slot.key = key;
                slot.index = index;
                ++m_count;
                return;
            }
            if (slot.key == key) {
                slot.index = index;
                return;
            }
        }
    }

    size_t size() const { return m_count; }

private:
    struct Slot
    {
        FlowKey key;
        int index = -1;
    };

    void grow();

    std::vector<Slot> m_slots;
    size_t m_mask = 0;
    size_t m_count = 0;
};

} // namespace dd
