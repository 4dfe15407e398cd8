#include "evidencemodel.h"
#include "healthstyle.h"

namespace dd {

namespace {

QString sourceDisplayName(EvidenceSource source)
{
    switch (source) {
    case EvidenceSource::Probe:
        return EvidenceModel::tr("Probe");
    case EvidenceSource::Log:
        return EvidenceModel::tr("Log");
    case EvidenceSource::Capture:
        return EvidenceModel::tr("Capture");
    case EvidenceSource::Config:
        return EvidenceModel::tr("Config");
    case EvidenceSource::Host:
        return EvidenceModel::tr("Host");
    case EvidenceSource::User:
        return EvidenceModel::tr("User");
    }
    return QString();
}

QString subjectOf(const Evidence &evidence)
{
    return evidence.link.isEmpty() ? evidence.node : evidence.link;
}

} // namespace

EvidenceModel::EvidenceModel(QObject *parent) : QAbstractTableModel(parent) {}

void EvidenceModel::addEvidence(const EvidenceList &evidence)
{
    if (evidence.isEmpty())
        return;
    const int first = int(m_evidence.size());
    beginInsertRows(QModelIndex(), first, first + int(evidence.size()) - 1);
    m_evidence.append(evidence);
    endInsertRows();
    trimToMaximum();
}

void EvidenceModel::addEvidence(const Evidence &evidence)
{
    addEvidence(EvidenceList{evidence});
}

void EvidenceModel::setEvidence(const EvidenceList &evidence)
{
    beginResetModel();
    m_evidence = evidence;
    if (m_evidence.size() > m_maximumRows)
        m_evidence.remove(0, m_evidence.size() - m_maximumRows);
    endResetModel();
}

void EvidenceModel::clear()
{
    setEvidence({});
}

void EvidenceModel::setMaximumRows(qsizetype rows)
{
    m_maximumRows = std::max<qsizetype>(1, rows);
    trimToMaximum();
}

void EvidenceModel::trimToMaximum()
{
    const qsizetype excess = m_evidence.size() - m_maximumRows;
    if (excess <= 0)
        return;
    beginRemoveRows(QModelIndex(), 0, int(excess) - 1);
    m_evidence.remove(0, excess);
    endRemoveRows();
}

int EvidenceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_evidence.size());
}

int EvidenceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EvidenceModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_evidence.size())
        return QVariant();
    const Evidence &e = m_evidence.at(index.row());

    switch (role) {
    case EvidenceIdRole:
        return e.id;
    case HealthRole:
        return int(e.health);
    case HealthNameRole:
        return healthName(e.health);
    case SubjectRole:
        return subjectOf(e);
    case DetailRole:
        return e.detail;
    case ExcerptRole:
        return e.excerpt;
    case LatencyRole:
        return e.latencyMs;
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return e.time.isValid() ? e.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz")) : QString();
        case SourceColumn:
            return sourceDisplayName(e.source);
        case SubjectColumn:
            return subjectOf(e);
        case HealthColumn:
            return healthDisplayName(e.health);
        case SummaryColumn:
            return e.summary;
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == HealthColumn)
            return healthColor(e.health);
        break;
    case Qt::ForegroundRole:
        if (index.column() == HealthColumn && e.health != Health::Unknown)
            return healthColor(e.health).darker(110);
        break;
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("<b>%1</b>").arg(e.summary.toHtmlEscaped());
        if (!e.detail.isEmpty())
            tip += QStringLiteral("<p>") + e.detail.toHtmlEscaped() + QStringLiteral("</p>");
        if (!e.excerpt.isEmpty())
            tip += QStringLiteral("<pre>") + e.excerpt.toHtmlEscaped() + QStringLiteral("</pre>");
        tip += QStringLiteral("<p><code>%1</code></p>").arg(e.id.toHtmlEscaped());
        return tip;
    }
    }
    return QVariant();
}

QVariant EvidenceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case SourceColumn:
        return tr("Source");
    case SubjectColumn:
        return tr("Node / link");
    case HealthColumn:
        return tr("Health");
    case SummaryColumn:
        return tr("Summary");
    }
    return QVariant();
}

QHash<int, QByteArray> EvidenceModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(EvidenceIdRole, "evidenceId");
    names.insert(HealthRole, "health");
    names.insert(HealthNameRole, "healthName");
    names.insert(SubjectRole, "subject");
    names.insert(DetailRole, "detail");
    names.insert(ExcerptRole, "excerpt");
    names.insert(LatencyRole, "latency");
    return names;
}

} // namespace dd
