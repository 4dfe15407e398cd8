#pragma once

#include "classifiedline.h"
#include "logformat.h"

#include <QByteArray>
#include <QList>
#include <QRegularExpression>
#include <QString>

namespace dd {

struct ParsedRecord;

/// A test on one field of a parsed line ("upstream_addr in [127.0.0.1:8000, ...]").
struct RuleCondition
{
    enum class Op { In, Prefix, Suffix, Contains, NotContains, Exists, Missing, Regex };
    QByteArray field; ///< a parsed or extracted field, or "message", "record", "level"
    Op op = Op::Exists;
    QList<QByteArray> values;
    QRegularExpression regex;

    bool holds(const ParsedRecord &record) const;
};

/// Copies the text after `after` up to the first byte of `until` into field `name`; or, with a
/// regex, its named groups into fields of those names (e.g. a list's last element and the rest).
struct RuleExtractor
{
    QByteArray name;
    QByteArray from = "message";
    QByteArray after;
    QByteArray until;
    QRegularExpression regex;
    QList<QByteArray> regexGroups; ///< per capture group: its name, empty for unnamed groups
};

/// What a rule concludes: a catalog cause, a symptom, or a health signal.
struct RuleOutcome
{
    LineKind kind = LineKind::Unclassified;
    QString id; ///< cause id or signal id
};

struct RuleRefinement
{
    QList<RuleCondition> when;
    int outcome = -1;
};

/// One classification rule of resources/logs/rules.json.
struct LogRule
{
    QString id;
    QString description;
    quint32 formats = 0; ///< bit per LogFormat; lines of format Text are tried against every rule
    int outcome = -1;
    QList<QByteArray> any;  ///< prefilter: at least one must occur in the record
    QList<QByteArray> all;  ///< every one must occur
    QList<QByteArray> none; ///< none may occur
    QList<int> errnos;
    QList<int> statuses;
    /// An access-log variable the rule reads ("upstream_status"): its literals are searched
    /// only once a log_format that has it is loaded (combined has none, and short literals
    /// would slow the prefilter for every line).
    QByteArray logFormatVariable;
    QList<RuleCondition> where;
    QRegularExpression regex; ///< on the message; named groups become fields
    QList<QByteArray> regexGroups;
    QList<RuleExtractor> extract;
    QList<RuleRefinement> refine;

    bool appliesTo(LogFormat format) const
    {
        return format == LogFormat::Text || (formats & (1u << unsigned(format))) != 0;
    }
};

/// The classification rules: data, loaded from JSON and checked on load.
class LogRuleSet
{
public:
    /// Loads rules; on failure returns false and sets `error` to one line naming the input
    /// and the rule.
    bool load(const QByteArray &json, const QString &origin, QString *error);
    /// The rules shipped in the resources (":/logs/rules.json").
    static LogRuleSet builtIn(QString *error = nullptr);

    const QList<LogRule> &rules() const { return m_rules; }
    const QList<RuleOutcome> &outcomes() const { return m_outcomes; }
    /// Every cause id the rules (and their refinements) can conclude.
    QStringList causeIds() const;

private:
    int addOutcome(LineKind kind, const QString &id);

    QList<LogRule> m_rules;
    QList<RuleOutcome> m_outcomes;
};

} // namespace dd
