#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace dd {

/// The log formats the engine parses. `Auto` decides per line; `Text` is anything else
/// (a paste from a browser console, a Nextcloud admin message): every rule may match it.
enum class LogFormat : quint8 {
    Auto,
    NginxError,
    NginxAccess,
    ApacheError,
    DocServer, ///< log4js lines of docservice/converter, all three generations
    Traefik,   ///< logfmt and JSON
    Caddy,     ///< v2 JSON
    Nextcloud, ///< nextcloud.log JSON lines
    RabbitMQ,
    PostgreSQL,
    Redis,
    Supervisor,
    Text,
};

inline constexpr int logFormatCount = int(LogFormat::Text) + 1;

/// The stable name used in rules, JSON output and --format ("nginx-error", "ds", ...).
QString logFormatName(LogFormat format);
std::optional<LogFormat> logFormatFromName(QStringView name);
/// Every name `logFormatFromName` accepts, "auto" first.
QStringList logFormatNames();

} // namespace dd
