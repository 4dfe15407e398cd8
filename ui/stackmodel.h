#pragma once

#include "config/configuredstack.h"

#include <QAbstractTableModel>

namespace dd {

/**
 * The configured stack as an editable table: one row per address (hop, value, the profile field
 * it fills, the file:line it came from). Every profile field has a row, empty when the
 * configuration does not say it, so the admin can fill it in; only values are editable.
 */
class StackModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { HopColumn, ValueColumn, FieldColumn, OriginColumn, NoteColumn, ColumnCount };
    enum Roles { FieldRole = Qt::UserRole + 1 };

    explicit StackModel(QObject *parent = nullptr);

    void setStack(const ConfiguredStack &stack);
    /// field → value for every profile field, the first row of each field.
    QList<QPair<QString, QString>> fieldValues() const;
    /// The row of `field`'s value, or -1.
    int rowOfField(const QString &field) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<StackEndpoint> m_rows;
};

} // namespace dd
