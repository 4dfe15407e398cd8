#pragma once

#include "pcapstreamparser.h"

#include <QList>
#include <QString>

#include <functional>

namespace dd {

/// What readWithLibpcap() found out about the stream.
struct LibpcapReadResult
{
    bool opened = false;
    QString error;        ///< why it could not open, or why reading stopped before the end
    CaptureFormat format = CaptureFormat::Unknown;
    QList<int> linkTypes;
    qint64 packets = 0;
};

/**
 * Reads a capture file ("-" for standard input) with libpcap (pcap_fopen_offline, which takes
 * pcap and pcapng with one link type) and hands each packet to `sink`. `keepGoing` is asked
 * every few thousand packets with the bytes read so far; returning false stops the reading.
 * The built-in PcapStreamParser is the default reader; this one exists to measure against it.
 */
LibpcapReadResult readWithLibpcap(const QString &path, PacketSink *sink,
                                  const std::function<bool(qint64 bytesRead, qint64 packets)> &keepGoing);

} // namespace dd
