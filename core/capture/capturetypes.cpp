#include "capturetypes.h"

#include <QDateTime>
#include <QHostAddress>

namespace dd {

IpAddress IpAddress::v4(const quint8 *data)
{
    IpAddress a;
    std::memcpy(a.bytes, data, 4);
    return a;
}

IpAddress IpAddress::v6(const quint8 *data)
{
    IpAddress a;
    std::memcpy(a.bytes, data, 16);
    a.isV6 = true;
    return a;
}

IpAddress IpAddress::fromString(const QString &text)
{
    QHostAddress host;
    if (!host.setAddress(text))
        return IpAddress();
    if (host.protocol() == QAbstractSocket::IPv4Protocol) {
        const quint32 v = host.toIPv4Address();
        const quint8 b[4] = {quint8(v >> 24), quint8(v >> 16), quint8(v >> 8), quint8(v)};
        return v4(b);
    }
    const Q_IPV6ADDR v6addr = host.toIPv6Address();
    return v6(v6addr.c);
}

bool IpAddress::isLoopback() const
{
    if (!isV6)
        return bytes[0] == 127;
    static const quint8 one[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return std::memcmp(bytes, one, 16) == 0;
}

QString IpAddress::toString() const
{
    if (!isV6)
        return QStringLiteral("%1.%2.%3.%4").arg(bytes[0]).arg(bytes[1]).arg(bytes[2]).arg(bytes[3]);
    Q_IPV6ADDR v6addr;
    std::memcpy(v6addr.c, bytes, 16);
    return QHostAddress(v6addr).toString();
}

QString Endpoint::toString() const
{
    if (address.isV6)
        return QLatin1Char('[') + address.toString() + QLatin1String("]:") + QString::number(port);
    return address.toString() + QLatin1Char(':') + QString::number(port);
}

QString formatCaptureTime(CaptureTime ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1000000, Qt::UTC).toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString formatCaptureTimeIso(CaptureTime ns)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ns / 1000000, Qt::UTC);
    const qint64 micros = (ns / 1000) % 1000000;
    return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.")) +
           QStringLiteral("%1Z").arg(micros < 0 ? 0 : micros, 6, 10, QLatin1Char('0'));
}

QString formatCaptureDuration(qint64 ns)
{
    const double ms = double(ns) / 1e6;
    if (ms < 1000)
        return QString::number(ms, 'f', ms < 1 ? 3 : ms < 10 ? 2 : 1) + QStringLiteral(" ms");
    return QString::number(ms / 1000, 'f', 2) + QStringLiteral(" s");
}

double captureMs(CaptureTime from, CaptureTime to)
{
    if (from < 0 || to < 0)
        return -1;
    return double(to - from) / 1e6;
}

} // namespace dd
