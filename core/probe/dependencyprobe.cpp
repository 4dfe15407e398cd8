#include "dependencyprobe.h"

#include "plainstream.h"
#include "socketsupport.h"
#include "tcpdialer.h"
#include "util/hostport.h"
#include "util/secretfile.h"

#include <QTimer>

namespace dd {

DependencyProbe::DependencyProbe(QObject *parent)
    : ActiveProbe(parent), m_dialer(new TcpDialer(this)), m_timer(new QTimer(this)), m_stream(new PlainStream(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &DependencyProbe::onTimeout);
    connect(m_dialer, &TcpDialer::connected, this, [this](qintptr descriptor, double dnsMs, double connectMs) {
        m_connected = true;
        m_result.timings.dns = dnsMs;
        m_result.timings.connect = connectMs;
        onConnected(descriptor, dnsMs, connectMs);
    });
    connect(m_dialer, &TcpDialer::failed, this, [this](ProbeOutcome outcome, const QString &error, double dnsMs) {
        m_result.timings.dns = dnsMs;
        complete(outcome, error);
    });
    connect(m_stream, &PlainStream::received, this, [this](const QByteArray &data) {
        if (m_result.timings.ttfb < 0)
            m_result.timings.ttfb = m_stream->firstReadMs(m_clock);
        onBytes(data);
    });
    connect(m_stream, &PlainStream::peerClosed, this, [this](bool reset) { onPeerClosed(reset); });
    connect(m_stream, &PlainStream::failed, this,
            [this](const QString &error) { complete(ProbeOutcome::Error, endpoint() + QStringLiteral(": ") + error); });
}

DependencyProbe::~DependencyProbe() = default;

bool DependencyProbe::beginExchange(const ProbeSpec &spec, quint16 defaultPort, HostPort *target, QByteArray *secret)
{
    beginRun(spec);
    m_result = newResult();
    m_facts.clear();
    m_exchange.clear();
    m_connected = false;
    m_clock.start();
    QString error;
    if (!parseHostPort(spec.target, target, &error, defaultPort) ||
        (!spec.secretFile.isEmpty() && !readSecretFile(spec.secretFile, secret, &error))) {
        complete(ProbeOutcome::Error, error);
        return false;
    }
    return true;
}

void DependencyProbe::dial(const HostPort &target)
{
    m_timer->start(qMax(1, spec().timeoutMs));
    m_dialer->dial(target.host, target.port, spec().connectTimeoutMs);
}

void DependencyProbe::attachStream(qintptr descriptor)
{
    m_stream->attach(descriptor);
}

void DependencyProbe::stopExchange()
{
    m_timer->stop();
    m_dialer->abort();
    m_stream->close();
}

QString DependencyProbe::endpoint() const
{
    return m_dialer->endpoint();
}

void DependencyProbe::onPeerClosed(bool reset)
{
    m_exchange.append(reset ? QStringLiteral("< RST") : QStringLiteral("< FIN"));
    complete(reset ? ProbeOutcome::Reset : ProbeOutcome::ClosedEarly,
             QStringLiteral("%1: the server %2 the connection (%3)")
                 .arg(endpoint(), reset ? QStringLiteral("reset") : QStringLiteral("closed"), stage()));
}

void DependencyProbe::onTimeout()
{
    const int limit = spec().timeoutMs;
    if (m_dialer->isResolving())
        complete(ProbeOutcome::TimedOut, QStringLiteral("name lookup did not finish within %1 ms").arg(limit));
    else if (!m_connected)
        complete(ProbeOutcome::TimedOut,
                 QStringLiteral("%1: no answer to the connection request within %2 ms").arg(endpoint()).arg(limit));
    else
        complete(ProbeOutcome::TimedOut,
                 QStringLiteral("%1: no answer within %2 ms (%3)").arg(endpoint()).arg(limit).arg(stage()));
}

} // namespace dd
