#include "logstreamclassifier.h"

#include <algorithm>

namespace dd {

struct LogStreamClassifier::Stream
{
    QString name;
    LogFormat hint = LogFormat::Auto;
    LogRecordReader reader;
    LogRecordReader::Issues reported;
    // Per piece appended: its first line number, time and extra fields (dropped once read).
    struct Piece
    {
        qint64 line = 0;
        logtime::Stamp time;
        QVariantMap extra;
    };
    std::deque<Piece> pieces;
    qint64 nextLine = 1;
    qint64 records = 0;
    qint64 bytes = 0;
};

LogStreamClassifier::LogStreamClassifier() = default;
LogStreamClassifier::~LogStreamClassifier() = default;

void LogStreamClassifier::setClassifier(const LogClassifier &classifier)
{
    m_classifier = classifier;
    m_time = LocalTimeConverter(classifier.timeZone());
}

LogStreamClassifier::Stream &LogStreamClassifier::stream(const QString &name, LogFormat hint)
{
    for (const auto &s : m_streams) {
        if (s->name == name)
            return *s;
    }
    auto s = std::make_unique<Stream>();
    s->name = name;
    s->hint = hint;
    m_streams.push_back(std::move(s));
    return *m_streams.back();
}

void LogStreamClassifier::append(const QString &name, LogFormat hint, QByteArrayView data, logtime::Stamp fallbackTime,
                                 const QVariantMap &extra)
{
    Stream &s = stream(name, hint);
    if (fallbackTime.isValid() || !extra.isEmpty() || !s.pieces.empty()) {
        if (!s.pieces.empty() && s.pieces.back().line == s.nextLine)
            s.pieces.back() = Stream::Piece{s.nextLine, fallbackTime, extra};
        else
            s.pieces.push_back(Stream::Piece{s.nextLine, fallbackTime, extra});
    }
    s.nextLine += std::count(data.begin(), data.end(), '\n');
    s.bytes += data.size();
    s.reader.append(data);
}

void LogStreamClassifier::take(LogRecordReader::Flush flush)
{
    for (const auto &s : m_streams)
        takeFrom(*s, flush);
}

bool LogStreamClassifier::hasPending() const
{
    return std::any_of(m_streams.begin(), m_streams.end(),
                       [](const std::unique_ptr<Stream> &s) { return s->reader.pendingBytes() > 0; });
}

void LogStreamClassifier::takeFrom(Stream &s, LogRecordReader::Flush flush)
{
    LogRecordReader::Record record;
    const bool wantAll = !m_onlyClassified;
    while (s.reader.next(&record, flush)) {
        ++s.records;
        ++m_records;
        // The piece this record started in: its time and fields.
        while (s.pieces.size() > 1 && s.pieces[1].line <= record.line)
            s.pieces.pop_front();
        const Stream::Piece *piece =
            !s.pieces.empty() && s.pieces.front().line <= record.line ? &s.pieces.front() : nullptr;
        const LogClassifier::Verdict v = m_classifier.classifyRecord(record.bytes, s.hint, &m_parsed, &m_scratch, true);
        if (v.rule >= 0)
            ++m_classified;
        if (!wantAll && v.rule < 0)
            continue;
        if (piece && !m_parsed.time.isValid())
            m_parsed.time = piece->time;
        ClassifiedLine line =
            m_classifier.toClassifiedLine(m_parsed, v, &m_time, s.name, m_numberLines ? record.line : 0);
        if (piece) {
            for (auto it = piece->extra.cbegin(); it != piece->extra.cend(); ++it)
                line.fields.insert(it.key(), it.value());
        }
        if (line.kind != LineKind::Unclassified) {
            const QString id = line.causeId.isEmpty() ? line.signal : line.causeId;
            auto e = std::find_if(m_entries.begin(), m_entries.end(),
                                  [&](const LogSummaryEntry &x) { return x.id == id && x.kind == line.kind; });
            if (e == m_entries.end()) {
                LogSummaryEntry n;
                n.kind = line.kind;
                n.id = id;
                n.sampleFile = s.name;
                n.sampleLine = m_numberLines ? record.line : 0;
                m_entries.append(n);
                e = m_entries.end() - 1;
            }
            ++e->count;
            ++e->rules[line.ruleId];
            if (line.timeUtc.isValid()) {
                if (!e->first.isValid() || line.timeUtc < e->first)
                    e->first = line.timeUtc;
                if (!e->last.isValid() || line.timeUtc > e->last)
                    e->last = line.timeUtc;
            }
        }
        m_lines.append(std::move(line));
    }
    const LogRecordReader::Issues &issues = s.reader.issues();
    if (issues.firstNulLine && !s.reported.firstNulLine) {
        s.reported.firstNulLine = issues.firstNulLine;
        m_problems << QStringLiteral("%1: NUL bytes (binary data?); shown as U+FFFD").arg(s.name);
    }
    if (issues.firstInvalidUtf8Line && !s.reported.firstInvalidUtf8Line) {
        s.reported.firstInvalidUtf8Line = issues.firstInvalidUtf8Line;
        m_problems << QStringLiteral("%1: invalid UTF-8; shown with U+FFFD").arg(s.name);
    }
    if (issues.longLines && !s.reported.longLines) {
        s.reported.longLines = issues.longLines;
        m_problems << QStringLiteral("%1: a line longer than 1 MiB was cut; its start was classified").arg(s.name);
    }
}

QList<ClassifiedLine> LogStreamClassifier::takeLines()
{
    return std::exchange(m_lines, {});
}

QStringList LogStreamClassifier::takeProblems()
{
    return std::exchange(m_problems, {});
}

LogSummary LogStreamClassifier::summary() const
{
    LogSummary out;
    out.records = m_records;
    out.classified = m_classified;
    for (const auto &s : m_streams) {
        LogFileReport f;
        f.file = s->name;
        f.format = s->hint == LogFormat::Auto ? QString() : logFormatName(s->hint);
        f.lines = s->reader.linesSeen();
        f.records = s->records;
        f.bytes = s->bytes;
        out.bytes += s->bytes;
        out.files << f;
    }
    out.entries = m_entries;
    std::stable_sort(out.entries.begin(), out.entries.end(),
                     [](const LogSummaryEntry &a, const LogSummaryEntry &b) { return a.count > b.count; });
    return out;
}

} // namespace dd
