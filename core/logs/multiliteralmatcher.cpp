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

void MultiLiteralMatcher::build(const QList<QByteArray> &literals)
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
    m_shift.fill(quint8(m - block + 1));
    QList<QList<quint16>> buckets(65536);
    m_head.clear();
    for (qsizetype id = 0; id < m_literals.size(); ++id) {
        const auto *p = reinterpret_cast<const uchar *>(m_literals.at(id).constData());
        for (qsizetype j = block - 1; j < m; ++j) {
            const quint16 h = blockHash(p[j - 2], p[j - 1], p[j]);
            m_shift[h] = quint8(std::min<qsizetype>(m_shift[h], m - 1 - j));
        }
        buckets[blockHash(p[m - 3], p[m - 2], p[m - 1])].append(quint16(id));
        m_head << load4(p);
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
    const quint32 *starts = m_bucketStart.constData();
    const quint16 *bucket = m_bucket.constData();
    const quint32 *heads = m_head.constData();
    qsizetype pos = m - 1;
    while (pos < n) {
        const quint16 h = blockHash(t[pos - 2], t[pos - 1], t[pos]);
        const quint8 s = shift[h];
        if (s != 0) {
            pos += s;
            continue;
        }
        const qsizetype start = pos - m + 1;
        const quint32 head = load4(t + start);
        for (quint32 b = starts[h], e = starts[h + 1]; b < e; ++b) {
            const quint16 id = bucket[b];
            if (heads[id] != head)
                continue;
            const QByteArray &lit = m_literals.at(id);
            if (start + lit.size() <= n && std::memcmp(t + start + 4, lit.constData() + 4, size_t(lit.size() - 4)) == 0
                && !hits->contains(id))
                hits->append(id);
        }
        ++pos;
    }
}

} // namespace dd
