#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QVarLengthArray>

#include <array>

namespace dd {

/**
 * Finds which of a set of fixed strings occur in a text, in one pass (Wu-Manber with a
 * 2-byte block: a window of the shortest literal's length slides by up to that length at a
 * time, so most bytes are never looked at). This is the prefilter that keeps regular
 * expressions and field parsing off the lines no rule can match.
 */
class MultiLiteralMatcher
{
public:
    using Hits = QVarLengthArray<quint16, 16>;

    /// Builds the tables; literals shorter than 2 bytes are not allowed (asserted by callers).
    void build(const QList<QByteArray> &literals);
    bool isEmpty() const { return m_literals.isEmpty(); }
    int literalCount() const { return int(m_literals.size()); }
    const QByteArray &literal(int id) const { return m_literals.at(id); }

    /// Adds to `hits` the id of every literal found in `text`, each once, in no set order.
    void findAll(QByteArrayView text, Hits *hits) const;

private:
    static quint16 pairHash(uchar a, uchar b) { return quint16((a << 8) | b); }

    QList<QByteArray> m_literals;
    qsizetype m_window = 0; ///< length of the shortest literal
    std::array<quint8, 65536> m_shift{};
    // Per pair hash of a window's last two bytes: the literals ending their window there.
    QList<quint32> m_bucketStart; // 65537 entries into m_bucket
    QList<quint16> m_bucket;
};

} // namespace dd
