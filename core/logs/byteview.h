#pragma once

#include <QByteArrayView>

#include <cstring>

namespace dd {

/// QByteArray's clamping mid/left/right for views (QByteArrayView has them from Qt 6.5).
namespace bv {
inline QByteArrayView mid(QByteArrayView v, qsizetype pos, qsizetype n = -1)
{
    if (pos < 0)
        pos = 0;
    if (pos >= v.size())
        return QByteArrayView(v.data() + v.size(), qsizetype(0));
    if (n < 0 || pos + n > v.size())
        n = v.size() - pos;
    return QByteArrayView(v.data() + pos, n);
}
inline QByteArrayView left(QByteArrayView v, qsizetype n)
{
    return mid(v, 0, n < 0 ? 0 : n);
}

/// Qt's search sets up a matcher per call; for the short needles and lines of logs a
/// memchr for the first byte and a compare is faster.
inline qsizetype indexOf(QByteArrayView hay, QByteArrayView needle, qsizetype from = 0)
{
    const qsizetype n = needle.size();
    if (from < 0)
        from = 0;
    if (n == 0)
        return from <= hay.size() ? from : -1;
    if (hay.size() - from < n)
        return -1;
    const char *base = hay.data();
    const char *p = base + from;
    const char *const last = base + hay.size() - n; // last start that fits
    const char first = needle.front();
    while (p <= last) {
        p = static_cast<const char *>(std::memchr(p, first, size_t(last - p + 1)));
        if (!p)
            return -1;
        if (std::memcmp(p + 1, needle.data() + 1, size_t(n - 1)) == 0)
            return p - base;
        ++p;
    }
    return -1;
}
inline qsizetype indexOf(QByteArrayView hay, char c, qsizetype from = 0)
{
    if (from < 0)
        from = 0;
    if (from >= hay.size())
        return -1;
    const void *p = std::memchr(hay.data() + from, c, size_t(hay.size() - from));
    return p ? static_cast<const char *>(p) - hay.data() : -1;
}
inline bool contains(QByteArrayView hay, QByteArrayView needle)
{
    return indexOf(hay, needle) >= 0;
}
inline bool contains(QByteArrayView hay, char c)
{
    return indexOf(hay, c) >= 0;
}
} // namespace bv

} // namespace dd
