#pragma once

#include "failingexchange.h"
#include "httpexchange.h"
#include "pcapstreamparser.h"
#include "protocolnote.h"
#include "tcpconversation.h"
#include "tlssession.h"

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

namespace dd {

/// Something that was skipped or could not be read; counted, with the first occurrence's text.
struct CaptureWarning
{
    QString kind;    ///< "truncated-file", "snaplen-cut", "unknown-link-type", "not-http", ...
    QString message; ///< one line about the first occurrence
    qint64 count = 1;
};

/**
 * Everything the analyzer reconstructed from one capture stream. A value type: the engine
 * emits it, the CLI prints it, captureEvidence() turns it into evidence.
 */
struct CaptureAnalysis
{
    QString source; ///< file name, "-" for stdin, or the live interface
    CaptureFormat format = CaptureFormat::Unknown;
    QList<int> linkTypes;
    bool complete = false;  ///< the stream was read to its end (or the capture stopped)
    bool truncated = false; ///< the stream ended inside a record
    QString error;          ///< why reading stopped early, or empty
    qint64 bytesRead = 0;

    qint64 packets = 0; ///< frames read
    qint64 tcpPackets = 0;
    qint64 otherPackets = 0;         ///< IP but not TCP, or not IP (IPv4 fragments but the completing one)
    qint64 reassembledDatagrams = 0; ///< fragmented IPv4 and IPv6 datagrams put back together
    qint64 undecodedPackets = 0;     ///< unknown link type, cut inside a header, malformed
    qint64 filteredPackets = 0;      ///< rejected by the BPF filter
    qint64 snaplenCutPackets = 0;
    CaptureTime firstNs = -1;
    CaptureTime lastNs = -1;

    QList<TcpConversation> conversations;
    qint64 untrackedConversations = 0; ///< beyond the conversation limit; counted only

    QList<HttpExchange> exchanges; ///< sorted by request (else response) time
    qint64 unstoredExchanges = 0;  ///< beyond the storage limit; still in the counts
    qint64 httpRequests = 0;
    qint64 httpResponses = 0;
    qint64 unansweredRequests = 0;
    QMap<int, qint64> statusCounts;
    qint64 websocketRequests = 0;
    qint64 websocketUpgrades = 0; ///< answered 101

    QList<TlsSession> tls;
    QList<ProtocolNote> notes;
    QList<FailingExchange> failing;
    QList<CaptureWarning> warnings;

    qint64 outcomeCount(TcpOutcome outcome) const;
    qint64 statusCount(int from, int to) const; ///< responses with from <= status <= to
    /// A 5xx, a failed conversation, a TLS fatal alert, a scheme mismatch or a dependency error.
    bool hasProblems() const;
    double durationMs() const;
};

} // namespace dd

Q_DECLARE_METATYPE(dd::CaptureAnalysis)
