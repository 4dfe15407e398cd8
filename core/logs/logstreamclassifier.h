#pragma once

#include "classifiedline.h"
#include "logclassifier.h"
#include "logformat.h"
#include "logrecordreader.h"
#include "logsummary.h"
#include "logtime.h"
#include "parsedrecord.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <deque>
#include <memory>
#include <vector>

namespace dd {

/**
 * Classifies log text that arrives in pieces from somewhere other than a file: a process's
 * output (journalctl, ssh ... tail -F) or a socket (the Docker Engine API). Each named stream
 * has its own record reader, so a line split across two reads, or a stack trace's
 * continuation lines, come out whole. Memory is bounded by the reader (a line over 1 MiB
 * is cut) and by the caller taking the batch after each append.
 */
class LogStreamClassifier
{
public:
    LogStreamClassifier();
    ~LogStreamClassifier();
    LogStreamClassifier(const LogStreamClassifier &) = delete;
    LogStreamClassifier &operator=(const LogStreamClassifier &) = delete;

    void setClassifier(const LogClassifier &classifier);
    /// Keeps only lines a rule matched.
    void setOnlyClassified(bool only) { m_onlyClassified = only; }
    /// Whether records get line numbers (counted from the first byte appended); off for a
    /// stream that starts mid-file (tail -n 0), whose numbers would mean nothing.
    void setNumberLines(bool number) { m_numberLines = number; }

    /// Adds bytes to the stream `name`, parsed in `hint` (Auto detects). `fallbackTime` dates
    /// the records that start in these bytes and carry no time of their own (journald's).
    /// `extra` fields are added to each of their lines (e.g. the unit or the container stream).
    void append(const QString &name, LogFormat hint, QByteArrayView data, logtime::Stamp fallbackTime = {},
                const QVariantMap &extra = {});
    /// Classifies the records now complete; `flush` as in LogRecordReader::next().
    void take(LogRecordReader::Flush flush);
    bool hasPending() const;

    /// The lines classified since the last call.
    QList<ClassifiedLine> takeLines();
    /// New one-line problems (invalid UTF-8, NUL bytes, cut lines), each once per stream.
    QStringList takeProblems();
    /// Counts per cause over everything classified, with one report per stream.
    LogSummary summary() const;

private:
    struct Stream;
    Stream &stream(const QString &name, LogFormat hint);
    void takeFrom(Stream &s, LogRecordReader::Flush flush);

    LogClassifier m_classifier;
    bool m_onlyClassified = false;
    bool m_numberLines = true;
    std::vector<std::unique_ptr<Stream>> m_streams;
    ParsedRecord m_parsed;
    LogClassifier::Scratch m_scratch;
    LocalTimeConverter m_time;
    QList<ClassifiedLine> m_lines;
    QStringList m_problems;
    QList<LogSummaryEntry> m_entries;
    qint64 m_records = 0;
    qint64 m_classified = 0;
};

} // namespace dd
