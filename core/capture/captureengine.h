#pragma once

#include "captureanalysis.h"
#include "captureanalyzer.h"

#include <QObject>
#include <QThread>

#include <atomic>

namespace dd {

class CaptureWorker;

/**
 * Analyzes pcap/pcapng streams on a thread of its own: a file, standard input ("-"), or bytes
 * pushed with feed() (the capture helper's pipe, `ssh host tcpdump -U -w -`). Every command
 * returns at once; results come by signal as value types.
 *
 * One analysis runs at a time: starting another, or cancel(), abandons the current one (no
 * further signal of it arrives). analysisFailed() means nothing could be read (missing file, not
 * a capture); a capture that breaks off half-way still finishes, with the error in the result.
 */
class CaptureEngine : public QObject
{
    Q_OBJECT
public:
    explicit CaptureEngine(QObject *parent = nullptr);
    ~CaptureEngine() override;

    void setOptions(const CaptureOptions &options) { m_options = options; }
    CaptureOptions options() const { return m_options; }

    /// Reads a capture file to its end ("-" reads standard input).
    void analyzeFile(const QString &path);
    /// Starts an analysis of bytes pushed with feed(); finishStream() ends it.
    void startStream(const QString &source);
    void feed(const QByteArray &chunk);
    void finishStream();
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void analysisStarted(const QString &source);
    /// bytesTotal is -1 for a pipe or stream.
    void analysisProgressed(qint64 bytesRead, qint64 bytesTotal, qint64 packets);
    /// A stream's partial result, about once a second.
    void analysisUpdated(const dd::CaptureAnalysis &partial);
    void analysisFinished(const dd::CaptureAnalysis &analysis);
    void analysisFailed(const QString &error);

private:
    quint64 begin();
    void onProgressed(quint64 run, qint64 bytesRead, qint64 bytesTotal, qint64 packets);
    void onUpdated(quint64 run, const dd::CaptureAnalysis &partial);
    void onFinished(quint64 run, const dd::CaptureAnalysis &analysis);
    void onFailed(quint64 run, const QString &error);

    CaptureOptions m_options;
    QThread m_thread;
    CaptureWorker *m_worker = nullptr;
    std::atomic<quint64> m_activeRun{0};
    quint64 m_lastRun = 0;
    quint64 m_streamRun = 0;
    bool m_running = false;
};

} // namespace dd
