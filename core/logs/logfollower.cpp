#include "logfollower.h"

#include "logrecordreader.h"
#include "logscan.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>

#include <sys/stat.h>

namespace dd {

namespace {

// Read per event and file; more waits for the next turn of the event loop.
constexpr qint64 readBudget = qint64(4) << 20;
// How long a line may wait for a continuation line before it is classified alone.
constexpr int flushDelayMs = 40;
// A file rotated away is drained until its writer has been silent this long.
constexpr qint64 retiredIdleMs = 2000;
constexpr int retiredPollMs = 200;
constexpr qint64 fingerprintBytes = 64;
constexpr qint64 maxCountedPrefix = qint64(256) << 20;

struct FileId
{
    quint64 dev = 0;
    quint64 ino = 0;
    bool ok = false;
    bool operator==(const FileId &o) const { return ok == o.ok && dev == o.dev && ino == o.ino; }
};

FileId fileId(const QString &path)
{
    struct stat st;
    if (::stat(QFile::encodeName(path).constData(), &st) != 0 || !S_ISREG(st.st_mode))
        return {};
    return FileId{quint64(st.st_dev), quint64(st.st_ino), true};
}

FileId fileId(const QFile &file)
{
    struct stat st;
    if (::fstat(file.handle(), &st) != 0)
        return {};
    return FileId{quint64(st.st_dev), quint64(st.st_ino), true};
}

bool hasWildcard(const QString &s)
{
    return s.contains(QLatin1Char('*')) || s.contains(QLatin1Char('?')) || s.contains(QLatin1Char('['));
}

void expandFrom(const QString &base, const QStringList &parts, qsizetype index, QStringList *files, QStringList *dirs)
{
    const QString &part = parts.at(index);
    const bool last = index == parts.size() - 1;
    auto join = [&](const QString &name) {
        return base.endsWith(QLatin1Char('/')) ? QString(base + name) : QString(base + QLatin1Char('/') + name);
    };
    if (!hasWildcard(part)) {
        const QString next = join(part);
        if (last) {
            dirs->append(base);
            if (QFileInfo(next).isFile())
                files->append(next);
        } else if (QFileInfo(next).isDir()) {
            expandFrom(next, parts, index + 1, files, dirs);
        }
        return;
    }
    dirs->append(base);
    const QRegularExpression re(QRegularExpression::wildcardToRegularExpression(part));
    const QStringList entries =
        QDir(base).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name);
    for (const QString &name : entries) {
        if (!re.match(name).hasMatch())
            continue;
        const QString next = join(name);
        if (last) {
            if (QFileInfo(next).isFile())
                files->append(next);
        } else if (QFileInfo(next).isDir()) {
            expandFrom(next, parts, index + 1, files, dirs);
        }
    }
}

// The files a pattern names now, and the directories where new matches would appear.
void expand(const QString &pattern, QStringList *files, QStringList *dirs)
{
    const QString clean = QDir::cleanPath(pattern);
    if (!hasWildcard(clean)) {
        files->append(clean);
        dirs->append(QFileInfo(clean).absolutePath());
        return;
    }
    const bool absolute = clean.startsWith(QLatin1Char('/'));
    const QStringList parts = clean.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (!parts.isEmpty())
        expandFrom(absolute ? QStringLiteral("/") : QStringLiteral("."), parts, 0, files, dirs);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

struct LogFollower::Source
{
    QFile file;
    FileId id;
    qint64 offset = 0;
    QByteArray fingerprint; ///< the bytes just before `offset`: truncation shows as a change
    LogRecordReader reader;
    qint64 lastGrowth = 0;
    LogRecordReader::Issues reported; ///< what problemFound already said
};

struct LogFollower::Tracked
{
    QString path;
    std::unique_ptr<Source> current;
    std::vector<std::unique_ptr<Source>> retired;
    bool problemReported = false;
    bool everOpened = false;
};

LogFollower::LogFollower(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<QList<dd::ClassifiedLine>>();
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(flushDelayMs);
    m_retiredTimer.setInterval(retiredPollMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &LogFollower::flushPending);
    connect(&m_retiredTimer, &QTimer::timeout, this, &LogFollower::drainRetired);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &LogFollower::serviceFile);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &LogFollower::rescan);
}

LogFollower::~LogFollower() = default;

void LogFollower::setClassifier(const LogClassifier &classifier)
{
    m_classifier = classifier;
    m_time = LocalTimeConverter(classifier.timeZone());
}

void LogFollower::setFormat(LogFormat format)
{
    m_format = format;
}

void LogFollower::setFromStart(bool fromStart)
{
    m_fromStart = fromStart;
}

void LogFollower::setOnlyClassified(bool only)
{
    m_onlyClassified = only;
}

QStringList LogFollower::followedFiles() const
{
    QStringList out;
    for (const auto &t : m_tracked) {
        if (t->current)
            out << t->path;
    }
    return out;
}

LogFollower::Tracked *LogFollower::find(const QString &path)
{
    for (const auto &t : m_tracked) {
        if (t->path == path)
            return t.get();
    }
    return nullptr;
}

void LogFollower::watchFile(const QString &path)
{
    // A watch follows the inode: after a rotation it must be set again on the new file.
    if (m_watcher.files().contains(path))
        m_watcher.removePath(path);
    m_watcher.addPath(path);
}

void LogFollower::follow(const QStringList &pathsOrPatterns)
{
    m_patterns = pathsOrPatterns;
    m_running = true;
    QStringList files;
    QStringList dirs;
    for (const QString &p : pathsOrPatterns)
        expand(p, &files, &dirs);
    files.removeDuplicates();
    dirs.removeDuplicates();
    for (const QString &dir : std::as_const(dirs)) {
        if (QFileInfo(dir).isDir() && !m_watcher.directories().contains(dir))
            m_watcher.addPath(dir);
    }
    for (const QString &path : std::as_const(files)) {
        if (find(path))
            continue;
        auto tracked = std::make_unique<Tracked>();
        tracked->path = path;
        Tracked &t = *tracked;
        m_tracked.push_back(std::move(tracked));
        if (QFileInfo::exists(path)) {
            t.current = openSource(t, !m_fromStart);
            if (t.current) {
                watchFile(path);
                Q_EMIT fileOpened(path);
                readSource(t, *t.current);
            }
        }
    }
    emitBatch();
}

void LogFollower::stop()
{
    if (!m_running)
        return;
    m_running = false;
    const QStringList watched = m_watcher.files() + m_watcher.directories();
    if (!watched.isEmpty())
        m_watcher.removePaths(watched);
    m_flushTimer.stop();
    m_retiredTimer.stop();
    for (const auto &t : m_tracked) {
        for (const auto &r : t->retired) {
            readSource(*t, *r);
            takeRecords(*t, *r, int(LogRecordReader::Flush::All));
        }
        if (t->current) {
            readSource(*t, *t->current);
            takeRecords(*t, *t->current, int(LogRecordReader::Flush::All));
        }
    }
    emitBatch();
    m_tracked.clear();
    Q_EMIT followStopped();
}

std::unique_ptr<LogFollower::Source> LogFollower::openSource(Tracked &t, bool atEnd)
{
    auto s = std::make_unique<Source>();
    s->file.setFileName(t.path);
    if (!s->file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        if (!t.problemReported)
            Q_EMIT problemFound(describeOpenError(t.path, s->file.errorString()));
        t.problemReported = true;
        return nullptr;
    }
    t.problemReported = false;
    t.everOpened = true;
    s->id = fileId(s->file);
    s->lastGrowth = nowMs();
    qint64 firstLine = 1;
    if (atEnd) {
        s->offset = s->file.size();
        if (s->offset > 0) {
            char last = '\n';
            s->file.seek(s->offset - 1);
            s->file.getChar(&last);
            if (last != '\n') // the writer is mid-line: start after it
                s->reader.skipPartialFirstLine();
            if (s->offset <= maxCountedPrefix) {
                s->file.seek(0);
                qint64 lines = 0;
                QByteArray block;
                while (!(block = s->file.read(4 << 20)).isEmpty())
                    lines += block.count('\n');
                firstLine = lines + 1;
            } else {
                firstLine = 0;
            }
        }
    }
    s->reader.setFirstLineNumber(firstLine);
    return s;
}

void LogFollower::serviceFile(const QString &path)
{
    if (Tracked *t = find(path))
        service(*t);
    emitBatch();
}

void LogFollower::rescan()
{
    if (!m_running)
        return;
    QStringList files;
    QStringList dirs;
    for (const QString &p : std::as_const(m_patterns))
        expand(p, &files, &dirs);
    for (const QString &dir : std::as_const(dirs)) {
        if (QFileInfo(dir).isDir() && !m_watcher.directories().contains(dir))
            m_watcher.addPath(dir);
    }
    for (const QString &path : std::as_const(files)) {
        if (!find(path)) {
            auto tracked = std::make_unique<Tracked>();
            tracked->path = path;
            m_tracked.push_back(std::move(tracked));
        }
    }
    for (const auto &t : m_tracked)
        service(*t);
    emitBatch();
}

void LogFollower::service(Tracked &t)
{
    if (!m_running)
        return;
    const FileId now = fileId(t.path);
    if (t.current && !(now == t.current->id)) {
        // Renamed or deleted: its writer may still append until it reopens the name.
        readSource(t, *t.current);
        t.current->lastGrowth = nowMs();
        t.retired.push_back(std::move(t.current));
        if (!m_retiredTimer.isActive())
            m_retiredTimer.start();
    }
    // Whatever the old files got was written before what the new one has: their last
    // lines cannot wait for a continuation line any longer.
    for (const auto &r : t.retired) {
        readSource(t, *r);
        takeRecords(t, *r, int(LogRecordReader::Flush::CompleteLines));
    }
    if (!t.current && now.ok) {
        const bool rotated = t.everOpened;
        t.current = openSource(t, false); // a new file is read from its start
        if (t.current) {
            watchFile(t.path);
            Q_EMIT(rotated ? fileRotated(t.path) : fileOpened(t.path));
        }
    }
    if (t.current)
        readSource(t, *t.current);
}

void LogFollower::readSource(Tracked &t, Source &s)
{
    const qint64 size = s.file.size();
    bool truncated = size < s.offset;
    if (!truncated && s.offset > 0 && !s.fingerprint.isEmpty() && s.file.seek(s.offset - s.fingerprint.size()))
        truncated = s.file.read(s.fingerprint.size()) != s.fingerprint; // cut and rewritten past our offset
    if (truncated) {
        takeRecords(t, s, int(LogRecordReader::Flush::All));
        s.reader.reset(1);
        s.offset = 0;
        s.fingerprint.clear();
        Q_EMIT fileTruncated(t.path);
    }
    if (!s.file.seek(s.offset))
        return;
    qint64 budget = readBudget;
    while (budget > 0) {
        const qint64 got = s.reader.fill(&s.file);
        if (got <= 0)
            break;
        s.offset += got;
        budget -= got;
        s.lastGrowth = nowMs();
        takeRecords(t, s, int(LogRecordReader::Flush::None));
    }
    if (budget < readBudget) {
        const qint64 fp = std::min(s.offset, fingerprintBytes);
        if (s.file.seek(s.offset - fp))
            s.fingerprint = s.file.read(fp);
    }
    if (budget <= 0) {
        const QString path = t.path;
        QTimer::singleShot(0, this, [this, path] { serviceFile(path); });
    }
    if (s.reader.pendingBytes() > 0 && !m_flushTimer.isActive())
        m_flushTimer.start();
}

void LogFollower::takeRecords(Tracked &t, Source &s, int flush)
{
    LogRecordReader::Record record;
    const bool wantAll = !m_onlyClassified;
    while (s.reader.next(&record, LogRecordReader::Flush(flush))) {
        const LogClassifier::Verdict v =
            m_classifier.classifyRecord(record.bytes, m_format, &m_parsed, &m_scratch, wantAll);
        if (wantAll || v.rule >= 0)
            m_batch.append(m_classifier.toClassifiedLine(m_parsed, v, &m_time, t.path, record.line));
    }
    // Each kind of bad input is reported once per file.
    const LogRecordReader::Issues &issues = s.reader.issues();
    if (issues.firstNulLine && !s.reported.firstNulLine) {
        s.reported.firstNulLine = issues.firstNulLine;
        Q_EMIT problemFound(QStringLiteral("%1: NUL bytes (binary data?); shown as U+FFFD").arg(t.path));
    }
    if (issues.firstInvalidUtf8Line && !s.reported.firstInvalidUtf8Line) {
        s.reported.firstInvalidUtf8Line = issues.firstInvalidUtf8Line;
        Q_EMIT problemFound(QStringLiteral("%1: invalid UTF-8; shown with U+FFFD").arg(t.path));
    }
    if (issues.longLines && !s.reported.longLines) {
        s.reported.longLines = issues.longLines;
        Q_EMIT problemFound(
            QStringLiteral("%1: a line longer than 1 MiB was cut; its start was classified").arg(t.path));
    }
}

void LogFollower::flushPending()
{
    for (const auto &t : m_tracked) {
        for (const auto &r : t->retired)
            takeRecords(*t, *r, int(LogRecordReader::Flush::CompleteLines));
        if (t->current)
            takeRecords(*t, *t->current, int(LogRecordReader::Flush::CompleteLines));
    }
    emitBatch();
}

void LogFollower::drainRetired()
{
    bool any = false;
    const qint64 now = nowMs();
    for (const auto &t : m_tracked) {
        for (const auto &r : t->retired)
            readSource(*t, *r);
        auto idle = [&](const std::unique_ptr<Source> &r) {
            if (now - r->lastGrowth < retiredIdleMs)
                return false;
            takeRecords(*t, *r, int(LogRecordReader::Flush::All));
            return true;
        };
        t->retired.erase(std::remove_if(t->retired.begin(), t->retired.end(), idle), t->retired.end());
        any = any || !t->retired.empty();
    }
    emitBatch();
    if (!any)
        m_retiredTimer.stop();
}

void LogFollower::emitBatch()
{
    if (m_batch.isEmpty())
        return;
    const QList<ClassifiedLine> batch = std::exchange(m_batch, {});
    Q_EMIT linesClassified(batch);
}

} // namespace dd
