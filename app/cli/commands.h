#pragma once

#include <QStringList>

// Each command parses its own arguments (args[0] is the command name) and returns an exit code
// from cliutil.h. Commands that wait for engines run the event loop themselves.
int runDiagnoseCommand(const QStringList &args);
int runProbeCommand(const QStringList &args);
int runLabCommand(const QStringList &args);
int runLogsCommand(const QStringList &args);
int runLintCommand(const QStringList &args);
int runCaptureCommand(const QStringList &args);
int runReportCommand(const QStringList &args);
// `secret set|check|delete NAME`: the keychain entries `probe docserver --jwt-secret-keychain` reads.
int runSecretCommand(const QStringList &args);
