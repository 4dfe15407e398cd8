#pragma once

#include "config/configerror.h"
#include "model/evidence.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace dd {

enum class LintSeverity { Info, Warning, Error };

QString lintSeverityName(LintSeverity severity);
/// Parses "error", "warning", "info"; returns false for anything else.
bool parseLintSeverity(const QString &text, LintSeverity *severity);

/**
 * One problem a configuration check found: which check, which catalog cause it leads to,
 * where (file:line) and what to change. `excerpt` holds the config line(s) that prove it with
 * their positions, secrets already redacted.
 */
struct LintFinding
{
    QString check; ///< check id (resources/config/checks.json)
    QString cause; ///< catalog cause id, or empty for hygiene checks
    LintSeverity severity = LintSeverity::Warning;
    QString title;       ///< the check's title
    QString message;     ///< what was found here, one line
    QString explanation; ///< why it matters
    QString fix;         ///< what to write instead (a config snippet)
    QString file;
    int line = 0;
    QString context; ///< "server docs.example.com, location /"
    QString excerpt; ///< "file:line: config text" lines
    QString node;    ///< topology node it is about: "proxy", "dsnginx", "docservice", "integrator"
};

/**
 * Where a front proxy (or Document Server's own nginx) sends requests, as configured: one
 * entry per location and upstream server (every server of an `upstream` block).
 */
struct ConfiguredUpstream
{
    QString location; ///< "location /" or "ProxyPass /"
    QString scheme;
    QString host;
    quint16 port = 0;
    QString file;
    int line = 0;
    QString upstream; ///< name of the upstream block, or empty for a direct proxy_pass
    bool backup = false;
    QString role;           ///< "front-proxy" or "ds-nginx"
    bool docServer = false; ///< the location serves Document Server
};

/// An address Document Server's own configuration names (database, broker, cache, integrator).
struct ConfiguredEndpoint
{
    QString role; ///< "docservice", "database", "rabbitmq", "redis", "integrator", "docserver-public", ...
    QString scheme;
    QString host;
    quint16 port = 0;
    QString file;
    int line = 0;
};

/// Everything one lint run found.
struct LintResult
{
    QStringList inputs;
    ConfigErrorList errors;
    QList<LintFinding> findings;
    QList<ConfiguredUpstream> upstreams;
    QList<ConfiguredEndpoint> endpoints;

    bool hasFindings(LintSeverity severity) const;
    int count(LintSeverity severity) const;
    /// An input could not be read at all (missing, unreadable, too large, not the right format).
    bool hasFatalError() const;
    void append(const LintResult &other);
    /// Orders findings by severity (errors first), then file and line; drops exact duplicates.
    void normalize();
};

/**
 * The findings as evidence for the diagnosis: source Config, kind "lint", excerpt the config
 * line(s) with file:line, facts {"cause": id, "config.<check>": true}.
 */
EvidenceList configEvidence(const LintResult &result);

} // namespace dd

Q_DECLARE_METATYPE(dd::LintResult)
