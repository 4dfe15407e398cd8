#include "pcapngwriter.h"

#include <QSaveFile>
#include <QtEndian>

namespace dd {

namespace {

constexpr quint32 sectionHeaderBlock = 0x0a0d0d0a;
constexpr quint32 interfaceBlock = 1;
constexpr quint32 enhancedPacketBlock = 6;
constexpr quint16 optEnd = 0;
constexpr quint16 optComment = 1;
constexpr quint16 shbUserAppl = 4;
constexpr quint16 ifTsresol = 9;

void put16(QByteArray &b, quint16 v)
{
    char c[2];
    qToLittleEndian(v, c);
    b.append(c, 2);
}

void put32(QByteArray &b, quint32 v)
{
    char c[4];
    qToLittleEndian(v, c);
    b.append(c, 4);
}

void pad4(QByteArray &b)
{
    while (b.size() % 4)
        b.append('\0');
}

void putOption(QByteArray &b, quint16 code, const QByteArray &value)
{
    put16(b, code);
    put16(b, quint16(value.size()));
    b.append(value);
    pad4(b);
}

} // namespace

PcapNgWriter::PcapNgWriter(QIODevice *device) : m_device(device) {}

bool PcapNgWriter::writeBlock(quint32 type, const QByteArray &body)
{
    QByteArray block;
    block.reserve(body.size() + 12);
    const quint32 length = quint32(body.size() + 12);
    put32(block, type);
    put32(block, length);
    block.append(body);
    put32(block, length);
    if (m_device->write(block) != block.size()) {
        m_error = m_device->errorString();
        return false;
    }
    return true;
}

bool PcapNgWriter::writeHeader(const QString &comment)
{
    QByteArray body;
    put32(body, 0x1a2b3c4d);
    put16(body, 1);
    put16(body, 0);
    put32(body, 0xffffffff); // section length unknown
    put32(body, 0xffffffff);
    // An option's length field is 16 bits.
    if (!comment.isEmpty())
        putOption(body, optComment, comment.toUtf8().left(60000));
    putOption(body, shbUserAppl, QByteArrayLiteral("docserver-doctor"));
    putOption(body, optEnd, {});
    m_interfaces.clear();
    return writeBlock(sectionHeaderBlock, body);
}

bool PcapNgWriter::writePacket(const StoredPacket &packet)
{
    auto it = m_interfaces.find(packet.linkType);
    if (it == m_interfaces.end()) {
        QByteArray idb;
        put16(idb, quint16(packet.linkType));
        put16(idb, 0);
        put32(idb, PcapStreamParser::maxPacketSize);
        putOption(idb, ifTsresol, QByteArray(1, char(9))); // nanoseconds
        putOption(idb, optEnd, {});
        if (!writeBlock(interfaceBlock, idb))
            return false;
        it = m_interfaces.emplace(packet.linkType, quint32(m_interfaces.size())).first;
    }
    const quint64 ts = quint64(qMax<CaptureTime>(packet.timeNs, 0));
    QByteArray epb;
    epb.reserve(20 + packet.data.size() + 3);
    put32(epb, it->second);
    put32(epb, quint32(ts >> 32));
    put32(epb, quint32(ts & 0xffffffffu));
    put32(epb, quint32(packet.data.size()));
    put32(epb, qMax(packet.originalLength, quint32(packet.data.size())));
    epb.append(packet.data);
    pad4(epb);
    return writeBlock(enhancedPacketBlock, epb);
}

bool PcapNgWriter::writeFile(const QString &path, const std::vector<StoredPacket> &packets, const QString &comment,
                             QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    PcapNgWriter writer(&file);
    bool ok = writer.writeHeader(comment);
    for (auto it = packets.cbegin(); ok && it != packets.cend(); ++it)
        ok = writer.writePacket(*it);
    if (!ok || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, ok ? file.errorString() : writer.errorString());
        return false;
    }
    return true;
}

} // namespace dd
