#include "comparison.h"

#include "reporttext.h"

#include <QJsonArray>
#include <QSet>

namespace dd {

namespace {

QSet<QString> failingCauses(const Diagnosis &d, double threshold)
{
    QSet<QString> out;
    if (d.status != VerdictStatus::Problem)
        return out;
    for (qsizetype i = 0; i < d.causes.size(); ++i) {
        if (i == 0 || d.causes.at(i).confidence >= threshold)
            out.insert(d.causes.at(i).id);
    }
    return out;
}

QJsonArray changesToJson(const QList<Comparison::Change> &changes)
{
    QJsonArray out;
    for (const Comparison::Change &c : changes)
        out.append(QJsonObject{
            {QStringLiteral("id"), c.id}, {QStringLiteral("state"), c.state}, {QStringLiteral("detail"), c.detail}});
    return out;
}

} // namespace

Comparison compareDiagnoses(const Diagnosis &previous, const Diagnosis &current, double threshold)
{
    Comparison c;
    c.previousStatus = verdictStatusName(previous.status);
    c.currentStatus = verdictStatusName(current.status);
    const QSet<QString> before = failingCauses(previous, threshold);
    const QSet<QString> now = failingCauses(current, threshold);
    // Ordered as ranked, so the report reads from the most likely cause down.
    for (const RankedCause &rc : previous.causes) {
        if (before.contains(rc.id) && !now.contains(rc.id))
            c.causes << Comparison::Change{rc.id, QStringLiteral("fixed"), rc.title};
    }
    for (const RankedCause &rc : current.causes) {
        if (!now.contains(rc.id))
            continue;
        c.causes << Comparison::Change{
            rc.id, before.contains(rc.id) ? QStringLiteral("still-failing") : QStringLiteral("new"), rc.title};
    }
    for (const TopologyLink &l : current.topology.links()) {
        const TopologyLink *old = previous.topology.link(l.id);
        if (!old || old->health == l.health || l.health == Health::Unknown || old->health == Health::Unknown)
            continue;
        if (old->health == Health::Failed)
            c.links << Comparison::Change{l.id, QStringLiteral("recovered"), l.healthReason};
        else if (l.health == Health::Failed)
            c.links << Comparison::Change{l.id, QStringLiteral("broke"), l.healthReason};
    }
    return c;
}

QJsonObject comparisonToJson(const Comparison &c)
{
    return QJsonObject{{QStringLiteral("previous_status"), c.previousStatus},
                       {QStringLiteral("current_status"), c.currentStatus},
                       {QStringLiteral("causes"), changesToJson(c.causes)},
                       {QStringLiteral("links"), changesToJson(c.links)}};
}

QString comparisonToText(const Comparison &c)
{
    QString text = QStringLiteral("Compared with the previous run (%1 → %2):\n").arg(c.previousStatus, c.currentStatus);
    if (c.causes.isEmpty() && c.links.isEmpty())
        text += QStringLiteral("  nothing changed\n");
    for (const Comparison::Change &ch : c.causes)
        text += QStringLiteral("  %1  %2 — %3\n")
                    .arg(ch.state.leftJustified(13), printableText(ch.id), printableText(ch.detail));
    for (const Comparison::Change &ch : c.links)
        text +=
            ch.detail.isEmpty()
                ? QStringLiteral("  link %1 %2\n").arg(printableText(ch.id), ch.state)
                : QStringLiteral("  link %1 %2 — %3\n").arg(printableText(ch.id), ch.state, printableText(ch.detail));
    return text;
}

} // namespace dd
