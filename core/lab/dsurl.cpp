#include "lab/dsurl.h"

#include <QCryptographicHash>
#include <QRegularExpression>

namespace dd::dsurl {

QString baseUrl(const HttpRequest &request)
{
    static const QRegularExpression allowedProto(QStringLiteral("^https?$"), QRegularExpression::CaseInsensitiveOption);
    const QString forwardedProto = QString::fromLatin1(request.header("x-forwarded-proto"));
    QString url = allowedProto.match(forwardedProto).hasMatch() ? forwardedProto : QStringLiteral("http");
    url += QStringLiteral("://");
    const QByteArray forwardedHost = request.header("x-forwarded-host");
    const QByteArray host = request.header("host");
    url += QString::fromUtf8(!forwardedHost.isEmpty() ? forwardedHost
                             : !host.isEmpty()        ? host
                                                      : QByteArray("localhost"));
    url += QString::fromUtf8(request.header("x-forwarded-prefix"));
    if (url.endsWith(QLatin1Char('/')))
        url.chop(1);
    return url;
}

QString signedCacheUrl(const QString &base, const QString &path, const QString &friendlyName, const QByteArray &secret,
                       qint64 expiresSecs)
{
    const QString uri = QStringLiteral("/cache/files/%1/%2").arg(path, friendlyName);
    const QByteArray md5 = QCryptographicHash::hash(QByteArray(QByteArray::number(expiresSecs) + uri.toUtf8() + secret),
                                                    QCryptographicHash::Md5)
                               .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    QString url = base;
    url.replace(QLatin1Char('_'), QStringLiteral("%5f"));
    return url + uri + QStringLiteral("?md5=") + QString::fromLatin1(md5) + QStringLiteral("&expires=") +
           QString::number(expiresSecs) + QStringLiteral("&filename=") + friendlyName;
}

} // namespace dd::dsurl
