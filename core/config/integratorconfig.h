#pragma once

#include "config/configerror.h"

#include <QHash>
#include <QString>

namespace dd {

/**
 * The integrator's side of the connection to Document Server: Nextcloud's onlyoffice app
 * settings (`occ config:list onlyoffice --private` JSON, a flat JSON object, or `key: value`
 * lines) or Seafile's seahub_settings.py. Holds secrets: never print them.
 */
struct IntegratorConfig
{
    QString file;
    QString kind; ///< "nextcloud", "seafile"
    QString documentServerUrl;
    QString documentServerInternalUrl;
    QString storageUrl;
    QString integratorUrl; ///< the integrator's own address (overwrite.cli.url), when known
    QString jwtSecret;
    QString jwtHeader;
    bool verifyPeerOff = false;
    QHash<QString, int> lines; ///< setting name → line in `file`, where found
    ConfigErrorList errors;

    int lineOf(const QString &key) const { return lines.value(key); }
};

IntegratorConfig loadIntegratorConfig(const QString &path);

} // namespace dd
