#include "cliutil.h"
#include "commands.h"

#include "config/linter.h"
#include "config/lintreport.h"

#include <QCommandLineParser>
#include <QFile>
#include <QTextStream>

#include <cstdio>

namespace {

constexpr qint64 maxStdinBytes = 16 * 1024 * 1024;

bool readStdin(QByteArray *text)
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly)) {
        printError(QStringLiteral("cannot read stdin: %1").arg(in.errorString()));
        return false;
    }
    *text = in.read(maxStdinBytes + 1);
    if (text->size() > maxStdinBytes) {
        printError(QStringLiteral("stdin: configuration larger than %1 bytes").arg(maxStdinBytes));
        return false;
    }
    return true;
}

bool writeOutput(const QByteArray &data, const QString &target)
{
    if (target.isEmpty() || target == QLatin1String("-")) {
        std::fwrite(data.constData(), 1, size_t(data.size()), stdout);
        std::fflush(stdout);
        return true;
    }
    QFile file(target);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data) != data.size()) {
        printError(QStringLiteral("cannot write %1: %2").arg(target, file.errorString()));
        return false;
    }
    return true;
}

} // namespace

int runLintCommand(const QStringList &rawArgs)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Reads nginx, Apache and Document Server configuration the way the servers do and reports what in it "
        "causes 502/503/504, broken websockets or JWT errors: check id, severity, file:line, catalog cause and "
        "fix.\nExit codes: 0 no error found, 1 a finding of severity error, 2 bad usage or unreadable input."));
    const QCommandLineOption nginxOpt(QStringLiteral("nginx"),
                                      QStringLiteral("nginx.conf to read with its includes ('-' for stdin; an nginx -T "
                                                     "dump is recognised). Repeatable."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption dumpOpt(QStringLiteral("nginx-dump"),
                                     QStringLiteral("Output of 'nginx -T' ('-' for stdin). Repeatable."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption apacheOpt(QStringLiteral("apache"), QStringLiteral("Apache httpd configuration."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption modulesOpt(QStringLiteral("apache-modules"),
                                        QStringLiteral("Output of 'apachectl -M' (the loaded modules)."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption dsOpt(QStringLiteral("ds-config"),
                                   QStringLiteral("Document Server configuration: its directory "
                                                  "(/etc/onlyoffice/documentserver), local.json, 'docker inspect' "
                                                  "JSON or an environment/compose file."),
                                   QStringLiteral("DIR|FILE"));
    const QCommandLineOption integratorOpt(QStringLiteral("integrator"),
                                           QStringLiteral("Integrator settings: 'occ config:list onlyoffice --private' "
                                                          "JSON or seahub_settings.py."),
                                           QStringLiteral("FILE"));
    const QCommandLineOption secretOpt(
        QStringLiteral("jwt-secret-file"),
        QStringLiteral("The integrator's JWT secret (a file holding only the secret), to "
                       "compare with Document Server's."),
        QStringLiteral("FILE"));
    const QCommandLineOption headerOpt(QStringLiteral("jwt-header"),
                                       QStringLiteral("The header the integrator sends its JWT in (with "
                                                      "--jwt-secret-file or --integrator)."),
                                       QStringLiteral("NAME"));
    const QCommandLineOption formatOpt(QStringLiteral("format"), QStringLiteral("text (default), json or sarif."),
                                       QStringLiteral("FORMAT"), QStringLiteral("text"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Same as --format json (or --json FILE)."));
    const QCommandLineOption jsonFileOpt(QStringLiteral("json-file"), QStringLiteral("Write JSON to FILE."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption outputOpt({QStringLiteral("o"), QStringLiteral("output")},
                                       QStringLiteral("Write the report to FILE instead of stdout."),
                                       QStringLiteral("FILE"));
    parser.addOptions({nginxOpt, dumpOpt, apacheOpt, modulesOpt, dsOpt, integratorOpt, secretOpt, headerOpt, formatOpt,
                       jsonOpt, jsonFileOpt, outputOpt});
    int exitCode = ExitCode::Healthy;
    if (!parseArguments(parser, foldOptionalJsonValue(rawArgs, JsonFileWord::NamedJson), &exitCode))
        return exitCode;
    if (!parser.positionalArguments().isEmpty()) {
        printError(QStringLiteral("lint: unexpected argument '%1' (name inputs with --nginx, --apache, --ds-config, "
                                  "...; see --help)")
                       .arg(parser.positionalArguments().constFirst()));
        return ExitCode::Usage;
    }

    QString format = parser.value(formatOpt);
    QString output = parser.value(outputOpt);
    if (parser.isSet(jsonOpt) || parser.isSet(jsonFileOpt)) {
        format = QStringLiteral("json");
        if (parser.isSet(jsonFileOpt))
            output = parser.value(jsonFileOpt);
    }
    if (format != QLatin1String("text") && format != QLatin1String("json") && format != QLatin1String("sarif")) {
        printError(QStringLiteral("lint: --format must be text, json or sarif, not '%1'").arg(format));
        return ExitCode::Usage;
    }

    dd::LintInputs inputs;
    int stdinUsers = 0;
    for (const QString &file : parser.values(nginxOpt)) {
        if (file == QLatin1String("-"))
            ++stdinUsers;
        else
            inputs.nginxFiles.append(file);
    }
    for (const QString &file : parser.values(dumpOpt)) {
        if (file == QLatin1String("-"))
            ++stdinUsers;
        else
            inputs.nginxDumps.append(file);
    }
    if (stdinUsers > 1) {
        printError(QStringLiteral("lint: stdin ('-') can be read only once"));
        return ExitCode::Usage;
    }
    if (stdinUsers == 1) {
        if (!readStdin(&inputs.nginxText))
            return ExitCode::Usage;
        inputs.hasNginxText = true;
        inputs.nginxTextName = QStringLiteral("<stdin>");
    }
    inputs.apacheFile = parser.value(apacheOpt);
    inputs.apacheModulesFile = parser.value(modulesOpt);
    inputs.dsConfig = parser.value(dsOpt);
    inputs.integratorFile = parser.value(integratorOpt);
    inputs.jwtSecretFile = parser.value(secretOpt);
    inputs.jwtHeader = parser.value(headerOpt);
    if (!inputs.jwtHeader.isEmpty() && inputs.jwtSecretFile.isEmpty() && inputs.integratorFile.isEmpty()) {
        printError(QStringLiteral("lint: --jwt-header needs --jwt-secret-file or --integrator"));
        return ExitCode::Usage;
    }
    if (!inputs.apacheModulesFile.isEmpty() && inputs.apacheFile.isEmpty()) {
        printError(QStringLiteral("lint: --apache-modules needs --apache"));
        return ExitCode::Usage;
    }
    if (inputs.isEmpty()) {
        printError(QStringLiteral("lint: nothing to check; give --nginx, --nginx-dump, --apache, --ds-config, "
                                  "--integrator or --jwt-secret-file (see --help)"));
        return ExitCode::Usage;
    }

    const dd::LintResult result = dd::lintConfiguration(inputs);
    for (const dd::ConfigError &e : result.errors) {
        if (e.fatal)
            printError(e.toString());
    }

    QByteArray data;
    if (format == QLatin1String("json"))
        data = dd::lintReportJson(result);
    else if (format == QLatin1String("sarif"))
        data = dd::lintReportSarif(result);
    else
        data = dd::lintReportText(result).toUtf8();
    if (!writeOutput(data, output))
        return ExitCode::Incomplete;

    if (result.hasFatalError())
        return ExitCode::Usage;
    return result.hasFindings(dd::LintSeverity::Error) ? ExitCode::Problem : ExitCode::Healthy;
}
