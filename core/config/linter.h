#pragma once

#include "config/lintcheckcatalog.h"
#include "config/lintresult.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace dd {

/// What to lint: any combination of the inputs `docserver-doctor-cli lint` accepts.
struct LintInputs
{
    QStringList nginxFiles; ///< nginx.conf files; an `nginx -T` dump is recognised by its markers
    QStringList nginxDumps; ///< files known to be `nginx -T` output
    QByteArray nginxText;   ///< configuration read from stdin
    QString nginxTextName;  ///< how to name it ("<stdin>")
    bool hasNginxText = false;
    QString apacheFile;
    QString apacheModulesFile; ///< `apachectl -M` output
    QString dsConfig;          ///< DS config directory, local.json, docker inspect JSON or env file
    QString integratorFile;    ///< Nextcloud app settings or seahub_settings.py
    QString jwtSecretFile;     ///< the integrator's JWT secret, alone in a file
    QString jwtHeader;         ///< the header the integrator sends its JWT in

    bool isEmpty() const;
};

/**
 * Reads every input, runs the checks that apply and merges the results (findings ordered by
 * severity, then file and line). Inputs that cannot be read give fatal errors in
 * LintResult::errors; the others are still linted.
 */
LintResult lintConfiguration(const LintInputs &inputs, const LintCheckCatalog &catalog = LintCheckCatalog::builtIn());

} // namespace dd
