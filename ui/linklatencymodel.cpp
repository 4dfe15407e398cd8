#include "linklatencymodel.h"

#include "model/diagnosis.h"
#include "probe/linkhistory.h"

#include <algorithm>

namespace dd {

namespace {

const QLatin1String connectSuffix(".connect_ms");
const QLatin1String ttfbSuffix(".ttfb_ms");
const QLatin1String totalSuffix(".total_ms");

// The first valid millisecond fact whose key ends with `suffix`, or -1.
double phaseFact(const QVariantMap &facts, QLatin1String suffix)
{
    for (auto it = facts.cbegin(); it != facts.cend(); ++it) {
        if (!it.key().endsWith(suffix) || !it.value().isValid())
            continue;
        bool ok = false;
        const double ms = it.value().toDouble(&ok);
        if (ok && ms >= 0)
            return ms;
    }
    return -1;
}

void fillMissing(double *value, double candidate)
{
    if (*value < 0 && candidate >= 0)
        *value = candidate;
}

QString formatMs(double ms)
{
    if (ms < 0)
        return QString();
    return LinkLatencyModel::tr("%1 ms").arg(ms, 0, 'f', ms < 10 ? 2 : 1);
}

} // namespace

LinkLatencyModel::LinkLatencyModel(QObject *parent) : QAbstractTableModel(parent) {}

QList<LatencySample> LinkLatencyModel::samplesFromEvidence(const EvidenceList &evidence)
{
    QList<LatencySample> out;
    QHash<QString, qsizetype> byLink;
    for (const Evidence &e : evidence) {
        if (e.link.isEmpty() || e.source == EvidenceSource::User)
            continue;
        LatencySample measured;
        measured.connectMs = phaseFact(e.facts, connectSuffix);
        measured.ttfbMs = phaseFact(e.facts, ttfbSuffix);
        measured.totalMs = phaseFact(e.facts, totalSuffix);
        fillMissing(&measured.connectMs, e.latencyMs);
        if (!measured.hasValue())
            continue;
        // Several probes of one link in one run make one sample: the first measurement of each phase.
        const auto found = byLink.constFind(e.link);
        if (found == byLink.cend()) {
            measured.link = e.link;
            measured.time = e.time.isValid() ? e.time.toUTC() : QDateTime::currentDateTimeUtc();
            byLink.insert(e.link, out.size());
            out << measured;
            continue;
        }
        LatencySample &sample = out[*found];
        fillMissing(&sample.connectMs, measured.connectMs);
        fillMissing(&sample.ttfbMs, measured.ttfbMs);
        fillMissing(&sample.totalMs, measured.totalMs);
        if (e.time.isValid() && e.time < sample.time)
            sample.time = e.time.toUTC();
    }
    return out;
}

LatencySample LinkLatencyModel::fromLinkSample(const LinkSample &sample)
{
    LatencySample out;
    out.link = sample.linkId;
    out.time = sample.time.isValid() ? sample.time.toUTC() : QDateTime::currentDateTimeUtc();
    out.connectMs = sample.timings.connect;
    fillMissing(&out.connectMs, sample.latencyMs);
    // A refused or timed-out request has a "total" too, but drawing it as a response time would
    // show a dead hop as a fast one.
    if (sample.outcome == ProbeOutcome::Ok) {
        out.ttfbMs = sample.timings.ttfb;
        out.totalMs = sample.timings.total;
    }
    return out;
}

void LinkLatencyModel::addSamples(const QList<LatencySample> &samples)
{
    QList<LatencySample> accepted;
    accepted.reserve(samples.size());
    for (const LatencySample &s : samples) {
        if (!s.link.isEmpty() && s.hasValue())
            accepted << s;
    }
    if (accepted.isEmpty())
        return;
    const int first = int(m_samples.size());
    beginInsertRows(QModelIndex(), first, first + int(accepted.size()) - 1);
    m_samples.append(accepted);
    bool newLink = false;
    for (const LatencySample &s : std::as_const(accepted)) {
        if (m_perLink[s.link]++ == 0) {
            m_links << s.link;
            newLink = true;
        }
    }
    endInsertRows();
    trimToMaximum();
    if (newLink)
        Q_EMIT linksChanged();
}

void LinkLatencyModel::addSample(const LatencySample &sample)
{
    addSamples({sample});
}

void LinkLatencyModel::addDiagnosis(const Diagnosis &diagnosis)
{
    addSamples(samplesFromEvidence(diagnosis.evidence));
}

void LinkLatencyModel::clear()
{
    const bool hadLinks = !m_links.isEmpty();
    beginResetModel();
    m_samples.clear();
    m_perLink.clear();
    m_links.clear();
    endResetModel();
    if (hadLinks)
        Q_EMIT linksChanged();
}

void LinkLatencyModel::setMaximumSamplesPerLink(int samples)
{
    m_maximumPerLink = std::max(1, samples);
    trimToMaximum();
}

void LinkLatencyModel::trimToMaximum()
{
    QHash<QString, int> excess;
    for (auto it = m_perLink.cbegin(); it != m_perLink.cend(); ++it) {
        if (it.value() > m_maximumPerLink)
            excess.insert(it.key(), it.value() - m_maximumPerLink);
    }
    if (excess.isEmpty())
        return;
    QList<bool> drop(m_samples.size(), false);
    for (qsizetype row = 0; row < m_samples.size() && !excess.isEmpty(); ++row) {
        const auto it = excess.find(m_samples.at(row).link);
        if (it == excess.end())
            continue;
        drop[row] = true;
        if (--it.value() == 0)
            excess.erase(it);
    }
    // Contiguous runs from the back, so earlier row numbers stay valid while removing.
    for (qsizetype last = m_samples.size() - 1; last >= 0; --last) {
        if (!drop.at(last))
            continue;
        qsizetype first = last;
        while (first > 0 && drop.at(first - 1))
            --first;
        beginRemoveRows(QModelIndex(), int(first), int(last));
        m_samples.remove(first, last - first + 1);
        endRemoveRows();
        last = first;
    }
    recountLinks();
}

void LinkLatencyModel::recountLinks()
{
    m_perLink.clear();
    for (const LatencySample &s : std::as_const(m_samples))
        ++m_perLink[s.link];
}

double LinkLatencyModel::phaseValue(const LatencySample &sample, int column)
{
    switch (column) {
    case ConnectColumn:
        return sample.connectMs;
    case TtfbColumn:
        return sample.ttfbMs;
    case TotalColumn:
        return sample.totalMs;
    }
    return -1;
}

int LinkLatencyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_samples.size());
}

int LinkLatencyModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LinkLatencyModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_samples.size() ||
        index.column() >= ColumnCount)
        return QVariant();
    const LatencySample &s = m_samples.at(index.row());

    switch (role) {
    case LinkIdRole:
        return s.link;
    case TimeRole:
        return s.time;
    case TimeMsRole:
        return s.time.toMSecsSinceEpoch();
    case LatencyMsRole:
        return phaseValue(s, index.column());
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return s.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case LinkColumn:
            return s.link;
        default:
            return formatMs(phaseValue(s, index.column()));
        }
    case Qt::TextAlignmentRole:
        if (index.column() >= ConnectColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return QVariant();
}

QVariant LinkLatencyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case LinkColumn:
        return tr("Link");
    case ConnectColumn:
        return tr("Connect");
    case TtfbColumn:
        return tr("First byte");
    case TotalColumn:
        return tr("Total");
    }
    return QVariant();
}

QHash<int, QByteArray> LinkLatencyModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(LinkIdRole, "link");
    names.insert(TimeRole, "time");
    names.insert(TimeMsRole, "timeMs");
    names.insert(LatencyMsRole, "latencyMs");
    return names;
}

} // namespace dd
