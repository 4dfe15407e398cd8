#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QVariantMap>

namespace dd {

/// What a rule said about a line.
enum class LineKind : quint8 {
    Unclassified, ///< no rule matched
    Cause,        ///< names a catalog cause (causeId)
    Symptom,      ///< a failure without a cause of its own, e.g. an access-log 502 (signal)
    Healthy,      ///< shows health, e.g. docservice "Express server listening on port 8000" (signal)
};

QString lineKindName(LineKind kind);

/// One log record (a line, with a log4js stack trace's continuation lines joined to it),
/// parsed and classified. Secrets are already redacted from `text` and `fields`.
struct ClassifiedLine
{
    QString file;      ///< the path, or "-" for standard input
    qint64 line = 0;   ///< 1-based number of the record's first line; 0 when unknown
    QDateTime timeUtc; ///< invalid when the line carries no time
    QString format;    ///< logFormatName() of the format the line was parsed as
    LineKind kind = LineKind::Unclassified;
    QString causeId; ///< catalog cause id when kind == Cause
    QString signal;  ///< symptom or health signal id when kind is Symptom or Healthy
    QString ruleId;
    QVariantMap fields;
    QString text; ///< the record, capped at a few KiB

    bool isFailure() const { return kind == LineKind::Cause || kind == LineKind::Symptom; }
    /// {file, line, time, format, cause, fields} plus kind, signal and rule when classified,
    /// and text when `withText`.
    QJsonObject toJson(bool withText = false) const;
    /// The same object as one line of compact JSON (keys in the order above), written
    /// directly: the CLI prints millions of them.
    QByteArray toJsonLine(bool withText = false) const;
};

} // namespace dd

Q_DECLARE_METATYPE(dd::ClassifiedLine)
