#pragma once

#include "config/lintresult.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace dd {

/// The definition of one configuration check (resources/config/checks.json).
struct LintCheck
{
    QString id;
    QString cause; ///< catalog cause id, or empty
    LintSeverity severity = LintSeverity::Warning;
    QString appliesTo; ///< "nginx", "apache", "docserver", "integrator"
    QString title;
    QString explanation;
    QString fix;
};

/// The configuration checks, loaded from JSON, so titles, severities and fixes are data.
class LintCheckCatalog
{
public:
    bool loadFromData(const QByteArray &json, const QString &origin, QString *error);
    /// The checks shipped in the resources (":/config/checks.json").
    static const LintCheckCatalog &builtIn();

    const QList<LintCheck> &checks() const { return m_checks; }
    const LintCheck *check(const QString &id) const;

    /**
     * A finding of check `id` at file:line. The severity is the check's own unless `severity`
     * overrides it (some checks are errors in one setting and hints in another). An unknown
     * id still gives a finding (titled with the id) so a typo cannot hide a problem.
     */
    LintFinding finding(const QString &id, const QString &file, int line, const QString &message,
                        const QString &excerpt, const QString &context = QString(),
                        const LintSeverity *severity = nullptr) const;

private:
    QList<LintCheck> m_checks;
    QHash<QString, qsizetype> m_index;
};

} // namespace dd
