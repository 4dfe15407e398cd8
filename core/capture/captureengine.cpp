#include "captureengine.h"

#include "captureworker.h"

namespace dd {

CaptureEngine::CaptureEngine(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<dd::CaptureAnalysis>();
    qRegisterMetaType<dd::CaptureOptions>();
    m_worker = new CaptureWorker(&m_activeRun);
    m_worker->moveToThread(&m_thread);
    m_thread.setObjectName(QStringLiteral("capture"));
    connect(m_worker, &CaptureWorker::progressed, this, &CaptureEngine::onProgressed);
    connect(m_worker, &CaptureWorker::updated, this, &CaptureEngine::onUpdated);
    connect(m_worker, &CaptureWorker::finished, this, &CaptureEngine::onFinished);
    connect(m_worker, &CaptureWorker::failed, this, &CaptureEngine::onFailed);
    m_thread.start();
}

CaptureEngine::~CaptureEngine()
{
    m_activeRun.store(0);
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
}

quint64 CaptureEngine::begin()
{
    const quint64 run = ++m_lastRun;
    m_activeRun.store(run);
    m_running = true;
    return run;
}

void CaptureEngine::analyzeFile(const QString &path)
{
    const quint64 run = begin();
    const CaptureOptions options = m_options;
    Q_EMIT analysisStarted(path);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, run, path, options] {
        worker->analyzeFile(run, path, options);
    });
}

void CaptureEngine::startStream(const QString &source)
{
    const quint64 run = begin();
    m_streamRun = run;
    const CaptureOptions options = m_options;
    Q_EMIT analysisStarted(source);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, run, source, options] {
        worker->startStream(run, source, options);
    });
}

void CaptureEngine::feed(const QByteArray &chunk)
{
    if (!m_running || m_streamRun != m_activeRun.load())
        return;
    const quint64 run = m_streamRun;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, run, chunk] { worker->feed(run, chunk); });
}

void CaptureEngine::finishStream()
{
    if (!m_running || m_streamRun != m_activeRun.load())
        return;
    const quint64 run = m_streamRun;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, run] { worker->finishStream(run); });
}

void CaptureEngine::cancel()
{
    m_activeRun.store(0);
    m_running = false;
}

void CaptureEngine::onProgressed(quint64 run, qint64 bytesRead, qint64 bytesTotal, qint64 packets)
{
    if (run == m_activeRun.load())
        Q_EMIT analysisProgressed(bytesRead, bytesTotal, packets);
}

void CaptureEngine::onUpdated(quint64 run, const CaptureAnalysis &partial)
{
    if (run == m_activeRun.load())
        Q_EMIT analysisUpdated(partial);
}

void CaptureEngine::onFinished(quint64 run, const CaptureAnalysis &analysis)
{
    if (run != m_activeRun.load())
        return;
    m_running = false;
    m_activeRun.store(0);
    Q_EMIT analysisFinished(analysis);
}

void CaptureEngine::onFailed(quint64 run, const QString &error)
{
    if (run != m_activeRun.load())
        return;
    m_running = false;
    m_activeRun.store(0);
    Q_EMIT analysisFailed(error);
}

} // namespace dd
