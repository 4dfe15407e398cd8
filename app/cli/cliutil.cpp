#include "cliutil.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>
#include <QTextStream>

#include <cstdio>

void printError(const QString &message)
{
    // The program's own name: the lean capture-analyze executable shares this code.
    const QString program =
        QCoreApplication::instance() ? QCoreApplication::applicationName() : QStringLiteral("docserver-doctor-cli");
    QTextStream err(stderr);
    err << program << ": " << message << Qt::endl;
}

bool parseArguments(QCommandLineParser &parser, const QStringList &args, int *exitCode)
{
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(args)) {
        printError(parser.errorText() + QStringLiteral(" (see --help)"));
        *exitCode = ExitCode::Usage;
        return false;
    }
    if (parser.isSet(help)) {
        QTextStream out(stdout);
        out << parser.helpText();
        *exitCode = ExitCode::Healthy;
        return false;
    }
    return true;
}

QStringList foldOptionalJsonValue(const QStringList &args, JsonFileWord rule)
{
    QStringList out;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const bool hasNext = args.at(i) == QLatin1String("--json") && i + 1 < args.size();
        const QString next = hasNext ? args.at(i + 1) : QString();
        const bool takesNext =
            hasNext && (rule == JsonFileWord::AnyWord
                            ? !next.startsWith(QLatin1Char('-'))
                            : next.endsWith(QLatin1String(".json"), Qt::CaseInsensitive) || next == QLatin1String("-"));
        if (takesNext) {
            out << QStringLiteral("--json-file=") + next;
            ++i;
        } else {
            out << args.at(i);
        }
    }
    return out;
}

bool writeJsonOutput(const QByteArray &json, const QString &target)
{
    if (target.isEmpty() || target == QLatin1String("-")) {
        std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
        return true;
    }
    QFile file(target);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(json) != json.size()) {
        printError(QStringLiteral("cannot write JSON to %1: %2").arg(target, file.errorString()));
        return false;
    }
    return true;
}

bool writeTextFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        printError(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}
