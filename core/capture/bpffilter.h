#pragma once

#include "pcapstreamparser.h"

#include <QString>

#include <memory>

namespace dd {

/**
 * A BPF filter expression (tcpdump/libpcap syntax) compiled for one link type with libpcap and
 * run on captured packets, as `tcpdump -r FILE EXPRESSION` would.
 */
class BpfFilter
{
public:
    BpfFilter();
    ~BpfFilter();
    BpfFilter(const BpfFilter &) = delete;
    BpfFilter &operator=(const BpfFilter &) = delete;

    /// Compiles `expression` for `linkType`; false with a one-line error naming the expression.
    bool compile(const QString &expression, int linkType, QString *error);
    bool isCompiled() const;
    bool matches(const RawPacket &packet) const;

    /// Whether `expression` compiles (for Ethernet unless told otherwise).
    static bool check(const QString &expression, QString *error, int linkType = 1);

private:
    struct Program;
    std::unique_ptr<Program> m_program;
};

} // namespace dd
