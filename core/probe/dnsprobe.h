#pragma once

#include "activeprobe.h"

#include <QElapsedTimer>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QTimer;
template <typename T> class QFutureWatcher;
QT_END_NAMESPACE

namespace dd {

/// What one getaddrinfo() call returned.
struct AddressLookup
{
    int status = 0;        ///< getaddrinfo's return value (0 or an EAI_* code)
    int systemError = 0;   ///< errno for EAI_SYSTEM
    QStringList addresses; ///< every address, in the resolver's order, without duplicates
    double elapsedMs = -1;
};

/**
 * Resolves a name the way the system does it (getaddrinfo, so /etc/hosts and nsswitch count),
 * on a worker thread, bounded by the timeout. Reports every IPv4 and IPv6 address and the time
 * taken, and flags a name that resolves to both ::1 and 127.0.0.1 ("localhost"): a proxy whose
 * upstream says localhost may try either, and a backend listening on one family only then fails
 * half of the time.
 *
 * Facts: "outcome", "name", "addresses", "ipv4", "ipv6", "dns_ms", "error_class" (ok, not-found,
 * no-address, temporary, failed, system, other), "error", "dual_loopback", "loopback_only".
 */
class DnsProbe : public ActiveProbe
{
    Q_OBJECT
public:
    explicit DnsProbe(QObject *parent = nullptr);
    ~DnsProbe() override;

    void start(const ProbeSpec &spec) override;

    /// Runs getaddrinfo(`name`) for TCP, any family (blocking).
    static AddressLookup lookUp(const QString &name);
    /// "ok", "not-found" (EAI_NONAME), "no-address" (EAI_NODATA / EAI_ADDRFAMILY), "temporary"
    /// (EAI_AGAIN), "failed" (EAI_FAIL), "system" (EAI_SYSTEM), "other".
    static QString errorClass(int gaiStatus);

protected:
    void abort() override;

private:
    void onLookedUp(const AddressLookup &lookup);

    QTimer *m_timer;
    QFutureWatcher<AddressLookup> *m_watcher;
    QString m_name;
};

} // namespace dd

Q_DECLARE_METATYPE(dd::AddressLookup)
