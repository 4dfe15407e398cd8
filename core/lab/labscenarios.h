#pragma once

#include "lab/lab.h"

#include <QHash>
#include <QList>
#include <QString>

namespace dd {

/// A lab scenario with the topology the lab builds for it (resources/lab/scenarios.json).
struct LabScenarioSpec
{
    enum class FrontUpstream { DsNginx, RefusingPort };
    enum class Docservice { Healthy, HealthcheckFalse, Hang, NotListening };

    LabScenario scenario;
    FrontUpstream frontUpstream = FrontUpstream::DsNginx;
    Docservice docservice = Docservice::Healthy;
    QString dsNginxReadTimeout; ///< nginx time value for P0's proxy_read_timeout, or empty for the default
};

/// Parses scenario JSON; on failure returns false and sets `error` to one line naming `origin`.
bool parseLabScenarios(const QByteArray &json, const QString &origin, QList<LabScenarioSpec> *specs, QString *error);

/// The scenarios shipped in the resources (":/lab/scenarios.json").
QList<LabScenarioSpec> builtInLabScenarios(QString *error = nullptr);

/**
 * Fills an nginx config template: every `{{NAME}}` is replaced by `values[NAME]`. Fails (false,
 * `error` set) when the template cannot be read or names a value that is not given.
 */
bool renderLabTemplate(const QString &resource, const QHash<QString, QString> &values, QByteArray *config,
                       QString *error);

} // namespace dd
