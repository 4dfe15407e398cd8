#pragma once

#include "config/configerror.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QMap>
#include <QString>
#include <QStringList>

namespace dd {

/**
 * Document Server's effective configuration as node-config builds it: default.json, then
 * production-linux.json, then local.json (objects merged key by key, later files win), then
 * the Docker environment where given (JWT_*, DB_*, AMQP_URI, REDIS_*, ALLOW_PRIVATE_IP_ADDRESS,
 * SECURE_LINK_SECRET). Also the `$secure_link_secret` of DS's own nginx (nginx/ds.conf next to
 * the JSON files) when it is there.
 *
 * Holds secrets: never print values from it, only whether they differ and their lengths.
 */
struct DsConfig
{
    QString source;
    QJsonObject merged;
    QStringList files;
    ConfigErrorList errors;
    QMap<QString, QString> environment; ///< Docker environment, when one was read
    QString environmentFile;
    QString nginxSecureLinkSecret;
    QString nginxSecureLinkFile;
    int nginxSecureLinkLine = 0;

    /// The value at a dotted path ("services.CoAuthoring.token.enable.browser").
    QJsonValue value(const QString &path) const;
    QString string(const QString &path, const QString &fallback = QString()) const;
    bool boolean(const QString &path, bool fallback) const;
    /// The file that set `path` last, and the line of its key there (0 when unknown).
    QString fileOf(const QString &path) const;
    int lineOf(const QString &path) const;
    bool hasEnvironment() const { return !environmentFile.isEmpty(); }

    QHash<QString, QString> origins;  ///< dotted path → file
    QHash<QString, QByteArray> texts; ///< file → its text, for line lookups
    QHash<QString, int> lines;        ///< dotted path → line, where known without a lookup
};

/// Reads a configuration directory (/etc/onlyoffice/documentserver), a local.json (with the
/// default.json beside it when present), `docker inspect` JSON, or an environment/compose file.
DsConfig loadDsConfig(const QString &path);

/// The 1-based line of the key at dotted `path` in JSON `text`, or 0.
int jsonKeyLine(const QByteArray &text, const QString &path);

} // namespace dd
