#include "diagnosisjsonreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace dd {

namespace {

Health healthFromName(const QString &name)
{
    if (name == QLatin1String("ok"))
        return Health::Ok;
    if (name == QLatin1String("degraded"))
        return Health::Degraded;
    if (name == QLatin1String("failed"))
        return Health::Failed;
    return Health::Unknown;
}

EvidenceSource sourceFromName(const QString &name)
{
    static const EvidenceSource all[] = {EvidenceSource::Probe,  EvidenceSource::Log,  EvidenceSource::Capture,
                                         EvidenceSource::Config, EvidenceSource::Host, EvidenceSource::User};
    for (EvidenceSource s : all) {
        if (evidenceSourceName(s) == name)
            return s;
    }
    return EvidenceSource::Probe;
}

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &item : v.toArray())
        out << item.toString();
    return out;
}

QUrl urlOf(const QJsonObject &o, const char *key)
{
    return QUrl(o.value(QLatin1String(key)).toString());
}

void readInputs(const QJsonObject &in, Profile *p)
{
    p->publicUrl = urlOf(in, "public_url");
    p->docserverUrl = urlOf(in, "docserver_url");
    const QString docservice = in.value(QStringLiteral("docservice")).toString();
    const qsizetype colon = docservice.lastIndexOf(QLatin1Char(':'));
    if (colon > 0) {
        p->docserviceHost = docservice.left(colon);
        p->docservicePort = quint16(docservice.mid(colon + 1).toUInt());
    }
    p->proxyKind = in.value(QStringLiteral("proxy_kind")).toString();
    p->proxyConfig = in.value(QStringLiteral("proxy_config")).toString();
    p->dsConfig = in.value(QStringLiteral("ds_config")).toString();
    p->dsNginxConfig = in.value(QStringLiteral("ds_nginx_config")).toString();
    p->logFiles = strings(in.value(QStringLiteral("log_files")));
    p->jwtSecretFile = in.value(QStringLiteral("jwt_secret_file")).toString();
    p->integratorKind = in.value(QStringLiteral("integrator_kind")).toString();
    p->integratorUrl = urlOf(in, "integrator_url");
    p->callbackUrl = urlOf(in, "callback_url");
    p->documentUrl = urlOf(in, "document_url");
    p->sourceFile = in.value(QStringLiteral("profile_file")).toString();
}

QDateTime timeOf(const QJsonObject &o, const char *key)
{
    return QDateTime::fromString(o.value(QLatin1String(key)).toString(), Qt::ISODateWithMs);
}

QList<Correlation> readCorrelations(const QJsonArray &items)
{
    QList<Correlation> out;
    for (const QJsonValue &item : items) {
        const QJsonObject o = item.toObject();
        Correlation c;
        c.key = o.value(QStringLiteral("key")).toString();
        c.value = o.value(QStringLiteral("value")).toString();
        c.evidenceIds = strings(o.value(QStringLiteral("evidence")));
        c.origins = strings(o.value(QStringLiteral("origins")));
        c.first = timeOf(o, "first");
        c.last = timeOf(o, "last");
        out << c;
    }
    return out;
}

QList<LatencyHistorySample> readHistory(const QJsonArray &items)
{
    QList<LatencyHistorySample> out;
    for (const QJsonValue &item : items) {
        const QJsonObject o = item.toObject();
        LatencyHistorySample s;
        s.link = o.value(QStringLiteral("link")).toString();
        s.time = timeOf(o, "time");
        s.connectMs = o.value(QStringLiteral("connect_ms")).toDouble(-1);
        s.ttfbMs = o.value(QStringLiteral("ttfb_ms")).toDouble(-1);
        s.totalMs = o.value(QStringLiteral("total_ms")).toDouble(-1);
        if (!s.link.isEmpty() && s.time.isValid())
            out << s;
    }
    return out;
}

} // namespace

bool diagnosisFromJson(const QByteArray &json, const QString &origin, Diagnosis *out, QString *error,
                       QList<LatencyHistorySample> *history)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("%1: not a JSON object (%2)").arg(origin, pe.errorString());
        return false;
    }
    const QJsonObject root = doc.object();
    const QString schema = root.value(QStringLiteral("schema")).toString();
    if (schema != QLatin1String("docserver-doctor.diagnosis/1")) {
        *error = QStringLiteral("%1: schema '%2' is not a saved diagnosis (expected docserver-doctor.diagnosis/1; "
                                "write one with 'diagnose --json FILE')")
                     .arg(origin, schema);
        return false;
    }
    Diagnosis d;
    d.started = QDateTime::fromString(root.value(QStringLiteral("started")).toString(), Qt::ISODateWithMs);
    d.finished = QDateTime::fromString(root.value(QStringLiteral("finished")).toString(), Qt::ISODateWithMs);
    const QJsonObject v = root.value(QStringLiteral("verdict")).toObject();
    const QString status = v.value(QStringLiteral("status")).toString();
    if (status == QLatin1String("problem"))
        d.status = VerdictStatus::Problem;
    else if (status == QLatin1String("healthy"))
        d.status = VerdictStatus::Healthy;
    else if (status == QLatin1String("inconclusive"))
        d.status = VerdictStatus::Inconclusive;
    else {
        *error = QStringLiteral("%1: field 'verdict.status' '%2' is not problem, healthy or inconclusive")
                     .arg(origin, status);
        return false;
    }
    d.causeId = v.value(QStringLiteral("cause")).toString();
    d.confidence = v.value(QStringLiteral("confidence")).toDouble();
    d.hop = v.value(QStringLiteral("hop")).toString();
    d.summary = v.value(QStringLiteral("summary")).toString();
    d.profile.name = root.value(QStringLiteral("target")).toString();
    // Files saved before these fields existed say nothing about where they ran or what they read.
    const QJsonObject environment = root.value(QStringLiteral("environment")).toObject();
    d.run.toolVersion = environment.value(QStringLiteral("tool_version")).toString(QStringLiteral("not recorded"));
    d.run.hostName = environment.value(QStringLiteral("host")).toString(QStringLiteral("not recorded"));
    d.run.inputsKnown = root.value(QStringLiteral("inputs")).isObject();
    if (d.run.inputsKnown)
        readInputs(root.value(QStringLiteral("inputs")).toObject(), &d.profile);

    for (const QJsonValue &item : root.value(QStringLiteral("causes")).toArray()) {
        const QJsonObject o = item.toObject();
        RankedCause c;
        c.id = o.value(QStringLiteral("id")).toString();
        c.title = o.value(QStringLiteral("title")).toString();
        c.confidence = o.value(QStringLiteral("confidence")).toDouble();
        c.hop = o.value(QStringLiteral("hop")).toString();
        c.evidenceIds = strings(o.value(QStringLiteral("evidence")));
        c.reason = o.value(QStringLiteral("reason")).toString();
        c.fix = o.value(QStringLiteral("fix")).toString();
        d.causes << c;
    }
    for (const QJsonValue &item : root.value(QStringLiteral("evidence")).toArray()) {
        const QJsonObject o = item.toObject();
        Evidence e;
        e.id = o.value(QStringLiteral("id")).toString();
        e.source = sourceFromName(o.value(QStringLiteral("source")).toString());
        e.kind = o.value(QStringLiteral("kind")).toString();
        e.time = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
        e.node = o.value(QStringLiteral("node")).toString();
        e.link = o.value(QStringLiteral("link")).toString();
        e.health = healthFromName(o.value(QStringLiteral("health")).toString());
        e.summary = o.value(QStringLiteral("summary")).toString();
        e.detail = o.value(QStringLiteral("detail")).toString();
        e.excerpt = o.value(QStringLiteral("excerpt")).toString();
        e.facts = o.value(QStringLiteral("facts")).toObject().toVariantMap();
        e.latencyMs = o.value(QStringLiteral("latency_ms")).toDouble(-1);
        d.evidence << e;
    }
    for (const QJsonValue &item : root.value(QStringLiteral("path")).toArray()) {
        const QJsonObject o = item.toObject();
        PathStep s;
        s.node = o.value(QStringLiteral("node")).toString();
        s.question = o.value(QStringLiteral("question")).toString();
        s.fact = o.value(QStringLiteral("fact")).toString();
        s.answer = o.value(QStringLiteral("answer")).toString();
        s.evidenceIds = strings(o.value(QStringLiteral("evidence")));
        s.askedUser = o.value(QStringLiteral("ask_user")).toBool();
        s.choices = strings(o.value(QStringLiteral("choices")));
        d.path << s;
    }
    const QJsonObject topology = root.value(QStringLiteral("topology")).toObject();
    QList<TopologyNode> nodes;
    for (const QJsonValue &item : topology.value(QStringLiteral("nodes")).toArray()) {
        const QJsonObject o = item.toObject();
        TopologyNode n;
        n.id = o.value(QStringLiteral("id")).toString();
        n.label = o.value(QStringLiteral("label")).toString();
        const QString kind = o.value(QStringLiteral("kind")).toString();
        for (int k = int(NodeKind::Browser); k <= int(NodeKind::Integrator); ++k) {
            if (nodeKindName(NodeKind(k)) == kind)
                n.kind = NodeKind(k);
        }
        n.address = o.value(QStringLiteral("address")).toString();
        n.health = healthFromName(o.value(QStringLiteral("health")).toString());
        n.healthReason = o.value(QStringLiteral("reason")).toString();
        nodes << n;
    }
    QList<TopologyLink> links;
    for (const QJsonValue &item : topology.value(QStringLiteral("links")).toArray()) {
        const QJsonObject o = item.toObject();
        TopologyLink l;
        l.id = o.value(QStringLiteral("id")).toString();
        l.from = o.value(QStringLiteral("from")).toString();
        l.to = o.value(QStringLiteral("to")).toString();
        l.health = healthFromName(o.value(QStringLiteral("health")).toString());
        l.healthReason = o.value(QStringLiteral("reason")).toString();
        l.lastLatencyMs = o.value(QStringLiteral("latency_ms")).toDouble(-1);
        links << l;
    }
    d.topology = Topology::fromParts(nodes, links);
    d.correlations = readCorrelations(root.value(QStringLiteral("correlations")).toArray());
    if (history)
        *history = readHistory(root.value(QStringLiteral("latency_history")).toArray());
    *out = d;
    return true;
}

} // namespace dd
