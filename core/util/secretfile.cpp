#include "util/secretfile.h"

#include <QFile>
#include <QFileInfo>

namespace dd {

bool readSecretFile(const QString &path, QByteArray *secret, QString *error)
{
    constexpr qint64 maxBytes = 64 * 1024;
    QFile file(path);
    if (QFileInfo(path).isDir()) {
        *error = QStringLiteral("secret file '%1' is a directory").arg(path);
        return false;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read secret file '%1': %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray data = file.read(maxBytes + 1);
    if (data.size() > maxBytes) {
        *error = QStringLiteral("secret file '%1' is larger than 64 KiB; expected one line").arg(path);
        return false;
    }
    const qsizetype end = data.indexOf('\n');
    const QByteArray line = (end < 0 ? data : data.left(end)).trimmed();
    if (line.isEmpty()) {
        *error = QStringLiteral("secret file '%1' is empty").arg(path);
        return false;
    }
    *secret = line;
    return true;
}

} // namespace dd
