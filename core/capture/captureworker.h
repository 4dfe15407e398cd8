#pragma once

#include "captureanalyzer.h"

#include <QElapsedTimer>
#include <QObject>

#include <atomic>
#include <memory>

namespace dd {

/**
 * The half of CaptureEngine that lives on the engine's thread: reads files and streams into a
 * CaptureAnalyzer and reports by signal. Every call carries the run it belongs to; a run that
 * is no longer the engine's active one stops at the next chunk. Internal to the engine.
 */
class CaptureWorker : public QObject
{
    Q_OBJECT
public:
    explicit CaptureWorker(const std::atomic<quint64> *activeRun);
    ~CaptureWorker() override;

    void analyzeFile(quint64 run, const QString &path, const dd::CaptureOptions &options);
    void startStream(quint64 run, const QString &source, const dd::CaptureOptions &options);
    void feed(quint64 run, const QByteArray &chunk);
    void finishStream(quint64 run);

Q_SIGNALS:
    void progressed(quint64 run, qint64 bytesRead, qint64 bytesTotal, qint64 packets);
    void updated(quint64 run, const dd::CaptureAnalysis &partial);
    void finished(quint64 run, const dd::CaptureAnalysis &analysis);
    void failed(quint64 run, const QString &error);

private:
    bool isActive(quint64 run) const { return m_activeRun->load() == run; }
    void conclude(quint64 run, const QString &name, CaptureAnalyzer &analyzer);

    const std::atomic<quint64> *m_activeRun;
    std::unique_ptr<CaptureAnalyzer> m_stream;
    quint64 m_streamRun = 0;
    QString m_streamSource;
    qint64 m_streamBytes = 0;
    QElapsedTimer m_lastReport;
};

} // namespace dd
