#pragma once

#include "ipdefragmenter.h"

namespace dd {

/**
 * Reassembles fragmented IPv4 datagrams (RFC 791) so that TCP sees whole segments; the bounds
 * and the handling of overlaps are IpDefragmenter's.
 */
class Ipv4Defragmenter : public IpDefragmenter
{
public:
    explicit Ipv4Defragmenter(qint64 timeoutNs = defaultTimeoutNs) : IpDefragmenter(timeoutNs) {}

    /// `ip` is an IPv4 header whose MF flag or fragment offset is set, `available` the bytes
    /// captured from it. A snaplen-cut fragment is Invalid: its datagram cannot be rebuilt.
    /// On Complete, `datagram` holds the whole IPv4 packet, unfragmented.
    Result add(const quint8 *ip, qint64 available, CaptureTime timeNs, QByteArray *datagram);
};

} // namespace dd
