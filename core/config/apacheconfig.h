#pragma once

#include "config/configerror.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace dd {

/**
 * One Apache httpd directive or section (`<VirtualHost *:443>`, `<Location /x>`), with its
 * arguments (quotes removed) and where it was written. Include/IncludeOptional are replaced by
 * the directives of the files they name. Names keep their spelling; compare with is().
 */
struct ApacheDirective
{
    QString name;
    QStringList args;
    QString file;
    int line = 0;
    bool isSection = false;
    QList<ApacheDirective> children;

    bool is(QLatin1String other) const { return name.compare(other, Qt::CaseInsensitive) == 0; }
    QString arg(qsizetype i) const { return i < args.size() ? args.at(i) : QString(); }
    QString text() const;
    QString position() const;
};

struct ApacheConfig
{
    QString mainFile;
    QString serverRoot; ///< where relative Include paths resolve
    QList<ApacheDirective> directives;
    QStringList files;
    ConfigErrorList errors;
    QStringList modules;       ///< module identifiers from LoadModule ("proxy_module") or apachectl -M
    bool modulesKnown = false; ///< some LoadModule (or a module list) was seen

    bool ok() const { return errors.isEmpty(); }
};

struct ApacheParseOptions
{
    qint64 maxFileBytes = 16 * 1024 * 1024;
    qint64 maxTotalBytes = 64 * 1024 * 1024;
    int maxIncludeDepth = 16;
    int maxSectionDepth = 64;
    int maxDirectives = 500000;
};

/// Reads an Apache configuration and what it includes (relative to ServerRoot, by default the
/// main file's directory; globs sorted; directories include every file in them).
ApacheConfig parseApacheFile(const QString &path, const ApacheParseOptions &options = {});
ApacheConfig parseApacheText(const QByteArray &text, const QString &fileName, const QString &serverRoot,
                             const ApacheParseOptions &options = {});

/// Module identifiers from `apachectl -M` output (" proxy_module (shared)"); empty if none.
QStringList parseApacheModuleList(const QByteArray &text);

} // namespace dd
