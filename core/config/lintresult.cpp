#include "config/lintresult.h"

#include <QSet>

#include <algorithm>

namespace dd {

QString lintSeverityName(LintSeverity severity)
{
    switch (severity) {
    case LintSeverity::Info:
        return QStringLiteral("info");
    case LintSeverity::Warning:
        return QStringLiteral("warning");
    case LintSeverity::Error:
        return QStringLiteral("error");
    }
    return {};
}

bool parseLintSeverity(const QString &text, LintSeverity *severity)
{
    for (LintSeverity s : {LintSeverity::Info, LintSeverity::Warning, LintSeverity::Error}) {
        if (text == lintSeverityName(s)) {
            *severity = s;
            return true;
        }
    }
    return false;
}

bool LintResult::hasFindings(LintSeverity severity) const
{
    return count(severity) > 0;
}

int LintResult::count(LintSeverity severity) const
{
    return int(std::count_if(findings.cbegin(), findings.cend(),
                             [severity](const LintFinding &f) { return f.severity == severity; }));
}

bool LintResult::hasFatalError() const
{
    return std::any_of(errors.cbegin(), errors.cend(), [](const ConfigError &e) { return e.fatal; });
}

void LintResult::append(const LintResult &other)
{
    inputs += other.inputs;
    errors += other.errors;
    findings += other.findings;
    upstreams += other.upstreams;
    endpoints += other.endpoints;
}

void LintResult::normalize()
{
    QSet<QString> seen;
    QList<LintFinding> unique;
    for (const LintFinding &f : std::as_const(findings)) {
        const QString key = f.check + QLatin1Char('\n') + f.file + QLatin1Char('\n') + QString::number(f.line) +
                            QLatin1Char('\n') + f.message;
        if (seen.contains(key))
            continue;
        seen.insert(key);
        unique.append(f);
    }
    std::stable_sort(unique.begin(), unique.end(), [](const LintFinding &a, const LintFinding &b) {
        if (a.severity != b.severity)
            return a.severity > b.severity;
        if (a.file != b.file)
            return a.file < b.file;
        return a.line < b.line;
    });
    findings = unique;
}

EvidenceList configEvidence(const LintResult &result)
{
    EvidenceList out;
    QSet<QString> ids;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const LintFinding &f : result.findings) {
        Evidence e;
        QString id = QStringLiteral("config.%1@%2:%3").arg(f.check, f.file).arg(f.line);
        for (int n = 2; ids.contains(id); ++n)
            id = QStringLiteral("config.%1@%2:%3#%4").arg(f.check, f.file).arg(f.line).arg(n);
        ids.insert(id);
        e.id = id;
        e.source = EvidenceSource::Config;
        e.kind = QStringLiteral("lint");
        e.time = now;
        e.node = f.node;
        switch (f.severity) {
        case LintSeverity::Error:
            e.health = Health::Failed;
            break;
        case LintSeverity::Warning:
            e.health = Health::Degraded;
            break;
        case LintSeverity::Info:
            e.health = Health::Unknown;
            break;
        }
        e.summary = f.message;
        e.detail = f.explanation;
        if (!f.fix.isEmpty())
            e.detail += QLatin1String("\nFix:\n") + f.fix;
        e.excerpt = f.excerpt;
        if (!f.cause.isEmpty())
            e.facts.insert(QStringLiteral("cause"), f.cause);
        e.facts.insert(QStringLiteral("config.") + f.check, true);
        out.append(e);
    }
    return out;
}

} // namespace dd
