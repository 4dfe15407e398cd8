#include "config/configfile.h"

#include "config/configerror.h"

#include <QFile>
#include <QFileInfo>

#include <glob.h>

namespace dd {

QString ConfigError::toString() const
{
    if (file.isEmpty())
        return message;
    if (line <= 0)
        return message.contains(file) ? message : file + QLatin1String(": ") + message;
    return file + QLatin1Char(':') + QString::number(line) + QLatin1String(": ") + message;
}

bool readConfigFile(const QString &path, qint64 maxBytes, QByteArray *text, QString *error)
{
    const QFileInfo info(path);
    if (info.isDir()) {
        *error = QStringLiteral("cannot read %1: it is a directory").arg(path);
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, file.errorString());
        return false;
    }
    if (file.size() > maxBytes) {
        *error = QStringLiteral("%1 is too large (%2 bytes; the limit is %3)").arg(path).arg(file.size()).arg(maxBytes);
        return false;
    }
    *text = file.read(maxBytes + 1);
    if (text->size() > maxBytes) {
        *error = QStringLiteral("%1 is too large (more than %2 bytes)").arg(path).arg(maxBytes);
        text->clear();
        return false;
    }
    return true;
}

QStringList expandGlob(const QString &pattern, QString *error)
{
    QStringList out;
    glob_t result{};
    const QByteArray pat = QFile::encodeName(pattern);
    const int rc = glob(pat.constData(), 0, nullptr, &result);
    if (rc == 0) {
        for (size_t i = 0; i < result.gl_pathc; ++i)
            out.append(QFile::decodeName(result.gl_pathv[i]));
    } else if (rc != GLOB_NOMATCH) {
        *error = QStringLiteral("cannot expand %1 (glob error %2)").arg(pattern).arg(rc);
    }
    globfree(&result);
    return out;
}

} // namespace dd
