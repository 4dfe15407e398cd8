#include "logrecordreader.h"

#include <QIODevice>

#include <cstring>

namespace dd {

namespace {

// First byte that is NUL or not ASCII, from `from`; the simple loop vectorizes.
qsizetype findSuspect(const char *data, qsizetype from, qsizetype end)
{
    constexpr qsizetype chunk = 64;
    qsizetype i = from;
    while (i + chunk <= end) {
        unsigned char any = 0;
        for (qsizetype k = 0; k < chunk; ++k) {
            const auto c = static_cast<unsigned char>(data[i + k]);
            any |= (c & 0x80) | (c == 0 ? 1 : 0);
        }
        if (any)
            break;
        i += chunk;
    }
    for (; i < end; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (c == 0 || c >= 0x80)
            return i;
    }
    return -1;
}

bool validUtf8(QByteArrayView s)
{
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const qsizetype n = s.size();
    for (qsizetype i = 0; i < n;) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int len;
        unsigned int cp;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + len > n)
            return false;
        for (int k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

bool isContinuationStart(char c)
{
    return c == ' ' || c == '\t';
}

} // namespace

LogRecordReader::LogRecordReader(qsizetype blockBytes, qsizetype maxRecordBytes)
    : m_block(blockBytes), m_maxRecord(maxRecordBytes)
{
}

void LogRecordReader::makeRoom(qsizetype wanted)
{
    if (m_start > 0 && m_buf.size() - m_end < wanted) {
        const qsizetype held = m_end - m_start;
        std::memmove(m_buf.data(), m_buf.constData() + m_start, size_t(held));
        if (m_suspect >= 0)
            m_suspect -= m_start;
        m_start = 0;
        m_end = held;
    }
    if (m_buf.size() - m_end < wanted)
        m_buf.resize(m_end + wanted);
}

void LogRecordReader::noteNewData(qsizetype from)
{
    if (m_suspect < 0)
        m_suspect = findSuspect(m_buf.constData(), from, m_end);
}

qint64 LogRecordReader::fill(QIODevice *device)
{
    makeRoom(m_block);
    const qint64 got = device->read(m_buf.data() + m_end, m_block);
    if (got > 0) {
        const qsizetype from = m_end;
        m_end += got;
        noteNewData(from);
    }
    return got;
}

void LogRecordReader::append(QByteArrayView data)
{
    makeRoom(data.size());
    std::memcpy(m_buf.data() + m_end, data.data(), size_t(data.size()));
    const qsizetype from = m_end;
    m_end += data.size();
    noteNewData(from);
}

void LogRecordReader::checkRecord(Record *r)
{
    const qsizetype begin = r->bytes.data() - m_buf.constData();
    const qsizetype end = begin + r->bytes.size();
    if (m_suspect >= 0 && m_suspect < begin)
        m_suspect = findSuspect(m_buf.constData(), begin, m_end);
    if (m_suspect < 0 || m_suspect >= end)
        return;
    r->hasNul = std::memchr(r->bytes.data(), 0, size_t(r->bytes.size())) != nullptr;
    r->invalidUtf8 = !validUtf8(r->bytes);
    if (r->hasNul && m_issues.firstNulLine == 0)
        m_issues.firstNulLine = r->line > 0 ? r->line : -1;
    if (r->invalidUtf8 && m_issues.firstInvalidUtf8Line == 0)
        m_issues.firstInvalidUtf8Line = r->line > 0 ? r->line : -1;
    m_suspect = findSuspect(m_buf.constData(), end, m_end);
}

void LogRecordReader::reset(qint64 firstLine)
{
    m_start = m_end = 0;
    m_suspect = -1;
    m_skipping = false;
    m_nextLine = firstLine;
}

bool LogRecordReader::next(Record *out, Flush flush)
{
    const bool final = flush == Flush::All;
    const bool lineEnds = flush != Flush::None;
    const char *buf = m_buf.constData();
    while (true) {
        if (m_skipping) {
            const void *nl = std::memchr(buf + m_start, '\n', size_t(m_end - m_start));
            if (!nl) {
                m_start = m_end;
                if (m_suspect >= 0)
                    m_suspect = -1;
                return false;
            }
            m_start = static_cast<const char *>(nl) - buf + 1;
            if (m_suspect >= 0 && m_suspect < m_start)
                m_suspect = findSuspect(buf, m_start, m_end);
            m_skipping = false;
        }
        if (m_start >= m_end)
            return false;
        const qsizetype avail = m_end - m_start;
        const char *head = buf + m_start;
        const void *nlp = std::memchr(head, '\n', size_t(avail));
        Record r;
        qsizetype consumed;
        if (!nlp) {
            if (avail >= m_maxRecord) {
                r.bytes = QByteArrayView(head, m_maxRecord);
                r.truncated = true;
                consumed = avail;
                m_skipping = true;
            } else if (final) {
                r.bytes = QByteArrayView(head, avail);
                consumed = avail;
            } else {
                return false;
            }
        } else {
            qsizetype recEnd = static_cast<const char *>(nlp) - buf;
            if (recEnd - m_start > m_maxRecord) {
                r.bytes = QByteArrayView(head, m_maxRecord);
                r.truncated = true;
                consumed = recEnd + 1 - m_start;
            } else {
                while (m_join) {
                    if (recEnd + 1 >= m_end) {
                        // The next line decides whether this record is complete.
                        if (!lineEnds && m_end - m_start < m_maxRecord)
                            return false;
                        break;
                    }
                    if (!isContinuationStart(buf[recEnd + 1]))
                        break;
                    const void *more = std::memchr(buf + recEnd + 1, '\n', size_t(m_end - recEnd - 1));
                    const qsizetype moreEnd = more ? static_cast<const char *>(more) - buf : m_end;
                    if (!more && !final) {
                        if (lineEnds)
                            break; // the continuation is still being written: leave it pending
                        if (m_end - m_start < m_maxRecord)
                            return false;
                    }
                    if (moreEnd - m_start > m_maxRecord)
                        break; // too long to join: the continuation becomes a record of its own
                    recEnd = moreEnd;
                    ++r.lines;
                    if (!more)
                        break;
                }
                r.bytes = QByteArrayView(head, recEnd - m_start);
                consumed = recEnd + 1 - m_start;
            }
        }
        m_start = std::min(m_start + consumed, m_end);
        m_linesSeen += r.lines;
        if (m_nextLine > 0) {
            r.line = m_nextLine;
            m_nextLine += r.lines;
        }
        if (r.truncated) {
            ++m_issues.longLines;
            if (m_issues.firstLongLine == 0)
                m_issues.firstLongLine = r.line > 0 ? r.line : -1;
        }
        if (!r.bytes.isEmpty() && r.bytes.back() == '\r')
            r.bytes.chop(1);
        if (r.bytes.isEmpty())
            continue; // blank lines count, but are no records
        checkRecord(&r);
        *out = r;
        return true;
    }
}

} // namespace dd
