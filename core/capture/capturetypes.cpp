#include "capturetypes.h"

#include <QDateTime>

#include <arpa/inet.h>

namespace dd {

IpAddress IpAddress::fromString(const QString &text)
{
    // inet_pton rather than QHostAddress: capture analysis links no Qt Network.
    const QByteArray latin = text.trimmed().toLatin1();
    quint8 b[16];
    if (::inet_pton(AF_INET, latin.constData(), b) == 1)
        return v4(b);
    if (::inet_pton(AF_INET6, latin.constData(), b) == 1)
        return v6(b);
    return IpAddress();
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
    char text[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET6, bytes, text, sizeof text);
    return QString::fromLatin1(text);
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
