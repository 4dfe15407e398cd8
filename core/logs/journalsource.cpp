#include "journalsource.h"

#include "journalentry.h"

namespace dd {

namespace {

// journalctl -o json writes one object per line; binary MESSAGEs come as arrays of numbers,
// about four bytes of JSON per byte, so an entry may well exceed the 1 MiB a log line may have.
constexpr qsizetype maxEntryBytes = 8 << 20;

} // namespace

JournalSource::JournalSource(QObject *parent) : ProcessLogSource(parent), m_lines(256 << 10, maxEntryBytes)
{
    m_lines.setJoinContinuations(false);
}

void JournalSource::setUnits(const QStringList &units)
{
    m_units.clear();
    for (const QString &u : units)
        m_units << journal::unitName(u);
}

void JournalSource::start()
{
    m_stream.setNumberLines(!m_follow || m_fromStart || !m_since.isEmpty());
    startProcess(QStringLiteral("journalctl"), "DD_JOURNALCTL",
                 journal::journalctlArguments(m_units, m_follow, m_fromStart, m_since, m_until, m_files, m_directory));
}

void JournalSource::handleOutput(QByteArrayView data)
{
    m_lines.append(data);
    LogRecordReader::Record r;
    while (m_lines.next(&r, LogRecordReader::Flush::CompleteLines))
        handleEntry(r.truncated ? QByteArrayView() : r.bytes);
}

void JournalSource::flushOutput()
{
    LogRecordReader::Record r;
    while (m_lines.next(&r, LogRecordReader::Flush::All))
        handleEntry(r.truncated ? QByteArrayView() : r.bytes);
    if (!m_follow && m_entries == 0 && !exitedWithError())
        Q_EMIT problemFound(
            QStringLiteral("journalctl: no entries for %1%2; check the unit names (systemctl "
                           "list-units 'ds-*' 'nginx*') and that the journal is kept")
                .arg(describeInput(), m_since.isEmpty() ? QString() : QStringLiteral(" since %1").arg(m_since)));
}

void JournalSource::handleEntry(QByteArrayView json)
{
    if (json.trimmed().isEmpty() && !json.isNull())
        return;
    JournalEntry entry;
    QString error;
    if (json.isNull() || !journal::parseEntry(json, &entry, &error)) {
        if (m_badEntries++ == 0)
            Q_EMIT problemFound(QStringLiteral("journalctl: %1; skipped (further ones are not reported)")
                                    .arg(json.isNull() ? QStringLiteral("an entry longer than 8 MiB") : error));
        return;
    }
    ++m_entries;
    const QString unit = entry.unit.isEmpty() ? m_units.value(0) : entry.unit;
    QByteArray message = entry.message;
    if (!message.endsWith('\n'))
        message += '\n';
    QVariantMap extra{{QStringLiteral("unit"), unit}};
    if (entry.pid >= 0)
        extra.insert(QStringLiteral("pid"), entry.pid);
    if (!entry.hostname.isEmpty())
        extra.insert(QStringLiteral("host"), entry.hostname);
    feed(QStringLiteral("journal:") + unit, journal::formatForUnit(unit), message, entry.time(), extra);
}

QString JournalSource::describeExit(int exitCode, const QString &lastError) const
{
    if (exitCode == 0)
        return m_follow ? QStringLiteral("journalctl -f ended unexpectedly") : QString();
    QString hint;
    const bool copied = !m_files.isEmpty() || !m_directory.isEmpty();
    if (copied &&
        (lastError.contains(QLatin1String("Failed to open")) || lastError.contains(QLatin1String("ignoring"))))
        hint = QStringLiteral("give journal files (*.journal, as in /var/log/journal/MACHINE-ID/) or a directory of "
                              "them that you can read");
    else if (lastError.contains(QLatin1String("No journal files")))
        hint = QStringLiteral("this host keeps no journal (no systemd?); read the log files instead");
    else if (lastError.contains(QLatin1String("ermission")) || lastError.contains(QLatin1String("not seeing")))
        hint = QStringLiteral("add yourself to the systemd-journal or adm group, or run with sudo");
    else
        hint = QStringLiteral("check the unit names (systemctl list-units 'ds-*' 'nginx*')");
    return QStringLiteral("journalctl %1 exited with status %2: %3; %4")
        .arg(describeInput())
        .arg(exitCode)
        .arg(lastError.isEmpty() ? QStringLiteral("no message") : lastError, hint);
}

QString JournalSource::describeInput() const
{
    QStringList parts = m_units;
    if (!m_files.isEmpty())
        parts << QStringLiteral("--file %1").arg(m_files.join(QLatin1Char(' ')));
    if (!m_directory.isEmpty())
        parts << QStringLiteral("--directory %1").arg(m_directory);
    return parts.join(QLatin1Char(' '));
}

QString JournalSource::label() const
{
    return QStringLiteral("journalctl");
}

QString JournalSource::notFoundHint() const
{
    return QStringLiteral("this host has no systemd journal to read: read the log files instead "
                          "(logs follow /var/log/onlyoffice/documentserver/*/out.log), or set DD_JOURNALCTL "
                          "to journalctl's path");
}

} // namespace dd
