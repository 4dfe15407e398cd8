#include "jsonreport.h"

#include "util/redact.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dd {

namespace {

QJsonValue clean(const QVariant &v)
{
    if (v.typeId() == QMetaType::QString)
        return redactSecrets(v.toString());
    return QJsonValue::fromVariant(v);
}

QJsonObject factsToJson(const QVariantMap &facts)
{
    QJsonObject o;
    for (auto it = facts.cbegin(); it != facts.cend(); ++it)
        o.insert(it.key(), clean(it.value()));
    return o;
}

} // namespace

QJsonObject diagnosisToJson(const Diagnosis &d)
{
    QJsonObject verdict;
    verdict.insert(QStringLiteral("status"), verdictStatusName(d.status));
    verdict.insert(QStringLiteral("cause"), d.causeId.isEmpty() ? QJsonValue() : QJsonValue(d.causeId));
    verdict.insert(QStringLiteral("confidence"), qRound(d.confidence * 100) / 100.0);
    verdict.insert(QStringLiteral("hop"), d.hop.isEmpty() ? QJsonValue() : QJsonValue(d.hop));
    verdict.insert(QStringLiteral("summary"), redactSecrets(d.summary));

    QJsonArray causes;
    for (const RankedCause &c : d.causes) {
        causes.append(QJsonObject{{QStringLiteral("id"), c.id},
                                  {QStringLiteral("title"), c.title},
                                  {QStringLiteral("confidence"), qRound(c.confidence * 100) / 100.0},
                                  {QStringLiteral("hop"), c.hop},
                                  {QStringLiteral("evidence"), QJsonArray::fromStringList(c.evidenceIds)},
                                  {QStringLiteral("reason"), c.reason},
                                  {QStringLiteral("fix"), c.fix}});
    }
    QJsonArray evidence;
    for (const Evidence &e : d.evidence) {
        QJsonObject o{{QStringLiteral("id"), e.id},
                      {QStringLiteral("source"), evidenceSourceName(e.source)},
                      {QStringLiteral("kind"), e.kind},
                      {QStringLiteral("time"), e.time.toString(Qt::ISODateWithMs)},
                      {QStringLiteral("health"), healthName(e.health)},
                      {QStringLiteral("summary"), redactSecrets(e.summary)},
                      {QStringLiteral("detail"), redactSecrets(e.detail)},
                      {QStringLiteral("excerpt"), redactSecrets(e.excerpt)},
                      {QStringLiteral("facts"), factsToJson(e.facts)}};
        o.insert(QStringLiteral("node"), e.node.isEmpty() ? QJsonValue() : QJsonValue(e.node));
        o.insert(QStringLiteral("link"), e.link.isEmpty() ? QJsonValue() : QJsonValue(e.link));
        if (e.latencyMs >= 0)
            o.insert(QStringLiteral("latency_ms"), e.latencyMs);
        evidence.append(o);
    }
    QJsonArray path;
    for (const PathStep &s : d.path) {
        QJsonObject o{{QStringLiteral("node"), s.node},
                      {QStringLiteral("question"), s.question},
                      {QStringLiteral("fact"), s.fact},
                      {QStringLiteral("answer"), redactSecrets(s.answer)},
                      {QStringLiteral("evidence"), QJsonArray::fromStringList(s.evidenceIds)}};
        if (s.askedUser) {
            o.insert(QStringLiteral("ask_user"), true);
            o.insert(QStringLiteral("choices"), QJsonArray::fromStringList(s.choices));
        }
        path.append(o);
    }
    QJsonArray nodes;
    for (const TopologyNode &n : d.topology.nodes()) {
        nodes.append(QJsonObject{{QStringLiteral("id"), n.id},
                                 {QStringLiteral("kind"), nodeKindName(n.kind)},
                                 {QStringLiteral("label"), n.label},
                                 {QStringLiteral("address"), n.address},
                                 {QStringLiteral("health"), healthName(n.health)}});
    }
    QJsonArray links;
    for (const TopologyLink &l : d.topology.links()) {
        QJsonObject o{{QStringLiteral("id"), l.id},
                      {QStringLiteral("from"), l.from},
                      {QStringLiteral("to"), l.to},
                      {QStringLiteral("health"), healthName(l.health)},
                      {QStringLiteral("reason"), redactSecrets(l.healthReason)}};
        if (l.lastLatencyMs >= 0)
            o.insert(QStringLiteral("latency_ms"), l.lastLatencyMs);
        links.append(o);
    }
    return QJsonObject{
        {QStringLiteral("schema"), QStringLiteral("docserver-doctor.diagnosis/1")},
        {QStringLiteral("target"),
         redactSecrets(d.profile.name.isEmpty() ? d.profile.publicUrl.toString() : d.profile.name)},
        {QStringLiteral("started"), d.started.toString(Qt::ISODateWithMs)},
        {QStringLiteral("finished"), d.finished.toString(Qt::ISODateWithMs)},
        {QStringLiteral("verdict"), verdict},
        {QStringLiteral("causes"), causes},
        {QStringLiteral("evidence"), evidence},
        {QStringLiteral("path"), path},
        {QStringLiteral("topology"), QJsonObject{{QStringLiteral("nodes"), nodes}, {QStringLiteral("links"), links}}}};
}

QByteArray diagnosisToJsonBytes(const Diagnosis &diagnosis)
{
    return QJsonDocument(diagnosisToJson(diagnosis)).toJson(QJsonDocument::Indented);
}

} // namespace dd
