#include "tlssession.h"

namespace dd {

QString TlsAlert::text() const
{
    if (encrypted)
        return QStringLiteral("encrypted alert");
    const QString lvl = level == 2 ? QStringLiteral("fatal") : level == 1 ? QStringLiteral("warning")
                                                                           : QStringLiteral("level %1").arg(level);
    return lvl + QLatin1Char(' ') + tlsAlertName(description);
}

bool TlsSession::hasFatalAlert() const
{
    for (const TlsAlert &a : alerts) {
        if (!a.encrypted && a.level == 2)
            return true;
    }
    return false;
}

QString tlsVersionName(quint16 version)
{
    switch (version) {
    case 0x0300:
        return QStringLiteral("SSL 3.0");
    case 0x0301:
        return QStringLiteral("TLS 1.0");
    case 0x0302:
        return QStringLiteral("TLS 1.1");
    case 0x0303:
        return QStringLiteral("TLS 1.2");
    case 0x0304:
        return QStringLiteral("TLS 1.3");
    default:
        return QStringLiteral("0x%1").arg(version, 4, 16, QLatin1Char('0'));
    }
}

QString tlsAlertName(int description)
{
    // RFC 8446 section 6 and RFC 5246 section 7.2.
    static const struct
    {
        int code;
        const char *name;
    } names[] = {{0, "close_notify"},
                 {10, "unexpected_message"},
                 {20, "bad_record_mac"},
                 {21, "decryption_failed"},
                 {22, "record_overflow"},
                 {40, "handshake_failure"},
                 {42, "bad_certificate"},
                 {43, "unsupported_certificate"},
                 {44, "certificate_revoked"},
                 {45, "certificate_expired"},
                 {46, "certificate_unknown"},
                 {47, "illegal_parameter"},
                 {48, "unknown_ca"},
                 {49, "access_denied"},
                 {50, "decode_error"},
                 {51, "decrypt_error"},
                 {70, "protocol_version"},
                 {71, "insufficient_security"},
                 {80, "internal_error"},
                 {86, "inappropriate_fallback"},
                 {90, "user_canceled"},
                 {100, "no_renegotiation"},
                 {109, "missing_extension"},
                 {110, "unsupported_extension"},
                 {112, "unrecognized_name"},
                 {113, "bad_certificate_status_response"},
                 {115, "unknown_psk_identity"},
                 {116, "certificate_required"},
                 {120, "no_application_protocol"}};
    for (const auto &n : names) {
        if (n.code == description)
            return QLatin1String(n.name);
    }
    return QString::number(description);
}

} // namespace dd
