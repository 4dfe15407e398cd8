#pragma once

#include "classifiedline.h"
#include "logclassifier.h"
#include "logformat.h"
#include "logtime.h"
#include "parsedrecord.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <vector>

namespace dd {

/**
 * Follows log files like `tail -F`: by name across rotation (rename or delete, then a new
 * file), through truncation (copytruncate), and picks up new files that match a glob, with
 * wildcards in any path component (e.g. every documentserver service's out.log). Event-driven
 * (QFileSystemWatcher, inotify on Linux); a file renamed or deleted while its writer still
 * holds it is drained until the writer has moved on, so no line is lost or read twice.
 * Memory is bounded: at most a few MiB are read per event, and a line longer than 1 MiB is cut.
 */
class LogFollower : public QObject
{
    Q_OBJECT
public:
    explicit LogFollower(QObject *parent = nullptr);
    ~LogFollower() override;

    void setClassifier(const LogClassifier &classifier);
    void setFormat(LogFormat format);
    /// Reads files present at follow() from their beginning instead of their end.
    void setFromStart(bool fromStart);
    /// Emits only lines a rule matched.
    void setOnlyClassified(bool only);

    /// Starts following paths and glob patterns (wildcards allowed in any component).
    void follow(const QStringList &pathsOrPatterns);
    /// Stops; lines still buffered are classified and emitted first.
    void stop();
    QStringList followedFiles() const;

Q_SIGNALS:
    void linesClassified(const QList<dd::ClassifiedLine> &lines);
    void fileOpened(const QString &path);
    void fileRotated(const QString &path);
    void fileTruncated(const QString &path);
    /// One line naming the file: unreadable, permission denied, binary data.
    void problemFound(const QString &message);
    void followStopped();

private:
    struct Source;
    struct Tracked;

    void rescan();
    void serviceFile(const QString &path);
    void service(Tracked &tracked);
    void drainRetired();
    void readSource(Tracked &tracked, Source &source);
    void takeRecords(Tracked &tracked, Source &source, int flush);
    std::unique_ptr<Source> openSource(Tracked &tracked, bool atEnd);
    void flushPending();
    Tracked *find(const QString &path);
    void watchFile(const QString &path);
    void emitBatch();

    LogClassifier m_classifier;
    LogFormat m_format = LogFormat::Auto;
    bool m_fromStart = false;
    bool m_onlyClassified = false;
    bool m_running = false;
    QStringList m_patterns;
    std::vector<std::unique_ptr<Tracked>> m_tracked;
    QFileSystemWatcher m_watcher;
    QTimer m_flushTimer;   ///< emits a last line once no continuation line followed it
    QTimer m_retiredTimer; ///< drains rotated-away files whose writer may still append
    QList<ClassifiedLine> m_batch;
    ParsedRecord m_parsed;
    LogClassifier::Scratch m_scratch;
    LocalTimeConverter m_time;
};

} // namespace dd
