#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

class QObject;

namespace dd {

/**
 * Reads a secret (JWT secret, password) from `path`: the first line, without its line end and
 * surrounding blanks. Files over 64 KiB or empty are refused. On failure returns false and sets
 * `error` to one line naming the file and the reason; the content never appears in it.
 */
bool readSecretFile(const QString &path, QByteArray *secret, QString *error);

/**
 * The first line of `data` without its line end and surrounding blanks, as readSecretFile() takes
 * it from a file; empty when there is none or `data` is over 64 KiB (`error` then says which).
 */
QByteArray secretLine(const QByteArray &data, const QString &source, QString *error);

/// The service name under which the system keychain holds our entries.
inline constexpr char keychainService[] = "docserver-doctor";

/// What a keychain call reports: the secret read (empty for writes), or one line naming the entry,
/// the reason and what to do. The secret never appears in the error.
using KeychainDone = std::function<void(const QByteArray &secret, const QString &error)>;

/**
 * Reads entry `name` of the system keychain (service keychainService; on Linux the Secret Service
 * over D-Bus: GNOME Keyring, KeePassXC, or KWallet on Plasma) and calls `done` once, in
 * `context`'s thread, unless `context` is gone. There is no plain-text fallback. A keychain that
 * does not answer within `timeoutMs` (a locked keyring waiting on its unlock prompt) is an error.
 */
void readKeychainSecret(const QString &name, int timeoutMs, QObject *context, KeychainDone done);
/// Stores `secret` as entry `name`, replacing any; reports as readKeychainSecret() does.
void writeKeychainSecret(const QString &name, const QByteArray &secret, int timeoutMs, QObject *context,
                         KeychainDone done);
/// Removes entry `name`; reports as readKeychainSecret() does.
void deleteKeychainSecret(const QString &name, int timeoutMs, QObject *context, KeychainDone done);

} // namespace dd
