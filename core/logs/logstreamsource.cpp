#include "logstreamsource.h"

#include <QFileInfo>
#include <QStandardPaths>

namespace dd {

namespace {

// How long a line waits for a continuation line before it is classified alone (as LogFollower).
constexpr int flushDelayMs = 40;
// stderr lines passed on as problems; a tool that keeps complaining is not repeated forever.
constexpr int maxStderrLines = 20;
constexpr qsizetype maxStderrBuffer = 64 << 10;

} // namespace

LogStreamSource::LogStreamSource(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<QList<dd::ClassifiedLine>>();
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(flushDelayMs);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] { emitPending(LogRecordReader::Flush::CompleteLines); });
}

void LogStreamSource::setClassifier(const LogClassifier &classifier)
{
    m_stream.setClassifier(classifier);
}

void LogStreamSource::setOnlyClassified(bool only)
{
    m_stream.setOnlyClassified(only);
}

void LogStreamSource::feed(const QString &name, LogFormat hint, QByteArrayView data, logtime::Stamp time,
                           const QVariantMap &extra)
{
    m_stream.append(name, hint, data, time, extra);
    emitPending(LogRecordReader::Flush::None);
    if (m_stream.hasPending())
        m_flushTimer.start();
}

void LogStreamSource::emitPending(LogRecordReader::Flush flush)
{
    m_stream.take(flush);
    for (const QString &p : m_stream.takeProblems())
        Q_EMIT problemFound(p);
    const QList<ClassifiedLine> lines = m_stream.takeLines();
    if (!lines.isEmpty())
        Q_EMIT linesClassified(lines);
}

void LogStreamSource::fail(const QString &message)
{
    if (m_failed)
        return;
    m_failed = true;
    Q_EMIT sourceFailed(message);
}

void LogStreamSource::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_running = false;
    m_flushTimer.stop();
    emitPending(LogRecordReader::Flush::All);
    Q_EMIT followStopped();
}

ProcessLogSource::ProcessLogSource(QObject *parent) : LogStreamSource(parent)
{
    m_stderrTimer.setSingleShot(true);
    m_stderrTimer.setInterval(500);
    connect(&m_stderrTimer, &QTimer::timeout, this, &ProcessLogSource::emitPendingStderr);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, [this] {
        // Bounded: at most what the pipe holds now, read in blocks.
        while (m_process.bytesAvailable() > 0) {
            const QByteArray block = m_process.read(256 << 10);
            if (block.isEmpty())
                break;
            handleOutput(block);
        }
    });
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] { readStderr(false); });
    connect(&m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        const QByteArray rest = m_process.readAllStandardOutput();
        if (!rest.isEmpty())
            handleOutput(rest);
        readStderr(true);
        m_exitedWithError = !m_stopping && (status == QProcess::CrashExit || exitCode != 0);
        flushOutput();
        QString why;
        if (!m_stopping) {
            why = status == QProcess::CrashExit ? QStringLiteral("%1 was killed (%2)").arg(label(), m_lastError)
                                                : describeExit(exitCode, m_lastError);
        }
        m_stderrTimer.stop();
        if (why.isEmpty())
            emitPendingStderr();
        else
            fail(why); // it quotes the last stderr line
        finish();
    });
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        fail(QStringLiteral("cannot run %1: %2; %3").arg(m_program, m_process.errorString(), notFoundHint()));
        finish();
    });
}

ProcessLogSource::~ProcessLogSource()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.disconnect(this);
        m_process.kill();
        m_process.waitForFinished(1000);
    }
}

void ProcessLogSource::startProcess(const QString &program, const char *envVar, const QStringList &args)
{
    QStringList command{program};
    const QString override = qEnvironmentVariable(envVar);
    if (!override.trimmed().isEmpty())
        command = QProcess::splitCommand(override);
    m_program = command.takeFirst();
    const QString resolved =
        m_program.contains(QLatin1Char('/')) ? m_program : QStandardPaths::findExecutable(m_program);
    if (resolved.isEmpty() || !QFileInfo(resolved).isExecutable()) {
        fail(QStringLiteral("%1 not found%2; %3")
                 .arg(m_program,
                      override.isEmpty() ? QStringLiteral(" in PATH")
                                         : QStringLiteral(" (from %1)").arg(QLatin1String(envVar)),
                      notFoundHint()));
        finish();
        return;
    }
    setStarted();
    m_process.setProgram(resolved);
    m_process.setArguments(command + args);
    m_process.setStandardInputFile(QProcess::nullDevice());
    m_process.start(QIODevice::ReadOnly);
}

void ProcessLogSource::stop()
{
    if (m_process.state() == QProcess::NotRunning) {
        finish();
        return;
    }
    m_stopping = true;
    m_process.terminate();
    // The finished handler classifies what is left and emits followStopped; a program that
    // ignores SIGTERM is killed.
    QTimer::singleShot(2000, this, [this] {
        if (m_process.state() != QProcess::NotRunning)
            m_process.kill();
    });
}

void ProcessLogSource::emitPendingStderr()
{
    if (m_pendingStderr.isEmpty())
        return;
    Q_EMIT problemFound(std::exchange(m_pendingStderr, QString()));
}

void ProcessLogSource::readStderr(bool atEnd)
{
    m_stderr += m_process.readAllStandardError();
    qsizetype nl;
    auto emitLine = [this](const QByteArray &raw) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty())
            return;
        m_lastError = line;
        emitPendingStderr();
        if (++m_stderrLines <= maxStderrLines) {
            m_pendingStderr = QStringLiteral("%1: %2").arg(label(), line);
            m_stderrTimer.start();
        } else if (m_stderrLines == maxStderrLines + 1) {
            Q_EMIT problemFound(QStringLiteral("%1: more messages on stderr not shown").arg(label()));
        }
    };
    while ((nl = m_stderr.indexOf('\n')) >= 0) {
        emitLine(m_stderr.left(nl));
        m_stderr.remove(0, nl + 1);
    }
    if (atEnd || m_stderr.size() > maxStderrBuffer) {
        emitLine(m_stderr.left(4096));
        m_stderr.clear();
    }
}

} // namespace dd
