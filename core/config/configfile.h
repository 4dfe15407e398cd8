#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace dd {

/**
 * Reads a configuration file of at most `maxBytes` bytes. Devices and pipes are read up to the
 * limit too, so /dev/zero cannot hang us. On failure returns false and sets `error` to one line
 * naming the file ("cannot open FILE: reason", "FILE is too large ...").
 */
bool readConfigFile(const QString &path, qint64 maxBytes, QByteArray *text, QString *error);

/// Expands a shell glob like glob(3) does for nginx and Apache (sorted; no match is no error).
/// Sets `error` only when the expansion itself fails.
QStringList expandGlob(const QString &pattern, QString *error);

} // namespace dd
