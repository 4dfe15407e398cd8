#include "logscan.h"

#include "logformatdetector.h"
#include "logparsers.h"
#include "logrecordreader.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <algorithm>

namespace dd {

namespace {

// Counting lines before a tail is worth it only while it is cheap.
constexpr qint64 maxCountedPrefix = qint64(256) << 20;

qint64 countNewlines(QIODevice *device, qint64 bytes)
{
    QByteArray block(4 << 20, Qt::Uninitialized);
    qint64 count = 0;
    while (bytes > 0) {
        const qint64 got = device->read(block.data(), std::min<qint64>(bytes, block.size()));
        if (got <= 0)
            break;
        count += std::count(block.constData(), block.constData() + got, '\n');
        bytes -= got;
    }
    return count;
}

// Reads until the reader has data or the device ends; processes (gzip) are waited for.
qint64 readMore(LogRecordReader *reader, QIODevice *device)
{
    while (true) {
        const qint64 got = reader->fill(device);
        if (got != 0)
            return got;
        auto *process = qobject_cast<QProcess *>(device);
        if (!process || (process->state() == QProcess::NotRunning && process->bytesAvailable() == 0))
            return 0;
        if (!process->waitForReadyRead(-1) && process->bytesAvailable() == 0)
            return 0;
    }
}

} // namespace

QString describeOpenError(const QString &path, const QString &reason)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("%1: no such file").arg(path);
    if (info.isDir())
        return QStringLiteral("%1: is a directory").arg(path);
    if (!info.isReadable()) {
        if (path.startsWith(QLatin1String("/var/log/")))
            return QStringLiteral("%1: permission denied (reading /var/log usually needs membership in the 'adm' "
                                  "group: sudo usermod -aG adm $USER, then log in again)")
                .arg(path);
        return QStringLiteral("%1: permission denied").arg(path);
    }
    return QStringLiteral("%1: %2").arg(path, reason);
}

LogScan::LogScan(const LogClassifier &classifier, const LogScanOptions &options, Sink sink)
    : m_classifier(classifier), m_options(options), m_sink(std::move(sink)), m_time(classifier.timeZone())
{
    const qsizetype outcomes = classifier.rules().outcomes().size();
    m_counts.fill(0, outcomes);
    m_first.fill(logtime::none, outcomes);
    m_last.fill(logtime::none, outcomes);
    m_sampleFile.resize(outcomes);
    m_sampleLine.fill(0, outcomes);
    m_outcomeCount = int(outcomes);
    m_ruleCounts.fill(0, classifier.rules().rules().size() * outcomes);
}

bool LogScan::scanPath(const QString &path)
{
    LogFileReport report;
    report.file = path;
    if (path == QLatin1String("-")) {
        QFile in;
        if (!in.open(0, QIODevice::ReadOnly | QIODevice::Unbuffered)) {
            report.readable = false;
            report.problems << QStringLiteral("-: cannot read standard input: %1").arg(in.errorString());
        } else {
            scanDevice(&in, path, &report, 1, false);
        }
        m_files << report;
        return report.readable;
    }
    QFile file(path);
    const QFileInfo info(path);
    if (info.isDir() || !file.open(QIODevice::ReadOnly)) {
        report.readable = false;
        report.problems << describeOpenError(path, file.errorString());
        m_files << report;
        return false;
    }
    if (path.endsWith(QLatin1String(".gz"))) {
        file.close();
        QProcess gzip;
        gzip.setProgram(QStringLiteral("gzip"));
        gzip.setArguments({QStringLiteral("-dc"), path});
        gzip.setProcessChannelMode(QProcess::SeparateChannels);
        gzip.start(QIODevice::ReadOnly);
        if (!gzip.waitForStarted()) {
            report.readable = false;
            report.problems << QStringLiteral("%1: cannot run gzip to decompress it: %2").arg(path, gzip.errorString());
        } else {
            scanDevice(&gzip, path, &report, 1, false);
            if (isCancelled())
                gzip.kill();
            gzip.waitForFinished(-1);
            if (gzip.exitStatus() != QProcess::NormalExit || gzip.exitCode() != 0)
                report.problems << QStringLiteral("%1: gzip: %2")
                                       .arg(path, QString::fromLocal8Bit(gzip.readAllStandardError()).trimmed());
        }
        m_files << report;
        return report.readable;
    }
    qint64 firstLine = 1;
    bool partial = false;
    if (m_options.tailBytes > 0 && file.size() > m_options.tailBytes) {
        const qint64 start = file.size() - m_options.tailBytes;
        if (start <= maxCountedPrefix) {
            firstLine = countNewlines(&file, start) + 1;
        } else {
            firstLine = 0;
        }
        char before = '\n';
        file.seek(start - 1);
        file.getChar(&before);
        partial = before != '\n';
        if (partial && firstLine > 0)
            ++firstLine;
    }
    scanDevice(&file, path, &report, firstLine, partial);
    m_files << report;
    return true;
}

void LogScan::scanDevice(QIODevice *device, const QString &name, LogFileReport *report, qint64 firstLine,
                         bool skipPartialFirstLine)
{
    LogRecordReader reader;
    if (skipPartialFirstLine)
        reader.skipPartialFirstLine();
    reader.setFirstLineNumber(firstLine);
    FileState st;
    st.name = name;
    st.report = report;
    st.hint = m_options.format;
    st.detecting = st.hint == LogFormat::Auto;
    st.wantAll = m_options.emitLines && !m_options.onlyClassified;
    LogRecordReader::Record a;
    LogRecordReader::Record b;
    bool done = false;
    bool tuned = false;
    while (!done && !isCancelled()) {
        const qint64 got = readMore(&reader, device);
        if (got < 0)
            report->problems << QStringLiteral("%1: read error: %2").arg(name, device->errorString());
        else
            report->bytes += got;
        const bool final = got <= 0;
        if (!tuned && got > 0) {
            // The prefilter learns which parts of its literals are rare in this file.
            tuned = true;
            m_classifier = m_classifier.tunedFor(bv::left(reader.pending(), 1 << 20));
        }
        const auto flushMode = final ? LogRecordReader::Flush::All : LogRecordReader::Flush::None;
        while (reader.next(&a, flushMode)) {
            // Records go through the prefilter in pairs when only matches matter (a's view
            // stays valid: the reader moves no data until the next fill).
            if (!st.wantAll && reader.next(&b, flushMode)) {
                m_classifier.prefilter2(a.bytes, b.bytes, &st.scratch[0], &st.scratch[1]);
                if (!handleRecord(st, a, 0, true) || !handleRecord(st, b, 1, true))
                    break;
            } else if (!handleRecord(st, a, 0, false)) {
                break;
            }
        }
        done = final;
    }
    flush();
    m_records += report->records;
    report->lines = reader.linesSeen();
    report->format = st.detecting ? st.detector.resultName() : logFormatName(st.hint);
    const LogRecordReader::Issues &issues = reader.issues();
    auto at = [](qint64 line) { return line > 0 ? QStringLiteral(" at line %1").arg(line) : QString(); };
    if (issues.firstNulLine != 0)
        report->problems << QStringLiteral("%1: NUL bytes%2 (binary data?); they are shown as U+FFFD")
                                .arg(name, at(issues.firstNulLine));
    if (issues.firstInvalidUtf8Line != 0)
        report->problems << QStringLiteral("%1: invalid UTF-8%2; shown with U+FFFD replacement characters")
                                .arg(name, at(issues.firstInvalidUtf8Line));
    if (issues.longLines > 0)
        report->problems << QStringLiteral("%1: %2 line(s) longer than 1 MiB (first%3) were classified on their "
                                           "first 1 MiB")
                                .arg(name)
                                .arg(issues.longLines)
                                .arg(at(issues.firstLongLine));
}

bool LogScan::handleRecord(FileState &st, const LogRecordReader::Record &record, int slot, bool prefiltered)
{
    ++st.report->records;
    if (st.detecting && !st.detector.isDecided()) {
        st.detector.addLine(record.bytes);
        if (st.detector.isDecided())
            st.hint = st.detector.result();
    }
    const LogClassifier::Verdict v =
        m_classifier.classifyRecord(record.bytes, st.hint, &st.parsed, &st.scratch[slot], st.wantAll, prefiltered);
    if (v.rule >= 0) {
        ++m_classified;
        const int o = v.outcome;
        ++m_ruleCounts[v.rule * m_outcomeCount + o];
        if (m_counts[o]++ == 0) {
            m_sampleFile[o] = st.name;
            m_sampleLine[o] = record.line;
        }
        const qint64 ms = m_time.toUtc(st.parsed.time);
        if (ms != logtime::none) {
            if (m_first[o] == logtime::none || ms < m_first[o])
                m_first[o] = ms;
            if (m_last[o] == logtime::none || ms > m_last[o])
                m_last[o] = ms;
        }
    }
    if (m_options.emitLines && (st.wantAll || v.rule >= 0)) {
        m_batch.append(m_classifier.toClassifiedLine(st.parsed, v, &m_time, st.name, record.line));
        if (m_batch.size() >= m_options.batchSize && !flush())
            return false;
    }
    return true;
}

bool LogScan::flush()
{
    if (m_batch.isEmpty())
        return true;
    const bool go = m_sink ? m_sink(std::move(m_batch)) : true;
    m_batch = QList<ClassifiedLine>();
    if (!go)
        cancel();
    return go;
}

LogSummary LogScan::summary() const
{
    LogSummary out;
    out.files = m_files;
    out.records = m_records;
    out.classified = m_classified;
    for (const LogFileReport &f : m_files)
        out.bytes += f.bytes;
    const QList<RuleOutcome> &outcomes = m_classifier.rules().outcomes();
    const QList<LogRule> &rules = m_classifier.rules().rules();
    auto toTime = [](qint64 ms) {
        return ms == logtime::none ? QDateTime() : QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    };
    for (qsizetype o = 0; o < outcomes.size(); ++o) {
        if (m_counts.at(o) == 0)
            continue;
        LogSummaryEntry e;
        e.kind = outcomes.at(o).kind;
        e.id = outcomes.at(o).id;
        e.count = m_counts.at(o);
        e.first = toTime(m_first.at(o));
        e.last = toTime(m_last.at(o));
        e.sampleFile = m_sampleFile.at(o);
        e.sampleLine = m_sampleLine.at(o);
        for (qsizetype r = 0; r < rules.size(); ++r) {
            if (const qint64 n = m_ruleCounts.at(r * m_outcomeCount + o))
                e.rules.insert(rules.at(r).id, n);
        }
        out.entries << e;
    }
    std::stable_sort(out.entries.begin(), out.entries.end(),
                     [](const LogSummaryEntry &a, const LogSummaryEntry &b) { return a.count > b.count; });
    return out;
}

QList<ClassifiedLine> classifyFileTail(const LogClassifier &classifier, const QString &path, qint64 maxBytes,
                                       QString *error)
{
    QList<ClassifiedLine> out;
    LogScanOptions options;
    options.emitLines = true;
    options.onlyClassified = true;
    options.tailBytes = maxBytes;
    LogScan scan(classifier, options, [&out](QList<ClassifiedLine> &&batch) {
        out += std::move(batch);
        return true;
    });
    if (!scan.scanPath(path) && error)
        *error = scan.files().value(0).problems.value(0);
    return out;
}

QList<ClassifiedLine> classifyFileTail(const QString &path, qint64 maxBytes, QString *error)
{
    return classifyFileTail(LogClassifier(), path, maxBytes, error);
}

} // namespace dd
