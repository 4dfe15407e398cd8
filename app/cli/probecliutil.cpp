#include "probecliutil.h"

#include <QJsonDocument>
#include <QTextStream>

namespace probecli {

const char exitHelp[] = "Exit status: 0 the probe ran and the target is healthy (tcp: connected; http: a complete\n"
                        "response with status below 500), 1 it ran and found a problem (refused, timeout, reset,\n"
                        "closed early, malformed, TLS or DNS failure, or HTTP status 500 and above), 2 bad usage,\n"
                        "3 could not complete.";

void addJsonOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("json"), QStringLiteral("Write JSON to stdout (or --json FILE.json).")});
    parser.addOption({QStringLiteral("json-file"), QStringLiteral("Write JSON to FILE."), QStringLiteral("FILE")});
}

bool intOption(const QCommandLineParser &parser, const QString &name, int fallback, int *value)
{
    if (!parser.isSet(name)) {
        *value = fallback;
        return true;
    }
    bool ok = false;
    *value = parser.value(name).toInt(&ok);
    if (!ok || *value <= 0) {
        printError(QStringLiteral("--%1 '%2' is not a positive number of milliseconds").arg(name, parser.value(name)));
        return false;
    }
    return true;
}

QJsonValue msJson(double ms)
{
    return ms < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(qRound(ms * 1000) / 1000.0);
}

QJsonValue errorJson(const QString &error)
{
    return error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(error);
}

bool emitJson(const QCommandLineParser &parser, const QJsonObject &object)
{
    const QString target =
        parser.isSet(QStringLiteral("json-file")) ? parser.value(QStringLiteral("json-file")) : QStringLiteral("-");
    return writeJsonOutput(QJsonDocument(object).toJson(QJsonDocument::Indented).trimmed(), target);
}

bool wantsJson(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("json")) || parser.isSet(QStringLiteral("json-file"));
}

// Handles --help with a usage line that names the subcommand (QCommandLineParser would name the
// executable's full path); false when help was not asked for.
bool printedHelp(QCommandLineParser &parser, const QStringList &args, const QString &usage)
{
    if (!args.contains(QLatin1String("--help")) && !args.contains(QLatin1String("-h")))
        return false;
    parser.addHelpOption();
    QString text = parser.helpText();
    const qsizetype firstLineEnd = text.indexOf(QLatin1Char('\n'));
    text.replace(0, firstLineEnd, QStringLiteral("Usage: docserver-doctor-cli ") + usage);
    QTextStream(stdout) << text;
    return true;
}

bool parseProbeCommandLine(QCommandLineParser &parser, const QStringList &args, const QString &kind,
                           const QString &targetName, QString *target, int *exitCode, bool targetOptional)
{
    addJsonOptions(parser);
    if (printedHelp(parser, args, QStringLiteral("probe %1 %2 [options]").arg(kind, targetName))) {
        *exitCode = ExitCode::Healthy;
        return false;
    }
    if (!parseArguments(parser, foldOptionalJsonValue(args, JsonFileWord::NamedJson), exitCode))
        return false;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2 && !(targetOptional && positional.size() == 1)) {
        printError(QStringLiteral("probe %1 takes one %2 (see probe %1 --help)").arg(kind, targetName));
        *exitCode = ExitCode::Usage;
        return false;
    }
    *target = positional.value(1);
    return true;
}

int exitCodeFor(dd::ProbeOutcome outcome, bool healthy)
{
    if (outcome == dd::ProbeOutcome::Error || outcome == dd::ProbeOutcome::Cancelled)
        return ExitCode::Incomplete;
    return healthy ? ExitCode::Healthy : ExitCode::Problem;
}

bool isToken(const QString &text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f || QStringLiteral("\"(),/:;<=>?@[\\]{}").contains(c))
            return false;
    }
    return true;
}

} // namespace probecli
