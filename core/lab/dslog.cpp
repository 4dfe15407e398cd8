#include "lab/dslog.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace dd {

void appendDsLog(const QString &path, const char *level, const QString &message, const QString &docId)
{
    if (path.isEmpty())
        return;
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return;
    const QString line = QStringLiteral("[%1] [%2] [localhost] [%3] [userId] nodeJS - %4\n")
                             .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")),
                                  QLatin1String(level), docId, message);
    file.write(line.toUtf8());
}

} // namespace dd
