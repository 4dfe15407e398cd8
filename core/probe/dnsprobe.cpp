#include "dnsprobe.h"

#include "probeevidence.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QHostAddress>
#include <QPromise>
#include <QThreadPool>
#include <QTimer>
#include <QUrl>

#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <sys/socket.h>

#include <memory>

namespace dd {

DnsProbe::DnsProbe(QObject *parent)
    : ActiveProbe(parent), m_timer(new QTimer(this)), m_watcher(new QFutureWatcher<AddressLookup>(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        ProbeResult result = newResult();
        result.outcome = ProbeOutcome::TimedOut;
        result.error =
            QStringLiteral("name lookup of %1 did not finish within %2 ms").arg(m_name).arg(spec().timeoutMs);
        Evidence evidence;
        evidence.kind = QStringLiteral("dns");
        evidence.time = result.startedAt;
        evidence.health = Health::Failed;
        evidence.summary = QStringLiteral("DNS %1: no answer within %2 ms").arg(m_name).arg(spec().timeoutMs);
        evidence.detail = result.error;
        evidence.facts = {{QStringLiteral("outcome"), probeOutcomeName(result.outcome)},
                          {QStringLiteral("name"), m_name},
                          {QStringLiteral("error_class"), QStringLiteral("timeout")}};
        result.evidence = {evidence};
        finishRun(result);
    });
    connect(m_watcher, &QFutureWatcher<AddressLookup>::finished, this, [this] {
        if (isRunning() && m_watcher->future().resultCount() > 0)
            onLookedUp(m_watcher->future().result());
    });
}

DnsProbe::~DnsProbe()
{
    abort();
}

AddressLookup DnsProbe::lookUp(const QString &name)
{
    AddressLookup lookup;
    QElapsedTimer clock;
    clock.start();
    addrinfo hints = {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *list = nullptr;
    const QByteArray ascii = QUrl::toAce(name);
    errno = 0;
    lookup.status =
        ::getaddrinfo(ascii.isEmpty() ? name.toUtf8().constData() : ascii.constData(), nullptr, &hints, &list);
    lookup.systemError = errno;
    lookup.elapsedMs = double(clock.nsecsElapsed()) / 1e6;
    for (addrinfo *p = list; p; p = p->ai_next) {
        QHostAddress address;
        address.setAddress(p->ai_addr);
        const QString text = address.toString();
        if (!address.isNull() && !lookup.addresses.contains(text))
            lookup.addresses.append(text);
    }
    if (list)
        ::freeaddrinfo(list);
    return lookup;
}

QString DnsProbe::errorClass(int gaiStatus)
{
    switch (gaiStatus) {
    case 0:
        return QStringLiteral("ok");
    case EAI_NONAME:
        return QStringLiteral("not-found");
#ifdef EAI_NODATA
    case EAI_NODATA:
        return QStringLiteral("no-address");
#endif
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY:
        return QStringLiteral("no-address");
#endif
    case EAI_AGAIN:
        return QStringLiteral("temporary");
    case EAI_FAIL:
        return QStringLiteral("failed");
    case EAI_SYSTEM:
        return QStringLiteral("system");
    default:
        return QStringLiteral("other");
    }
}

void DnsProbe::start(const ProbeSpec &spec)
{
    beginRun(spec);
    m_name = spec.target.trimmed();
    m_timer->start(qMax(1, spec.timeoutMs));
    auto promise = std::make_shared<QPromise<AddressLookup>>();
    m_watcher->setFuture(promise->future());
    promise->start();
    // getaddrinfo blocks and cannot be interrupted: it runs on a pool thread, and an abandoned
    // lookup just finishes there unobserved.
    QThreadPool::globalInstance()->start([promise, name = m_name] {
        promise->addResult(lookUp(name));
        promise->finish();
    });
}

void DnsProbe::onLookedUp(const AddressLookup &lookup)
{
    ProbeResult result = newResult();
    result.timings.dns = lookup.elapsedMs;
    result.timings.total = lookup.elapsedMs;
    const QString errorClass = DnsProbe::errorClass(lookup.status);
    QString error;
    if (lookup.status != 0) {
        error = lookup.status == EAI_SYSTEM ? QString::fromLocal8Bit(std::strerror(lookup.systemError))
                                            : QString::fromLocal8Bit(::gai_strerror(lookup.status));
        result.outcome = ProbeOutcome::DnsFailed;
        result.error = QStringLiteral("%1: %2").arg(m_name, error);
    } else {
        result.outcome = ProbeOutcome::Ok;
    }
    QStringList ipv4;
    QStringList ipv6;
    for (const QString &address : lookup.addresses)
        (QHostAddress(address).protocol() == QAbstractSocket::IPv6Protocol ? ipv6 : ipv4).append(address);
    const bool dualLoopback =
        lookup.addresses.contains(QStringLiteral("::1")) && lookup.addresses.contains(QStringLiteral("127.0.0.1"));
    bool loopbackOnly = !lookup.addresses.isEmpty();
    for (const QString &address : lookup.addresses)
        loopbackOnly = loopbackOnly && QHostAddress(address).isLoopback();

    Evidence evidence;
    evidence.kind = QStringLiteral("dns");
    evidence.time = result.startedAt;
    evidence.latencyMs = lookup.elapsedMs;
    evidence.facts = {{QStringLiteral("outcome"), probeOutcomeName(result.outcome)},
                      {QStringLiteral("name"), m_name},
                      {QStringLiteral("addresses"), lookup.addresses},
                      {QStringLiteral("ipv4"), ipv4},
                      {QStringLiteral("ipv6"), ipv6},
                      {QStringLiteral("dns_ms"), msFact(lookup.elapsedMs)},
                      {QStringLiteral("error_class"), errorClass},
                      {QStringLiteral("error"), error},
                      {QStringLiteral("dual_loopback"), dualLoopback},
                      {QStringLiteral("loopback_only"), loopbackOnly}};
    evidence.excerpt = lookup.status == 0
                           ? QStringLiteral("%1 -> %2").arg(m_name, lookup.addresses.join(QStringLiteral(", ")))
                           : QStringLiteral("getaddrinfo(%1): %2").arg(m_name, error);
    QStringList detail;
    if (lookup.status == 0) {
        evidence.health = Health::Ok;
        evidence.summary = QStringLiteral("DNS %1 -> %2 in %3")
                               .arg(m_name, lookup.addresses.join(QStringLiteral(", ")), formatMs(lookup.elapsedMs));
        if (dualLoopback)
            detail.append(QStringLiteral("%1 resolves to both ::1 and 127.0.0.1: a proxy upstream named so may use "
                                         "either, so a backend listening on one family only fails half the time")
                              .arg(m_name));
    } else {
        evidence.health = Health::Failed;
        evidence.summary = QStringLiteral("DNS %1 does not resolve (%2): %3").arg(m_name, errorClass, error);
    }
    detail.append(QStringLiteral("resolved with getaddrinfo (hosts file and resolver, as nginx and Node.js do) in %1")
                      .arg(formatMs(lookup.elapsedMs)));
    evidence.detail = detail.join(QLatin1Char('\n'));
    result.evidence = {evidence};
    finishRun(result);
}

void DnsProbe::abort()
{
    m_timer->stop();
    // Forget the running lookup; its result will not be delivered.
    m_watcher->setFuture(QFuture<AddressLookup>());
}

} // namespace dd
