#include "libpcapreader.h"

#include <pcap/pcap.h>

#include <cstdio>

namespace dd {

LibpcapReadResult readWithLibpcap(const QString &path, PacketSink *sink,
                                  const std::function<bool(qint64, qint64)> &keepGoing)
{
    LibpcapReadResult result;
    char error[PCAP_ERRBUF_SIZE] = {};
    pcap_t *pcap = nullptr;
    if (path == QLatin1String("-"))
        pcap = pcap_fopen_offline_with_tstamp_precision(stdin, PCAP_TSTAMP_PRECISION_NANO, error);
    else
        pcap = pcap_open_offline_with_tstamp_precision(path.toLocal8Bit().constData(), PCAP_TSTAMP_PRECISION_NANO,
                                                       error);
    if (!pcap) {
        result.error = QString::fromLocal8Bit(error);
        return result;
    }
    result.opened = true;
    // libpcap reports a pcapng section's version (1.0) instead of pcap's 2.4.
    result.format = pcap_major_version(pcap) == 1 ? CaptureFormat::PcapNg : CaptureFormat::Pcap;
    const int linkType = pcap_datalink(pcap);
    result.linkTypes.append(linkType);
    FILE *file = pcap_file(pcap);
    pcap_pkthdr *header = nullptr;
    const u_char *data = nullptr;
    for (;;) {
        const int rc = pcap_next_ex(pcap, &header, &data);
        if (rc == PCAP_ERROR_BREAK)
            break;
        if (rc == PCAP_ERROR) {
            result.error = QString::fromLocal8Bit(pcap_geterr(pcap));
            break;
        }
        if (rc != 1)
            continue;
        RawPacket packet;
        packet.timeNs = qint64(header->ts.tv_sec) * 1000000000LL + qint64(header->ts.tv_usec);
        packet.linkType = linkType;
        packet.data = data;
        packet.capturedLength = header->caplen;
        packet.originalLength = header->len;
        sink->packetRead(packet);
        if ((++result.packets & 0xfff) == 0 && keepGoing && !keepGoing(file ? qint64(std::ftell(file)) : 0, result.packets))
            break;
    }
    pcap_close(pcap);
    return result;
}

} // namespace dd
