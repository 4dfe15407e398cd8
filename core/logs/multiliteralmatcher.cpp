#include "multiliteralmatcher.h"

#include <algorithm>
#include <cstring>

namespace dd {

namespace {
// The shift table holds bytes; a longer window gains little since lines are short.
constexpr qsizetype maxWindow = 64;
constexpr qsizetype block = 3;

quint32 load4(const uchar *p)
{
    quint32 v;
    std::memcpy(&v, p, 4);
    return v;
}
} // namespace

void MultiLiteralMatcher::build(const QList<QByteArray> &literals, QByteArrayView sample)
{
    m_literals = literals;
    m_window = maxWindow;
    for (const QByteArray &l : std::as_const(m_literals))
        m_window = std::min(m_window, l.size());
    if (m_literals.isEmpty() || m_window < 4) {
        m_literals.clear(); // callers pass literals of at least 4 bytes
        return;
    }
    const qsizetype m = m_window;
    QList<quint32> frequency;
    if (sample.size() >= block) {
        frequency.fill(0, tableSize);
        const auto *t = reinterpret_cast<const uchar *>(sample.data());
        for (qsizetype i = block - 1; i < sample.size(); ++i)
            ++frequency[blockHash(t[i - 2], t[i - 1], t[i])];
    }
    m_shift.fill(quint8(m - block + 1));
    QList<QList<quint16>> buckets(tableSize);
    m_head.clear();
    m_offset.clear();
    for (qsizetype id = 0; id < m_literals.size(); ++id) {
        const QByteArray &literal = m_literals.at(id);
        const auto *whole = reinterpret_cast<const uchar *>(literal.constData());
        qsizetype offset = std::min<qsizetype>(literal.size() - m, 255);
        if (!frequency.isEmpty()) {
            quint64 best = ~quint64(0);
            for (qsizetype o = 0; o <= std::min<qsizetype>(literal.size() - m, 255); ++o) {
                quint64 cost = 0;
                for (qsizetype j = o + block - 1; j < o + m; ++j)
                    cost += frequency[blockHash(whole[j - 2], whole[j - 1], whole[j])];
                if (cost < best) {
                    best = cost;
                    offset = o;
                }
            }
        }
        m_offset << quint8(offset);
        m_head << load4(whole);
        const uchar *p = whole + offset;
        for (qsizetype j = block - 1; j < m; ++j) {
            const quint16 h = blockHash(p[j - 2], p[j - 1], p[j]);
            m_shift[h] = quint8(std::min<qsizetype>(m_shift[h], m - 1 - j));
        }
        buckets[blockHash(p[m - 3], p[m - 2], p[m - 1])].append(quint16(id));
    }
    m_bucketStart.resize(tableSize + 1);
    m_bucket.clear();
    for (int h = 0; h < tableSize; ++h) {
        m_bucketStart[h] = quint32(m_bucket.size());
        m_bucket += buckets.at(h);
    }
    m_bucketStart[tableSize] = quint32(m_bucket.size());
}

void MultiLiteralMatcher::verify(const uchar *t, qsizetype n, qsizetype pos, quint16 h, Hits *hits) const
{
    const qsizetype windowStart = pos - m_window + 1;
    for (quint32 b = m_bucketStart[h], e = m_bucketStart[h + 1]; b < e; ++b) {
        const quint16 id = m_bucket[b];
        const qsizetype start = windowStart - m_offset[id];
        const QByteArray &lit = m_literals.at(id);
        if (start < 0 || start + lit.size() > n || m_head[id] != load4(t + start))
            continue;
        if (std::memcmp(t + start + 4, lit.constData() + 4, size_t(lit.size() - 4)) == 0 && !hits->contains(id))
            hits->append(id);
    }
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
        const quint16 h = blockHash(t[pos - 2], t[pos - 1], t[pos]);
        const quint8 s = shift[h];
        if (s != 0) {
            pos += s;
            continue;
        }
        verify(t, n, pos, h, hits);
        ++pos;
    }
}

void MultiLiteralMatcher::findAll2(QByteArrayView a, QByteArrayView b, Hits *hitsA, Hits *hitsB) const
{
    const qsizetype m = m_window;
    if (m_literals.isEmpty())
        return;
    // Each step waits for the shift it looked up; two texts give the CPU two independent
    // chains of such steps to overlap.
    const auto *ta = reinterpret_cast<const uchar *>(a.data());
    const auto *tb = reinterpret_cast<const uchar *>(b.data());
    const qsizetype na = a.size();
    const qsizetype nb = b.size();
    const quint8 *shift = m_shift.data();
    qsizetype pa = m - 1;
    qsizetype pb = m - 1;
    while (pa < na && pb < nb) {
        const quint16 ha = blockHash(ta[pa - 2], ta[pa - 1], ta[pa]);
        const quint16 hb = blockHash(tb[pb - 2], tb[pb - 1], tb[pb]);
        const quint8 sa = shift[ha];
        const quint8 sb = shift[hb];
        if (sa != 0) {
            pa += sa;
        } else {
            verify(ta, na, pa, ha, hitsA);
            ++pa;
        }
        if (sb != 0) {
            pb += sb;
        } else {
            verify(tb, nb, pb, hb, hitsB);
            ++pb;
        }
    }
    for (; pa < na;) {
        const quint16 h = blockHash(ta[pa - 2], ta[pa - 1], ta[pa]);
        if (const quint8 s = shift[h]) {
            pa += s;
            continue;
        }
        verify(ta, na, pa, h, hitsA);
        ++pa;
    }
    for (; pb < nb;) {
        const quint16 h = blockHash(tb[pb - 2], tb[pb - 1], tb[pb]);
        if (const quint8 s = shift[h]) {
            pb += s;
            continue;
        }
        verify(tb, nb, pb, h, hitsB);
        ++pb;
    }
}

} // namespace dd
