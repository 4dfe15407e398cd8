#include "multiliteralmatcher.h"

#include <algorithm>
#include <cstring>

namespace dd {

namespace {
// The shift table holds bytes; a longer window gains little since lines are short.
constexpr qsizetype maxWindow = 64;
} // namespace

void MultiLiteralMatcher::build(const QList<QByteArray> &literals)
{
    m_literals = literals;
    m_window = maxWindow;
    for (const QByteArray &l : literals)
        m_window = std::min(m_window, l.size());
    if (m_literals.isEmpty() || m_window < 2) {
        m_literals.clear();
        return;
    }
    const qsizetype m = m_window;
    m_shift.fill(quint8(m - 1));
    QList<QList<quint16>> buckets(65536);
    for (qsizetype id = 0; id < m_literals.size(); ++id) {
        const auto *p = reinterpret_cast<const uchar *>(m_literals.at(id).constData());
        for (qsizetype j = 1; j < m; ++j) {
            const quint16 h = pairHash(p[j - 1], p[j]);
            m_shift[h] = quint8(std::min<qsizetype>(m_shift[h], m - 1 - j));
        }
        buckets[pairHash(p[m - 2], p[m - 1])].append(quint16(id));
    }
    m_bucketStart.resize(65537);
    m_bucket.clear();
    for (int h = 0; h < 65536; ++h) {
        m_bucketStart[h] = quint32(m_bucket.size());
        m_bucket += buckets.at(h);
    }
    m_bucketStart[65536] = quint32(m_bucket.size());
}

void MultiLiteralMatcher::findAll(QByteArrayView text, Hits *hits) const
{
    const qsizetype n = text.size();
    const qsizetype m = m_window;
    if (m_literals.isEmpty() || n < m)
        return;
    const auto *t = reinterpret_cast<const uchar *>(text.data());
    const quint8 *shift = m_shift.data();
    qsizetype pos = m - 1;
    while (pos < n) {
        const quint16 h = pairHash(t[pos - 1], t[pos]);
        const quint8 s = shift[h];
        if (s != 0) {
            pos += s;
            continue;
        }
        const qsizetype start = pos - m + 1;
        for (quint32 b = m_bucketStart[h], e = m_bucketStart[h + 1]; b < e; ++b) {
            const quint16 id = m_bucket[b];
            const QByteArray &lit = m_literals.at(id);
            if (start + lit.size() <= n && std::memcmp(t + start, lit.constData(), size_t(lit.size())) == 0
                && !hits->contains(id))
                hits->append(id);
        }
        ++pos;
    }
}

} // namespace dd
