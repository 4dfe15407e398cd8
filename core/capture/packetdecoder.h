#pragma once

#include "capturetypes.h"
#include "pcapstreamparser.h"

namespace dd {

/// TCP header flags.
namespace TcpFlag {
constexpr quint8 Fin = 0x01;
constexpr quint8 Syn = 0x02;
constexpr quint8 Rst = 0x04;
constexpr quint8 Psh = 0x08;
constexpr quint8 Ack = 0x10;
} // namespace TcpFlag

/// A TCP segment taken out of a captured frame. `payload` points into the frame.
struct TcpSegment
{
    CaptureTime timeNs = 0;
    Endpoint source;
    Endpoint destination;
    quint32 seq = 0;
    quint32 ack = 0;
    quint8 flags = 0;
    quint16 window = 0;
    const quint8 *payload = nullptr;
    quint32 payloadLength = 0;   ///< as the IP header says
    quint32 capturedPayload = 0; ///< what the capture holds (less when snaplen cut the frame)
    quint32 frameLength = 0;     ///< original frame length

    bool has(quint8 flag) const { return (flags & flag) != 0; }
};

enum class DecodeResult {
    Tcp,
    NotIp,          ///< ARP, LLDP, ...
    OtherTransport, ///< UDP, ICMP, ...
    UnknownLinkType,
    Truncated, ///< the frame ends inside a link, IP or TCP header
    Fragment,  ///< an IPv4 or IPv6 fragment (see IpFragment)
    Malformed, ///< impossible header lengths
};

/// Link types the decoder understands (LINKTYPE_* values).
namespace LinkType {
constexpr int Null = 0; ///< BSD loopback, family in the capturing host's byte order
constexpr int Ethernet = 1;
constexpr int Raw = 101;       ///< raw IPv4/IPv6
constexpr int Loop = 108;      ///< OpenBSD loopback, family in network byte order
constexpr int LinuxSll = 113;  ///< Linux cooked v1 ("any" device)
constexpr int LinuxSll2 = 276; ///< Linux cooked v2
constexpr int Ipv4 = 228;
constexpr int Ipv6 = 229;
} // namespace LinkType

bool isSupportedLinkType(int linkType);
/// "Ethernet", "Linux cooked (SLL2)", or "link type 147".
QString linkTypeName(int linkType);

/// Where an IP fragment's IPv4 or IPv6 header starts in the frame, for reassembly
/// (Ipv4Defragmenter, Ipv6Defragmenter).
struct IpFragment
{
    const quint8 *ip = nullptr;
    qint64 available = 0; ///< bytes captured from `ip` on
};

/// Decodes one frame down to its TCP segment. For an IP fragment (first or later) the result
/// is Fragment and, when given, `fragment` says where its IP header is.
DecodeResult decodePacket(const RawPacket &packet, TcpSegment *segment, IpFragment *fragment = nullptr);

} // namespace dd
