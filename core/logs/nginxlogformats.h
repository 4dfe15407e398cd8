#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace dd {

class LogClassifier;
struct NginxConfig;

/// One `log_format NAME [escape=...] STRING...;` of an nginx configuration.
struct NginxLogFormatDefinition
{
    QString name;
    QString format;           ///< the quoted pieces joined, as nginx joins them
    bool jsonEscaped = false; ///< escape=json
    QString position;         ///< "file:line"
    QStringList accessLogs;   ///< the `access_log` paths written in this format
};

/// The access-log formats an nginx configuration defines, and what reading it met.
struct NginxLogFormats
{
    QList<NginxLogFormatDefinition> formats;
    QStringList problems; ///< one line each: unreadable files, parse errors, formats without $status
    bool readable = true; ///< false when the configuration (or a file it includes) could not be read
};

/// The `log_format`s of a parsed configuration (every file it includes), with the
/// `access_log` paths that use each. `combined` is nginx's own and never listed.
NginxLogFormats nginxLogFormats(const NginxConfig &config);
/// Reads an nginx configuration file (or an `nginx -T` dump) and returns its formats.
NginxLogFormats readNginxLogFormats(const QString &path);

/// Adds the formats to the classifier; formats it cannot use (no $status) go to `problems`.
/// Returns how many were added.
int addNginxLogFormats(LogClassifier *classifier, const NginxLogFormats &formats, QStringList *problems);

} // namespace dd
