// The floor of the capture benchmark: read every packet of a capture with libpcap and touch
// its bytes, nothing else. Built by run.sh: g++ -O2 pcaploop.cpp -lpcap
#include <pcap/pcap.h>

#include <cstdio>

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: pcaploop FILE\n");
        return 2;
    }
    char error[PCAP_ERRBUF_SIZE] = {};
    pcap_t *pcap = pcap_open_offline(argv[1], error);
    if (!pcap) {
        std::fprintf(stderr, "pcaploop: %s\n", error);
        return 2;
    }
    pcap_pkthdr *header = nullptr;
    const u_char *data = nullptr;
    unsigned long long packets = 0;
    unsigned long long bytes = 0;
    unsigned checksum = 0;
    while (pcap_next_ex(pcap, &header, &data) == 1) {
        ++packets;
        bytes += header->caplen;
        if (header->caplen > 0)
            checksum += data[0] + data[header->caplen - 1];
    }
    pcap_close(pcap);
    std::printf("%llu packets, %llu bytes (checksum %u)\n", packets, bytes, checksum);
    return 0;
}
