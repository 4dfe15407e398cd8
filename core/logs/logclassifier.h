#pragma once

#include "classifiedline.h"
#include "logformat.h"
#include "logrules.h"
#include "multiliteralmatcher.h"
#include "parsedrecord.h"

#include <QSharedPointer>
#include <QTimeZone>

#include <optional>

namespace dd {

class LocalTimeConverter;
class NginxAccessFormat;

/**
 * Classifies log lines against the rules (resources/logs/rules.json): parses each line in
 * its format (given, or detected per line), runs a one-pass fixed-string prefilter over it,
 * and evaluates only the rules whose literals occur; the first rule that holds decides, and
 * its refinements may narrow the cause by the fields (upstream address, request, code).
 *
 * A value type: copies share the compiled rules; const calls are thread-safe.
 */
class LogClassifier
{
public:
    /// The built-in rules, nginx's combined access format, the machine's time zone.
    LogClassifier();
    /// A classifier with other rules; nothing on a load error (set in `error`).
    static std::optional<LogClassifier> fromRules(const QByteArray &json, const QString &origin, QString *error);

    /// Empty unless the built-in rules failed to load (a packaging error).
    QString loadError() const;
    const LogRuleSet &rules() const;

    /// A custom nginx `log_format` for access-log lines (combined stays as a fallback);
    /// replaces those set before.
    bool setAccessLogFormat(const QString &logFormat, QString *error);
    /// Adds a custom `log_format` (e.g. each one an nginx configuration defines); a line is
    /// parsed with the most specific format it fits. `jsonEscaped`: `escape=json`.
    bool addAccessLogFormat(const QString &logFormat, QString *error, bool jsonEscaped = false);
    void clearAccessLogFormats();
    qsizetype accessLogFormatCount() const;
    /// The zone of timestamps written without one (nginx error log, log4js, Apache...).
    void setTimeZone(const QTimeZone &zone);
    QTimeZone timeZone() const;
    /// A copy whose prefilter is tuned to text like `sample` (the start of a file): same
    /// results, fewer bytes looked at twice.
    LogClassifier tunedFor(QByteArrayView sample) const;

    /// Classifies one line (or a record with continuation lines joined by '\n').
    /// `formatHint` is a format name; empty or "auto" detects the format.
    ClassifiedLine classify(QStringView line, const QString &formatHint = QString()) const;

    // The engine interface the scanners use: no allocation for lines no rule can match.
    struct Verdict
    {
        int rule = -1;
        int outcome = -1;
        bool parsed = false; ///< `record` was parsed (a prefilter hit or alwaysParse)
    };
    struct Scratch
    {
        MultiLiteralMatcher::Hits hits;
        QList<int> candidates;
        QList<QByteArray> owned; ///< backs fields taken from regex captures
    };
    /// With `prefiltered`, scratch->hits already holds the prefilter's result (prefilter2).
    Verdict classifyRecord(QByteArrayView bytes, LogFormat hint, ParsedRecord *record, Scratch *scratch,
                           bool alwaysParse, bool prefiltered = false) const;
    /// Runs the prefilter on two records at once (faster than two calls) into their scratch.
    void prefilter2(QByteArrayView a, QByteArrayView b, Scratch *scratchA, Scratch *scratchB) const;
    ClassifiedLine toClassifiedLine(const ParsedRecord &record, const Verdict &verdict, LocalTimeConverter *time,
                                    const QString &file, qint64 line) const;
    const RuleOutcome &outcome(int index) const;

private:
    struct Engine;
    bool ruleHolds(const LogRule &rule, ParsedRecord *record, Scratch *scratch) const;
    static void rebuildMatcher(Engine *engine, QByteArrayView sample = {});

    QSharedPointer<const Engine> d;
};

} // namespace dd
