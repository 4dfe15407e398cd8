#pragma once

#include "logformat.h"
#include "logtime.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace dd {

/// One entry of `journalctl -o json` output: the fields the log engine uses.
struct JournalEntry
{
    QByteArray message;     ///< MESSAGE, decoded: journald gives a byte array for non-UTF-8 text
    QString unit;           ///< _SYSTEMD_UNIT (or UNIT, or SYSLOG_IDENTIFIER when neither)
    QString identifier;     ///< SYSLOG_IDENTIFIER
    QString hostname;       ///< _HOSTNAME
    qint64 realtimeUs = -1; ///< __REALTIME_TIMESTAMP, microseconds since the epoch (UTC)
    int priority = -1;      ///< PRIORITY, 0 (emerg) .. 7 (debug)
    qint64 pid = -1;        ///< _PID

    logtime::Stamp time() const;
};

namespace journal {

/// Parses one line of `journalctl -o json`. False, with `error`, when it is not a JSON object
/// or has no MESSAGE (a null MESSAGE, which journalctl prints for fields over 4096 bytes
/// without --all, gives an empty message, not an error).
bool parseEntry(QByteArrayView line, JournalEntry *out, QString *error);

/// The format a unit's messages are written in: docservice/converter → DS log4js, nginx → nginx
/// error log, and so on; Auto when the unit says nothing.
LogFormat formatForUnit(QStringView unit);

/// "ds-docservice" → "ds-docservice.service", as `journalctl -u` would match it.
QString unitName(const QString &unit);

/// journalctl's arguments: following (-f, new entries only unless `fromStart`) or reading what
/// is stored (--no-pager), JSON with every field whole (--all), one -u per unit; from journal
/// `files` (--file, globs allowed) or a `directory` of them (--directory) instead of this host's
/// journal when given.
QStringList journalctlArguments(const QStringList &units, bool follow, bool fromStart, const QString &since,
                                const QString &until, const QStringList &files = {},
                                const QString &directory = QString());

} // namespace journal
} // namespace dd
