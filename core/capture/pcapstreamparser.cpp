#include "pcapstreamparser.h"

#include <QtEndian>

namespace dd {

namespace {

constexpr quint32 pcapMagicMicro = 0xa1b2c3d4;
constexpr quint32 pcapMagicNano = 0xa1b23c4d;
constexpr quint32 pcapngSectionHeader = 0x0a0d0d0a;
constexpr quint32 pcapngByteOrderMagic = 0x1a2b3c4d;
constexpr quint32 blockInterface = 1;
constexpr quint32 blockObsoletePacket = 2;
constexpr quint32 blockSimplePacket = 3;
constexpr quint32 blockEnhancedPacket = 6;
constexpr quint64 nanosPerSecond = 1000000000ULL;

QString hexBytes(const quint8 *p, qsizetype n)
{
    QString out;
    for (qsizetype i = 0; i < n; ++i)
        out += QStringLiteral("%1 ").arg(p[i], 2, 16, QLatin1Char('0'));
    return out.trimmed();
}

} // namespace

QString captureFormatName(CaptureFormat format)
{
    switch (format) {
    case CaptureFormat::Pcap:
        return QStringLiteral("pcap");
    case CaptureFormat::PcapNg:
        return QStringLiteral("pcapng");
    case CaptureFormat::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

PcapStreamParser::PcapStreamParser(PacketSink *sink) : m_sink(sink) {}

void PcapStreamParser::fail(const QString &message)
{
    if (m_error.isEmpty())
        m_error = message;
}

qint64 PcapStreamParser::recordSize(const quint8 *p, qsizetype avail)
{
    if (!m_headerDone) {
        if (avail < 4)
            return 0;
        const quint32 magic = qFromLittleEndian<quint32>(p);
        const quint32 magicBe = qFromBigEndian<quint32>(p);
        if (magic == pcapMagicMicro || magic == pcapMagicNano || magicBe == pcapMagicMicro || magicBe == pcapMagicNano)
            return 24;
        if (magic != pcapngSectionHeader) {
            fail(QStringLiteral("not a pcap or pcapng capture (starts with %1)").arg(hexBytes(p, 4)));
            return -1;
        }
    }
    if (m_format == CaptureFormat::Pcap) {
        if (avail < 16)
            return 0;
        const quint32 caplen = u32(p + 8);
        if (caplen > maxPacketSize) {
            fail(QStringLiteral("corrupt pcap record at byte %1: captured length %2 is larger than %3")
                     .arg(m_offset)
                     .arg(caplen)
                     .arg(maxPacketSize));
            return -1;
        }
        return 16 + qint64(caplen);
    }
    // pcapng: a section header carries its own byte order, which may differ from the last one's.
    if (avail < 12)
        return 0;
    const quint32 type = qFromLittleEndian<quint32>(p);
    bool swapped = m_swapped;
    if (type == pcapngSectionHeader) {
        const quint32 order = qFromLittleEndian<quint32>(p + 8);
        if (order == pcapngByteOrderMagic)
            swapped = false;
        else if (qFromBigEndian<quint32>(p + 8) == pcapngByteOrderMagic)
            swapped = true;
        else {
            fail(QStringLiteral("corrupt pcapng section header at byte %1: bad byte-order magic").arg(m_offset));
            return -1;
        }
    }
    const quint32 length = swapped ? qFromBigEndian<quint32>(p + 4) : qFromLittleEndian<quint32>(p + 4);
    if (length < 12 || length % 4 != 0 || length > maxBlockSize) {
        fail(QStringLiteral("corrupt pcapng block at byte %1: impossible length %2").arg(m_offset).arg(length));
        return -1;
    }
    return length;
}

bool PcapStreamParser::feed(const char *data, qsizetype size)
{
    if (hasFailed())
        return false;
    auto p = reinterpret_cast<const quint8 *>(data);
    qsizetype n = size;

    // A record split across chunks: complete it in m_pending first, taking only its own bytes.
    while (!m_pending.empty() && n > 0) {
        qint64 need = recordSize(m_pending.data(), qsizetype(m_pending.size()));
        if (need < 0)
            return false;
        if (need == 0)
            need = m_pending.size() + 1; // one byte at a time until the header is whole
        const qsizetype take = qMin<qsizetype>(n, qsizetype(need) - qsizetype(m_pending.size()));
        m_pending.insert(m_pending.end(), p, p + take);
        p += take;
        n -= take;
        if (qint64(m_pending.size()) == need) {
            const qint64 known = recordSize(m_pending.data(), qsizetype(m_pending.size()));
            if (known < 0)
                return false;
            if (known == need) {
                parseRecord(m_pending.data(), qsizetype(known));
                m_offset += known;
                m_pending.clear();
            }
        }
        if (hasFailed())
            return false;
    }

    while (n > 0) {
        const qint64 need = recordSize(p, n);
        if (need < 0)
            return false;
        if (need == 0 || need > n) {
            m_pending.assign(p, p + n);
            break;
        }
        parseRecord(p, qsizetype(need));
        if (hasFailed())
            return false;
        m_offset += need;
        p += need;
        n -= need;
    }
    return true;
}

void PcapStreamParser::finish()
{
    if (hasFailed())
        return;
    if (!m_headerDone) {
        fail(m_pending.empty() ? QStringLiteral("empty input: no capture header")
                               : QStringLiteral("truncated capture header (%1 bytes)").arg(m_pending.size()));
        return;
    }
    if (!m_pending.empty()) {
        m_truncated = true;
        m_truncatedBytes = qsizetype(m_pending.size());
        m_pending.clear();
    }
}

void PcapStreamParser::parseRecord(const quint8 *p, qsizetype size)
{
    if (!m_headerDone) {
        if (qFromLittleEndian<quint32>(p) == pcapngSectionHeader) {
            m_format = CaptureFormat::PcapNg;
            m_headerDone = true;
            parseBlock(p, size);
            return;
        }
        parseFileHeader(p);
        return;
    }
    if (m_format == CaptureFormat::Pcap)
        parsePcapRecord(p);
    else
        parseBlock(p, size);
}

bool PcapStreamParser::parseFileHeader(const quint8 *p)
{
    const quint32 magic = qFromLittleEndian<quint32>(p);
    m_swapped = magic != pcapMagicMicro && magic != pcapMagicNano;
    const quint32 native = u32(p);
    m_nanoseconds = native == pcapMagicNano;
    m_format = CaptureFormat::Pcap;
    m_headerDone = true;
    // The upper bits of the link-type field carry FCS information (pcap spec, LinkType field).
    m_pcapLinkType = int(u32(p + 20) & 0x0fffffff);
    addLinkType(m_pcapLinkType);
    return true;
}

void PcapStreamParser::parsePcapRecord(const quint8 *p)
{
    const quint32 seconds = u32(p);
    const quint32 fraction = u32(p + 4);
    const quint32 caplen = u32(p + 8);
    const quint32 len = u32(p + 12);
    RawPacket packet;
    packet.timeNs = qint64(seconds) * qint64(nanosPerSecond) + (m_nanoseconds ? fraction : qint64(fraction) * 1000);
    packet.linkType = m_pcapLinkType;
    packet.data = p + 16;
    packet.capturedLength = caplen;
    packet.originalLength = qMax(len, caplen);
    m_lastTime = packet.timeNs;
    ++m_packets;
    m_sink->packetRead(packet);
}

void PcapStreamParser::parseBlock(const quint8 *p, qsizetype size)
{
    const quint32 rawType = qFromLittleEndian<quint32>(p);
    if (rawType == pcapngSectionHeader) {
        parseSectionHeader(p, size);
        return;
    }
    const quint32 type = u32(p);
    switch (type) {
    case blockInterface:
        parseInterface(p, size);
        break;
    case blockEnhancedPacket:
    case blockSimplePacket:
    case blockObsoletePacket:
        parsePacketBlock(type, p, size);
        break;
    default:
        break; // name resolution, statistics, decryption secrets, custom blocks: not needed
    }
}

void PcapStreamParser::parseSectionHeader(const quint8 *p, qsizetype size)
{
    Q_UNUSED(size);
    m_swapped = qFromLittleEndian<quint32>(p + 8) != pcapngByteOrderMagic;
    const quint16 major = u16(p + 12);
    if (major != 1)
        m_sink->streamWarning(QStringLiteral("pcapng-version"),
                              QStringLiteral("pcapng section version %1 (expected 1); reading it anyway").arg(major));
    m_interfaces.clear(); // interface ids are per section
}

void PcapStreamParser::parseInterface(const quint8 *p, qsizetype size)
{
    if (size < 20) {
        m_sink->streamWarning(QStringLiteral("corrupt-block"),
                              QStringLiteral("interface block at byte %1 is too short").arg(m_offset));
        m_interfaces.push_back(Interface());
        return;
    }
    Interface iface;
    iface.linkType = u16(p + 8);
    const quint8 *opt = p + 16;
    const quint8 *end = p + size - 4;
    while (opt + 4 <= end) {
        const quint16 code = u16(opt);
        const quint16 length = u16(opt + 2);
        const quint8 *value = opt + 4;
        if (code == 0 || value + length > end)
            break;
        if (code == 9 && length >= 1) { // if_tsresol
            const quint8 v = value[0];
            const int exponent = v & 0x7f;
            if (v & 0x80) {
                if (exponent < 64)
                    iface.unitsPerSecond = quint64(1) << exponent;
            } else if (exponent <= 19) {
                quint64 units = 1;
                for (int i = 0; i < exponent; ++i)
                    units *= 10;
                iface.unitsPerSecond = units;
            }
        } else if (code == 14 && length >= 8) { // if_tsoffset, seconds
            iface.offsetSeconds =
                qint64(m_swapped ? qFromBigEndian<quint64>(value) : qFromLittleEndian<quint64>(value));
        }
        opt = value + ((length + 3) & ~3);
    }
    if (iface.unitsPerSecond == 0)
        iface.unitsPerSecond = 1000000;
    m_interfaces.push_back(iface);
    addLinkType(iface.linkType);
}

void PcapStreamParser::parsePacketBlock(quint32 type, const quint8 *p, qsizetype size)
{
    const qsizetype bodyEnd = size - 4;
    if (type == blockSimplePacket) {
        if (size < 16)
            return;
        const quint32 len = u32(p + 8);
        const quint32 caplen = quint32(qMin<qint64>(len, bodyEnd - 12));
        if (m_interfaces.empty()) {
            deliver(0, 0, nullptr, 0, 0); // reports the missing interface
            return;
        }
        RawPacket packet;
        packet.timeNs = m_lastTime; // simple packet blocks carry no timestamp
        packet.linkType = m_interfaces.front().linkType;
        packet.data = p + 12;
        packet.capturedLength = caplen;
        packet.originalLength = qMax(len, caplen);
        ++m_packets;
        m_sink->packetRead(packet);
        return;
    }
    if (size < 32) {
        m_sink->streamWarning(QStringLiteral("corrupt-block"),
                              QStringLiteral("packet block at byte %1 is too short; skipped").arg(m_offset));
        return;
    }
    const bool enhanced = type == blockEnhancedPacket;
    const quint32 interfaceId = enhanced ? u32(p + 8) : u16(p + 8);
    const quint64 timestamp = (quint64(u32(p + 12)) << 32) | u32(p + 16);
    const quint32 caplen = u32(p + 20);
    const quint32 len = u32(p + 24);
    if (28 + qint64(caplen) > bodyEnd) {
        m_sink->streamWarning(QStringLiteral("corrupt-block"),
                              QStringLiteral("packet block at byte %1 claims %2 bytes but holds fewer; skipped")
                                  .arg(m_offset)
                                  .arg(caplen));
        return;
    }
    deliver(interfaceId, timestamp, p + 28, caplen, qMax(len, caplen));
}

void PcapStreamParser::deliver(quint32 interfaceId, quint64 timestamp, const quint8 *data, quint32 caplen, quint32 len)
{
    if (interfaceId >= m_interfaces.size()) {
        if (m_badInterfaceWarnings++ < 3)
            m_sink->streamWarning(QStringLiteral("undeclared-interface"),
                                  QStringLiteral("packet at byte %1 names interface %2, which was not declared; "
                                                 "skipped")
                                      .arg(m_offset)
                                      .arg(interfaceId));
        return;
    }
    const Interface &iface = m_interfaces[interfaceId];
    const quint64 units = iface.unitsPerSecond;
    const quint64 seconds = timestamp / units;
    const quint64 rest = timestamp % units;
    const quint64 nanos =
        units <= nanosPerSecond
            ? rest * (nanosPerSecond / units) + (nanosPerSecond % units ? rest * (nanosPerSecond % units) / units : 0)
            : quint64(double(rest) * 1e9 / double(units));
    RawPacket packet;
    packet.timeNs = qint64(seconds + quint64(iface.offsetSeconds)) * qint64(nanosPerSecond) + qint64(nanos);
    packet.linkType = iface.linkType;
    packet.data = data;
    packet.capturedLength = caplen;
    packet.originalLength = len;
    packet.interfaceId = interfaceId;
    m_lastTime = packet.timeNs;
    ++m_packets;
    m_sink->packetRead(packet);
}

void PcapStreamParser::addLinkType(int linkType)
{
    if (!m_linkTypes.contains(linkType))
        m_linkTypes.append(linkType);
}

} // namespace dd
