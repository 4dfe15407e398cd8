#pragma once

#include "capturetypes.h"

#include <QList>
#include <QString>
#include <QtEndian>

#include <vector>

namespace dd {

/// One captured frame as the file holds it. `data` is valid only during the sink call.
struct RawPacket
{
    CaptureTime timeNs = 0;
    int linkType = 0; ///< LINKTYPE_* value (1 Ethernet, 113 Linux cooked, ...)
    const quint8 *data = nullptr;
    quint32 capturedLength = 0;
    quint32 originalLength = 0; ///< length on the wire; larger than capturedLength when snaplen cut it
    quint32 interfaceId = 0;    ///< pcapng interface; 0 for pcap
};

/// Receives what a PcapStreamParser reads.
class PacketSink
{
public:
    virtual ~PacketSink() = default;
    virtual void packetRead(const RawPacket &packet) = 0;
    /// Something was skipped but reading goes on (unknown block, bad interface id).
    virtual void streamWarning(const QString &kind, const QString &message)
    {
        Q_UNUSED(kind);
        Q_UNUSED(message);
    }
};

enum class CaptureFormat { Unknown, Pcap, PcapNg };

QString captureFormatName(CaptureFormat format);

/**
 * Reads a pcap or pcapng stream pushed in chunks of any size (a file read in blocks, a pipe from
 * the capture helper or from `ssh host tcpdump -U -w -`) and hands each packet to a sink.
 * Whole records are parsed in place; only a record split across two chunks is copied.
 *
 * Handles both byte orders, microsecond and nanosecond pcap, pcapng with several sections and
 * interfaces of different link types, if_tsresol/if_tsoffset, enhanced, simple and obsolete
 * packet blocks. A stream that is not a capture, or a record whose length is impossible, stops
 * the parser with error(); a stream that ends inside a record is reported by finish() as
 * truncated. Neither loses the packets read before.
 */
class PcapStreamParser
{
public:
    explicit PcapStreamParser(PacketSink *sink);

    /// Parses whole records in `data`; keeps a partial one for the next call. False once failed.
    bool feed(const char *data, qsizetype size);
    /// The stream has ended: a pending partial record makes the stream truncated.
    void finish();

    bool hasFailed() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }
    bool isTruncated() const { return m_truncated; }
    /// Bytes of the partial record finish() found, when truncated.
    qsizetype truncatedBytes() const { return m_truncatedBytes; }
    CaptureFormat format() const { return m_format; }
    qint64 bytesParsed() const { return m_offset; }
    qint64 packetCount() const { return m_packets; }
    /// Link types of the interfaces seen so far, in order of appearance, without repeats.
    QList<int> linkTypes() const { return m_linkTypes; }

    /// Records larger than this are taken as corruption (libpcap uses 256 KiB for pcap too).
    static constexpr quint32 maxPacketSize = 262144;
    static constexpr quint32 maxBlockSize = 16 * 1024 * 1024;

private:
    struct Interface
    {
        int linkType = 0;
        quint64 unitsPerSecond = 1000000;
        qint64 offsetSeconds = 0;
    };

    /// Size of the record starting at `p` (given `avail` bytes), 0 when more bytes are needed
    /// to know, or -1 after failing.
    qint64 recordSize(const quint8 *p, qsizetype avail);
    /// Parses one complete record of `size` bytes.
    void parseRecord(const quint8 *p, qsizetype size);
    bool parseFileHeader(const quint8 *p);
    void parsePcapRecord(const quint8 *p);
    void parseBlock(const quint8 *p, qsizetype size);
    void parseSectionHeader(const quint8 *p, qsizetype size);
    void parseInterface(const quint8 *p, qsizetype size);
    void parsePacketBlock(quint32 type, const quint8 *p, qsizetype size);
    void deliver(quint32 interfaceId, quint64 timestamp, const quint8 *data, quint32 caplen, quint32 len);
    void addLinkType(int linkType);
    void fail(const QString &message);
    quint32 u32(const quint8 *p) const
    {
        return m_swapped ? qFromBigEndian<quint32>(p) : qFromLittleEndian<quint32>(p);
    }
    quint16 u16(const quint8 *p) const
    {
        return m_swapped ? qFromBigEndian<quint16>(p) : qFromLittleEndian<quint16>(p);
    }

    PacketSink *m_sink;
    CaptureFormat m_format = CaptureFormat::Unknown;
    bool m_headerDone = false;
    bool m_swapped = false;
    bool m_nanoseconds = false;
    int m_pcapLinkType = 0;
    std::vector<Interface> m_interfaces;
    QList<int> m_linkTypes;
    std::vector<quint8> m_pending;
    qint64 m_offset = 0;
    qint64 m_packets = 0;
    qint64 m_badInterfaceWarnings = 0;
    CaptureTime m_lastTime = 0;
    bool m_truncated = false;
    qsizetype m_truncatedBytes = 0;
    QString m_error;
};

} // namespace dd
