#pragma once

#include "classifiedline.h"
#include "logclassifier.h"
#include "logstreamclassifier.h"
#include "logsummary.h"

#include <QObject>
#include <QProcess>
#include <QTimer>

namespace dd {

/**
 * A log source that is a stream, not a file: journald, a Docker container, a remote host.
 * Commands in (start, stop), the same signals as LogFollower out. Ends with followStopped,
 * whether stopped, at the end of its input, or after sourceFailed said why it could not go on.
 */
class LogStreamSource : public QObject
{
    Q_OBJECT
public:
    explicit LogStreamSource(QObject *parent = nullptr);

    void setClassifier(const LogClassifier &classifier);
    void setOnlyClassified(bool only);
    /// Read what the source has stored first instead of only what comes next.
    void setFromStart(bool fromStart) { m_fromStart = fromStart; }

    virtual void start() = 0;
    /// Stops; lines still buffered are classified and emitted first.
    virtual void stop() = 0;
    bool isRunning() const { return m_running; }
    /// True once sourceFailed was emitted.
    bool hasFailed() const { return m_failed; }
    /// Counts per cause over all lines classified so far.
    LogSummary summary() const { return m_stream.summary(); }

Q_SIGNALS:
    void linesClassified(const QList<dd::ClassifiedLine> &lines);
    /// One line naming the source: bad bytes, a message the tool printed on stderr.
    void problemFound(const QString &message);
    /// The source could not be read (tool missing, permission denied, connection lost): one line
    /// naming it and what to do.
    void sourceFailed(const QString &message);
    void followStopped();

protected:
    void feed(const QString &name, LogFormat hint, QByteArrayView data, logtime::Stamp time = {},
              const QVariantMap &extra = {});
    void fail(const QString &message);
    /// Classifies what is left and emits followStopped (once).
    void finish();
    void setStarted() { m_running = true; }

    LogStreamClassifier m_stream;
    bool m_fromStart = false;

private:
    void emitPending(LogRecordReader::Flush flush);

    QTimer m_flushTimer; ///< emits a last line once no continuation line followed it
    bool m_running = false;
    bool m_failed = false;
    bool m_finished = false;
};

/// The part shared by sources that run a program and read its standard output.
class ProcessLogSource : public LogStreamSource
{
    Q_OBJECT
public:
    explicit ProcessLogSource(QObject *parent = nullptr);
    ~ProcessLogSource() override;

    void stop() override;

protected:
    /// Starts `command` (an override from the environment variable `envVar` replaces the
    /// program, e.g. DD_JOURNALCTL="/opt/bin/journalctl" or a test's script).
    void startProcess(const QString &program, const char *envVar, const QStringList &args);
    virtual void handleOutput(QByteArrayView data) = 0;
    /// The one-line reason for an exit: empty when the exit was a normal end of input.
    virtual QString describeExit(int exitCode, const QString &lastError) const = 0;
    /// What problems from stderr are prefixed with ("journalctl", "ssh HOST").
    virtual QString label() const = 0;
    virtual QString notFoundHint() const = 0;
    /// Called once the program has ended, before followStopped.
    virtual void flushOutput() {}
    /// In flushOutput(): the program ended with an error status (its failure is said next).
    bool exitedWithError() const { return m_exitedWithError; }

private:
    void readStderr(bool atEnd);
    void emitPendingStderr();

    QProcess m_process;
    QTimer m_stderrTimer;    ///< a stderr line waits this long: if the program then fails, it
    QString m_pendingStderr; ///< is part of the one-line failure instead of a line of its own
    QString m_program;
    QByteArray m_stderr;
    QString m_lastError;
    int m_stderrLines = 0;
    bool m_stopping = false;
    bool m_exitedWithError = false;
};

} // namespace dd
