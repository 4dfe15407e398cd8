#include "logtime.h"

#include <QDateTime>

namespace dd {
namespace logtime {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Reads `n` digits at `at`; false when any is missing.
bool number(QByteArrayView s, qsizetype at, int n, int *out)
{
    if (at < 0 || at + n > s.size())
        return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
        const char c = s[at + i];
        if (!isDigit(c))
            return false;
        v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
}

qint64 compose(int y, int mo, int d, int h, int mi, int sec, int ms)
{
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return none;
    return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + qint64(sec) * 1000 + ms;
}

// A fraction after '.' or ','; returns milliseconds and advances `at`.
int fraction(QByteArrayView s, qsizetype *at)
{
    if (*at >= s.size() || (s[*at] != '.' && s[*at] != ','))
        return 0;
    qsizetype i = *at + 1;
    int ms = 0;
    int digits = 0;
    while (i < s.size() && isDigit(s[i])) {
        if (digits < 3)
            ms = ms * 10 + (s[i] - '0');
        ++digits;
        ++i;
    }
    if (digits == 0)
        return 0;
    for (int k = digits; k < 3; ++k)
        ms *= 10;
    *at = i;
    return ms;
}

// "Z", "+HH:MM", "+HHMM", "+HH"; returns the offset in ms, or none when absent.
qint64 zoneOffset(QByteArrayView s, qsizetype *at)
{
    qsizetype i = *at;
    if (i < s.size() && s[i] == 'Z') {
        *at = i + 1;
        return 0;
    }
    if (i >= s.size() || (s[i] != '+' && s[i] != '-'))
        return none;
    const int sign = s[i] == '-' ? -1 : 1;
    int hh = 0;
    int mm = 0;
    if (!number(s, i + 1, 2, &hh))
        return none;
    i += 3;
    if (i < s.size() && s[i] == ':')
        ++i;
    if (number(s, i, 2, &mm))
        i += 2;
    *at = i;
    return sign * (qint64(hh) * 3600 + mm * 60) * 1000;
}

} // namespace

qint64 daysFromCivil(int y, int m, int d)
{
    // Howard Hinnant's days_from_civil: proleptic Gregorian, valid far beyond log ranges.
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = int(y - era * 400);
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int monthFromAbbrev(QByteArrayView t)
{
    if (t.size() < 3)
        return 0;
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; ++i) {
        if (t[0] == months[i * 3] && t[1] == months[i * 3 + 1] && t[2] == months[i * 3 + 2])
            return i + 1;
    }
    return 0;
}

Stamp parseIso(QByteArrayView s, qsizetype *consumed)
{
    int y, mo, d, h, mi, sec;
    if (!number(s, 0, 4, &y) || s.size() < 19 || (s[4] != '-' && s[4] != '/') || s[7] != s[4] ||
        !number(s, 5, 2, &mo) || !number(s, 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') || !number(s, 11, 2, &h) ||
        s[13] != ':' || !number(s, 14, 2, &mi) || s[16] != ':' || !number(s, 17, 2, &sec))
        return {};
    qsizetype at = 19;
    const int ms = fraction(s, &at);
    Stamp out;
    out.ms = compose(y, mo, d, h, mi, sec, ms);
    if (out.ms == none)
        return {};
    qsizetype zoneAt = at;
    if (zoneAt < s.size() && s[zoneAt] == ' ')
        ++zoneAt; // PostgreSQL and RabbitMQ put a space before the zone
    qint64 offset = zoneOffset(s, &zoneAt);
    if (offset == none && bv::mid(s, zoneAt).startsWith("UTC")) {
        offset = 0;
        zoneAt += 3;
    } else if (offset == none && bv::mid(s, zoneAt).startsWith("GMT")) {
        offset = 0;
        zoneAt += 3;
    }
    if (offset != none) {
        out.ms -= offset;
        out.zoned = true;
        at = zoneAt;
    }
    if (consumed)
        *consumed = at;
    return out;
}

Stamp parseAccess(QByteArrayView s)
{
    int d, y, h, mi, sec;
    if (s.size() < 20 || !number(s, 0, 2, &d) || s[2] != '/' || s[6] != '/' || !number(s, 7, 4, &y) || s[11] != ':' ||
        !number(s, 12, 2, &h) || !number(s, 15, 2, &mi) || !number(s, 18, 2, &sec))
        return {};
    const int mo = monthFromAbbrev(bv::mid(s, 3, 3));
    Stamp out;
    out.ms = compose(y, mo, d, h, mi, sec, 0);
    if (out.ms == none)
        return {};
    qsizetype at = 20;
    if (at < s.size() && s[at] == ' ')
        ++at;
    const qint64 offset = zoneOffset(s, &at);
    if (offset != none) {
        out.ms -= offset;
        out.zoned = true;
    }
    return out;
}

Stamp parseApache(QByteArrayView s)
{
    // "Tue Oct 22 13:51:56.259123 2024"
    int d, h, mi, sec, y;
    if (s.size() < 24 || s[3] != ' ' || s[7] != ' ')
        return {};
    const int mo = monthFromAbbrev(bv::mid(s, 4, 3));
    qsizetype at = 8;
    if (s[at] == ' ')
        ++at; // day padded with a space
    if (number(s, at, 2, &d))
        at += 2;
    else if (number(s, at, 1, &d))
        at += 1;
    else
        return {};
    if (s.size() < at + 9 || s[at] != ' ' || !number(s, at + 1, 2, &h) || !number(s, at + 4, 2, &mi) ||
        !number(s, at + 7, 2, &sec))
        return {};
    at += 9;
    const int ms = fraction(s, &at);
    if (at >= s.size() || s[at] != ' ' || !number(s, at + 1, 4, &y))
        return {};
    Stamp out;
    out.ms = compose(y, mo, d, h, mi, sec, ms);
    return out.ms == none ? Stamp{} : out;
}

Stamp parseRedis(QByteArrayView s)
{
    // "22 Oct 2024 13:51:56.259"
    int d, y, h, mi, sec;
    if (s.size() < 20 || !number(s, 0, 2, &d) || s[2] != ' ' || s[6] != ' ' || !number(s, 7, 4, &y) || s[11] != ' ' ||
        !number(s, 12, 2, &h) || !number(s, 15, 2, &mi) || !number(s, 18, 2, &sec))
        return {};
    qsizetype at = 20;
    const int ms = fraction(s, &at);
    Stamp out;
    out.ms = compose(y, monthFromAbbrev(bv::mid(s, 3, 3)), d, h, mi, sec, ms);
    return out.ms == none ? Stamp{} : out;
}

Stamp parseSyslog(QByteArrayView s, int referenceYear, qsizetype *consumed)
{
    // "Oct 22 13:51:56" (day padded with a space: "Oct  2")
    int d, h, mi, sec;
    if (s.size() < 15 || s[3] != ' ')
        return {};
    const int mo = monthFromAbbrev(bv::left(s, 3));
    if (mo == 0)
        return {};
    qsizetype at = 4;
    if (s[at] == ' ')
        ++at;
    if (number(s, at, 2, &d))
        at += 2;
    else if (number(s, at, 1, &d))
        at += 1;
    else
        return {};
    if (s.size() < at + 9 || s[at] != ' ' || !number(s, at + 1, 2, &h) || s[at + 3] != ':' ||
        !number(s, at + 4, 2, &mi) || s[at + 6] != ':' || !number(s, at + 7, 2, &sec))
        return {};
    at += 9;
    const int ms = fraction(s, &at);
    Stamp out;
    out.ms = compose(referenceYear, mo, d, h, mi, sec, ms);
    if (out.ms == none)
        return {};
    if (consumed)
        *consumed = at;
    return out;
}

Stamp parseEpoch(QByteArrayView s)
{
    qint64 secs = 0;
    qsizetype at = 0;
    while (at < s.size() && isDigit(s[at]) && at < 12)
        secs = secs * 10 + (s[at++] - '0');
    if (at < 9) // before 1973: not a log timestamp
        return {};
    const int ms = fraction(s, &at);
    return Stamp{secs * 1000 + ms, true};
}

} // namespace logtime

LocalTimeConverter::LocalTimeConverter(const QTimeZone &zone)
    : m_zone(zone.isValid() ? zone : QTimeZone::utc()), m_isUtc(m_zone == QTimeZone::utc() || m_zone.id() == "UTC")
{
}

qint64 LocalTimeConverter::toUtc(logtime::Stamp stamp)
{
    if (!stamp.isValid() || stamp.zoned || m_isUtc)
        return stamp.ms;
    const qint64 hour = stamp.ms / 3600000;
    if (hour != m_cachedHour) {
        // The offset at "local time minus standard offset" is right except within the hour
        // of a DST change, where local times are ambiguous anyway.
        const qint64 guess =
            stamp.ms -
            qint64(m_zone.standardTimeOffset(QDateTime::fromMSecsSinceEpoch(stamp.ms, QTimeZone::utc()))) * 1000;
        m_cachedOffsetMs = qint64(m_zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(guess, QTimeZone::utc()))) * 1000;
        m_cachedHour = hour;
    }
    return stamp.ms - m_cachedOffsetMs;
}

} // namespace dd
