#include "tlsprobe.h"

#include "probeevidence.h"
#include "socketsupport.h"
#include "tcpdialer.h"
#include "tlscertificates.h"
#include "tlshandshake.h"
#include "tlsversionsweep.h"
#include "util/hostport.h"

#include <QFile>
#include <QHostAddress>
#include <QTimer>
#include <QUrl>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <unistd.h>

namespace dd {

namespace {

constexpr qint64 expiryWarningSecs = 14 * 24 * 3600;

bool isAddressLiteral(const QString &host)
{
    return !QHostAddress(host).isNull();
}

} // namespace

TlsProbe::TlsProbe(QObject *parent)
    : ActiveProbe(parent), m_dialer(new TcpDialer(this)), m_timer(new QTimer(this)),
      m_handshake(new TlsHandshake(this)), m_sweep(new TlsVersionSweep(this))
{
    connect(m_handshake, &TlsHandshake::succeeded, this, &TlsProbe::onHandshakeDone);
    connect(m_handshake, &TlsHandshake::failed, this, &TlsProbe::onHandshakeFailed);
    connect(m_sweep, &TlsVersionSweep::finished, this, &TlsProbe::complete);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &TlsProbe::onTimeout);
    connect(m_dialer, &TcpDialer::connected, this, &TlsProbe::onConnected);
    connect(m_dialer, &TcpDialer::failed, this, [this](ProbeOutcome outcome, const QString &error, double dnsMs) {
        m_result.timings.dns = dnsMs;
        fail(outcome, error);
    });
}

TlsProbe::~TlsProbe()
{
    abort();
}

void TlsProbe::start(const ProbeSpec &spec)
{
    beginRun(spec);
    m_result = newResult();
    m_sweepStarted = false;
    m_clock.start();

    HostPort target;
    QString error;
    if (spec.target.contains(QLatin1String("://"))) {
        const QUrl url(spec.target);
        target.host = url.host();
        target.port = quint16(url.port(443));
        if (target.host.isEmpty())
            error = QStringLiteral("'%1' has no host").arg(spec.target);
    } else {
        parseHostPort(spec.target, &target, &error, 443);
    }
    if (!error.isEmpty()) {
        fail(ProbeOutcome::Error, error);
        return;
    }
    if (!spec.caFile.isEmpty() && !QFile::exists(spec.caFile)) {
        fail(ProbeOutcome::Error, QStringLiteral("CA file '%1' does not exist").arg(spec.caFile));
        return;
    }
    m_host = target.host;
    m_port = target.port;
    m_serverName = spec.serverName.isEmpty() ? target.host : spec.serverName;
    m_timer->start(qMax(1, spec.timeoutMs));
    m_dialer->dial(m_host, m_port, spec.connectTimeoutMs);
}

void TlsProbe::onConnected(qintptr descriptor, double dnsMs, double connectMs)
{
    m_result.timings.dns = dnsMs;
    m_result.timings.connect = connectMs;

    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        ::close(int(descriptor));
        fail(ProbeOutcome::Error, QStringLiteral("OpenSSL: ") + takeOpenSslErrors());
        return;
    }
    // See what the server offers, old protocols included; judging happens afterwards.
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    static const unsigned char alpn[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    SSL_CTX_set_alpn_protos(ctx, alpn, sizeof alpn);
    m_handshake->start(int(descriptor), ctx, m_serverName);
}

void TlsProbe::onHandshakeFailed(int sslError, int savedErrno, const QString &openSslReason)
{
    QString reason = openSslReason;
    ProbeOutcome outcome = ProbeOutcome::TlsFailed;
    if (sslError == SSL_ERROR_SYSCALL && reason.isEmpty()) {
        if (savedErrno == ECONNRESET) {
            outcome = ProbeOutcome::Reset;
            reason = QStringLiteral("the server reset the connection during the TLS handshake");
        } else {
            outcome = ProbeOutcome::ClosedEarly;
            reason = QStringLiteral("the server closed the connection during the TLS handshake");
        }
    } else if (sslError == SSL_ERROR_ZERO_RETURN || reason.contains(QLatin1String("unexpected eof"))) {
        // OpenSSL 3 reports a plain close during the handshake as an "unexpected eof" error.
        outcome = ProbeOutcome::ClosedEarly;
        reason = QStringLiteral("the server closed the connection during the TLS handshake");
    }
    if (reason.contains(QLatin1String("wrong version number")) || reason.contains(QLatin1String("packet length")))
        reason += QStringLiteral(" (the port does not speak TLS: plain HTTP on a TLS port?)");
    fail(outcome, QStringLiteral("%1: TLS handshake failed: %2").arg(m_dialer->endpoint(), reason), true);
}

void TlsProbe::onHandshakeDone()
{
    SSL *ssl = m_handshake->ssl();
    m_result.timings.tls = elapsedMs(m_clock);
    m_result.timings.ttfb = m_result.timings.tls;
    m_result.outcome = ProbeOutcome::Ok;

    QList<X509 *> chain;
    if (STACK_OF(X509) *sent = SSL_get_peer_cert_chain(ssl)) {
        for (int i = 0; i < sk_X509_num(sent); ++i)
            chain.append(sk_X509_value(sent, i));
    }
    QVariantMap facts = m_result.timings.facts();
    const QString protocol = QString::fromLatin1(SSL_get_version(ssl));
    const QString cipher = QString::fromLatin1(SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
    const unsigned char *alpn = nullptr;
    unsigned int alpnLength = 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alpnLength);
    facts.insert(QStringLiteral("outcome"), probeOutcomeName(ProbeOutcome::Ok));
    facts.insert(QStringLiteral("protocol"), protocol);
    facts.insert(QStringLiteral("cipher"), cipher);
    facts.insert(QStringLiteral("alpn"), QString::fromLatin1(reinterpret_cast<const char *>(alpn), int(alpnLength)));
    facts.insert(QStringLiteral("sni"), isAddressLiteral(m_serverName) ? QString() : m_serverName);
    facts.insert(QStringLiteral("peer"), m_dialer->endpoint());
    facts.insert(QStringLiteral("chain_length"), chain.size());

    QVariantList chainFacts;
    QStringList chainLines;
    QList<CertificateInfo> infos;
    for (qsizetype i = 0; i < chain.size(); ++i) {
        const CertificateInfo info = certificateInfo(chain.at(i));
        infos.append(info);
        chainFacts.append(info.toVariant());
        chainLines.append(
            QStringLiteral("%1 s:%2\n  i:%3\n  valid %4 .. %5%6")
                .arg(i)
                .arg(info.subject, info.issuer, info.notBefore, info.notAfter,
                     info.subjectAltNames.isEmpty()
                         ? QString()
                         : QStringLiteral("\n  SAN: ") + info.subjectAltNames.join(QStringLiteral(", "))));
    }
    facts.insert(QStringLiteral("chain"), chainFacts);

    Evidence evidence;
    evidence.kind = QStringLiteral("tls");
    evidence.source = EvidenceSource::Probe;
    evidence.time = m_result.startedAt;
    evidence.latencyMs = m_result.timings.connect - qMax(0.0, m_result.timings.dns);
    evidence.excerpt = QStringLiteral("%1 %2\n").arg(protocol, cipher) + chainLines.join(QLatin1Char('\n'));

    QStringList problems;
    QStringList detail;
    if (chain.isEmpty()) {
        problems.append(QStringLiteral("no certificate sent"));
    } else {
        const CertificateInfo &leaf = infos.constFirst();
        const bool matches = certificateMatchesName(chain.first(), m_serverName);
        facts.insert(QStringLiteral("hostname_match"), matches);
        facts.insert(QStringLiteral("expired"), leaf.secondsLeft < 0);
        facts.insert(QStringLiteral("not_yet_valid"), leaf.secondsToStart > 0);
        facts.insert(QStringLiteral("days_left"), leaf.secondsLeft / 86400);
        facts.insert(QStringLiteral("self_signed"), leaf.selfSigned);
        if (!matches)
            problems.append(QStringLiteral("the certificate is not valid for '%1' (SAN: %2)")
                                .arg(m_serverName, leaf.subjectAltNames.isEmpty()
                                                       ? QStringLiteral("none")
                                                       : leaf.subjectAltNames.join(QStringLiteral(", "))));
        if (leaf.secondsLeft < 0)
            problems.append(QStringLiteral("the certificate expired on %1").arg(leaf.notAfter));
        else if (leaf.secondsToStart > 0)
            problems.append(QStringLiteral("the certificate is not valid before %1").arg(leaf.notBefore));

        QString loadError;
        const ChainVerification system = verifyChain(chain, QString(), &loadError);
        facts.insert(QStringLiteral("verify_system"), system.reason);
        facts.insert(QStringLiteral("verify_system_code"), system.code);
        ChainVerification counted = system;
        if (!spec().caFile.isEmpty()) {
            const ChainVerification withCa = verifyChain(chain, spec().caFile, &loadError);
            facts.insert(QStringLiteral("verify_ca_file"), withCa.reason);
            facts.insert(QStringLiteral("verify_ca_file_code"), withCa.code);
            counted = withCa;
            detail.append(QStringLiteral("verification against the system store: %1").arg(system.reason));
        }
        const bool incomplete = counted.issuerMissing && counted.missingForLeafLike && !leaf.selfSigned;
        facts.insert(QStringLiteral("incomplete_chain"), incomplete);
        facts.insert(QStringLiteral("missing_issuer"),
                     counted.issuerMissing ? QVariant(counted.missingIssuer) : QVariant());
        facts.insert(QStringLiteral("trusted"), counted.code == 0);
        if (leaf.selfSigned && counted.code != 0)
            problems.append(QStringLiteral("the certificate is self-signed and not trusted here"));
        if (!loadError.isEmpty())
            problems.append(loadError);
        else if (counted.code != 0 && !leaf.selfSigned)
            problems.append(QStringLiteral("chain verification%1 failed at depth %2: %3")
                                .arg(spec().caFile.isEmpty() ? QStringLiteral(" (system store, no AIA fetching)")
                                                             : QStringLiteral(" against %1").arg(spec().caFile))
                                .arg(counted.depth)
                                .arg(counted.reason));
        if (incomplete)
            problems.append(QStringLiteral("incomplete chain: the issuer '%1' was not sent; browsers fetch it, "
                                           "Node.js (Document Server) and PHP curl (Nextcloud) do not")
                                .arg(counted.missingIssuer));
        else if (leaf.secondsLeft >= 0 && leaf.secondsLeft < expiryWarningSecs)
            detail.append(QStringLiteral("the certificate expires in %1 days").arg(leaf.secondsLeft / 86400));
        evidence.health = problems.isEmpty() ? (leaf.secondsLeft < expiryWarningSecs ? Health::Degraded : Health::Ok)
                                             : Health::Failed;
    }
    if (chain.isEmpty())
        evidence.health = Health::Failed;
    evidence.facts = facts;
    const QString target = formatHostPort(m_host, m_port);
    evidence.summary =
        problems.isEmpty()
            ? QStringLiteral("TLS %1: %2 %3, certificate for %4 trusted").arg(target, protocol, cipher, m_serverName)
            : QStringLiteral("TLS %1: %2, %3").arg(target, protocol, problems.constFirst());
    detail = problems + detail;
    const QStringList failures = m_dialer->failures();
    for (const QString &failure : failures)
        detail.append(QStringLiteral("connect failed: %1").arg(failure));
    detail.append(
        QStringLiteral("timings since start: dns %1, connect %2, handshake done %3")
            .arg(formatMs(m_result.timings.dns), formatMs(m_result.timings.connect), formatMs(m_result.timings.tls)));
    evidence.detail = detail.join(QLatin1Char('\n'));
    m_result.evidence = {evidence};
    if (spec().tlsVersionSweep)
        return startSweep();
    complete();
}

void TlsProbe::startSweep()
{
    // The same address as the main handshake, so a round-robin name cannot mix two servers.
    const QString address = m_dialer->address();
    m_handshake->release();
    m_sweepStarted = true;
    m_sweep->start(address, m_port, m_serverName, spec().connectTimeoutMs);
}

void TlsProbe::complete()
{
    Evidence &evidence = m_result.evidence.first();
    if (m_sweepStarted) {
        const QList<TlsVersionResult> results = m_sweep->results();
        QVariantMap versions;
        QVariantList list;
        QStringList accepted;
        QStringList lines{QStringLiteral("versions accepted: ") + TlsVersionSweep::summary(results)};
        for (const TlsVersionResult &result : results) {
            versions.insert(result.version, result.status);
            list.append(result.toVariant());
            if (result.status == QLatin1String("accepted"))
                accepted.append(result.version);
            else if (!result.detail.isEmpty())
                lines.append(QStringLiteral("  %1 %2: %3").arg(result.version, result.status, result.detail));
        }
        if (accepted.contains(QLatin1String("TLSv1")) || accepted.contains(QLatin1String("TLSv1.1")))
            lines.append(QStringLiteral("the server still accepts TLS 1.0/1.1 (deprecated by RFC 8996)"));
        if (m_result.outcome != ProbeOutcome::Ok) {
            // Offered every version at once the handshake failed: what each one alone does tells why.
            lines.append(accepted.isEmpty()
                             ? QStringLiteral("no version alone completes a handshake either: the server cannot "
                                              "speak TLS with this client at all (see each version's reason)")
                             : QStringLiteral("offered alone, %1 completes a handshake: the server fails on a "
                                              "hello offering several versions (its cipher suites for the highest "
                                              "version share none with ours, or version intolerance)")
                                   .arg(accepted.join(QStringLiteral(", "))));
            evidence.summary += QStringLiteral("; one version at a time: ") + TlsVersionSweep::summary(results);
        }
        evidence.facts.insert(QStringLiteral("versions"), versions);
        evidence.facts.insert(QStringLiteral("versions_accepted"), accepted);
        evidence.facts.insert(QStringLiteral("version_sweep"), list);
        evidence.detail += QLatin1Char('\n') + lines.join(QLatin1Char('\n'));
    }
    m_result.timings.total = elapsedMs(m_clock);
    evidence.facts.insert(QStringLiteral("total_ms"), msFact(m_result.timings.total));
    finishRun(m_result);
}

void TlsProbe::fail(ProbeOutcome outcome, const QString &error, bool sweepAfter)
{
    m_result.outcome = outcome;
    m_result.error = error;
    m_result.timings.total = elapsedMs(m_clock);
    Evidence evidence;
    evidence.kind = QStringLiteral("tls");
    evidence.time = m_result.startedAt;
    evidence.health = Health::Failed;
    evidence.facts = m_result.timings.facts();
    evidence.facts.insert(QStringLiteral("outcome"), probeOutcomeName(outcome));
    evidence.facts.insert(QStringLiteral("trusted"), false);
    evidence.summary = QStringLiteral("TLS %1: %2").arg(m_result.target, probeOutcomeName(outcome));
    evidence.detail = error;
    evidence.excerpt = error;
    m_result.evidence = {evidence};
    // A failed handshake is when the versions one by one tell most (TLS 1.0 only, no shared suite).
    if (sweepAfter && spec().tlsVersionSweep)
        return startSweep();
    finishRun(m_result);
}

void TlsProbe::onTimeout()
{
    if (m_sweep->isRunning()) {
        // The main handshake is done: report it, with the versions not tried marked timed-out.
        m_sweep->abort();
        complete();
    } else if (m_dialer->isResolving()) {
        fail(ProbeOutcome::TimedOut,
             QStringLiteral("name lookup of %1 did not finish within %2 ms").arg(m_host).arg(spec().timeoutMs));
    } else if (!m_handshake->isActive()) {
        QStringList failures = m_dialer->failures();
        failures.append(QStringLiteral("%1: no answer to the connection request within %2 ms")
                            .arg(m_dialer->endpoint())
                            .arg(spec().timeoutMs));
        fail(ProbeOutcome::TimedOut, failures.join(QLatin1String("; ")));
    } else {
        fail(ProbeOutcome::TimedOut, QStringLiteral("%1: TLS handshake did not finish within %2 ms")
                                         .arg(m_dialer->endpoint())
                                         .arg(spec().timeoutMs));
    }
}

void TlsProbe::abort()
{
    m_timer->stop();
    m_dialer->abort();
    m_sweep->abort();
    m_handshake->release();
}

} // namespace dd
