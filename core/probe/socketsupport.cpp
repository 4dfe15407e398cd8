#include "socketsupport.h"

#include "util/hostport.h"

#include <QNetworkInterface>

namespace dd {

QString addressText(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::IPv4Protocol)
        return address.toString();
    QHostAddress plain(address);
    // An IPv4-mapped IPv6 address reads better as IPv4.
    bool isV4 = false;
    const quint32 v4 = plain.toIPv4Address(&isV4);
    if (isV4)
        return QHostAddress(v4).toString();
    return plain.toString();
}

QString endpointText(const QHostAddress &address, quint16 port)
{
    return formatHostPort(addressText(address), port);
}

QList<QHostAddress> loopbackAddressesFor(const QString &host)
{
    const QString name = host.endsWith(QLatin1Char('.')) ? host.chopped(1) : host;
    if (name.compare(QLatin1String("localhost"), Qt::CaseInsensitive) != 0 &&
        !name.endsWith(QLatin1String(".localhost"), Qt::CaseInsensitive))
        return {};
    QList<QHostAddress> result;
    if (QNetworkInterface::allAddresses().contains(QHostAddress(QHostAddress::LocalHostIPv6)))
        result.append(QHostAddress(QHostAddress::LocalHostIPv6));
    result.append(QHostAddress(QHostAddress::LocalHost));
    return result;
}

} // namespace dd
