#include "logformat.h"

namespace dd {

namespace {

constexpr const char *names[logFormatCount] = {
    "auto",      "nginx-error", "nginx-access", "apache-error", "ds",         "traefik", "caddy",
    "nextcloud", "rabbitmq",    "postgresql",   "redis",        "supervisor", "text",
};

} // namespace

QString logFormatName(LogFormat format)
{
    return QString::fromLatin1(names[int(format)]);
}

std::optional<LogFormat> logFormatFromName(QStringView name)
{
    for (int i = 0; i < logFormatCount; ++i) {
        if (name == QLatin1String(names[i]))
            return LogFormat(i);
    }
    // Aliases people type.
    if (name == QLatin1String("docserver") || name == QLatin1String("log4js"))
        return LogFormat::DocServer;
    if (name == QLatin1String("apache"))
        return LogFormat::ApacheError;
    if (name == QLatin1String("postgres"))
        return LogFormat::PostgreSQL;
    return std::nullopt;
}

QStringList logFormatNames()
{
    QStringList out;
    for (const char *n : names)
        out << QString::fromLatin1(n);
    return out;
}

} // namespace dd
