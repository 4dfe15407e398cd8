#pragma once

// Crafts pcap/pcapng captures for the capture tests: frames for every supported link type,
// IPv4/IPv6 + TCP, and a TcpScript that plays a conversation with consistent sequence numbers.
// Header-only; the tests include it as "../data/capture/packetbuilder.h".

#include <QByteArray>
#include <QList>
#include <QString>
#include <QtEndian>

#include <algorithm>

namespace capturetest {

inline void put16(QByteArray &b, quint16 v, bool bigEndian = true)
{
    char c[2];
    bigEndian ? qToBigEndian(v, c) : qToLittleEndian(v, c);
    b.append(c, 2);
}

inline void put32(QByteArray &b, quint32 v, bool bigEndian = true)
{
    char c[4];
    bigEndian ? qToBigEndian(v, c) : qToLittleEndian(v, c);
    b.append(c, 4);
}

struct Address
{
    QByteArray bytes; ///< 4 or 16 bytes
    bool isV6() const { return bytes.size() == 16; }

    static Address v4(quint8 a, quint8 b, quint8 c, quint8 d)
    {
        const char bytes[4] = {char(a), char(b), char(c), char(d)};
        return Address{QByteArray(bytes, 4)};
    }
    static Address loopback6()
    {
        QByteArray b(16, '\0');
        b[15] = 1;
        return Address{b};
    }
};

inline Address localhost()
{
    return Address::v4(127, 0, 0, 1);
}

enum Flag : quint8 { FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10 };

/// An IPv4 or IPv6 packet carrying one TCP segment.
inline QByteArray ipTcp(const Address &src, quint16 sport, const Address &dst, quint16 dport, quint32 seq, quint32 ack,
                        quint8 flags, const QByteArray &payload, quint16 window = 65535, bool withIpv6HopByHop = false)
{
    QByteArray tcp;
    put16(tcp, sport);
    put16(tcp, dport);
    put32(tcp, seq);
    put32(tcp, ack);
    tcp.append(char(5 << 4));
    tcp.append(char(flags));
    put16(tcp, window);
    put16(tcp, 0); // checksum: not checked by the analyzer
    put16(tcp, 0);
    tcp.append(payload);
    QByteArray ip;
    if (!src.isV6()) {
        ip.append(char(0x45));
        ip.append('\0');
        put16(ip, quint16(20 + tcp.size()));
        put16(ip, 0);
        put16(ip, 0x4000); // don't fragment
        ip.append(char(64));
        ip.append(char(6));
        put16(ip, 0);
        ip.append(src.bytes);
        ip.append(dst.bytes);
    } else {
        QByteArray ext;
        if (withIpv6HopByHop) {
            ext.append(char(6)); // next header TCP
            ext.append('\0');    // length 8
            ext.append(QByteArray(6, '\0'));
        }
        put32(ip, 0x60000000);
        put16(ip, quint16(ext.size() + tcp.size()));
        ip.append(char(withIpv6HopByHop ? 0 : 6));
        ip.append(char(64));
        ip.append(src.bytes);
        ip.append(dst.bytes);
        ip.append(ext);
    }
    return ip + tcp;
}

enum class Link { Ethernet, EthernetVlan, Sll, Sll2, NullLittle, NullBig, Loop, Raw };

inline int linkTypeOf(Link link)
{
    switch (link) {
    case Link::Ethernet:
    case Link::EthernetVlan:
        return 1;
    case Link::Sll:
        return 113;
    case Link::Sll2:
        return 276;
    case Link::NullLittle:
    case Link::NullBig:
        return 0;
    case Link::Loop:
        return 108;
    case Link::Raw:
        return 101;
    }
    return 1;
}

/// Wraps an IP packet in the given link layer.
inline QByteArray frame(Link link, const QByteArray &ip)
{
    const bool v6 = (quint8(ip.at(0)) >> 4) == 6;
    const quint16 ethertype = v6 ? 0x86dd : 0x0800;
    QByteArray f;
    switch (link) {
    case Link::Ethernet:
    case Link::EthernetVlan:
        f.append(QByteArray(12, '\x02'));
        if (link == Link::EthernetVlan) {
            put16(f, 0x8100);
            put16(f, 42);
        }
        put16(f, ethertype);
        break;
    case Link::Sll:
        put16(f, 0); // packet type
        put16(f, 772);
        put16(f, 6);
        f.append(QByteArray(8, '\0'));
        put16(f, ethertype);
        break;
    case Link::Sll2:
        put16(f, ethertype);
        put16(f, 0);
        put32(f, 1); // interface index
        put16(f, 772);
        f.append('\0'); // packet type
        f.append('\6'); // address length
        f.append(QByteArray(8, '\0'));
        break;
    case Link::NullLittle:
        put32(f, v6 ? 10 : 2, false);
        break;
    case Link::NullBig:
        put32(f, v6 ? 30 : 2, true);
        break;
    case Link::Loop:
        put32(f, v6 ? 24 : 2, true);
        break;
    case Link::Raw:
        break;
    }
    return f + ip;
}

struct Packet
{
    qint64 timeNs = 0;
    QByteArray data;
    quint32 originalLength = 0; ///< 0: the same as data.size()
    quint32 interfaceId = 0;
};

/// A classic pcap file.
inline QByteArray pcapFile(int linkType, const QList<Packet> &packets, bool bigEndian = false, bool nano = false)
{
    QByteArray b;
    put32(b, nano ? 0xa1b23c4d : 0xa1b2c3d4, bigEndian);
    put16(b, 2, bigEndian);
    put16(b, 4, bigEndian);
    put32(b, 0, bigEndian);
    put32(b, 0, bigEndian);
    put32(b, 262144, bigEndian);
    put32(b, quint32(linkType), bigEndian);
    for (const Packet &p : packets) {
        put32(b, quint32(p.timeNs / 1000000000), bigEndian);
        put32(b, quint32(nano ? p.timeNs % 1000000000 : (p.timeNs % 1000000000) / 1000), bigEndian);
        put32(b, quint32(p.data.size()), bigEndian);
        put32(b, p.originalLength ? p.originalLength : quint32(p.data.size()), bigEndian);
        b.append(p.data);
    }
    return b;
}

struct PcapNgInterface
{
    int linkType = 1;
    int tsresol = 6; ///< decimal exponent; negative for a power of two (-10 = 2^-10)
};

inline QByteArray pcapngBlock(quint32 type, const QByteArray &body, bool bigEndian)
{
    QByteArray padded = body;
    while (padded.size() % 4)
        padded.append('\0');
    QByteArray b;
    put32(b, type, bigEndian);
    put32(b, quint32(padded.size() + 12), bigEndian);
    b.append(padded);
    put32(b, quint32(padded.size() + 12), bigEndian);
    return b;
}

/// A pcapng file: one section, the given interfaces, enhanced packet blocks.
inline QByteArray pcapngFile(const QList<PcapNgInterface> &interfaces, const QList<Packet> &packets,
                             bool bigEndian = false)
{
    QByteArray shb;
    put32(shb, 0x1a2b3c4d, bigEndian);
    put16(shb, 1, bigEndian);
    put16(shb, 0, bigEndian);
    put32(shb, 0xffffffff, bigEndian);
    put32(shb, 0xffffffff, bigEndian);
    QByteArray out = pcapngBlock(0x0a0d0d0a, shb, bigEndian);
    QList<quint64> units;
    for (const PcapNgInterface &i : interfaces) {
        QByteArray idb;
        put16(idb, quint16(i.linkType), bigEndian);
        put16(idb, 0, bigEndian);
        put32(idb, 262144, bigEndian);
        put16(idb, 9, bigEndian); // if_tsresol
        put16(idb, 1, bigEndian);
        idb.append(char(i.tsresol >= 0 ? i.tsresol : (0x80 | -i.tsresol)));
        idb.append(QByteArray(3, '\0'));
        put32(idb, 0, bigEndian); // opt_endofopt
        out += pcapngBlock(1, idb, bigEndian);
        quint64 u = 1;
        if (i.tsresol >= 0) {
            for (int k = 0; k < i.tsresol; ++k)
                u *= 10;
        } else {
            u = quint64(1) << -i.tsresol;
        }
        units.append(u);
    }
    for (const Packet &p : packets) {
        const quint64 u = units.value(int(p.interfaceId), 1000000);
        const quint64 seconds = quint64(p.timeNs) / 1000000000;
        const quint64 ts = seconds * u + (quint64(p.timeNs) % 1000000000) * u / 1000000000;
        QByteArray epb;
        put32(epb, p.interfaceId, bigEndian);
        put32(epb, quint32(ts >> 32), bigEndian);
        put32(epb, quint32(ts), bigEndian);
        put32(epb, quint32(p.data.size()), bigEndian);
        put32(epb, p.originalLength ? p.originalLength : quint32(p.data.size()), bigEndian);
        epb.append(p.data);
        out += pcapngBlock(6, epb, bigEndian);
    }
    return out;
}

/**
 * Plays a TCP conversation between a client and a server and records its frames:
 *
 *     TcpScript s(Link::Ethernet, localhost(), 40000, localhost(), 8000, t0);
 *     s.handshake(); s.send(Client, "GET / HTTP/1.1\r\n\r\n"); s.send(Server, "HTTP/1.1 200 OK\r\n...");
 *     s.close(Server); s.close(Client);
 *
 * Every call advances the clock by `step` ns unless told otherwise.
 */
class TcpScript
{
public:
    enum Side { Client = 0, Server = 1 };

    TcpScript(Link link, Address client, quint16 clientPort, Address server, quint16 serverPort, qint64 startNs,
              qint64 stepNs = 100000)
        : m_link(link), m_now(startNs), m_step(stepNs)
    {
        m_addr[0] = client;
        m_addr[1] = server;
        m_port[0] = clientPort;
        m_port[1] = serverPort;
        m_seq[0] = 1000;
        m_seq[1] = 5000;
    }

    qint64 now() const { return m_now; }
    void wait(qint64 ns) { m_now += ns; }
    quint32 nextSeq(Side side) const { return m_seq[side]; }

    void segment(Side from, quint8 flags, const QByteArray &payload, qint64 afterNs = -1, quint16 window = 65535,
                 quint32 seqOverride = 0, bool useOverride = false)
    {
        m_now += afterNs >= 0 ? afterNs : m_step;
        const Side to = from == Client ? Server : Client;
        const quint32 seq = useOverride ? seqOverride : m_seq[from];
        const quint32 ack = (flags & ACK) ? m_seq[to] : 0;
        Packet p;
        p.timeNs = m_now;
        p.data =
            frame(m_link, ipTcp(m_addr[from], m_port[from], m_addr[to], m_port[to], seq, ack, flags, payload, window));
        packets.append(p);
        if (!useOverride) {
            m_seq[from] += quint32(payload.size());
            if (flags & (SYN | FIN))
                m_seq[from] += 1;
        }
    }
    void syn(qint64 afterNs = -1)
    {
        // A retransmitted SYN reuses the initial sequence number.
        segment(Client, SYN, QByteArray(), afterNs, 65535, 1000, true);
        m_seq[Client] = 1001;
    }
    void synAck(qint64 afterNs = -1)
    {
        segment(Server, SYN | ACK, QByteArray(), afterNs, 65535, 5000, true);
        m_seq[Server] = 5001;
    }
    void handshake()
    {
        syn();
        synAck();
        segment(Client, ACK, QByteArray());
    }
    void send(Side from, const QByteArray &payload, qint64 afterNs = -1) { segment(from, PSH | ACK, payload, afterNs); }
    void ack(Side from, quint16 window = 65535) { segment(from, ACK, QByteArray(), -1, window); }
    void close(Side from, qint64 afterNs = -1) { segment(from, FIN | ACK, QByteArray(), afterNs); }
    void reset(Side from, qint64 afterNs = -1) { segment(from, RST | ACK, QByteArray(), afterNs); }

    QList<Packet> packets;

private:
    Link m_link;
    Address m_addr[2];
    quint16 m_port[2];
    quint32 m_seq[2];
    qint64 m_now;
    qint64 m_step;
};

/// A POST of 3000 bytes answered 502 with a 2500-byte page, then closed both ways: datagrams
/// larger than any MTU, for the fragment reassembly tests.
inline TcpScript largeExchange(Link link, const Address &client, const Address &server, qint64 startNs)
{
    TcpScript s(link, client, 40000, server, 8000, startNs);
    s.handshake();
    s.send(TcpScript::Client,
           "POST /upload HTTP/1.1\r\nHost: ds\r\nContent-Length: 3000\r\n\r\n" + QByteArray(3000, 'b'));
    s.ack(TcpScript::Server);
    s.send(TcpScript::Server,
           "HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\nContent-Length: 2500\r\n\r\n" + QByteArray(2500, 'p'));
    s.close(TcpScript::Server);
    s.close(TcpScript::Client);
    return s;
}

/// Merges the packets of several scripts in time order (a capture of all of them).
inline QList<Packet> merged(const QList<QList<Packet>> &lists)
{
    QList<Packet> all;
    for (const QList<Packet> &l : lists)
        all += l;
    std::stable_sort(all.begin(), all.end(), [](const Packet &a, const Packet &b) { return a.timeNs < b.timeNs; });
    return all;
}

/// 2024-05-01 10:02:03 UTC, a fixed start for timelines.
constexpr qint64 t0 = 1714557723000000000LL;

} // namespace capturetest
