#include "bpffilter.h"

#include <pcap/pcap.h>

namespace dd {

struct BpfFilter::Program
{
    bpf_program program{};
    bool compiled = false;

    ~Program()
    {
        if (compiled)
            pcap_freecode(&program);
    }
};

BpfFilter::BpfFilter() = default;
BpfFilter::~BpfFilter() = default;

bool BpfFilter::compile(const QString &expression, int linkType, QString *error)
{
    m_program = std::make_unique<Program>();
    pcap_t *dead = pcap_open_dead(linkType, int(PcapStreamParser::maxPacketSize));
    if (!dead) {
        if (error)
            *error = QStringLiteral("cannot prepare a BPF compiler for link type %1").arg(linkType);
        return false;
    }
    const QByteArray text = expression.toUtf8();
    const int rc = pcap_compile(dead, &m_program->program, text.constData(), 1, PCAP_NETMASK_UNKNOWN);
    if (rc != 0) {
        if (error)
            *error = QStringLiteral("invalid capture filter \"%1\": %2")
                         .arg(expression, QString::fromLocal8Bit(pcap_geterr(dead)));
        pcap_close(dead);
        return false;
    }
    pcap_close(dead);
    m_program->compiled = true;
    return true;
}

bool BpfFilter::isCompiled() const
{
    return m_program && m_program->compiled;
}

bool BpfFilter::matches(const RawPacket &packet) const
{
    if (!isCompiled())
        return false;
    pcap_pkthdr header{};
    header.caplen = packet.capturedLength;
    header.len = packet.originalLength;
    return pcap_offline_filter(&m_program->program, &header, packet.data) != 0;
}

bool BpfFilter::check(const QString &expression, QString *error, int linkType)
{
    BpfFilter filter;
    return filter.compile(expression, linkType, error);
}

} // namespace dd
