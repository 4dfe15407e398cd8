#pragma once

#include "captureanalysis.h"
#include "pcapstreamparser.h"

#include <QString>

#include <memory>

namespace dd {

/// Limits and choices for one analysis.
struct CaptureOptions
{
    QString filter;                 ///< BPF expression (libpcap syntax) every packet must match; empty = all
    int maxConversations = 1000000; ///< conversations tracked; later ones are only counted
    int maxStoredExchanges = 20000; ///< exchanges kept in full: errors, upgrades and ordinary ones
    /// Ordinary exchanges (2xx/3xx) among them: the first ones (as many as the JSON lists), and
    /// those around a failing exchange (from the last maxPassedExchanges not kept).
    int maxOrdinaryExchanges = 1000;
    int maxPassedExchanges = 256;
    int maxFailingExchanges = 1000;
    bool useLibpcap = false; ///< read files with libpcap instead of the built-in reader (measurements)
};

class CaptureAnalyzerPrivate;

/**
 * Rebuilds conversations, HTTP exchanges, TLS handshakes, dependency handshakes and failing
 * exchanges from a pcap/pcapng byte stream, in one pass and with bounded memory per
 * conversation. Synchronous and single-threaded: CaptureEngine runs it on its own thread.
 *
 *     CaptureAnalyzer analyzer;
 *     analyzer.feed(bytes, size);   // any number of times, chunks of any size
 *     analyzer.finish();
 *     const CaptureAnalysis result = analyzer.result();
 *
 * Packets may also be pushed one by one through packetRead() (a libpcap reader does that).
 */
class CaptureAnalyzer : public PacketSink
{
public:
    explicit CaptureAnalyzer(const CaptureOptions &options = CaptureOptions());
    ~CaptureAnalyzer() override;
    CaptureAnalyzer(const CaptureAnalyzer &) = delete;
    CaptureAnalyzer &operator=(const CaptureAnalyzer &) = delete;

    void setSource(const QString &source);
    /// The stream's size when known (a regular file): lets the analyzer size its tables once.
    void expectBytes(qint64 bytes);
    /// Parses a chunk of the stream; false once the stream is unreadable (see result().error).
    bool feed(const char *data, qsizetype size);
    /// The stream ended: flushes conversations and their parsers.
    void finish();
    /// Stops with a reason (a read error); what was read so far stays analyzed.
    void abort(const QString &error);
    /// For packets pushed through packetRead(): what the reader knew about the stream.
    void setStreamInfo(CaptureFormat format, const QList<int> &linkTypes);

    qint64 bytesParsed() const;
    qint64 packetCount() const;
    /// Whether the stream failed before a single packet (not a capture, empty input).
    bool isUnreadable() const;
    /// A snapshot; after finish() the complete result. Failing exchanges are correlated here.
    CaptureAnalysis result() const;

    void packetRead(const RawPacket &packet) override;
    void streamWarning(const QString &kind, const QString &message) override;

private:
    std::unique_ptr<CaptureAnalyzerPrivate> d;
};

} // namespace dd

Q_DECLARE_METATYPE(dd::CaptureOptions)
