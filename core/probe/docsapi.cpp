#include "docsapi.h"

namespace dd {

QUrl docsApiUrl(const QUrl &base, const QString &path)
{
    QUrl url(base);
    QString prefix = url.path();
    if (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    url.setPath(prefix + path);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

QUrl docsApiCurrentUrl(const QUrl &legacy)
{
    static const struct
    {
        QLatin1String legacy;
        QLatin1String current;
    } moves[] = {{QLatin1String("/coauthoring/CommandService.ashx"), QLatin1String("/command")},
                 {QLatin1String("/ConvertService.ashx"), QLatin1String("/converter")}};
    const QString path = legacy.path();
    for (const auto &move : moves) {
        if (!path.endsWith(move.legacy))
            continue;
        QUrl url(legacy);
        url.setPath(path.left(path.size() - move.legacy.size()) + move.current);
        return url;
    }
    return QUrl();
}

} // namespace dd
