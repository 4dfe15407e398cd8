#pragma once

#include <QByteArrayView>

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
} // namespace bv

} // namespace dd
