#pragma once

#include <QByteArray>
#include <QByteArrayView>

class QIODevice;

namespace dd {

/**
 * Splits a byte stream into log records in bounded memory: lines, with lines that start with
 * whitespace (log4js stack traces, "    at ...") joined to the record before them. Reads in
 * large blocks; a line longer than the record limit is cut (the rest skipped, still counted).
 * Remembers the first line with NUL bytes, invalid UTF-8 or too much length, to report once.
 */
class LogRecordReader
{
public:
    struct Record
    {
        QByteArrayView bytes; ///< without the final newline; continuation lines joined by '\n'
        qint64 line = 0;      ///< 1-based number of the first line
        int lines = 1;
        bool truncated = false;
        bool hasNul = false;
        bool invalidUtf8 = false;
    };
    struct Issues
    {
        qint64 firstNulLine = 0;
        qint64 firstInvalidUtf8Line = 0;
        qint64 firstLongLine = 0;
        qint64 longLines = 0;
    };

    explicit LogRecordReader(qsizetype blockBytes = 256 << 10, qsizetype maxRecordBytes = 1 << 20);

    void setJoinContinuations(bool join) { m_join = join; }
    /// Numbering starts here (for reads that begin mid-file; 0 = unknown, stays 0).
    void setFirstLineNumber(qint64 line) { m_nextLine = line; }
    /// Drops everything up to the first newline (a read that began mid-line).
    void skipPartialFirstLine() { m_skipping = true; }

    /// Reads up to one block from `device`; returns the bytes read, 0 at its end, -1 on error.
    qint64 fill(QIODevice *device);
    /// Appends bytes the caller read itself (following).
    void append(QByteArrayView data);
    enum class Flush {
        None,          ///< a record ends at a newline followed by a line that is no continuation
        CompleteLines, ///< also at a final newline (a follower that waited long enough)
        All,           ///< also an unterminated last line (end of input)
    };
    /// The next complete record, if any.
    bool next(Record *out, Flush flush = Flush::None);
    /// Forgets buffered bytes and numbering state (a truncated file starts again).
    void reset(qint64 firstLine);
    /// Bytes held that do not yet form a complete record.
    qsizetype pendingBytes() const { return m_end - m_start; }
    /// Those bytes.
    QByteArrayView pending() const { return QByteArrayView(m_buf.constData() + m_start, m_end - m_start); }
    const Issues &issues() const { return m_issues; }
    qint64 linesSeen() const { return m_linesSeen; }

private:
    void makeRoom(qsizetype wanted);
    void noteNewData(qsizetype from);
    void checkRecord(Record *r);

    QByteArray m_buf;
    qsizetype m_start = 0;
    qsizetype m_end = 0;
    qsizetype m_suspect = -1; ///< offset of the first byte >= 0x80 or NUL not yet looked at
    qsizetype m_block;
    qsizetype m_maxRecord;
    qint64 m_nextLine = 1;
    qint64 m_linesSeen = 0;
    bool m_join = true;
    bool m_skipping = false;
    Issues m_issues;
};

} // namespace dd
