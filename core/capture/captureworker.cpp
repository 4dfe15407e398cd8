#include "captureworker.h"

#include "capturefile.h"

namespace dd {

namespace {

constexpr int updateIntervalMs = 1000;

} // namespace

CaptureWorker::CaptureWorker(const std::atomic<quint64> *activeRun) : m_activeRun(activeRun) {}

CaptureWorker::~CaptureWorker() = default;

void CaptureWorker::analyzeFile(quint64 run, const QString &path, const CaptureOptions &options)
{
    if (!isActive(run))
        return;
    const CaptureFileResult r = analyzeCaptureFile(path, options, [&](qint64 bytes, qint64 total, qint64 packets) {
        if (!isActive(run))
            return false;
        Q_EMIT progressed(run, bytes, total, packets);
        return true;
    });
    if (!isActive(run))
        return;
    if (r.ok)
        Q_EMIT finished(run, r.analysis);
    else if (!r.error.isEmpty())
        Q_EMIT failed(run, r.error);
}

void CaptureWorker::conclude(quint64 run, const QString &name, CaptureAnalyzer &analyzer)
{
    if (!isActive(run))
        return;
    const CaptureFileResult r = concludeCapture(name, analyzer);
    if (!r.ok) {
        Q_EMIT failed(run, r.error);
        return;
    }
    Q_EMIT progressed(run, r.analysis.bytesRead, r.analysis.bytesRead, r.analysis.packets);
    Q_EMIT finished(run, r.analysis);
}

void CaptureWorker::startStream(quint64 run, const QString &source, const CaptureOptions &options)
{
    m_stream = std::make_unique<CaptureAnalyzer>(options);
    m_stream->setSource(source);
    m_streamRun = run;
    m_streamSource = source;
    m_streamBytes = 0;
    m_lastReport.start();
}

void CaptureWorker::feed(quint64 run, const QByteArray &chunk)
{
    if (!m_stream || run != m_streamRun || !isActive(run))
        return;
    m_streamBytes += chunk.size();
    if (!m_stream->feed(chunk.constData(), chunk.size())) {
        finishStream(run);
        return;
    }
    if (m_lastReport.elapsed() >= updateIntervalMs) {
        m_lastReport.restart();
        Q_EMIT progressed(run, m_streamBytes, -1, m_stream->packetCount());
        Q_EMIT updated(run, m_stream->result());
    }
}

void CaptureWorker::finishStream(quint64 run)
{
    if (!m_stream || run != m_streamRun)
        return;
    std::unique_ptr<CaptureAnalyzer> analyzer = std::move(m_stream);
    analyzer->finish();
    conclude(run, m_streamSource, *analyzer);
}

} // namespace dd
