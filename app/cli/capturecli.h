#pragma once

#include "capture/captureanalyzer.h"

#include <QJsonObject>
#include <QStringList>

// The capture commands' shared part. `capture analyze` is built into docserver-doctor-cli and into
// the lean docserver-doctor-capture-analyze, which starts without the CLI's network, TLS and
// database libraries; it reads files on the calling thread (no engine, no event loop).

/// Whether progress goes to stderr (a terminal).
bool showsCaptureProgress();
/// "\r12345 packets, 3 MiB of 10 MiB" on stderr; clearCaptureProgress() wipes the line.
void printCaptureProgress(qint64 bytesRead, qint64 bytesTotal, qint64 packets);
void clearCaptureProgress();

/// Prints `result` as text, or as JSON (with `extra`'s keys added) to stdout or `jsonFile`;
/// returns the exit code.
int printCaptureAnalysis(const dd::CaptureAnalysis &result, bool json, const QString &jsonFile, bool all,
                         const QJsonObject &extra = QJsonObject());

/// Analyzes a capture file ("-": standard input) and prints it; returns the exit code.
int analyzeAndPrintCapture(const QString &file, const dd::CaptureOptions &options, bool json, const QString &jsonFile,
                           bool all, const QJsonObject &extra = QJsonObject());

/// The capture as JSON (schema docserver-doctor.capture/1), with `extra`'s keys added.
QJsonObject captureJsonDocument(const dd::CaptureAnalysis &result, bool all, const QJsonObject &extra = QJsonObject());

/// What produces the pcap stream: the local helper, or tcpdump on another host through ssh.
struct StreamSource
{
    QString program;
    QStringList arguments;
    QString name; ///< "live:lo", "ssh:host:eth0"
};

struct RingSettings
{
    double seconds = 0;
    double megabytes = 64;
    double afterSeconds = 3;
    int files = 1; ///< rings written at most, one per trigger
    QStringList logs;
    QString probeUrl;
    QString path;
};

class QProcess;

/// `capture live --ring`: runs `source` into a RingRecorder; each trigger writes a ring (up to
/// settings.files), then each written file is analyzed. Returns the exit code.
int runRing(QProcess &process, const StreamSource &source, const RingSettings &settings, bool json,
            const QString &jsonFile, const bool &stoppedOnPurpose);

/// `capture analyze FILE|-` (args[0] is the command's name).
int runCaptureAnalyze(const QStringList &args);
