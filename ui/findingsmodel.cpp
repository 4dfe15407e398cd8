#include "findingsmodel.h"

#include <QFont>

namespace dd {

FindingsModel::FindingsModel(QObject *parent) : QAbstractTableModel(parent) {}

void FindingsModel::setCauses(const QList<RankedCause> &causes)
{
    beginResetModel();
    m_causes = causes;
    endResetModel();
}

void FindingsModel::clear()
{
    setCauses({});
}

int FindingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_causes.size());
}

int FindingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_causes.size())
        return QVariant();
    const RankedCause &cause = m_causes.at(index.row());

    switch (role) {
    case CauseIdRole:
        return cause.id;
    case ConfidenceRole:
        return cause.confidence;
    case HopRole:
        return cause.hop;
    case FixRole:
        return cause.fix;
    case ReasonRole:
        return cause.reason;
    case EvidenceIdsRole:
        return cause.evidenceIds;
    case Qt::DisplayRole:
        switch (index.column()) {
        case RankColumn:
            return index.row() + 1;
        case CauseColumn:
            return cause.title.isEmpty() ? cause.id : cause.title;
        case ConfidenceColumn:
            return tr("%1 %").arg(qRound(cause.confidence * 100));
        case HopColumn:
            return cause.hop;
        case FixColumn:
            return cause.fix;
        }
        break;
    case Qt::ToolTipRole: {
        QString tip =
            QStringLiteral("<b>%1</b> <code>%2</code>")
                .arg((cause.title.isEmpty() ? cause.id : cause.title).toHtmlEscaped(), cause.id.toHtmlEscaped());
        if (!cause.reason.isEmpty())
            tip += QStringLiteral("<p>") + tr("Why: %1").arg(cause.reason.toHtmlEscaped()) + QStringLiteral("</p>");
        if (!cause.fix.isEmpty())
            tip += QStringLiteral("<p>") + tr("Fix: %1").arg(cause.fix.toHtmlEscaped()) + QStringLiteral("</p>");
        return tip;
    }
    case Qt::FontRole:
        if (index.row() == 0 && index.column() == CauseColumn) {
            QFont font;
            font.setBold(true);
            return font;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == RankColumn || index.column() == ConfidenceColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignTop);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignTop);
    }
    return QVariant();
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RankColumn:
        return tr("#");
    case CauseColumn:
        return tr("Cause");
    case ConfidenceColumn:
        return tr("Confidence");
    case HopColumn:
        return tr("Hop");
    case FixColumn:
        return tr("Fix");
    }
    return QVariant();
}

QHash<int, QByteArray> FindingsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(CauseIdRole, "causeId");
    names.insert(ConfidenceRole, "confidence");
    names.insert(HopRole, "hop");
    names.insert(FixRole, "fix");
    names.insert(ReasonRole, "reason");
    names.insert(EvidenceIdsRole, "evidenceIds");
    return names;
}

} // namespace dd
