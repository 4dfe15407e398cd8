#pragma once

#include "activeprobe.h"

#include <QElapsedTimer>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace dd {

class TcpDialer;
class TlsHandshake;
class TlsVersionSweep;

/**
 * A TLS handshake with OpenSSL directly, so every detail is visible: protocol and cipher, the
 * chain exactly as the server sent it (subject, issuer, validity, SANs of each certificate),
 * whether the name matches, expiry, self-signed, and chain verification the way Node.js (in
 * Document Server) and PHP curl (in Nextcloud) do it: against the system store only, never
 * fetching missing intermediates (AIA) - the "works in the browser, fails server-to-server"
 * case. With ProbeSpec::caFile the chain is also verified against that bundle alone.
 *
 * The handshake accepts TLS 1.0 to 1.3 and verifies nothing while it runs; verification happens
 * afterwards on the received chain, so a bad certificate is a finding, not a failure to look.
 * Target: HOST[:PORT] (default 443) or an https:// URL; the name checked and sent as SNI is
 * ProbeSpec::serverName or the host.
 *
 * Facts: "outcome", "protocol", "cipher", "alpn", "sni", "hostname_match", "expired",
 * "not_yet_valid", "days_left", "self_signed", "chain_length", "chain" (list of {subject,
 * issuer, not_before, not_after, sans, is_ca, self_signed}), "verify_system" ("ok" or OpenSSL's
 * reason), "verify_system_code", "verify_ca_file"/"verify_ca_file_code" (with a CA file),
 * "incomplete_chain", "missing_issuer", "trusted" (verification that counts: the CA file when
 * given, else the system store), and the timings.
 *
 * Unless ProbeSpec::tlsVersionSweep is off, a TlsVersionSweep follows the handshake on the same
 * address, whether it succeeded or failed (then most of all: a server that takes TLS 1.0 only,
 * or whose TLS 1.3 suites share none with ours, shows it there): facts "versions" (name ->
 * accepted, rejected, untestable, error, timed-out), "versions_accepted" and "version_sweep"
 * (list of {version, status, cipher, detail, ms}).
 */
class TlsProbe : public ActiveProbe
{
    Q_OBJECT
public:
    explicit TlsProbe(QObject *parent = nullptr);
    ~TlsProbe() override;

    void start(const ProbeSpec &spec) override;

protected:
    void abort() override;

private:
    void onConnected(qintptr descriptor, double dnsMs, double connectMs);
    void onHandshakeDone();
    void onHandshakeFailed(int sslError, int savedErrno, const QString &openSslReason);
    /// Ends with a failure; `sweepAfter` (a handshake that failed) runs the version sweep first.
    void fail(ProbeOutcome outcome, const QString &error, bool sweepAfter = false);
    void startSweep();
    void onTimeout();
    void complete();

    TcpDialer *m_dialer;
    QTimer *m_timer;
    TlsHandshake *m_handshake;
    TlsVersionSweep *m_sweep;
    bool m_sweepStarted = false;
    QString m_host;
    quint16 m_port = 0;
    QString m_serverName;
    ProbeResult m_result;
    QElapsedTimer m_clock;
};

} // namespace dd
