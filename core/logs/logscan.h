#pragma once

#include "classifiedline.h"
#include "logclassifier.h"
#include "logformat.h"
#include "logformatdetector.h"
#include "logrecordreader.h"
#include "logsummary.h"
#include "logtime.h"
#include "parsedrecord.h"

#include <QList>
#include <QString>

#include <atomic>
#include <functional>

class QIODevice;

namespace dd {

struct LogScanOptions
{
    LogFormat format = LogFormat::Auto; ///< Auto: detected per file, and per line if mixed
    bool emitLines = false;             ///< hand records to the sink
    bool onlyClassified = false;        ///< ... only those a rule matched
    qint64 tailBytes = 0;               ///< > 0: read only the last N bytes of each file
    int batchSize = 512;
};

/**
 * Classifies whole files in bounded memory, synchronously: the block reader, the classifier,
 * and the summary. Used by LogScanner's worker thread and by classifyFileTail(). Lines no
 * rule can match cost a prefilter pass and nothing else unless lines are wanted.
 */
class LogScan
{
public:
    /// Receives batches of lines; returns false to stop the scan.
    using Sink = std::function<bool(QList<ClassifiedLine> &&batch)>;

    LogScan(const LogClassifier &classifier, const LogScanOptions &options, Sink sink = {});

    /// Scans a file, "-" (standard input), or a .gz file (through gzip -dc). Returns false
    /// when nothing could be read; the reason is in the file's report.
    bool scanPath(const QString &path);
    /// Scans a device already open; `name` is what lines and problems call it.
    /// `firstLine` numbers the first record (0: unknown); `skipPartialFirstLine` drops the
    /// bytes before the first newline (a read that starts mid-line).
    void scanDevice(QIODevice *device, const QString &name, LogFileReport *report, qint64 firstLine,
                    bool skipPartialFirstLine);

    /// Stops at the next block (thread-safe).
    void cancel() { m_cancelled.store(true); }
    bool isCancelled() const { return m_cancelled.load(); }

    LogSummary summary() const;
    const QList<LogFileReport> &files() const { return m_files; }

private:
    struct FileState
    {
        QString name;
        LogFileReport *report = nullptr;
        LogFormatDetector detector;
        LogFormat hint = LogFormat::Auto;
        bool detecting = true;
        bool wantAll = false;
        ParsedRecord parsed;
        LogClassifier::Scratch scratch[2];
    };
    bool handleRecord(FileState &st, const LogRecordReader::Record &record, int slot, bool prefiltered);
    bool flush();

    LogClassifier m_classifier;
    LogScanOptions m_options;
    Sink m_sink;
    LocalTimeConverter m_time;
    std::atomic<bool> m_cancelled{false};
    QList<ClassifiedLine> m_batch;
    QList<LogFileReport> m_files;
    // Per rule outcome: lines, first and last time (UTC ms), where first seen.
    QList<qint64> m_counts;
    QList<qint64> m_first;
    QList<qint64> m_last;
    QList<QString> m_sampleFile;
    QList<qint64> m_sampleLine;
    QList<qint64> m_ruleCounts; ///< per rule and outcome
    int m_outcomeCount = 0;
    qint64 m_records = 0;
    qint64 m_classified = 0;
};

/// The classified lines (those a rule matched) of the last `maxBytes` of a file, for the
/// diagnosis. Empty with `error` set when the file cannot be read.
QList<ClassifiedLine> classifyFileTail(const QString &path, qint64 maxBytes, QString *error);
QList<ClassifiedLine> classifyFileTail(const LogClassifier &classifier, const QString &path, qint64 maxBytes,
                                       QString *error);

/// "FILE: permission denied ..." with the hint about the adm group for /var/log.
QString describeOpenError(const QString &path, const QString &reason);

} // namespace dd
