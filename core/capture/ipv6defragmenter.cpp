#include "ipv6defragmenter.h"

#include <QtEndian>

#include <cstring>

namespace dd {

namespace {

constexpr quint8 fragmentHeader = 44;
constexpr int maxExtensionHeaders = 8;

bool isUnfragmentableHeader(quint8 next)
{
    return next == 0 || next == 43 || next == 60; // hop-by-hop, routing, destination options
}

} // namespace

Ipv6Defragmenter::Result Ipv6Defragmenter::add(const quint8 *ip, qint64 available, CaptureTime timeNs,
                                               QByteArray *datagram)
{
    if (available < 40 || (ip[0] >> 4) != 6)
        return Result::Invalid;
    const qint64 end = 40 + qint64(qFromBigEndian<quint16>(ip + 4));
    if (end == 40 || available < end) // a jumbogram is never fragmented; a cut one cannot be rebuilt
        return Result::Invalid;
    // Walk to the Fragment header; `nextAt` is the "next header" byte that names it.
    quint8 next = ip[6];
    qint64 at = 40;
    qint64 nextAt = 6;
    for (int i = 0; i < maxExtensionHeaders && next != fragmentHeader; ++i) {
        if (!isUnfragmentableHeader(next) || at + 8 > end)
            return Result::Invalid;
        nextAt = at;
        next = ip[at];
        at += (qint64(ip[at + 1]) + 1) * 8;
    }
    if (next != fragmentHeader || at + 8 > end)
        return Result::Invalid;
    const quint16 field = qFromBigEndian<quint16>(ip + at + 2);
    const int offset = field & 0xfff8;
    const bool more = (field & 1) != 0;
    const auto *bytes = reinterpret_cast<const char *>(ip);
    const QByteArrayView data(bytes + at + 8, end - at - 8);
    // Every fragment but the last carries a multiple of 8 bytes.
    if (data.isEmpty() || (more && data.size() % 8 != 0))
        return Result::Invalid;

    char key[36]; // source, destination, identification
    std::memcpy(key, ip + 8, 32);
    std::memcpy(key + 32, ip + at + 4, 4);
    // The unfragmentable part, its last "next header" naming what the fragments carry.
    QByteArray unfragmentable;
    if (offset == 0) {
        unfragmentable = QByteArray(bytes, at);
        unfragmentable[nextAt] = char(ip[at]);
    }
    Piece piece;
    piece.key = QByteArrayView(key, sizeof key);
    piece.offset = offset;
    piece.more = more;
    piece.data = data;
    piece.header = unfragmentable;
    QByteArray header;
    QByteArray payload;
    const Result r = addPiece(piece, timeNs, &header, &payload);
    if (r != Result::Complete)
        return r;
    if (header.size() - 40 + payload.size() > 0xffff)
        return Result::Invalid;
    *datagram = header + payload;
    qToBigEndian<quint16>(quint16(datagram->size() - 40), datagram->data() + 4);
    return r;
}

} // namespace dd
