#include "jsonreport.h"

#include "reporttext.h"
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

// Every string in the document, wherever it came from: a secret in a fact list, a cause's
// reason or a node address must not leak any more than one in a summary.
QJsonValue redactStrings(const QJsonValue &v)
{
    if (v.isString())
        return redactSecrets(v.toString());
    if (v.isArray()) {
        QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            a[i] = redactStrings(a.at(i));
        return a;
    }
    if (v.isObject()) {
        QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            it.value() = redactStrings(it.value());
        return o;
    }
    return v;
}

QJsonValue urlOrNull(const QUrl &url)
{
    return url.isValid() && !url.isEmpty() ? QJsonValue(redactUrl(url)) : QJsonValue();
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

QJsonValue timeOrNull(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(time.toString(Qt::ISODateWithMs)) : QJsonValue();
}

// What the run was given, so a re-rendered report can say what was not checked.
QJsonObject inputsToJson(const Profile &p)
{
    return QJsonObject{
        {QStringLiteral("public_url"), urlOrNull(p.publicUrl)},
        {QStringLiteral("docserver_url"), urlOrNull(p.docserverUrl)},
        {QStringLiteral("docservice"),
         p.hasDocservice() ? QJsonValue(p.docserviceHost + QLatin1Char(':') + QString::number(p.docservicePort))
                           : QJsonValue()},
        {QStringLiteral("proxy_kind"), textOrNull(p.proxyKind)},
        {QStringLiteral("proxy_config"), textOrNull(p.proxyConfig)},
        {QStringLiteral("ds_config"), textOrNull(p.dsConfig)},
        {QStringLiteral("ds_nginx_config"), textOrNull(p.dsNginxConfig)},
        {QStringLiteral("log_files"), QJsonArray::fromStringList(p.logFiles)},
        {QStringLiteral("jwt_secret_file"), textOrNull(p.jwtSecretFile)},
        {QStringLiteral("integrator_kind"), textOrNull(p.integratorKind)},
        {QStringLiteral("integrator_url"), urlOrNull(p.integratorUrl)},
        {QStringLiteral("callback_url"), urlOrNull(p.callbackUrl)},
        {QStringLiteral("document_url"), urlOrNull(p.documentUrl)},
        {QStringLiteral("profile_file"), textOrNull(p.sourceFile)},
    };
}

QJsonArray correlationsToJson(const QList<Correlation> &correlations)
{
    QJsonArray out;
    for (const Correlation &c : correlations) {
        out.append(QJsonObject{{QStringLiteral("key"), c.key},
                               {QStringLiteral("value"), c.value},
                               {QStringLiteral("evidence"), QJsonArray::fromStringList(c.evidenceIds)},
                               {QStringLiteral("origins"), QJsonArray::fromStringList(c.origins)},
                               {QStringLiteral("first"), timeOrNull(c.first)},
                               {QStringLiteral("last"), timeOrNull(c.last)}});
    }
    return out;
}

QJsonValue msOrNull(double ms)
{
    return ms >= 0 ? QJsonValue(ms) : QJsonValue();
}

QJsonArray historyToJson(const QList<LatencyHistorySample> &history)
{
    QJsonArray out;
    for (const LatencyHistorySample &s : history) {
        out.append(QJsonObject{{QStringLiteral("link"), s.link},
                               {QStringLiteral("time"), timeOrNull(s.time)},
                               {QStringLiteral("connect_ms"), msOrNull(s.connectMs)},
                               {QStringLiteral("ttfb_ms"), msOrNull(s.ttfbMs)},
                               {QStringLiteral("total_ms"), msOrNull(s.totalMs)}});
    }
    return out;
}

} // namespace

QJsonObject diagnosisToJson(const Diagnosis &d, const QList<LatencyHistorySample> &history)
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
                                 {QStringLiteral("health"), healthName(n.health)},
                                 {QStringLiteral("reason"), n.healthReason}});
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
    const RunInfo run = effectiveRunInfo(d.run);
    QJsonObject root{
        {QStringLiteral("schema"), QStringLiteral("docserver-doctor.diagnosis/1")},
        {QStringLiteral("environment"),
         QJsonObject{{QStringLiteral("tool_version"), run.toolVersion}, {QStringLiteral("host"), run.hostName}}},
        {QStringLiteral("target"),
         redactSecrets(d.profile.name.isEmpty() ? d.profile.publicUrl.toString() : d.profile.name)},
        {QStringLiteral("started"), d.started.toString(Qt::ISODateWithMs)},
        {QStringLiteral("finished"), d.finished.toString(Qt::ISODateWithMs)},
        {QStringLiteral("verdict"), verdict},
        {QStringLiteral("causes"), causes},
        {QStringLiteral("evidence"), evidence},
        {QStringLiteral("path"), path},
        {QStringLiteral("topology"), QJsonObject{{QStringLiteral("nodes"), nodes}, {QStringLiteral("links"), links}}}};
    if (d.run.inputsKnown)
        root.insert(QStringLiteral("inputs"), inputsToJson(d.profile));
    root.insert(QStringLiteral("correlations"), correlationsToJson(d.correlations));
    if (!history.isEmpty())
        root.insert(QStringLiteral("latency_history"), historyToJson(history));
    return redactStrings(root).toObject();
}

QByteArray diagnosisToJsonBytes(const Diagnosis &diagnosis, const QList<LatencyHistorySample> &history)
{
    return QJsonDocument(diagnosisToJson(diagnosis, history)).toJson(QJsonDocument::Indented);
}

} // namespace dd
