#pragma once

#include "logrecordreader.h"
#include "logstreamsource.h"

#include <QStringList>

namespace dd {

/**
 * The journald log of systemd units, through `journalctl -o json` (the journal's files are not
 * read directly: their format is journald's to change). Each entry's MESSAGE is classified in
 * the format its unit writes (ds-docservice/ds-converter: DS log4js; nginx: nginx error log),
 * with the entry's own time where the message has none; continuation lines (a stack trace
 * logged line by line) are joined as in a file. The program is `journalctl`, or DD_JOURNALCTL.
 * Besides this host's journal it reads journal files copied off a server (setFiles, e.g.
 * system@….journal) or a directory of them (setDirectory, e.g. /var/log/journal/MACHINE-ID),
 * followed as they grow; units then filter, and without units every entry is read.
 */
class JournalSource : public ProcessLogSource
{
    Q_OBJECT
public:
    explicit JournalSource(QObject *parent = nullptr);

    void setUnits(const QStringList &units);
    /// Journal files (globs allowed) to read instead of this host's journal.
    void setFiles(const QStringList &files) { m_files = files; }
    /// A directory of journal files to read instead of this host's journal.
    void setDirectory(const QString &directory) { m_directory = directory; }
    /// Follow new entries (journalctl -f) or read those stored and end.
    void setFollow(bool follow) { m_follow = follow; }
    /// journalctl's --since/--until ("2024-10-22 13:00", "-1h", "today").
    void setSince(const QString &since) { m_since = since; }
    void setUntil(const QString &until) { m_until = until; }

    void start() override;

protected:
    void handleOutput(QByteArrayView data) override;
    QString describeExit(int exitCode, const QString &lastError) const override;
    QString label() const override;
    QString notFoundHint() const override;
    void flushOutput() override;

private:
    void handleEntry(QByteArrayView json);
    /// The units, or the journal files or directory when no unit filters them.
    QString describeInput() const;

    QStringList m_units;
    QStringList m_files;
    QString m_directory;
    QString m_since;
    QString m_until;
    bool m_follow = true;
    LogRecordReader m_lines;
    qint64 m_badEntries = 0;
    qint64 m_entries = 0;
};

} // namespace dd
