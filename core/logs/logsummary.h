#pragma once

#include "classifiedline.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace dd {

/// What one file (or standard input) gave a scan.
struct LogFileReport
{
    QString file;
    bool readable = true;
    QString format;     ///< the format most of its lines have, "mixed", or "" when empty
    qint64 lines = 0;   ///< physical lines read
    qint64 records = 0; ///< records (lines with their continuation lines)
    qint64 bytes = 0;
    QStringList problems; ///< one line each, naming the file
};

/// Per cause (or symptom, or health signal): how many lines, and when first and last seen.
struct LogSummaryEntry
{
    LineKind kind = LineKind::Unclassified;
    QString id;
    qint64 count = 0;
    QDateTime first; ///< UTC; invalid when no line had a time
    QDateTime last;
    QMap<QString, qint64> rules; ///< rule id → lines
    QString sampleFile;          ///< where the first line was
    qint64 sampleLine = 0;
};

/// The result of classifying files: counts per cause with first/last time.
struct LogSummary
{
    QList<LogFileReport> files;
    QList<LogSummaryEntry> entries; ///< most lines first
    qint64 records = 0;
    qint64 classified = 0;
    qint64 bytes = 0;

    bool hasFailure() const;
    bool hasUnreadable() const;
    QJsonObject toJson() const;
};

} // namespace dd

Q_DECLARE_METATYPE(dd::LogSummary)
