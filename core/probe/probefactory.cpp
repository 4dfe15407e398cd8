#include "activeprobe.h"
#include "amqpprobe.h"
#include "dnsprobe.h"
#include "docserverprobe.h"
#include "hostprobe.h"
#include "httpprobe.h"
#include "postgresprobe.h"
#include "probeevidence.h"
#include "redisprobe.h"
#include "tcpprobe.h"
#include "tlsprobe.h"
#include "util/hostport.h"
#include "websocketprobe.h"

namespace dd {

namespace {

ProbeTimings timingsOf(const HttpTimings &t)
{
    ProbeTimings timings;
    timings.dns = t.dns;
    timings.connect = t.connect;
    timings.tls = t.tls;
    timings.ttfb = t.ttfb;
    timings.total = t.total;
    return timings;
}

/// TcpProbe behind the common interface.
class TcpCheck : public ActiveProbe
{
public:
    explicit TcpCheck(QObject *parent) : ActiveProbe(parent), m_probe(new TcpProbe(this))
    {
        connect(m_probe, &TcpProbe::finished, this, [this](const TcpProbeResult &r) {
            ProbeResult result = newResult();
            result.outcome = r.outcome;
            result.error = r.error;
            result.timings.dns = r.dnsMs;
            result.timings.connect = r.connectMs < 0 ? -1 : qMax(0.0, r.dnsMs) + r.connectMs;
            result.evidence.append(tcpEvidence(r));
            finishRun(result);
        });
    }

    void start(const ProbeSpec &spec) override
    {
        beginRun(spec);
        HostPort target;
        QString error;
        if (!parseHostPort(spec.target, &target, &error)) {
            ProbeResult result = newResult();
            result.error = error;
            finishRun(result);
            return;
        }
        m_probe->start(target.host, target.port, spec.connectTimeoutMs);
    }

protected:
    void abort() override
    {
        // The Cancelled result this queues arrives when no run is active (finishRun ignores it)
        // or is dropped by the probe itself when start() comes first.
        if (m_probe->isRunning())
            m_probe->cancel();
    }

private:
    TcpProbe *m_probe;
};

/// HttpProbe behind the common interface.
class HttpCheck : public ActiveProbe
{
public:
    explicit HttpCheck(QObject *parent) : ActiveProbe(parent), m_probe(new HttpProbe(this))
    {
        connect(m_probe, &HttpProbe::finished, this, [this](const HttpProbeResult &r) {
            ProbeResult result = newResult();
            result.outcome = r.outcome;
            result.error = r.error;
            result.timings = timingsOf(r.timings);
            result.evidence.append(httpEvidence(r));
            finishRun(result);
        });
    }

    void start(const ProbeSpec &spec) override
    {
        beginRun(spec);
        HttpRequestSpec request;
        request.url = QUrl(spec.target);
        request.connectTo = spec.connectTo;
        request.connectTimeoutMs = spec.connectTimeoutMs;
        request.timeoutMs = spec.timeoutMs;
        request.ignoreTlsErrors = spec.ignoreTlsErrors;
        m_probe->start(request);
    }

protected:
    void abort() override
    {
        if (m_probe->isRunning())
            m_probe->cancel();
    }

private:
    HttpProbe *m_probe;
};

} // namespace

ActiveProbe *createProbe(ProbeKind kind, QObject *parent)
{
    switch (kind) {
    case ProbeKind::Tcp:
        return new TcpCheck(parent);
    case ProbeKind::Http:
        return new HttpCheck(parent);
    case ProbeKind::Dns:
        return new DnsProbe(parent);
    case ProbeKind::Tls:
        return new TlsProbe(parent);
    case ProbeKind::WebSocket:
        return new WebSocketProbe(parent);
    case ProbeKind::Docserver:
        return new DocserverProbe(parent);
    case ProbeKind::Redis:
        return new RedisProbe(parent);
    case ProbeKind::Postgres:
        return new PostgresProbe(parent);
    case ProbeKind::Amqp:
        return new AmqpProbe(parent);
    case ProbeKind::Host:
        return new HostProbe(parent);
    }
    return nullptr;
}

} // namespace dd
