#pragma once

#include <QByteArray>
#include <QString>

namespace dd {

/**
 * Reads a secret (JWT secret, password) from `path`: the first line, without its line end and
 * surrounding blanks. Files over 64 KiB or empty are refused. On failure returns false and sets
 * `error` to one line naming the file and the reason; the content never appears in it.
 */
bool readSecretFile(const QString &path, QByteArray *secret, QString *error);

} // namespace dd
