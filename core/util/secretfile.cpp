#include "util/secretfile.h"

#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>
#include <utility>

namespace dd {

namespace {

constexpr qint64 maxSecretBytes = 64 * 1024;

QString keychainError(const QString &name, QKeychain::Error code, const QString &detail)
{
    const QString reason = detail.simplified();
    switch (code) {
    case QKeychain::EntryNotFound:
        // A locked keyring whose unlock prompt cannot show (ssh, no desktop) looks the same.
        return QStringLiteral("keychain entry '%1' (service %2) was not found: store it with "
                              "'docserver-doctor-cli secret set %1' (the secret on standard input), or unlock "
                              "the keyring that holds it (log in to the desktop, or gnome-keyring-daemon --unlock)")
            .arg(name, QLatin1String(keychainService));
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return QStringLiteral("keychain entry '%1' (service %2): access denied (%3); unlock the keyring and retry")
            .arg(name, QLatin1String(keychainService), reason);
    default:
        return QStringLiteral("keychain entry '%1' (service %2): no system keychain answered (%3); run a Secret "
                              "Service (gnome-keyring-daemon, KeePassXC) in this session's D-Bus, or use a "
                              "secret file instead")
            .arg(name, QLatin1String(keychainService), reason);
    }
}

// Runs `job` once, calling `done` from its finished signal or from the timeout, whichever comes first.
void runKeychainJob(QKeychain::Job *job, const QString &name, int timeoutMs, QObject *context, KeychainDone done)
{
    // Never QKeychain's plain-text QSettings store: a keychain that is not there is an error.
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    job->setKey(name);
    auto reported = std::make_shared<bool>(false);
    QObject::connect(job, &QKeychain::Job::finished, context, [name, reported, done](QKeychain::Job *finished) {
        if (std::exchange(*reported, true))
            return;
        if (finished->error() != QKeychain::NoError) {
            done(QByteArray(), keychainError(name, finished->error(), finished->errorString()));
            return;
        }
        const auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(finished);
        done(read ? read->binaryData() : QByteArray(), QString());
    });
    // The job itself is left to finish (and delete itself) if it ever does: the keychain backend
    // still holds it.
    QTimer::singleShot(timeoutMs, context, [name, timeoutMs, reported, done] {
        if (std::exchange(*reported, true))
            return;
        done(QByteArray(), QStringLiteral("keychain entry '%1' (service %2): the keychain did not answer within %3 "
                                          "ms (a locked keyring waiting for its unlock prompt?); unlock it and retry")
                               .arg(name, QLatin1String(keychainService))
                               .arg(timeoutMs));
    });
    job->start();
}

} // namespace

QByteArray secretLine(const QByteArray &data, const QString &source, QString *error)
{
    if (data.size() > maxSecretBytes) {
        *error = QStringLiteral("%1 is larger than 64 KiB; expected one line").arg(source);
        return QByteArray();
    }
    const qsizetype end = data.indexOf('\n');
    const QByteArray line = (end < 0 ? data : data.left(end)).trimmed();
    if (line.isEmpty())
        *error = QStringLiteral("%1 is empty").arg(source);
    return line;
}

bool readSecretFile(const QString &path, QByteArray *secret, QString *error)
{
    QFile file(path);
    if (QFileInfo(path).isDir()) {
        *error = QStringLiteral("secret file '%1' is a directory").arg(path);
        return false;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read secret file '%1': %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray line =
        secretLine(file.read(maxSecretBytes + 1), QStringLiteral("secret file '%1'").arg(path), error);
    if (line.isEmpty())
        return false;
    *secret = line;
    return true;
}

void readKeychainSecret(const QString &name, int timeoutMs, QObject *context, KeychainDone done)
{
    runKeychainJob(new QKeychain::ReadPasswordJob(QLatin1String(keychainService)), name, timeoutMs, context,
                   std::move(done));
}

void writeKeychainSecret(const QString &name, const QByteArray &secret, int timeoutMs, QObject *context,
                         KeychainDone done)
{
    auto *job = new QKeychain::WritePasswordJob(QLatin1String(keychainService));
    job->setBinaryData(secret);
    runKeychainJob(job, name, timeoutMs, context, std::move(done));
}

void deleteKeychainSecret(const QString &name, int timeoutMs, QObject *context, KeychainDone done)
{
    runKeychainJob(new QKeychain::DeletePasswordJob(QLatin1String(keychainService)), name, timeoutMs, context,
                   std::move(done));
}

} // namespace dd
