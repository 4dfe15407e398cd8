#include "logscanner.h"

namespace dd {

namespace {
// Batches the worker may run ahead of the receiver.
constexpr int maxBatchesInFlight = 4;
} // namespace

LogScanner::LogScanner(QObject *parent) : QObject(parent), m_credits(std::make_shared<QSemaphore>(maxBatchesInFlight))
{
    qRegisterMetaType<QList<dd::ClassifiedLine>>();
    qRegisterMetaType<dd::LogSummary>();
    m_thread.setObjectName(QStringLiteral("LogScanner"));
    m_worker = new LogScanWorker(m_credits);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &LogScanWorker::linesReady, this, &LogScanner::deliver);
    connect(m_worker, &LogScanWorker::problemFound, this, &LogScanner::problemFound);
    connect(m_worker, &LogScanWorker::finished, this, &LogScanner::finish);
    m_thread.start();
}

LogScanner::~LogScanner()
{
    cancel();
    m_thread.quit();
    m_thread.wait();
}

void LogScanner::setClassifier(const LogClassifier &classifier)
{
    m_classifier = classifier;
}

void LogScanner::scan(const QStringList &paths, const LogScanOptions &options)
{
    if (m_running)
        return;
    m_running = true;
    Q_EMIT scanStarted();
    LogScanWorker *worker = m_worker;
    const LogClassifier classifier = m_classifier;
    QMetaObject::invokeMethod(
        worker, [worker, paths, options, classifier] { worker->run(paths, options, classifier); },
        Qt::QueuedConnection);
}

void LogScanner::cancel()
{
    if (m_running)
        m_worker->cancel();
}

void LogScanner::deliver(const QList<ClassifiedLine> &lines)
{
    Q_EMIT linesClassified(lines);
    m_credits->release();
}

void LogScanner::finish(const LogSummary &summary)
{
    m_running = false;
    Q_EMIT scanFinished(summary);
}

LogScanWorker::LogScanWorker(std::shared_ptr<QSemaphore> credits) : m_credits(std::move(credits)) {}

void LogScanWorker::cancel()
{
    m_cancelled.store(true);
    const QMutexLocker lock(&m_scanMutex);
    if (m_scan)
        m_scan->cancel();
}

void LogScanWorker::run(const QStringList &paths, const LogScanOptions &options, const LogClassifier &classifier)
{
    m_cancelled.store(false);
    LogScan scan(classifier, options, [this](QList<ClassifiedLine> &&batch) {
        // Waits for the receiver to catch up; polls so that cancel() is noticed.
        while (!m_credits->tryAcquire(1, 50)) {
            if (m_cancelled.load())
                return false;
        }
        Q_EMIT linesReady(batch);
        return true;
    });
    {
        const QMutexLocker lock(&m_scanMutex);
        m_scan = &scan;
    }
    for (const QString &path : paths) {
        if (m_cancelled.load())
            break;
        scan.scanPath(path);
        for (const QString &problem : scan.files().constLast().problems)
            Q_EMIT problemFound(problem);
    }
    {
        const QMutexLocker lock(&m_scanMutex);
        m_scan = nullptr;
    }
    Q_EMIT finished(scan.summary());
}

} // namespace dd
