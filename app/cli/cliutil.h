#pragma once

#include <QByteArray>
#include <QCommandLineParser>
#include <QString>

// Exit codes of docserver-doctor-cli (architecture: CLI contracts).
namespace ExitCode {
constexpr int Healthy = 0;    ///< ran, no problem found
constexpr int Problem = 1;    ///< ran, problem found
constexpr int Usage = 2;      ///< bad usage or unreadable input
constexpr int Incomplete = 3; ///< could not complete
} // namespace ExitCode

/// Prints "docserver-doctor-cli: <message>" on stderr as one line.
void printError(const QString &message);

/// Parses `args` with `parser`; on a usage error prints it and returns false. Handles --help.
bool parseArguments(QCommandLineParser &parser, const QStringList &args, int *exitCode);

/// Which word after "--json" is taken as its optional FILE.
enum class JsonFileWord {
    AnyWord,   ///< any following word that is not an option
    NamedJson, ///< only a word ending in ".json", or "-" (for commands whose positional
               ///< arguments are bare words too, e.g. a probe target)
};

/// "--json" takes an optional FILE (architecture: CLI contracts). QCommandLineParser has no
/// optional values, so the FILE is folded into "--json-file=FILE" before parsing.
QStringList foldOptionalJsonValue(const QStringList &args, JsonFileWord rule = JsonFileWord::AnyWord);

/// Writes JSON to stdout, or to the file named by --json FILE when `target` is not "-".
/// Returns false (after printing the reason) when the file cannot be written.
bool writeJsonOutput(const QByteArray &json, const QString &target);

/// Writes `bytes` to `path` atomically; prints the reason and returns false on failure.
bool writeTextFile(const QString &path, const QByteArray &bytes);
