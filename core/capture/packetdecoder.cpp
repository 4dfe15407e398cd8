#include "packetdecoder.h"

#include <QtEndian>

namespace dd {

namespace {

constexpr quint16 etherIpv4 = 0x0800;
constexpr quint16 etherIpv6 = 0x86dd;
constexpr quint16 etherVlan = 0x8100;
constexpr quint16 etherQinQ = 0x88a8;
constexpr quint8 protoTcp = 6;

quint16 be16(const quint8 *p)
{
    return qFromBigEndian<quint16>(p);
}

// AF_INET is 2 everywhere; AF_INET6 differs between systems (Linux 10, BSDs 24/28/30, macOS 30).
int familyToEthertype(quint32 family)
{
    if (family == 2)
        return etherIpv4;
    if (family == 10 || family == 24 || family == 28 || family == 30)
        return etherIpv6;
    return 0;
}

DecodeResult decodeTcp(const quint8 *p, qint64 available, quint32 tcpLength, TcpSegment *s)
{
    if (available < 20 || tcpLength < 20)
        return DecodeResult::Truncated;
    const quint32 headerLength = quint32(p[12] >> 4) * 4;
    if (headerLength < 20 || headerLength > tcpLength)
        return DecodeResult::Malformed;
    if (available < headerLength)
        return DecodeResult::Truncated;
    s->source.port = be16(p);
    s->destination.port = be16(p + 2);
    s->seq = qFromBigEndian<quint32>(p + 4);
    s->ack = qFromBigEndian<quint32>(p + 8);
    s->flags = p[13];
    s->window = be16(p + 14);
    s->payload = p + headerLength;
    s->payloadLength = tcpLength - headerLength;
    s->capturedPayload = quint32(qMin<qint64>(s->payloadLength, available - headerLength));
    return DecodeResult::Tcp;
}

DecodeResult decodeIpv4(const quint8 *p, qint64 available, TcpSegment *s, IpFragment *fragment)
{
    if (available < 20)
        return DecodeResult::Truncated;
    if ((p[0] >> 4) != 4)
        return DecodeResult::Malformed;
    const quint32 headerLength = quint32(p[0] & 0x0f) * 4;
    quint32 totalLength = be16(p + 2);
    // TCP segmentation offload leaves 0 in locally captured outgoing packets: use what was captured.
    if (totalLength == 0)
        totalLength = quint32(available);
    if (headerLength < 20 || totalLength < headerLength)
        return DecodeResult::Malformed;
    if (available < headerLength)
        return DecodeResult::Truncated;
    // More fragments (MF) or an offset: the first fragment too, as its TCP payload is incomplete.
    if ((be16(p + 6) & 0x3fff) != 0) {
        if (fragment) {
            fragment->ip = p;
            fragment->available = available;
        }
        return DecodeResult::Fragment;
    }
    if (p[9] != protoTcp)
        return DecodeResult::OtherTransport;
    s->source.address = IpAddress::v4(p + 12);
    s->destination.address = IpAddress::v4(p + 16);
    return decodeTcp(p + headerLength, available - headerLength, totalLength - headerLength, s);
}

DecodeResult decodeIpv6(const quint8 *p, qint64 available, TcpSegment *s, IpFragment *fragment)
{
    if (available < 40)
        return DecodeResult::Truncated;
    if ((p[0] >> 4) != 6)
        return DecodeResult::Malformed;
    quint32 payloadLength = be16(p + 4);
    if (payloadLength == 0) // jumbogram or offload: trust the capture
        payloadLength = quint32(available - 40);
    s->source.address = IpAddress::v6(p + 8);
    s->destination.address = IpAddress::v6(p + 24);
    quint8 next = p[6];
    const quint8 *q = p + 40;
    qint64 left = available - 40;
    qint64 remaining = payloadLength;
    // Walk the extension headers that may precede TCP: hop-by-hop, routing, fragment, destination.
    for (int i = 0; i < 8; ++i) {
        if (next == protoTcp)
            return decodeTcp(q, left, quint32(qMax<qint64>(remaining, 0)), s);
        if (next != 0 && next != 43 && next != 44 && next != 60)
            return DecodeResult::OtherTransport;
        if (left < 8)
            return DecodeResult::Truncated;
        qint64 length = next == 44 ? 8 : (qint64(q[1]) + 1) * 8;
        // A fragment (an offset, or more to come); an atomic fragment (RFC 6946) is the whole packet.
        if (next == 44 && (be16(q + 2) & 0xfff9) != 0) {
            if (fragment) {
                fragment->ip = p;
                fragment->available = available;
            }
            return DecodeResult::Fragment;
        }
        if (length > left)
            return DecodeResult::Truncated;
        next = q[0];
        q += length;
        left -= length;
        remaining -= length;
    }
    return DecodeResult::Malformed;
}

DecodeResult decodeNetwork(int ethertype, const quint8 *p, qint64 available, TcpSegment *s, IpFragment *fragment)
{
    if (ethertype == etherIpv4)
        return decodeIpv4(p, available, s, fragment);
    if (ethertype == etherIpv6)
        return decodeIpv6(p, available, s, fragment);
    return DecodeResult::NotIp;
}

} // namespace

bool isSupportedLinkType(int linkType)
{
    switch (linkType) {
    case LinkType::Null:
    case LinkType::Ethernet:
    case LinkType::Raw:
    case 12: // DLT_RAW on most BSDs; some files carry the DLT instead of the LINKTYPE value
    case 14: // DLT_RAW on OpenBSD
    case LinkType::Loop:
    case LinkType::LinuxSll:
    case LinkType::LinuxSll2:
    case LinkType::Ipv4:
    case LinkType::Ipv6:
        return true;
    default:
        return false;
    }
}

QString linkTypeName(int linkType)
{
    switch (linkType) {
    case LinkType::Null:
        return QStringLiteral("BSD loopback (null)");
    case LinkType::Ethernet:
        return QStringLiteral("Ethernet");
    case LinkType::Raw:
    case 12:
    case 14:
        return QStringLiteral("raw IP");
    case LinkType::Loop:
        return QStringLiteral("OpenBSD loopback");
    case LinkType::LinuxSll:
        return QStringLiteral("Linux cooked (SLL)");
    case LinkType::LinuxSll2:
        return QStringLiteral("Linux cooked (SLL2)");
    case LinkType::Ipv4:
        return QStringLiteral("raw IPv4");
    case LinkType::Ipv6:
        return QStringLiteral("raw IPv6");
    default:
        return QStringLiteral("link type %1").arg(linkType);
    }
}

DecodeResult decodePacket(const RawPacket &packet, TcpSegment *segment, IpFragment *fragment)
{
    const quint8 *p = packet.data;
    qint64 available = packet.capturedLength;
    segment->timeNs = packet.timeNs;
    segment->frameLength = packet.originalLength;
    int ethertype = 0;
    switch (packet.linkType) {
    case LinkType::Ethernet: {
        if (available < 14)
            return DecodeResult::Truncated;
        ethertype = be16(p + 12);
        p += 14;
        available -= 14;
        while ((ethertype == etherVlan || ethertype == etherQinQ) && available >= 4) {
            ethertype = be16(p + 2);
            p += 4;
            available -= 4;
        }
        break;
    }
    case LinkType::LinuxSll:
        if (available < 16)
            return DecodeResult::Truncated;
        ethertype = be16(p + 14);
        p += 16;
        available -= 16;
        break;
    case LinkType::LinuxSll2:
        if (available < 20)
            return DecodeResult::Truncated;
        ethertype = be16(p);
        p += 20;
        available -= 20;
        break;
    case LinkType::Null:
    case LinkType::Loop: {
        if (available < 4)
            return DecodeResult::Truncated;
        quint32 family = packet.linkType == LinkType::Loop ? qFromBigEndian<quint32>(p) : qFromLittleEndian<quint32>(p);
        // DLT_NULL uses the writer's byte order: a family above 0xffff was written big-endian.
        if (family > 0xffff)
            family = qFromBigEndian<quint32>(p);
        ethertype = familyToEthertype(family);
        p += 4;
        available -= 4;
        break;
    }
    case LinkType::Raw:
    case 12:
    case 14:
        if (available < 1)
            return DecodeResult::Truncated;
        ethertype = (p[0] >> 4) == 6 ? etherIpv6 : etherIpv4;
        break;
    case LinkType::Ipv4:
        ethertype = etherIpv4;
        break;
    case LinkType::Ipv6:
        ethertype = etherIpv6;
        break;
    default:
        return DecodeResult::UnknownLinkType;
    }
    return decodeNetwork(ethertype, p, available, segment, fragment);
}

} // namespace dd
