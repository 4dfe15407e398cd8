#pragma once

#include "ipdefragmenter.h"

namespace dd {

/**
 * Reassembles fragmented IPv6 datagrams (RFC 8200, section 4.5: a Fragment extension header
 * after the unfragmentable headers) so that TCP sees whole segments; the bounds and the handling
 * of overlaps are IpDefragmenter's. The whole datagram keeps the first fragment's unfragmentable
 * headers, without the Fragment header.
 */
class Ipv6Defragmenter : public IpDefragmenter
{
public:
    explicit Ipv6Defragmenter(qint64 timeoutNs = defaultTimeoutNs) : IpDefragmenter(timeoutNs) {}

    /// `ip` is an IPv6 header followed (after hop-by-hop, routing or destination options
    /// headers) by a Fragment header with an offset or the M flag; `available` the bytes captured
    /// from it. A snaplen-cut fragment is Invalid. On Complete, `datagram` holds the whole packet.
    Result add(const quint8 *ip, qint64 available, CaptureTime timeNs, QByteArray *datagram);
};

} // namespace dd
