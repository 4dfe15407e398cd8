#pragma once

#include "model/evidence.h"

#include <QAbstractTableModel>

namespace dd {

/// Evidence as it arrives, oldest first; bounded so a long live run cannot grow without end.
class EvidenceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { TimeColumn, SourceColumn, SubjectColumn, HealthColumn, SummaryColumn, ColumnCount };
    enum Roles {
        EvidenceIdRole = Qt::UserRole + 1,
        HealthRole,     ///< int(dd::Health)
        HealthNameRole, ///< healthName(): "ok", "failed", ...
        SubjectRole,    ///< the node or link id
        DetailRole,
        ExcerptRole,
        LatencyRole, ///< double ms, or -1
    };
    Q_ENUM(Columns)
    Q_ENUM(Roles)

    explicit EvidenceModel(QObject *parent = nullptr);

    /// Appends in one batch; the oldest rows go when more than maximumRows() are held.
    void addEvidence(const EvidenceList &evidence);
    void addEvidence(const Evidence &evidence);
    void setEvidence(const EvidenceList &evidence);
    void clear();

    const EvidenceList &evidence() const { return m_evidence; }
    qsizetype maximumRows() const { return m_maximumRows; }
    void setMaximumRows(qsizetype rows);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    void trimToMaximum();

    EvidenceList m_evidence;
    qsizetype m_maximumRows = 5000;
};

} // namespace dd
