#pragma once

#include "config/linter.h"
#include "model/profile.h"

#include <QList>
#include <QString>

namespace dd {

/**
 * One address of the stack as its configuration describes it: which hop it is on, the profile
 * field it fills (when it is one the profile holds), its value and the file:line it came from.
 */
struct StackEndpoint
{
    QString hop;   ///< topology link: "proxy->dsnginx", "dsnginx->docservice", "docservice->redis", ...
    QString field; ///< "publicUrl", "docserverUrl", "docservice", "integrator.url", or empty
    QString value; ///< a URL, or HOST:PORT
    QString file;
    int line = 0;
    QString note; ///< "backup server", "upstream docserver", "Document Server's default", ...

    QString origin() const { return line > 0 ? QStringLiteral("%1:%2").arg(file).arg(line) : file; }
};

/// The stack as configured: front proxy → upstream servers, DS nginx → docservice, docservice →
/// database/Redis/RabbitMQ, integrator ↔ Document Server; plus the lint run it came from.
struct ConfiguredStack
{
    QList<StackEndpoint> endpoints;
    LintResult lint;

    /// The first endpoint filling `field` that is not a backup, or null.
    const StackEndpoint *forField(const QString &field) const;
};

/// The configuration files of one deployment, each optional.
struct StackFiles
{
    QString proxyKind = QStringLiteral("nginx"); ///< "nginx" or "apache"
    QString proxyConfig;
    QString dsNginxConfig;
    QString dsConfig;       ///< local.json, its folder, docker inspect JSON or an environment file
    QString integratorFile; ///< the integrator's settings

    LintInputs lintInputs() const;
};

/// Reads and lints the files and lists the addresses they configure, in hop order.
ConfiguredStack deriveConfiguredStack(const StackFiles &files);

/**
 * A profile for the stack: the files as its configuration inputs, and for each profile field the
 * value in `values` (field → value, as the admin corrected it; "name" too). One line naming the
 * field and the reason in `error` when a value does not parse.
 */
Profile profileFromStack(const StackFiles &files, const QList<QPair<QString, QString>> &values, QString *error);

} // namespace dd
