#pragma once

#include "captureanalysis.h"
#include "captureanalyzer.h"

#include <QString>

#include <functional>

namespace dd {

/// How analyzeCaptureFile() went: the result, or why nothing could be read.
struct CaptureFileResult
{
    bool ok = false;
    QString error; ///< "cannot open FILE: ...", "FILE: not a pcap or pcapng capture", ...
    CaptureAnalysis analysis;
};

/// Told about the reading now and then (bytesTotal is -1 for a pipe); returning false stops it.
using CaptureFileProgress = std::function<bool(qint64 bytesRead, qint64 bytesTotal, qint64 packets)>;

/**
 * Reads a capture file to its end ("-" reads standard input) and analyzes it, on the calling
 * thread: CaptureEngine's worker runs it, and so does the CLI, which has nothing else to do.
 * A capture that breaks off half-way is still a result (with the error in it); a file that
 * cannot be opened, or yields no packet before failing, is not. Stopped by `progress`, it
 * returns an empty result that is not ok and has no error.
 */
CaptureFileResult analyzeCaptureFile(const QString &path, const CaptureOptions &options,
                                     const CaptureFileProgress &progress);

/// The result of a finished (or aborted) analyzer that read `name`: not ok, with the reason, when
/// it failed before a single packet.
CaptureFileResult concludeCapture(const QString &name, const CaptureAnalyzer &analyzer);

} // namespace dd
