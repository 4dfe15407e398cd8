#pragma once

#include <QDateTime>
#include <QString>
#include <QStringView>

#include <optional>

namespace dd {

/// One nginx error-log line, split into the parts nginx writes (ngx_log_error + the
/// http module's context: client, server, request, upstream, host).
struct NginxErrorLine
{
    QDateTime time; ///< local time as nginx wrote it
    QString level;  ///< error, crit, warn, ...
    qint64 connection = -1;
    int errnum = 0; ///< the errno in "(111: Connection refused)"; 0 when absent
    QString message;
    QString action; ///< the text after "while"
    QString client;
    QString server;
    QString request;
    QString upstream;
    QString host;
    QString causeId; ///< catalog cause id, or empty when the line names no known failure
};

/// Parses one line; tolerates prefixes written by docker, compose and journald before the
/// timestamp. Returns nothing when the line is not an nginx error-log line.
std::optional<NginxErrorLine> parseNginxErrorLine(QStringView line);

/// The catalog cause an nginx error line names. Decided by errno numbers and nginx's fixed
/// message texts, never by the strerror text (some builds print "Unknown error").
QString classifyNginxError(const NginxErrorLine &line);

} // namespace dd
