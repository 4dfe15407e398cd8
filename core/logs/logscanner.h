#pragma once

#include "classifiedline.h"
#include "logclassifier.h"
#include "logscan.h"
#include "logsummary.h"

#include <QMutex>
#include <QObject>
#include <QSemaphore>
#include <QStringList>
#include <QThread>

#include <memory>

namespace dd {

class LogScanWorker;

/**
 * Classifies whole files on a thread of its own (architecture: threading). Commands in,
 * past-tense signals out; lines arrive in batches, at most a few batches ahead of the
 * receiver, so memory stays bounded however large the files are.
 */
class LogScanner : public QObject
{
    Q_OBJECT
public:
    explicit LogScanner(QObject *parent = nullptr);
    ~LogScanner() override;

    void setClassifier(const LogClassifier &classifier);
    /// Starts a scan of `paths` ("-" is standard input); ignored while one runs.
    void scan(const QStringList &paths, const LogScanOptions &options);
    /// Stops the running scan; scanFinished still follows, with what was counted so far.
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void scanStarted();
    void linesClassified(const QList<dd::ClassifiedLine> &lines);
    /// One line naming the file: unreadable, NUL bytes, invalid UTF-8, over-long lines.
    void problemFound(const QString &message);
    void scanFinished(const dd::LogSummary &summary);

private:
    void deliver(const QList<dd::ClassifiedLine> &lines);
    void finish(const dd::LogSummary &summary);

    LogClassifier m_classifier;
    QThread m_thread;
    LogScanWorker *m_worker = nullptr;
    std::shared_ptr<QSemaphore> m_credits;
    bool m_running = false;
};

/// The half of LogScanner that runs on its thread.
class LogScanWorker : public QObject
{
    Q_OBJECT
public:
    explicit LogScanWorker(std::shared_ptr<QSemaphore> credits);

    void run(const QStringList &paths, const dd::LogScanOptions &options, const dd::LogClassifier &classifier);
    void cancel();

Q_SIGNALS:
    void linesReady(const QList<dd::ClassifiedLine> &lines);
    void problemFound(const QString &message);
    void finished(const dd::LogSummary &summary);

private:
    std::shared_ptr<QSemaphore> m_credits;
    std::atomic<bool> m_cancelled{false};
    QMutex m_scanMutex; ///< guards m_scan against cancel() from the owner's thread
    LogScan *m_scan = nullptr;
};

} // namespace dd
