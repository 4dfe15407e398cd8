#include "lab/labscenarios.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <functional>

namespace dd {

namespace {

using Spec = LabScenarioSpec;

template <typename E> using Names = QList<QPair<QString, E>>;

const Names<Spec::FrontUpstream> &frontUpstreams()
{
    static const Names<Spec::FrontUpstream> values{
        {QStringLiteral("ds-nginx"), Spec::FrontUpstream::DsNginx},
        {QStringLiteral("refusing-port"), Spec::FrontUpstream::RefusingPort},
        {QStringLiteral("docservice"), Spec::FrontUpstream::Docservice},
        {QStringLiteral("blackhole"), Spec::FrontUpstream::Blackhole},
        {QStringLiteral("ds-nginx-tls"), Spec::FrontUpstream::DsNginxTls},
        {QStringLiteral("other-loopback"), Spec::FrontUpstream::OtherLoopback},
        {QStringLiteral("dual-stack"), Spec::FrontUpstream::DualStack},
        {QStringLiteral("resolver"), Spec::FrontUpstream::Resolver}};
    return values;
}

const Names<Spec::Docservice> &docserviceStates()
{
    static const Names<Spec::Docservice> values{
        {QStringLiteral("healthy"), Spec::Docservice::Healthy},
        {QStringLiteral("healthcheck-false"), Spec::Docservice::HealthcheckFalse},
        {QStringLiteral("hang"), Spec::Docservice::Hang},
        {QStringLiteral("not-listening"), Spec::Docservice::NotListening},
        {QStringLiteral("close"), Spec::Docservice::Close},
        {QStringLiteral("reset"), Spec::Docservice::Reset},
        {QStringLiteral("oversized-headers"), Spec::Docservice::OversizedHeaders}};
    return values;
}

const Names<Spec::Dependency> &dependencyStates()
{
    static const Names<Spec::Dependency> values{{QStringLiteral("refused"), Spec::Dependency::Refused},
                                                {QStringLiteral("running"), Spec::Dependency::Running},
                                                {QStringLiteral("old-schema"), Spec::Dependency::OldSchema}};
    return values;
}

const Names<Spec::Storage> &storageKinds()
{
    static const Names<Spec::Storage> values{{QStringLiteral("http"), Spec::Storage::Http},
                                             {QStringLiteral("https"), Spec::Storage::Https},
                                             {QStringLiteral("refused"), Spec::Storage::Refused},
                                             {QStringLiteral("blackhole"), Spec::Storage::Blackhole},
                                             {QStringLiteral("container"), Spec::Storage::Container}};
    return values;
}

template <typename E> QStringList namesOf(const Names<E> &names)
{
    QStringList list;
    for (const auto &entry : names)
        list.append(entry.first);
    return list;
}

// One field of a scenario: how to read it into a spec. Returns an error reason, or empty.
using FieldReader = std::function<QString(const QJsonValue &, Spec *)>;

template <typename E> FieldReader enumField(const Names<E> &names, E Spec::*member)
{
    return [&names, member](const QJsonValue &value, Spec *spec) {
        for (const auto &entry : names) {
            if (entry.first == value.toString()) {
                spec->*member = entry.second;
                return QString();
            }
        }
        return QStringLiteral("'%1' is not one of %2").arg(value.toString(), namesOf(names).join(QStringLiteral(", ")));
    };
}

// Strings end up in nginx configs: only a safe alphabet is accepted, so data can never inject configuration.
FieldReader textField(QString Spec::*member, const QString &pattern)
{
    return [member, pattern](const QJsonValue &value, Spec *spec) {
        const QRegularExpression valid(QStringLiteral("^(?:%1)$").arg(pattern));
        if (!value.isString() || !valid.match(value.toString()).hasMatch())
            return QStringLiteral("'%1' does not match %2").arg(value.toVariant().toString(), pattern);
        spec->*member = value.toString();
        return QString();
    };
}

FieldReader boolField(bool Spec::*member)
{
    return [member](const QJsonValue &value, Spec *spec) {
        if (!value.isBool())
            return QStringLiteral("not true or false");
        spec->*member = value.toBool();
        return QString();
    };
}

FieldReader intField(int Spec::*member, int minimum, int maximum)
{
    return [member, minimum, maximum](const QJsonValue &value, Spec *spec) {
        const int number = value.toInt(minimum - 1);
        if (!value.isDouble() || number < minimum || number > maximum)
            return QStringLiteral("not a whole number from %1 to %2").arg(minimum).arg(maximum);
        spec->*member = number;
        return QString();
    };
}

const QHash<QString, FieldReader> &fieldReaders()
{
    const QString time = QStringLiteral("[1-9][0-9]{0,5}(ms|s|m)?");
    const QString token = QStringLiteral("[A-Za-z0-9_.-]{1,64}");
    static const QHash<QString, FieldReader> readers{
        {QStringLiteral("frontUpstream"), enumField(frontUpstreams(), &Spec::frontUpstream)},
        {QStringLiteral("docservice"), enumField(docserviceStates(), &Spec::docservice)},
        {QStringLiteral("dsNginxReadTimeout"), textField(&Spec::dsNginxReadTimeout, time)},
        {QStringLiteral("frontLocations"), textField(&Spec::frontLocations, QStringLiteral("[a-z-]{1,32}"))},
        {QStringLiteral("frontScheme"), textField(&Spec::frontScheme, QStringLiteral("https?"))},
        {QStringLiteral("frontUpstreamName"), textField(&Spec::frontUpstreamName, token)},
        {QStringLiteral("frontTls"), boolField(&Spec::frontTls)},
        {QStringLiteral("frontApache"), boolField(&Spec::frontApache)},
        {QStringLiteral("apacheProxyHttp"), boolField(&Spec::apacheProxyHttp)},
        {QStringLiteral("frontSslVerify"), boolField(&Spec::frontSslVerify)},
        {QStringLiteral("frontBodyLimit"), textField(&Spec::frontBodyLimit, QStringLiteral("|[1-9][0-9]{0,3}[km]?"))},
        {QStringLiteral("frontConnectTimeout"), textField(&Spec::frontConnectTimeout, time)},
        {QStringLiteral("frontReadTimeout"), textField(&Spec::frontReadTimeout, time)},
        {QStringLiteral("frontAddHeader"),
         textField(&Spec::frontAddHeader, QStringLiteral("[A-Za-z-]{1,40} [A-Za-z-]{1,40}( always)?"))},
        {QStringLiteral("dsNginxBrokenConfig"), boolField(&Spec::dsNginxBrokenConfig)},
        {QStringLiteral("dsNginxLegacyUpstream"), boolField(&Spec::dsNginxLegacyUpstream)},
        {QStringLiteral("dsNginxSecureLinkSecret"), textField(&Spec::dsNginxSecureLinkSecret, token)},
        {QStringLiteral("startupDelayMs"), intField(&Spec::startupDelayMs, 0, 60000)},
        {QStringLiteral("rabbitmq"), enumField(dependencyStates(), &Spec::rabbitmq)},
        {QStringLiteral("postgres"), enumField(dependencyStates(), &Spec::postgres)},
        {QStringLiteral("redis"), enumField(dependencyStates(), &Spec::redis)},
        {QStringLiteral("developerEdition"), boolField(&Spec::developerEdition)},
        {QStringLiteral("portConflict"), boolField(&Spec::portConflict)},
        {QStringLiteral("example"), boolField(&Spec::example)},
        {QStringLiteral("jwtEnabled"), boolField(&Spec::jwtEnabled)},
        {QStringLiteral("dsJwtSecret"), textField(&Spec::dsJwtSecret, token)},
        {QStringLiteral("dsJwtHeader"), textField(&Spec::dsJwtHeader, QStringLiteral("[A-Za-z-]{1,40}"))},
        {QStringLiteral("clockOffsetSecs"), intField(&Spec::clockOffsetSecs, -86400, 86400)},
        {QStringLiteral("allowPrivateIp"), boolField(&Spec::allowPrivateIp)},
        {QStringLiteral("dsSecureLinkSecret"), textField(&Spec::dsSecureLinkSecret, token)},
        {QStringLiteral("downloadTimeoutMs"), intField(&Spec::downloadTimeoutMs, 100, 600000)},
        {QStringLiteral("downloadAttempts"), intField(&Spec::downloadAttempts, 1, 10)},
        {QStringLiteral("docserviceWorkers"), intField(&Spec::docserviceWorkers, 1, 2)},
        {QStringLiteral("callbackUsers"), intField(&Spec::callbackUsers, 1, 500)},
        {QStringLiteral("storageHeaderBuffer"), textField(&Spec::storageHeaderBuffer, QStringLiteral("[1-9][0-9]?k"))},
        {QStringLiteral("storage"), enumField(storageKinds(), &Spec::storage)},
        {QStringLiteral("documentPath"), textField(&Spec::documentPath, QStringLiteral("[a-z]{1,16}/[a-z.]{1,32}"))},
        {QStringLiteral("callbackPath"), textField(&Spec::callbackPath, QStringLiteral("[a-z-]{1,32}"))},
        {QStringLiteral("integratorJwtSecret"), textField(&Spec::integratorJwtSecret, token)},
        {QStringLiteral("integratorJwtHeader"),
         textField(&Spec::integratorJwtHeader, QStringLiteral("[A-Za-z-]{1,40}"))}};
    return readers;
}

QString fieldError(const QString &origin, int index, const QString &field, const QString &reason)
{
    return QStringLiteral("%1: scenarios[%2] field '%3': %4").arg(origin).arg(index).arg(field, reason);
}

} // namespace

bool parseLabScenarios(const QByteArray &json, const QString &origin, QList<LabScenarioSpec> *specs, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("%1: not valid JSON at offset %2: %3")
                     .arg(origin)
                     .arg(parseError.offset)
                     .arg(parseError.errorString());
        return false;
    }
    const QJsonValue list = document.object().value(QStringLiteral("scenarios"));
    if (!list.isArray()) {
        *error = QStringLiteral("%1: field 'scenarios': missing or not an array").arg(origin);
        return false;
    }
    static const QSet<QString> described{QStringLiteral("id"), QStringLiteral("title"), QStringLiteral("description"),
                                         QStringLiteral("expectedCause")};
    QSet<QString> ids;
    QList<LabScenarioSpec> result;
    const QJsonArray array = list.toArray();
    for (int i = 0; i < array.size(); ++i) {
        const QJsonObject object = array.at(i).toObject();
        LabScenarioSpec spec;
        spec.scenario.id = object.value(QStringLiteral("id")).toString();
        spec.scenario.title = object.value(QStringLiteral("title")).toString();
        spec.scenario.description = object.value(QStringLiteral("description")).toString();
        spec.scenario.expectedCause = object.value(QStringLiteral("expectedCause")).toString();
        if (spec.scenario.id.isEmpty()) {
            *error = fieldError(origin, i, QStringLiteral("id"), QStringLiteral("missing or empty"));
            return false;
        }
        if (ids.contains(spec.scenario.id)) {
            *error =
                fieldError(origin, i, QStringLiteral("id"), QStringLiteral("duplicate '%1'").arg(spec.scenario.id));
            return false;
        }
        ids.insert(spec.scenario.id);
        if (spec.scenario.title.isEmpty()) {
            *error = fieldError(origin, i, QStringLiteral("title"), QStringLiteral("missing or empty"));
            return false;
        }
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (described.contains(it.key()))
                continue;
            const auto reader = fieldReaders().constFind(it.key());
            if (reader == fieldReaders().constEnd()) {
                *error = fieldError(origin, i, it.key(), QStringLiteral("unknown field"));
                return false;
            }
            const QString reason = (*reader)(it.value(), &spec);
            if (!reason.isEmpty()) {
                *error = fieldError(origin, i, it.key(), reason);
                return false;
            }
        }
        if (!object.contains(QStringLiteral("frontUpstream")) || !object.contains(QStringLiteral("docservice"))) {
            *error = fieldError(origin, i, QStringLiteral("frontUpstream/docservice"), QStringLiteral("missing"));
            return false;
        }
        spec.scenario.components = labComponents(spec);
        result.append(spec);
    }
    *specs = result;
    return true;
}

QList<LabScenarioSpec> builtInLabScenarios(QString *error)
{
    const QString path = QStringLiteral(":/lab/scenarios.json");
    QFile file(path);
    QString parseError;
    QList<LabScenarioSpec> specs;
    if (!file.open(QIODevice::ReadOnly))
        parseError = QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
    else
        parseLabScenarios(file.readAll(), path, &specs, &parseError);
    if (error)
        *error = parseError;
    return specs;
}

QStringList labComponents(const LabScenarioSpec &spec)
{
    using F = LabScenarioSpec::FrontUpstream;
    QStringList parts{spec.frontApache ? QStringLiteral("front proxy Apache")
                      : spec.frontTls  ? QStringLiteral("front proxy nginx (TLS)")
                                       : QStringLiteral("front proxy nginx")};
    if (spec.frontUpstream == F::RefusingPort)
        return parts;
    if (spec.frontUpstream == F::Blackhole)
        parts.append(QStringLiteral("full-backlog listener"));
    if (spec.frontUpstream == F::Resolver)
        parts.append(QStringLiteral("DNS responder"));
    parts.append(spec.dsNginxBrokenConfig              ? QStringLiteral("DS nginx (fails to start)")
                 : spec.frontUpstream == F::DsNginxTls ? QStringLiteral("DS nginx (TLS)")
                                                       : QStringLiteral("DS nginx"));
    if (spec.portConflict)
        parts.append(QStringLiteral("foreign app on the docservice port"));
    if (spec.docservice != LabScenarioSpec::Docservice::NotListening)
        parts.append(spec.docserviceWorkers > 1 ? QStringLiteral("%1 docservice simulators").arg(spec.docserviceWorkers)
                                                : QStringLiteral("docservice simulator"));
    if (spec.example)
        parts.append(QStringLiteral("test example"));
    if (spec.postgres == LabScenarioSpec::Dependency::Running ||
        spec.postgres == LabScenarioSpec::Dependency::OldSchema)
        parts.append(QStringLiteral("PostgreSQL"));
    if (spec.redis == LabScenarioSpec::Dependency::Running)
        parts.append(QStringLiteral("Redis"));
    if (spec.rabbitmq == LabScenarioSpec::Dependency::Running)
        parts.append(QStringLiteral("RabbitMQ"));
    if (spec.storage == LabScenarioSpec::Storage::Http || spec.storage == LabScenarioSpec::Storage::Https)
        parts.append(spec.storage == LabScenarioSpec::Storage::Https ? QStringLiteral("storage nginx (TLS)")
                                                                     : QStringLiteral("storage nginx"));
    if (spec.storage == LabScenarioSpec::Storage::Blackhole)
        parts.append(QStringLiteral("full-backlog storage listener"));
    if (spec.storage == LabScenarioSpec::Storage::Container)
        parts.append(QStringLiteral("integrator app in its own network namespace"));
    return parts;
}

bool renderLabTemplate(const QString &resource, const QHash<QString, QString> &values, QByteArray *config,
                       QString *error)
{
    QFile file(resource);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read: %2").arg(resource, file.errorString());
        return false;
    }
    QString text = QString::fromUtf8(file.readAll());
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{([A-Z_]+)\\}\\}"));
    QString rendered;
    qsizetype last = 0;
    for (auto it = placeholder.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        const QString name = match.captured(1);
        if (!values.contains(name)) {
            *error = QStringLiteral("%1: no value for {{%2}}").arg(resource, name);
            return false;
        }
        rendered += QStringView(text).mid(last, match.capturedStart() - last);
        rendered += values.value(name);
        last = match.capturedEnd();
    }
    rendered += QStringView(text).mid(last);
    *config = rendered.toUtf8();
    return true;
}

QString labTemplateSection(const QString &resource, const QString &name)
{
    QFile file(resource);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(file.readAll());
    const QString marker = QStringLiteral("# --- %1 ---\n").arg(name);
    const qsizetype start = text.indexOf(marker);
    if (start < 0)
        return {};
    const qsizetype bodyStart = start + marker.size();
    const qsizetype end = text.indexOf(QStringLiteral("# --- "), bodyStart);
    return text.mid(bodyStart, end < 0 ? -1 : end - bodyStart);
}

} // namespace dd
