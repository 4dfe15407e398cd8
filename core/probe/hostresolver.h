#pragma once

// Internal to core/probe (uses QHostAddress from QtNetwork).

#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QObject>

namespace dd {

/**
 * Resolves one host name asynchronously with QHostInfo and reports by signal, always from the
 * event loop (also for address literals, which need no lookup). Bounded by `timeoutMs` unless 0.
 */
class HostResolver : public QObject
{
    Q_OBJECT
public:
    explicit HostResolver(QObject *parent = nullptr);
    ~HostResolver() override;

    void lookUp(const QString &host, int timeoutMs);
    void cancel();

Q_SIGNALS:
    void lookedUp(const QList<QHostAddress> &addresses);
    void lookupFailed(const QString &error);

private:
    void report(quint64 generation, const QList<QHostAddress> &addresses, const QString &error);

    int m_lookupId = -1;
    quint64 m_generation = 0;
    QString m_host;
};

} // namespace dd
