#include "hostresolver.h"

#include "socketsupport.h"

#include <QHostInfo>
#include <QTimer>

namespace dd {

HostResolver::HostResolver(QObject *parent) : QObject(parent) {}

HostResolver::~HostResolver()
{
    cancel();
}

void HostResolver::lookUp(const QString &host, int timeoutMs)
{
    cancel();
    m_host = host;
    const quint64 generation = m_generation;

    QHostAddress literal;
    QList<QHostAddress> known;
    if (literal.setAddress(host))
        known.append(literal);
    else
        known = loopbackAddressesFor(host);
    if (!known.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this, generation, known] { report(generation, known, QString()); }, Qt::QueuedConnection);
        return;
    }

    m_lookupId = QHostInfo::lookupHost(host, this, [this, generation](const QHostInfo &info) {
        m_lookupId = -1;
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            const QString reason =
                info.error() == QHostInfo::NoError ? QStringLiteral("no addresses") : info.errorString();
            report(generation, {}, QStringLiteral("cannot resolve %1: %2").arg(m_host, reason));
            return;
        }
        report(generation, info.addresses(), QString());
    });
    if (timeoutMs <= 0)
        return;
    QTimer::singleShot(timeoutMs, this, [this, generation, timeoutMs] {
        if (generation != m_generation || m_lookupId < 0)
            return;
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
        report(generation, {}, QStringLiteral("cannot resolve %1: no answer within %2 ms").arg(m_host).arg(timeoutMs));
    });
}

void HostResolver::cancel()
{
    ++m_generation;
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
}

void HostResolver::report(quint64 generation, const QList<QHostAddress> &addresses, const QString &error)
{
    if (generation != m_generation)
        return;
    ++m_generation;
    if (error.isEmpty())
        Q_EMIT lookedUp(addresses);
    else
        Q_EMIT lookupFailed(error);
}

} // namespace dd
