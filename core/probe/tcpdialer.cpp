#include "tcpdialer.h"

#include "hostresolver.h"
#include "socketconnector.h"
#include "socketsupport.h"
#include "util/hostport.h"

#include <QTimer>

namespace dd {

TcpDialer::TcpDialer(QObject *parent)
    : QObject(parent), m_resolver(new HostResolver(this)), m_connector(new SocketConnector(this)),
      m_connectTimer(new QTimer(this))
{
    m_connectTimer->setSingleShot(true);
    m_connectTimer->setTimerType(Qt::PreciseTimer);
    connect(m_connectTimer, &QTimer::timeout, this, [this] {
        m_connector->abort();
        attemptFailed(ProbeOutcome::TimedOut,
                      QStringLiteral("no answer to the connection request within %1 ms").arg(m_connectTimeoutMs));
    });
    connect(m_resolver, &HostResolver::lookedUp, this, [this](const QList<QHostAddress> &addresses) {
        m_resolving = false;
        m_dnsMs = elapsedMs(m_clock);
        for (const QHostAddress &address : addresses) {
            const QString text = addressText(address);
            if (!m_addresses.contains(text))
                m_addresses.append(text);
        }
        connectNext();
    });
    connect(m_resolver, &HostResolver::lookupFailed, this, [this](const QString &error) {
        m_resolving = false;
        Q_EMIT failed(ProbeOutcome::DnsFailed, error, elapsedMs(m_clock));
    });
    connect(m_connector, &SocketConnector::connected, this, [this](qintptr descriptor) {
        m_connectTimer->stop();
        Q_EMIT connected(descriptor, m_dnsMs, m_connector->establishedAtMs(m_clock));
    });
    connect(m_connector, &SocketConnector::failed, this,
            [this](ProbeOutcome outcome, const QString &error) { attemptFailed(outcome, error); });
}

TcpDialer::~TcpDialer() = default;

void TcpDialer::dial(const QString &host, quint16 port, int connectTimeoutMs)
{
    abort();
    m_host = host;
    m_port = port;
    m_connectTimeoutMs = qMax(1, connectTimeoutMs);
    m_addresses.clear();
    m_failures.clear();
    m_current.clear();
    m_dnsMs = -1;
    m_firstFailure = ProbeOutcome::Error;
    m_clock.start();
    const QHostAddress literal(host);
    if (!literal.isNull()) {
        // No lookup for an address; the connect result still comes from the event loop.
        m_dnsMs = elapsedMs(m_clock);
        m_addresses.append(addressText(literal));
        connectNext();
        return;
    }
    m_resolving = true;
    m_resolver->lookUp(host, 0);
}

void TcpDialer::abort()
{
    m_resolving = false;
    m_connectTimer->stop();
    m_resolver->cancel();
    m_connector->abort();
}

QString TcpDialer::endpoint() const
{
    return formatHostPort(m_current.isEmpty() ? m_host : m_current, m_port);
}

void TcpDialer::connectNext()
{
    if (m_addresses.isEmpty()) {
        Q_EMIT failed(m_firstFailure, m_failures.join(QLatin1String("; ")), m_dnsMs);
        return;
    }
    m_current = m_addresses.takeFirst();
    m_connectTimer->start(m_connectTimeoutMs);
    m_connector->connectTo(QHostAddress(m_current), m_port);
}

void TcpDialer::attemptFailed(ProbeOutcome outcome, const QString &error)
{
    m_connectTimer->stop();
    if (m_failures.isEmpty())
        m_firstFailure = outcome;
    m_failures.append(endpoint() + QStringLiteral(": ") + error);
    connectNext();
}

} // namespace dd
