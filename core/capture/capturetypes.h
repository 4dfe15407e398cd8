#pragma once

#include <QHashFunctions>
#include <QString>

#include <cstring>

namespace dd {

/// An IPv4 or IPv6 address as it appeared in a packet (IPv4 uses the first four bytes).
struct IpAddress
{
    quint8 bytes[16] = {};
    bool isV6 = false;

    static IpAddress v4(const quint8 *data)
    {
        IpAddress a;
        std::memcpy(a.bytes, data, 4);
        return a;
    }
    static IpAddress v6(const quint8 *data)
    {
        IpAddress a;
        std::memcpy(a.bytes, data, 16);
        a.isV6 = true;
        return a;
    }
    /// Parses "127.0.0.1" or "::1"; a null (all-zero IPv4) address on failure.
    static IpAddress fromString(const QString &text);

    bool isLoopback() const;
    QString toString() const;

    bool operator==(const IpAddress &other) const
    {
        return isV6 == other.isV6 && std::memcmp(bytes, other.bytes, sizeof bytes) == 0;
    }
    bool operator!=(const IpAddress &other) const { return !(*this == other); }
};

/// An address and a TCP port.
struct Endpoint
{
    IpAddress address;
    quint16 port = 0;

    /// "127.0.0.1:8000", "[::1]:8000"
    QString toString() const;

    bool operator==(const Endpoint &other) const { return port == other.port && address == other.address; }
    bool operator!=(const Endpoint &other) const { return !(*this == other); }
};

/// Capture timestamps are nanoseconds since the Unix epoch, UTC.
using CaptureTime = qint64;

/// "10:02:03.214" (UTC), the form timelines use.
QString formatCaptureTime(CaptureTime ns);
/// "2024-05-01T10:02:03.214567Z"
QString formatCaptureTimeIso(CaptureTime ns);
/// A duration for people: "0.12 ms", "34.5 ms", "2.31 s".
QString formatCaptureDuration(qint64 ns);
/// Milliseconds as a double, or -1 when either time is unknown (< 0).
double captureMs(CaptureTime from, CaptureTime to);

} // namespace dd
