#pragma once

#include "model/diagnosis.h"

#include <QAbstractTableModel>

namespace dd {

/// The ranked causes of a diagnosis, most likely first, with their fix.
class FindingsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { RankColumn, CauseColumn, ConfidenceColumn, HopColumn, FixColumn, ColumnCount };
    enum Roles {
        CauseIdRole = Qt::UserRole + 1,
        ConfidenceRole, ///< double 0..1
        HopRole,
        FixRole,
        ReasonRole,
        EvidenceIdsRole, ///< QStringList
    };
    Q_ENUM(Columns)
    Q_ENUM(Roles)

    explicit FindingsModel(QObject *parent = nullptr);

    void setCauses(const QList<RankedCause> &causes);
    void clear();
    const QList<RankedCause> &causes() const { return m_causes; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<RankedCause> m_causes;
};

} // namespace dd
