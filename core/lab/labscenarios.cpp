#include "lab/labscenarios.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace dd {

namespace {

const QHash<QString, LabScenarioSpec::FrontUpstream> &frontUpstreams()
{
    static const QHash<QString, LabScenarioSpec::FrontUpstream> values{
        {QStringLiteral("ds-nginx"), LabScenarioSpec::FrontUpstream::DsNginx},
        {QStringLiteral("refusing-port"), LabScenarioSpec::FrontUpstream::RefusingPort}};
    return values;
}

const QHash<QString, LabScenarioSpec::Docservice> &docserviceStates()
{
    static const QHash<QString, LabScenarioSpec::Docservice> values{
        {QStringLiteral("healthy"), LabScenarioSpec::Docservice::Healthy},
        {QStringLiteral("healthcheck-false"), LabScenarioSpec::Docservice::HealthcheckFalse},
        {QStringLiteral("hang"), LabScenarioSpec::Docservice::Hang},
        {QStringLiteral("not-listening"), LabScenarioSpec::Docservice::NotListening}};
    return values;
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
    // nginx time values only, so that data can never inject configuration.
    static const QRegularExpression timeValue(QStringLiteral("^[1-9][0-9]{0,5}(ms|s|m)?$"));
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
        const QString upstream = object.value(QStringLiteral("frontUpstream")).toString();
        if (!frontUpstreams().contains(upstream)) {
            *error = fieldError(origin, i, QStringLiteral("frontUpstream"),
                                QStringLiteral("'%1' is not ds-nginx or refusing-port").arg(upstream));
            return false;
        }
        spec.frontUpstream = frontUpstreams().value(upstream);
        const QString docservice = object.value(QStringLiteral("docservice")).toString();
        if (!docserviceStates().contains(docservice)) {
            *error = fieldError(
                origin, i, QStringLiteral("docservice"),
                QStringLiteral("'%1' is not healthy, healthcheck-false, hang or not-listening").arg(docservice));
            return false;
        }
        spec.docservice = docserviceStates().value(docservice);
        spec.dsNginxReadTimeout = object.value(QStringLiteral("dsNginxReadTimeout")).toString();
        if (!spec.dsNginxReadTimeout.isEmpty() && !timeValue.match(spec.dsNginxReadTimeout).hasMatch()) {
            *error = fieldError(origin, i, QStringLiteral("dsNginxReadTimeout"),
                                QStringLiteral("'%1' is not an nginx time such as 2s").arg(spec.dsNginxReadTimeout));
            return false;
        }
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

} // namespace dd
