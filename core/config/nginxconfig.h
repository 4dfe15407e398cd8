#pragma once

#include "config/configerror.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace dd {

/**
 * One nginx directive with its arguments (escapes resolved, quotes removed), where it was
 * written, and the directives of its block. `include` directives are replaced by the
 * directives of the files they name, as nginx does; each keeps its own file and line.
 */
struct NginxDirective
{
    QString name;
    QStringList args;
    QList<bool> quoted; ///< per argument: was it written in quotes
    QString file;
    int line = 0;
    bool hasBlock = false;
    QList<NginxDirective> children;

    QString arg(qsizetype i) const { return i < args.size() ? args.at(i) : QString(); }
    /// The directive as one line of config text ("proxy_pass http://ds;"), quoting where needed.
    QString text() const;
    /// "file:line".
    QString position() const;
};

/// A parsed nginx configuration: the main context's directives, every file read, and the
/// problems met. Errors do not stop the reading of other files: partial results stay usable.
struct NginxConfig
{
    QString mainFile;
    QString confDir; ///< where relative `include` paths resolve (nginx's conf prefix)
    QList<NginxDirective> directives;
    QStringList files;
    ConfigErrorList errors;
    bool fromDump = false;

    bool ok() const { return errors.isEmpty(); }
};

/// Limits that keep hostile or broken input bounded.
struct NginxParseOptions
{
    qint64 maxFileBytes = 16 * 1024 * 1024;
    qint64 maxTotalBytes = 64 * 1024 * 1024;
    int maxIncludeDepth = 16;
    int maxBlockDepth = 64;
    int maxDirectives = 500000;
    bool followIncludes = true;
};

/// Reads an nginx configuration file and the files it includes (globs sorted, relative paths
/// against the main file's directory, as nginx resolves them with `-c`).
NginxConfig parseNginxFile(const QString &path, const NginxParseOptions &options = {});

/// Parses text already in memory; `fileName` names it in errors, includes resolve against `confDir`.
NginxConfig parseNginxText(const QByteArray &text, const QString &fileName, const QString &confDir,
                           const NginxParseOptions &options = {});

/// Parses the output of `nginx -T`: one stream holding every file nginx read, each after a
/// "# configuration file PATH:" line. Includes resolve against the files in the dump.
NginxConfig parseNginxDump(const QByteArray &dump, const QString &origin, const NginxParseOptions &options = {});

/// True when `text` holds "# configuration file ...:" markers (an `nginx -T` dump).
bool looksLikeNginxDump(const QByteArray &text);

} // namespace dd
