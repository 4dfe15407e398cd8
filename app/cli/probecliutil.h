#pragma once

// Shared by the probe subcommands (probe*command.cpp): option parsing, JSON output, exit codes.

#include "cliutil.h"

#include "probe/probeoutcome.h"
#include "probe/probespec.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

namespace probecli {

extern const char exitHelp[];

void addJsonOptions(QCommandLineParser &parser);
/// A positive number of milliseconds from --NAME, `fallback` when absent; prints the error itself.
bool intOption(const QCommandLineParser &parser, const QString &name, int fallback, int *value);
QJsonValue msJson(double ms);
QJsonValue errorJson(const QString &error);
bool emitJson(const QCommandLineParser &parser, const QJsonObject &object);
bool wantsJson(const QCommandLineParser &parser);
/// Handles --help with a usage line that names the subcommand; false when help was not asked for.
bool printedHelp(QCommandLineParser &parser, const QStringList &args, const QString &usage);
/**
 * What every probe subcommand does once it has declared its options: adds the JSON options,
 * answers --help with `usage` ("probe tcp HOST:PORT [options]"), parses `args`, and checks that
 * exactly one `targetName` follows the kind (or none, when `targetOptional`). True with the
 * target in `target` (empty when optional and absent); false with `exitCode` set: 0 after
 * --help, 2 after a one-line error.
 */
bool parseProbeCommandLine(QCommandLineParser &parser, const QStringList &args, const QString &kind,
                           const QString &targetName, QString *target, int *exitCode, bool targetOptional = false);
int exitCodeFor(dd::ProbeOutcome outcome, bool healthy);
/// An HTTP token (RFC 9110 5.6.2): what a method or a header name may be made of.
bool isToken(const QString &text);

/// Why keychain entry `name` cannot be read (one line), or empty when it can; waits for the keychain.
QString keychainProblem(const QString &name, int timeoutMs);

template <typename Probe, typename Result, typename Start> Result runToEnd(Start start)
{
    Probe probe;
    Result result;
    QEventLoop loop;
    QObject::connect(&probe, &Probe::finished, &loop, [&](const Result &r) {
        result = r;
        loop.quit();
    });
    // One pass of the event loop first: its one-time set-up is not part of the exchange timed.
    QCoreApplication::processEvents();
    start(probe);
    loop.exec();
    return result;
}

} // namespace probecli

// The subcommands; args[0] is "probe", args[1] the kind.
int runProbeTcp(const QStringList &args);
int runProbeHttp(const QStringList &args);
int runProbeGeneric(dd::ProbeKind kind, const QStringList &args);
