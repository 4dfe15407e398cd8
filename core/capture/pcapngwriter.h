#pragma once

#include "ringbuffer.h"

#include <QString>

#include <map>
#include <vector>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace dd {

/**
 * Writes a pcapng stream: one section header (with an optional comment, e.g. why the capture
 * was saved), an interface description per link type as it first appears (nanosecond
 * timestamps, if_tsresol 9), and one enhanced packet block per packet. Little-endian, as
 * written by dumpcap on x86; readers take either byte order.
 */
class PcapNgWriter
{
public:
    explicit PcapNgWriter(QIODevice *device);

    bool writeHeader(const QString &comment = QString());
    bool writePacket(const StoredPacket &packet);
    QString errorString() const { return m_error; }

    /// Writes `packets` to `path` (replacing it); false with `error` naming the file.
    static bool writeFile(const QString &path, const std::vector<StoredPacket> &packets, const QString &comment,
                          QString *error);

private:
    bool writeBlock(quint32 type, const QByteArray &body);

    QIODevice *m_device;
    std::map<int, quint32> m_interfaces; ///< link type -> interface id
    QString m_error;
};

} // namespace dd
