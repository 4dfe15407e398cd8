#include "correlation.h"

#include <QHash>
#include <QUrl>

#include <algorithm>

namespace dd {

namespace {

struct Keyed
{
    const Evidence *evidence = nullptr;
    QString origin;
    QDateTime first; ///< invalid: timeless, joins any time
    QDateTime last;
};

QStringList valuesOf(const QVariant &v)
{
    if (v.typeId() == QMetaType::QStringList || v.typeId() == QMetaType::QVariantList)
        return v.toStringList();
    const QString s = v.toString();
    return s.isEmpty() ? QStringList() : QStringList{s};
}

// One spelling per value: hosts are case-insensitive, a path is compared without its query
// (tokens live there) and without a trailing slash, a connection number without nginx's '*'.
QString normalised(const QString &key, QString value)
{
    value = value.trimmed();
    if (key == QLatin1String("upstream")) {
        value = value.toLower();
        if (value.startsWith(QLatin1String("http://")) || value.startsWith(QLatin1String("https://")))
            value = value.mid(value.indexOf(QLatin1String("//")) + 2);
        return value.section(QLatin1Char('/'), 0, 0);
    }
    if (key == QLatin1String("path")) {
        // "GET /x?y HTTP/1.1" (a request line) or a bare path.
        const QStringList parts = value.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (parts.size() >= 2 && !parts.first().startsWith(QLatin1Char('/')))
            value = parts.at(1);
        value = value.section(QLatin1Char('?'), 0, 0);
        if (value.contains(QLatin1String("://")))
            value = QUrl(value).path();
        while (value.size() > 1 && value.endsWith(QLatin1Char('/')))
            value.chop(1);
        return value.startsWith(QLatin1Char('/')) ? value : QString();
    }
    if (key == QLatin1String("connection"))
        return value.startsWith(QLatin1Char('*')) ? value.mid(1) : value;
    return value;
}

QList<QPair<QString, QString>> keysOf(const Evidence &e)
{
    QList<QPair<QString, QString>> out;
    const auto addAll = [&out](const QString &key, const QVariant &v) {
        for (const QString &raw : valuesOf(v)) {
            const QString value = normalised(key, raw);
            if (!value.isEmpty() && !out.contains(qMakePair(key, value)))
                out.append(qMakePair(key, value));
        }
    };
    for (auto it = e.facts.cbegin(); it != e.facts.cend(); ++it) {
        if (it.key().startsWith(QLatin1String("keys.")))
            addAll(it.key().mid(5), it.value());
    }
    addAll(QStringLiteral("upstream"), e.facts.value(QStringLiteral("capture.upstream")));
    addAll(QStringLiteral("path"), e.facts.value(QStringLiteral("capture.path")));
    return out;
}

Keyed keyed(const Evidence &e)
{
    Keyed k;
    k.evidence = &e;
    k.origin = evidenceOrigin(e);
    if (e.source == EvidenceSource::Config)
        return k; // what the configuration says holds at any time
    k.first = QDateTime::fromString(e.facts.value(QStringLiteral("time.first")).toString(), Qt::ISODateWithMs);
    k.last = QDateTime::fromString(e.facts.value(QStringLiteral("time.last")).toString(), Qt::ISODateWithMs);
    if (!k.first.isValid())
        k.first = e.time;
    if (!k.last.isValid())
        k.last = k.first;
    return k;
}

// Splits one key's items into clusters of items whose time ranges lie within the window of
// each other; timeless items join every cluster.
QList<QList<const Keyed *>> clusters(QList<const Keyed *> items)
{
    QList<const Keyed *> timeless;
    QList<const Keyed *> timed;
    for (const Keyed *k : items)
        (k->first.isValid() ? timed : timeless).append(k);
    std::sort(timed.begin(), timed.end(), [](const Keyed *a, const Keyed *b) { return a->first < b->first; });
    QList<QList<const Keyed *>> out;
    QDateTime reach;
    for (const Keyed *k : std::as_const(timed)) {
        if (out.isEmpty() || k->first > reach.addSecs(kCorrelationWindowSecs)) {
            out.append(QList<const Keyed *>{});
            reach = k->last;
        }
        out.last().append(k);
        reach = qMax(reach, k->last);
    }
    if (out.isEmpty())
        out.append(QList<const Keyed *>{});
    for (QList<const Keyed *> &c : out)
        c += timeless;
    return out;
}

} // namespace

QString evidenceOrigin(const Evidence &e)
{
    // Each log file is a witness of its own; every other source is one.
    if (e.source != EvidenceSource::Log)
        return evidenceSourceName(e.source);
    const QString file = e.facts.value(QStringLiteral("log.file")).toString();
    return QStringLiteral("log:") + (file.isEmpty() ? e.kind : file);
}

QString Correlation::describe() const
{
    return QStringLiteral("%1 %2 in %3 places: %4")
        .arg(key, value)
        .arg(origins.size())
        .arg(origins.join(QStringLiteral(", ")));
}

QList<Correlation> correlateEvidence(const EvidenceList &evidence)
{
    QList<Keyed> items;
    items.reserve(evidence.size());
    for (const Evidence &e : evidence)
        items.append(keyed(e));
    QHash<QPair<QString, QString>, QList<const Keyed *>> byKey;
    QList<QPair<QString, QString>> order;
    for (const Keyed &k : std::as_const(items)) {
        for (const auto &key : keysOf(*k.evidence)) {
            auto it = byKey.find(key);
            if (it == byKey.end()) {
                order.append(key);
                it = byKey.insert(key, {});
            }
            it->append(&k);
        }
    }
    QList<Correlation> out;
    for (const auto &key : std::as_const(order)) {
        for (const QList<const Keyed *> &cluster : clusters(byKey.value(key))) {
            Correlation c;
            c.key = key.first;
            c.value = key.second;
            for (const Keyed *k : cluster) {
                if (c.evidenceIds.contains(k->evidence->id))
                    continue;
                c.evidenceIds.append(k->evidence->id);
                if (!c.origins.contains(k->origin))
                    c.origins.append(k->origin);
                if (k->first.isValid() && (!c.first.isValid() || k->first < c.first))
                    c.first = k->first;
                if (k->last.isValid() && (!c.last.isValid() || k->last > c.last))
                    c.last = k->last;
            }
            if (c.origins.size() >= 2)
                out.append(c);
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Correlation &a, const Correlation &b) {
        if (a.origins.size() != b.origins.size())
            return a.origins.size() > b.origins.size();
        return a.evidenceIds.size() > b.evidenceIds.size();
    });
    return out;
}

} // namespace dd
