#include "ipv4defragmenter.h"

#include <QtEndian>

#include <cstring>

namespace dd {

Ipv4Defragmenter::Result Ipv4Defragmenter::add(const quint8 *ip, qint64 available, CaptureTime timeNs,
                                               QByteArray *datagram)
{
    if (available < 20)
        return Result::Invalid;
    const int headerLength = (ip[0] & 0x0f) * 4;
    const int totalLength = qFromBigEndian<quint16>(ip + 2);
    const quint16 flags = qFromBigEndian<quint16>(ip + 6);
    const int offset = (flags & 0x1fff) * 8;
    const bool more = (flags & 0x2000) != 0;
    const int length = totalLength - headerLength;
    // Every fragment but the last carries a multiple of 8 bytes.
    if (headerLength < 20 || length <= 0 || available < totalLength || (more && length % 8 != 0) ||
        offset + length > maxDatagram - headerLength)
        return Result::Invalid;

    char key[11]; // source, destination, identification, protocol
    std::memcpy(key, ip + 12, 8);
    std::memcpy(key + 8, ip + 4, 2);
    key[10] = char(ip[9]);
    const auto *bytes = reinterpret_cast<const char *>(ip);
    Piece piece;
    piece.key = QByteArrayView(key, sizeof key);
    piece.offset = offset;
    piece.more = more;
    piece.data = QByteArrayView(bytes + headerLength, length);
    piece.header = QByteArrayView(bytes, headerLength);
    QByteArray header;
    QByteArray payload;
    const Result r = addPiece(piece, timeNs, &header, &payload);
    if (r != Result::Complete)
        return r;
    *datagram = header + payload;
    auto *h = reinterpret_cast<quint8 *>(datagram->data());
    qToBigEndian<quint16>(quint16(datagram->size()), h + 2);
    qToBigEndian<quint16>(quint16(qFromBigEndian<quint16>(h + 6) & 0x4000), h + 6); // keep DF only
    return r;
}

} // namespace dd
