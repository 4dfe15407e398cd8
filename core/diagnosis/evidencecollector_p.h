#pragma once

// What the evidence collector's source files share; not part of the collector's interface.

#include <QString>
#include <QUrl>

namespace dd::collector {

// Only the end of a log is read: the lines that matter were written by the probes a moment
// ago or during the incident the user is looking at now.
inline constexpr qint64 kLogTailBytes = 2 * 1024 * 1024;
// Older lines describe another incident; they would outvote what happens now.
inline constexpr qint64 kRecentLogSeconds = 15 * 60;

/// "host:port" of a URL, the port defaulted by scheme, as nginx writes upstream addresses.
inline QString hostPortOf(const QUrl &url)
{
    return url.host() + QLatin1Char(':') + QString::number(url.port(url.scheme() == QLatin1String("https") ? 443 : 80));
}

} // namespace dd::collector
