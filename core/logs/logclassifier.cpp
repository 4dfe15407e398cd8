#include "logclassifier.h"

#include "logparsers.h"
#include "logredact.h"
#include "logtime.h"
#include "nginxaccessformat.h"

#include <QDate>

#include <algorithm>

namespace dd {

struct LogClassifier::Engine
{
    LogRuleSet rules;
    QString loadError;
    NginxAccessFormat combined = NginxAccessFormat::combined();
    QList<NginxAccessFormat> custom; ///< most specific first
    MultiLiteralMatcher matcher;
    QList<QList<int>> literalRules; ///< per literal id: the rules it triggers, ascending
    QTimeZone zone = QTimeZone::systemTimeZone();
    int referenceYear = QDate::currentDate().year();
};

namespace {

QByteArrayView sourceOf(const ParsedRecord &r, QByteArrayView name)
{
    if (name == "message")
        return r.message;
    if (name == "record")
        return r.record;
    if (name == "body")
        return r.body;
    return r.field(name);
}

// A match's named groups become fields (owned by the scratch); false when it did not match.
bool addCaptures(const QRegularExpressionMatch &m, const QList<QByteArray> &groups, ParsedRecord *r,
                 LogClassifier::Scratch *scratch)
{
    if (!m.hasMatch())
        return false;
    for (qsizetype g = 1; g < groups.size(); ++g) {
        if (groups.at(g).isEmpty() || !m.hasCaptured(int(g)))
            continue;
        scratch->owned.append(m.captured(int(g)).toUtf8());
        r->add(groups.at(g), scratch->owned.constLast());
    }
    return true;
}

} // namespace

LogClassifier::LogClassifier()
{
    auto engine = QSharedPointer<Engine>::create();
    engine->rules = LogRuleSet::builtIn(&engine->loadError);
    rebuildMatcher(engine.data());
    d = engine;
}

std::optional<LogClassifier> LogClassifier::fromRules(const QByteArray &json, const QString &origin, QString *error)
{
    auto engine = QSharedPointer<Engine>::create();
    if (!engine->rules.load(json, origin, error))
        return std::nullopt;
    LogClassifier out;
    out.rebuildMatcher(engine.data());
    out.d = engine;
    return out;
}

QString LogClassifier::loadError() const
{
    return d->loadError;
}

const LogRuleSet &LogClassifier::rules() const
{
    return d->rules;
}

const RuleOutcome &LogClassifier::outcome(int index) const
{
    return d->rules.outcomes().at(index);
}

bool LogClassifier::setAccessLogFormat(const QString &logFormat, QString *error)
{
    clearAccessLogFormats();
    return addAccessLogFormat(logFormat, error);
}

bool LogClassifier::addAccessLogFormat(const QString &logFormat, QString *error, bool jsonEscaped)
{
    auto compiled = NginxAccessFormat::compile(
        logFormat, error, jsonEscaped ? NginxAccessFormat::Escape::Json : NginxAccessFormat::Escape::Default);
    if (!compiled)
        return false;
    if (!compiled->hasVariable("status")) {
        if (error)
            *error = QStringLiteral("log_format '%1' has no $status").arg(logFormat);
        return false;
    }
    auto engine = QSharedPointer<Engine>::create(*d);
    for (const NginxAccessFormat &f : std::as_const(engine->custom)) {
        if (f.source() == compiled->source())
            return true;
    }
    // Each line takes the first format it fits: the most specific one, so that a short format
    // that happens to fit a longer one's lines does not take them.
    const auto at = std::find_if(engine->custom.begin(), engine->custom.end(),
                                 [&](const NginxAccessFormat &f) { return f.specificity() < compiled->specificity(); });
    engine->custom.insert(at, *compiled);
    rebuildMatcher(engine.data());
    d = engine;
    return true;
}

void LogClassifier::clearAccessLogFormats()
{
    if (d->custom.isEmpty())
        return;
    auto engine = QSharedPointer<Engine>::create(*d);
    engine->custom.clear();
    rebuildMatcher(engine.data());
    d = engine;
}

qsizetype LogClassifier::accessLogFormatCount() const
{
    return d->custom.size();
}

void LogClassifier::setTimeZone(const QTimeZone &zone)
{
    auto engine = QSharedPointer<Engine>::create(*d);
    engine->zone = zone;
    d = engine;
}

QTimeZone LogClassifier::timeZone() const
{
    return d->zone;
}

LogClassifier LogClassifier::tunedFor(QByteArrayView sample) const
{
    auto engine = QSharedPointer<Engine>::create(*d);
    rebuildMatcher(engine.data(), sample);
    LogClassifier out = *this;
    out.d = engine;
    return out;
}

void LogClassifier::rebuildMatcher(Engine *e, QByteArrayView sample)
{
    QList<QByteArray> literals;
    e->literalRules.clear();
    auto addLiteral = [&](const QByteArray &literal, int rule) {
        qsizetype id = literals.indexOf(literal);
        if (id < 0) {
            literals << literal;
            e->literalRules.append(QList<int>());
            id = literals.size() - 1;
        }
        if (!e->literalRules[id].contains(rule))
            e->literalRules[id].append(rule);
    };
    const QList<LogRule> &rules = e->rules.rules();
    for (int i = 0; i < rules.size(); ++i) {
        const LogRule &rule = rules.at(i);
        if (!rule.logFormatVariable.isEmpty() &&
            std::none_of(e->custom.cbegin(), e->custom.cend(),
                         [&](const NginxAccessFormat &f) { return f.hasVariable(rule.logFormatVariable); }))
            continue;
        for (const QByteArray &l : rule.any)
            addLiteral(l, i);
        if (rule.any.isEmpty() && (rule.formats & (1u << unsigned(LogFormat::NginxAccess)))) {
            QList<QByteArray> statusLiterals;
            for (int status : rule.statuses) {
                statusLiterals += e->combined.statusLiterals(status);
                for (const NginxAccessFormat &f : std::as_const(e->custom))
                    statusLiterals += f.statusLiterals(status);
            }
            // A status with no text around it in a custom format is too short to search
            // for; such lines are then not seen by the status rules.
            for (const QByteArray &l : std::as_const(statusLiterals)) {
                if (l.size() >= 4)
                    addLiteral(l, i);
            }
        }
    }
    e->matcher.build(literals, sample);
}

void LogClassifier::prefilter2(QByteArrayView a, QByteArrayView b, Scratch *scratchA, Scratch *scratchB) const
{
    scratchA->hits.clear();
    scratchB->hits.clear();
    d->matcher.findAll2(a, b, &scratchA->hits, &scratchB->hits);
}

LogClassifier::Verdict LogClassifier::classifyRecord(QByteArrayView bytes, LogFormat hint, ParsedRecord *r,
                                                     Scratch *scratch, bool alwaysParse, bool prefiltered) const
{
    Verdict verdict;
    if (!prefiltered) {
        scratch->hits.clear();
        d->matcher.findAll(bytes, &scratch->hits);
    }
    if (scratch->hits.isEmpty() && !alwaysParse)
        return verdict;
    scratch->owned.clear();
    r->clear();
    logparse::stripTransportPrefixes(bytes, r, d->referenceYear);
    const int prefixFields = r->fieldCount;
    const logtime::Stamp prefixTime = r->time;
    auto reset = [&] {
        r->fieldCount = prefixFields;
        r->time = prefixTime;
        r->message = r->body;
        r->level = QByteArrayView();
        r->errnum = r->status = -1;
    };
    auto attempt = [&](LogFormat f) {
        reset();
        bool ok;
        if (f == LogFormat::NginxAccess) {
            ok = false;
            // A custom format may itself start with what looks like a transport prefix
            // ("$time_iso8601 $status ..." reads like `docker logs --timestamps`): the whole
            // record is tried first.
            const bool prefixed = r->body.size() != r->record.size();
            for (const NginxAccessFormat &custom : std::as_const(d->custom)) {
                if (prefixed) {
                    reset();
                    if ((ok = custom.parse(r->record, r)))
                        break;
                }
                reset();
                if ((ok = custom.parse(r->body, r)))
                    break;
            }
            if (!ok) {
                reset();
                ok = d->combined.parse(r->body, r);
            }
            r->format = LogFormat::NginxAccess;
        } else {
            ok = logparse::parse(f, r, nullptr);
        }
        if (ok && !r->time.isValid())
            r->time = prefixTime;
        return ok;
    };
    bool ok = hint != LogFormat::Auto && hint != LogFormat::Text && attempt(hint);
    if (!ok) {
        LogFormat detected = logparse::detect(r->body);
        if (detected == LogFormat::Text && !d->custom.isEmpty())
            detected = LogFormat::NginxAccess; // a custom log_format need not look like combined
        ok = detected != LogFormat::Text && attempt(detected);
        if (!ok)
            attempt(LogFormat::Text);
    }
    verdict.parsed = true;
    if (scratch->hits.isEmpty())
        return verdict;
    scratch->candidates.clear();
    for (quint16 hit : std::as_const(scratch->hits))
        scratch->candidates += d->literalRules.at(hit);
    std::sort(scratch->candidates.begin(), scratch->candidates.end());
    const QList<LogRule> &rules = d->rules.rules();
    int last = -1;
    for (int index : std::as_const(scratch->candidates)) {
        if (index == last)
            continue;
        last = index;
        const LogRule &rule = rules.at(index);
        if (!ruleHolds(rule, r, scratch))
            continue;
        verdict.rule = index;
        verdict.outcome = rule.outcome;
        for (const RuleRefinement &refinement : rule.refine) {
            if (std::all_of(refinement.when.begin(), refinement.when.end(),
                            [r](const RuleCondition &c) { return c.holds(*r); })) {
                verdict.outcome = refinement.outcome;
                break;
            }
        }
        break;
    }
    return verdict;
}

bool LogClassifier::ruleHolds(const LogRule &rule, ParsedRecord *r, Scratch *scratch) const
{
    if (!rule.appliesTo(r->format))
        return false;
    for (const QByteArray &x : rule.all) {
        if (!bv::contains(r->record, x))
            return false;
    }
    for (const QByteArray &x : rule.none) {
        if (bv::contains(r->record, x))
            return false;
    }
    if (!rule.errnos.isEmpty() && !rule.errnos.contains(r->errnum))
        return false;
    if (!rule.statuses.isEmpty() && !rule.statuses.contains(r->status))
        return false;
    const int mark = r->fieldCount;
    const qsizetype ownedMark = scratch->owned.size();
    for (const RuleExtractor &x : rule.extract) {
        const QByteArrayView source = sourceOf(*r, x.from);
        if (!x.regexGroups.isEmpty()) {
            if (!source.isEmpty())
                addCaptures(x.regex.match(QString::fromUtf8(source)), x.regexGroups, r, scratch);
            continue;
        }
        const qsizetype at = bv::indexOf(source, x.after);
        if (at < 0)
            continue;
        const qsizetype start = at + x.after.size();
        qsizetype end = start;
        while (end < source.size() && !bv::contains(x.until, source[end]) && source[end] != '\n')
            ++end;
        r->add(x.name, bv::mid(source, start, end - start));
    }
    auto undo = [&] {
        r->fieldCount = mark;
        scratch->owned.resize(ownedMark);
        return false;
    };
    if (!rule.regex.pattern().isEmpty()) {
        if (!addCaptures(rule.regex.match(QString::fromUtf8(r->message)), rule.regexGroups, r, scratch))
            return undo();
    }
    for (const RuleCondition &c : rule.where) {
        if (!c.holds(*r))
            return undo();
    }
    return true;
}

ClassifiedLine LogClassifier::toClassifiedLine(const ParsedRecord &r, const Verdict &verdict, LocalTimeConverter *time,
                                               const QString &file, qint64 line) const
{
    ClassifiedLine out;
    out.file = file;
    out.line = line;
    out.format = logFormatName(r.format);
    const qint64 ms = time->toUtc(r.time);
    if (ms != logtime::none)
        out.timeUtc = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    if (verdict.rule >= 0) {
        const RuleOutcome &o = outcome(verdict.outcome);
        out.kind = o.kind;
        (o.kind == LineKind::Cause ? out.causeId : out.signal) = o.id;
        out.ruleId = d->rules.rules().at(verdict.rule).id;
    }
    for (int i = 0; i < r.fieldCount; ++i) {
        const ParsedRecord::Field &f = r.fields[size_t(i)];
        const QString name = QString::fromUtf8(f.name);
        if (out.fields.contains(name))
            continue; // the first writer wins: a parser's field over a rule's extraction of it
        out.fields.insert(name, logredact::fieldValue(name, f.value, f.jsonEscaped));
    }
    out.text = logredact::text(bv::left(r.record, 4096));
    return out;
}

ClassifiedLine LogClassifier::classify(QStringView line, const QString &formatHint) const
{
    const QByteArray bytes = line.toUtf8();
    LogFormat hint = LogFormat::Auto;
    if (!formatHint.isEmpty())
        hint = logFormatFromName(formatHint).value_or(LogFormat::Auto);
    ParsedRecord record;
    Scratch scratch;
    const Verdict v = classifyRecord(bytes, hint, &record, &scratch, true);
    LocalTimeConverter time(d->zone);
    return toClassifiedLine(record, v, &time, QString(), 0);
}

} // namespace dd
