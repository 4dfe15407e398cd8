#include "stackmodel.h"

namespace dd {

namespace {

// The profile fields the editor offers, in the order of the stack (browser side first).
const QStringList &profileFields()
{
    static const QStringList fields{QStringLiteral("publicUrl"), QStringLiteral("docserverUrl"),
                                    QStringLiteral("docservice"), QStringLiteral("integrator.url")};
    return fields;
}

QString hopOfField(const QString &field)
{
    if (field == QLatin1String("publicUrl"))
        return QStringLiteral("browser->proxy");
    if (field == QLatin1String("docserverUrl"))
        return QStringLiteral("proxy->dsnginx");
    if (field == QLatin1String("docservice"))
        return QStringLiteral("dsnginx->docservice");
    return QStringLiteral("converter->integrator");
}

} // namespace

StackModel::StackModel(QObject *parent) : QAbstractTableModel(parent) {}

void StackModel::setStack(const ConfiguredStack &stack)
{
    beginResetModel();
    m_rows = stack.endpoints;
    for (const QString &field : profileFields()) {
        if (!stack.forField(field))
            m_rows.append(StackEndpoint{hopOfField(field), field, QString(), QString(), 0,
                                        tr("not in the configuration: enter it")});
    }
    endResetModel();
}

QList<QPair<QString, QString>> StackModel::fieldValues() const
{
    QList<QPair<QString, QString>> out;
    for (const QString &field : profileFields()) {
        const int row = rowOfField(field);
        if (row >= 0)
            out.append({field, m_rows.at(row).value});
    }
    return out;
}

int StackModel::rowOfField(const QString &field) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).field == field)
            return i;
    }
    return -1;
}

int StackModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int StackModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StackModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const StackEndpoint &e = m_rows.at(index.row());
    if (role == FieldRole)
        return e.field;
    if (role == Qt::ToolTipRole && index.column() == OriginColumn)
        return e.origin();
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (index.column()) {
    case HopColumn:
        return e.hop;
    case ValueColumn:
        return e.value;
    case FieldColumn:
        return e.field.isEmpty() ? tr("(shown only)") : e.field;
    case OriginColumn:
        return e.origin();
    case NoteColumn:
        return e.note;
    }
    return {};
}

bool StackModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || index.column() != ValueColumn || role != Qt::EditRole)
        return false;
    StackEndpoint &e = m_rows[index.row()];
    const QString text = value.toString().trimmed();
    if (text == e.value)
        return true;
    e.value = text;
    e.note = tr("corrected by hand");
    Q_EMIT dataChanged(index, this->index(index.row(), NoteColumn));
    return true;
}

Qt::ItemFlags StackModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == ValueColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant StackModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case HopColumn:
        return tr("Hop");
    case ValueColumn:
        return tr("Address");
    case FieldColumn:
        return tr("Profile field");
    case OriginColumn:
        return tr("From");
    case NoteColumn:
        return tr("Note");
    }
    return {};
}

} // namespace dd
