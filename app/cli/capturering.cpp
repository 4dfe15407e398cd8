// `capture live --ring`: the ring recorder, its triggers, and the analysis of what they saved.
#include "capturecli.h"
#include "cliutil.h"

#include "capture/capturefile.h"
#include "capture/capturetext.h"
#include "capture/capturetrigger.h"
#include "capture/ringrecorder.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTextStream>
#include <QUrl>

namespace {

void describe(const dd::RingWriteResult &written, QTextStream &out)
{
    out << "Trigger: " << written.reason << "\nSaved " << written.packets << " packets (" << written.packetsBefore
        << " before the trigger"
        << (written.droppedAfter > 0
                ? QStringLiteral(", %1 after it over the size bound dropped").arg(written.droppedAfter)
                : QString())
        << ") to " << written.path
        << (written.firstNs >= 0
                ? QStringLiteral(", %1 to %2 UTC")
                      .arg(dd::formatCaptureTime(written.firstNs), dd::formatCaptureTime(written.lastNs))
                : QString())
        << "\n\n";
}

QJsonObject ringJson(const dd::RingWriteResult &written)
{
    return QJsonObject{{QStringLiteral("file"), written.path},
                       {QStringLiteral("reason"), written.reason},
                       {QStringLiteral("packets"), written.packets},
                       {QStringLiteral("packets_before_trigger"), written.packetsBefore},
                       {QStringLiteral("dropped_after_trigger"), written.droppedAfter}};
}

/// Several rings: each described and analyzed in turn, or one JSON document {"rings": [...]}.
int reportRings(const QList<dd::RingWriteResult> &rings, bool json, const QString &jsonFile)
{
    QJsonArray documents;
    int code = ExitCode::Problem; // the triggers themselves are the problem found
    for (const dd::RingWriteResult &written : rings) {
        QTextStream out(json ? stderr : stdout);
        describe(written, out);
        out.flush();
        const dd::CaptureFileResult r = dd::analyzeCaptureFile(written.path, dd::CaptureOptions(), {});
        if (!r.ok) {
            printError(r.error);
            code = ExitCode::Incomplete;
            continue;
        }
        if (json || !jsonFile.isEmpty())
            documents.append(captureJsonDocument(r.analysis, false, {{QStringLiteral("ring"), ringJson(written)}}));
        if (!json) {
            dd::writeCaptureAnalysisText(r.analysis, out);
            out << '\n';
        }
    }
    if ((json || !jsonFile.isEmpty()) &&
        !writeJsonOutput(QJsonDocument(QJsonObject{{QStringLiteral("rings"), documents}}).toJson(), jsonFile))
        return ExitCode::Incomplete;
    return code;
}

} // namespace

int runRing(QProcess &process, const StreamSource &source, const RingSettings &settings, bool json,
            const QString &jsonFile, const bool &stoppedOnPurpose)
{
    dd::RingRecorder recorder(qint64(settings.seconds * 1e9), qint64(settings.megabytes * 1024 * 1024),
                              int(settings.afterSeconds * 1000), settings.path, settings.files);
    dd::CaptureTrigger trigger;
    QEventLoop loop;
    QList<dd::RingWriteResult> written;
    bool writeFailed = false;
    bool sourceFailed = false;
    // The triggers start with the stream: the helper (and tcpdump) write the file header once the
    // capture is open, so a failure seen from then on has its packets in the ring.
    bool watching = false;
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &loop, [&] {
        recorder.feed(process.readAllStandardOutput());
        if (watching)
            return;
        watching = true;
        for (const QString &log : settings.logs)
            trigger.watchLog(log);
        if (!settings.probeUrl.isEmpty())
            trigger.watchProbe(QUrl(settings.probeUrl));
    });
    QObject::connect(&process, &QProcess::finished, &loop, [&](int code, QProcess::ExitStatus status) {
        recorder.feed(process.readAllStandardOutput());
        sourceFailed = written.isEmpty() && !recorder.isTriggered() && !stoppedOnPurpose &&
                       (status != QProcess::NormalExit || code != 0);
        recorder.finish(); // writes a ring still recording its after-time
        loop.quit();
    });
    QObject::connect(&process, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        printError(QStringLiteral("cannot run %1: %2").arg(source.program, process.errorString()));
        sourceFailed = true;
        loop.quit();
    });
    QObject::connect(&trigger, &dd::CaptureTrigger::fired, &loop, [&](const QString &reason) {
        if (recorder.isTriggered() || recorder.isWritten())
            return;
        QTextStream(stderr) << "trigger: " << reason << "\n  saving the last " << settings.seconds << " s and "
                            << settings.afterSeconds << " s after to " << recorder.pathOf(recorder.filesWritten())
                            << Qt::endl;
        recorder.trigger(reason);
    });
    QObject::connect(&trigger, &dd::CaptureTrigger::problemFound, &loop, [](const QString &m) { printError(m); });
    QObject::connect(&recorder, &dd::RingRecorder::ringWritten, &loop, [&](const dd::RingWriteResult &r) {
        written.append(r);
        if (recorder.isWritten()) {
            loop.quit();
            return;
        }
        QTextStream(stderr) << "saved " << r.path << "; recording on for the next trigger (" << written.size() << " of "
                            << settings.files << ")" << Qt::endl;
        trigger.rearm();
    });
    QObject::connect(&recorder, &dd::RingRecorder::ringFailed, &loop, [&](const QString &error) {
        printError(error);
        writeFailed = true;
        loop.quit();
    });
    process.start(source.program, source.arguments);
    loop.exec();
    trigger.stop();
    if (process.state() != QProcess::NotRunning) {
        process.terminate();
        if (!process.waitForFinished(5000))
            process.kill();
    }
    if (writeFailed && written.isEmpty())
        return ExitCode::Incomplete;
    if (written.isEmpty()) {
        if (sourceFailed || !recorder.streamError().isEmpty()) {
            printError(
                QStringLiteral("the capture from %1 failed%2; nothing written to %3")
                    .arg(source.name,
                         recorder.streamError().isEmpty() ? QString() : QStringLiteral(": ") + recorder.streamError(),
                         settings.path));
            return ExitCode::Incomplete;
        }
        QTextStream(json ? stderr : stdout)
            << "No trigger fired before the capture ended; nothing written to " << settings.path << '\n';
        return ExitCode::Healthy;
    }
    if (settings.files > 1) {
        const int code = reportRings(written, json, jsonFile);
        return writeFailed ? ExitCode::Incomplete : code;
    }
    // One ring: the capture's JSON with a "ring" key, as before several were possible.
    QTextStream out(json ? stderr : stdout);
    describe(written.constFirst(), out);
    out.flush();
    const int code = analyzeAndPrintCapture(written.constFirst().path, dd::CaptureOptions(), json, jsonFile, false,
                                            {{QStringLiteral("ring"), ringJson(written.constFirst())}});
    // The trigger itself is the problem found, whatever the saved packets show.
    return code == ExitCode::Healthy ? ExitCode::Problem : code;
}
