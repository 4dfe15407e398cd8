#pragma once

#include "proberesult.h"
#include "probespec.h"

#include <QObject>

namespace dd {

/**
 * The common face of every active check, so that the CLI and the ProbeScheduler can run any
 * kind the same way: start() with a spec, finished() with a result, cancel() at any time.
 *
 * finished() is always emitted from the event loop, never from inside start() or cancel(), so
 * a receiver may delete the probe in its handler. start() while running abandons the old run
 * without a signal. cancel() ends a run with outcome Cancelled.
 */
class ActiveProbe : public QObject
{
    Q_OBJECT
public:
    explicit ActiveProbe(QObject *parent = nullptr);
    ~ActiveProbe() override;

    virtual void start(const ProbeSpec &spec) = 0;
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void finished(const dd::ProbeResult &result);

protected:
    /// Marks a new run of `spec` (abandoning any other); returns its generation.
    quint64 beginRun(const ProbeSpec &spec);
    quint64 generation() const { return m_generation; }
    const ProbeSpec &spec() const { return m_spec; }
    /// A result with kind, target (redacted) and start time filled in.
    ProbeResult newResult() const;
    /// Ends the run: stops the work (abort()) and emits `result` from the event loop.
    void finishRun(ProbeResult result);
    /// Stops timers, sockets and children of the current run; no signal. Called by finishRun/cancel.
    virtual void abort() = 0;
    /// The result cancel() reports; by default the kind and target with outcome Cancelled.
    virtual ProbeResult cancelledResult() const;

private:
    ProbeSpec m_spec;
    QDateTime m_startedAt;
    quint64 m_generation = 0;
    bool m_running = false;
};

/// A new probe of `kind` (tcp and http wrap TcpProbe and HttpProbe), owned by `parent`.
ActiveProbe *createProbe(ProbeKind kind, QObject *parent = nullptr);

} // namespace dd
