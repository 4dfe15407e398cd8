#pragma once

#include "byteview.h"

#include <QByteArrayView>
#include <QTimeZone>

#include <limits>

namespace dd {

/// Timestamps of log lines, parsed without allocation: the scanner reads millions of lines.
namespace logtime {

inline constexpr qint64 none = std::numeric_limits<qint64>::min();

/// A parsed timestamp: milliseconds since the epoch, already UTC when `zoned`, otherwise the
/// wall-clock time of the writer's (unknown) time zone, to be converted by LocalTimeConverter.
struct Stamp
{
    qint64 ms = none;
    bool zoned = false;
    bool isValid() const { return ms != none; }
};

qint64 daysFromCivil(int year, int month, int day);
/// "Jan".."Dec" → 1..12; 0 when not a month abbreviation.
int monthFromAbbrev(QByteArrayView text);

/// `YYYY-MM-DD[T ]HH:MM:SS[.frac|,frac][ ][Z|±HH:MM|±HHMM|UTC|GMT]` and `YYYY/MM/DD HH:MM:SS`.
/// `consumed` receives the length of the timestamp text.
Stamp parseIso(QByteArrayView text, qsizetype *consumed = nullptr);
/// nginx/Apache access logs: `DD/Mon/YYYY:HH:MM:SS ±HHMM`.
Stamp parseAccess(QByteArrayView text);
/// Apache error log: `Www Mon DD HH:MM:SS[.uuuuuu] YYYY`.
Stamp parseApache(QByteArrayView text);
/// Redis: `DD Mon YYYY HH:MM:SS[.mmm]`.
Stamp parseRedis(QByteArrayView text);
/// syslog/journald short: `Mon DD HH:MM:SS`, no year: the year is `referenceYear`.
Stamp parseSyslog(QByteArrayView text, int referenceYear, qsizetype *consumed = nullptr);
/// Seconds since the epoch with an optional fraction ("1729605116.259").
Stamp parseEpoch(QByteArrayView text);

} // namespace logtime

/// Converts wall-clock times written without a zone to UTC, in the zone the logs were written
/// in (the machine's by default). Caches the offset per hour, so it is cheap per line.
class LocalTimeConverter
{
public:
    explicit LocalTimeConverter(const QTimeZone &zone = QTimeZone::systemTimeZone());

    /// UTC milliseconds for a stamp (unchanged when it is already zoned or invalid).
    qint64 toUtc(logtime::Stamp stamp);
    const QTimeZone &zone() const { return m_zone; }

private:
    QTimeZone m_zone;
    bool m_isUtc = false;
    qint64 m_cachedHour = logtime::none;
    qint64 m_cachedOffsetMs = 0;
};

} // namespace dd
