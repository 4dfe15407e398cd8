#include "logrules.h"

#include "parsedrecord.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace dd {

namespace {

// Shorter literals make the prefilter slide in smaller steps over every line.
constexpr qsizetype minLiteral = 4;

QByteArrayView pseudoField(const ParsedRecord &r, QByteArrayView name)
{
    if (name == "message")
        return r.message;
    if (name == "record")
        return r.record;
    if (name == "body")
        return r.body;
    if (name == "level")
        return r.level;
    return r.field(name);
}

QList<QByteArray> byteStrings(const QJsonValue &v, QString *bad)
{
    QList<QByteArray> out;
    const QJsonArray a = v.isString() ? QJsonArray{v} : v.toArray();
    for (const QJsonValue &item : a) {
        if (!item.isString() || item.toString().isEmpty()) {
            *bad = QStringLiteral("expected non-empty strings");
            return {};
        }
        out << item.toString().toUtf8();
    }
    return out;
}

QList<int> ints(const QJsonValue &v)
{
    QList<int> out;
    const QJsonArray a = v.isDouble() ? QJsonArray{v} : v.toArray();
    for (const QJsonValue &item : a)
        out << item.toInt(-1);
    return out;
}

bool parseConditions(const QJsonValue &value, QList<RuleCondition> *out, QString *why)
{
    const QJsonArray list = value.isObject() ? QJsonArray{value} : value.toArray();
    static const struct
    {
        const char *key;
        RuleCondition::Op op;
    } ops[] = {
        {"in", RuleCondition::Op::In},
        {"equals", RuleCondition::Op::In},
        {"prefix", RuleCondition::Op::Prefix},
        {"suffix", RuleCondition::Op::Suffix},
        {"contains", RuleCondition::Op::Contains},
        {"notContains", RuleCondition::Op::NotContains},
        {"exists", RuleCondition::Op::Exists},
        {"missing", RuleCondition::Op::Missing},
        {"regex", RuleCondition::Op::Regex},
    };
    for (const QJsonValue &item : list) {
        const QJsonObject o = item.toObject();
        RuleCondition c;
        c.field = o.value(QLatin1String("field")).toString().toUtf8();
        if (c.field.isEmpty()) {
            *why = QStringLiteral("a condition without \"field\"");
            return false;
        }
        bool found = false;
        for (const auto &op : ops) {
            const QJsonValue v = o.value(QLatin1String(op.key));
            if (v.isUndefined())
                continue;
            found = true;
            c.op = op.op;
            if (c.op == RuleCondition::Op::Regex) {
                c.regex.setPattern(v.toString());
                if (!c.regex.isValid()) {
                    *why = QStringLiteral("bad regex: %1").arg(c.regex.errorString());
                    return false;
                }
            } else if (c.op != RuleCondition::Op::Exists && c.op != RuleCondition::Op::Missing) {
                c.values = byteStrings(v, why);
                if (c.values.isEmpty())
                    return false;
            }
            break;
        }
        if (!found) {
            *why = QStringLiteral("condition on '%1' has no operator").arg(QString::fromUtf8(c.field));
            return false;
        }
        out->append(c);
    }
    return true;
}

// A regex and the names of its capture groups (empty for unnamed ones), index for index.
bool compileRegex(const QJsonValue &value, QRegularExpression *regex, QList<QByteArray> *groups, QString *why)
{
    regex->setPattern(value.toString());
    if (!value.isString() || !regex->isValid()) {
        *why = QStringLiteral("bad regex: %1")
                   .arg(value.isString() ? regex->errorString() : QStringLiteral("not a string"));
        return false;
    }
    regex->optimize();
    for (const QString &group : regex->namedCaptureGroups())
        groups->append(group.toUtf8());
    return true;
}

} // namespace

bool RuleCondition::holds(const ParsedRecord &r) const
{
    const QByteArrayView v = pseudoField(r, field);
    switch (op) {
    case Op::Exists:
        return !v.isEmpty();
    case Op::Missing:
        return v.isEmpty();
    case Op::Regex:
        return !v.isEmpty() && regex.match(QString::fromUtf8(v)).hasMatch();
    case Op::NotContains:
        for (const QByteArray &x : values) {
            if (bv::contains(v, x))
                return false;
        }
        return true;
    default:
        break;
    }
    for (const QByteArray &x : values) {
        if ((op == Op::In && v == x) || (op == Op::Prefix && v.startsWith(x)) || (op == Op::Suffix && v.endsWith(x)) ||
            (op == Op::Contains && bv::contains(v, x)))
            return true;
    }
    return false;
}

int LogRuleSet::addOutcome(LineKind kind, const QString &id)
{
    for (qsizetype i = 0; i < m_outcomes.size(); ++i) {
        if (m_outcomes.at(i).kind == kind && m_outcomes.at(i).id == id)
            return int(i);
    }
    m_outcomes.append(RuleOutcome{kind, id});
    return int(m_outcomes.size() - 1);
}

bool LogRuleSet::load(const QByteArray &json, const QString &origin, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(origin, why);
        return false;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        return fail(QStringLiteral("not a JSON object (%1)").arg(parseError.errorString()));
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("schema")).toString() != QLatin1String("docserver-doctor.logrules/1"))
        return fail(QStringLiteral("schema is not docserver-doctor.logrules/1"));
    m_rules.clear();
    m_outcomes.clear();
    QSet<QString> ids;
    const QJsonArray rules = root.value(QLatin1String("rules")).toArray();
    for (const QJsonValue &value : rules) {
        const QJsonObject o = value.toObject();
        LogRule rule;
        rule.id = o.value(QLatin1String("id")).toString();
        if (rule.id.isEmpty() || ids.contains(rule.id))
            return fail(QStringLiteral("rule without id, or duplicate id '%1'").arg(rule.id));
        ids.insert(rule.id);
        auto ruleFail = [&](const QString &why) { return fail(QStringLiteral("rule %1: %2").arg(rule.id, why)); };
        rule.description = o.value(QLatin1String("description")).toString();
        for (const QJsonValue &f : o.value(QLatin1String("formats")).toArray()) {
            const auto format = logFormatFromName(f.toString());
            if (!format || *format == LogFormat::Auto)
                return ruleFail(QStringLiteral("unknown format '%1'").arg(f.toString()));
            rule.formats |= 1u << unsigned(*format);
        }
        if (rule.formats == 0)
            return ruleFail(QStringLiteral("no formats"));
        auto outcomeOf = [&](const QJsonObject &obj) {
            if (obj.contains(QLatin1String("cause")))
                return addOutcome(LineKind::Cause, obj.value(QLatin1String("cause")).toString());
            if (obj.contains(QLatin1String("symptom")))
                return addOutcome(LineKind::Symptom, obj.value(QLatin1String("symptom")).toString());
            if (obj.contains(QLatin1String("healthy")))
                return addOutcome(LineKind::Healthy, obj.value(QLatin1String("healthy")).toString());
            return -1;
        };
        rule.outcome = outcomeOf(o);
        if (rule.outcome < 0 || m_outcomes.at(rule.outcome).id.isEmpty())
            return ruleFail(QStringLiteral("needs one of cause, symptom, healthy"));
        const QJsonObject match = o.value(QLatin1String("match")).toObject();
        QString why;
        if (match.contains(QLatin1String("any")) &&
            (rule.any = byteStrings(match.value(QLatin1String("any")), &why)).isEmpty())
            return ruleFail(QStringLiteral("match.any: %1").arg(why));
        if (match.contains(QLatin1String("all")) &&
            (rule.all = byteStrings(match.value(QLatin1String("all")), &why)).isEmpty())
            return ruleFail(QStringLiteral("match.all: %1").arg(why));
        if (match.contains(QLatin1String("none")) &&
            (rule.none = byteStrings(match.value(QLatin1String("none")), &why)).isEmpty())
            return ruleFail(QStringLiteral("match.none: %1").arg(why));
        rule.errnos = ints(match.value(QLatin1String("errno")));
        rule.statuses = ints(match.value(QLatin1String("status")));
        rule.logFormatVariable = match.value(QLatin1String("logFormatVariable")).toString().toUtf8();
        for (const QByteArray &l : std::as_const(rule.any)) {
            if (l.size() < minLiteral)
                return ruleFail(
                    QStringLiteral("literal '%1' is shorter than %2 bytes").arg(QString::fromUtf8(l)).arg(minLiteral));
        }
        if (rule.any.isEmpty() && rule.statuses.isEmpty())
            return ruleFail(QStringLiteral("match needs \"any\" literals (or \"status\" for access logs)"));
        if (match.contains(QLatin1String("where")) &&
            !parseConditions(match.value(QLatin1String("where")), &rule.where, &why))
            return ruleFail(why);
        if (match.contains(QLatin1String("regex")) &&
            !compileRegex(match.value(QLatin1String("regex")), &rule.regex, &rule.regexGroups, &why))
            return ruleFail(why);
        for (const QJsonValue &e : o.value(QLatin1String("extract")).toArray()) {
            const QJsonObject eo = e.toObject();
            RuleExtractor x;
            if (eo.contains(QLatin1String("from")))
                x.from = eo.value(QLatin1String("from")).toString().toUtf8();
            if (eo.contains(QLatin1String("regex"))) {
                if (!compileRegex(eo.value(QLatin1String("regex")), &x.regex, &x.regexGroups, &why))
                    return ruleFail(QStringLiteral("extract: %1").arg(why));
                if (std::all_of(x.regexGroups.cbegin(), x.regexGroups.cend(),
                                [](const QByteArray &g) { return g.isEmpty(); }))
                    return ruleFail(QStringLiteral("extract: regex without named groups"));
                rule.extract << x;
                continue;
            }
            x.name = eo.value(QLatin1String("field")).toString().toUtf8();
            x.after = eo.value(QLatin1String("after")).toString().toUtf8();
            x.until = eo.value(QLatin1String("until")).toString().toUtf8();
            if (x.name.isEmpty() || x.after.isEmpty())
                return ruleFail(QStringLiteral("extract needs \"field\" and \"after\", or \"regex\""));
            rule.extract << x;
        }
        for (const QJsonValue &r : o.value(QLatin1String("refine")).toArray()) {
            const QJsonObject ro = r.toObject();
            RuleRefinement refinement;
            if (!parseConditions(ro.value(QLatin1String("when")), &refinement.when, &why))
                return ruleFail(QStringLiteral("refine: %1").arg(why));
            refinement.outcome = outcomeOf(ro);
            if (refinement.outcome < 0 || refinement.when.isEmpty())
                return ruleFail(QStringLiteral("refine needs \"when\" and one of cause, symptom, healthy"));
            rule.refine << refinement;
        }
        m_rules << rule;
    }
    if (m_rules.isEmpty())
        return fail(QStringLiteral("no rules"));
    return true;
}

LogRuleSet LogRuleSet::builtIn(QString *error)
{
    LogRuleSet set;
    QFile file(QStringLiteral(":/logs/rules.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral(":/logs/rules.json: %1").arg(file.errorString());
        return set;
    }
    set.load(file.readAll(), file.fileName(), error);
    return set;
}

QStringList LogRuleSet::causeIds() const
{
    QStringList out;
    for (const RuleOutcome &o : m_outcomes) {
        if (o.kind == LineKind::Cause && !out.contains(o.id))
            out << o.id;
    }
    return out;
}

} // namespace dd
