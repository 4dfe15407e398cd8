#pragma once

#include "dependencyprobe.h"

namespace dd {

/**
 * Checks a Redis server as Document Server's ioredis client would meet it: connect, AUTH when a
 * password file is given (with ProbeSpec::user for an ACL user), PING, INFO server.
 *
 * RESP is encoded and decoded by hiredis (redisFormatCommandArgv, redisReader); the socket is
 * our own non-blocking one on the Qt event loop, like every other probe, so refused, timed out,
 * reset and closed are told apart exactly. (hiredis 0.14's async context cannot adopt a socket
 * and resolves names blockingly, which is why its event adapters are not used.)
 *
 * Facts: "outcome", "auth" (none, ok, failed, not-configured), "auth_required", "ping" (the
 * reply or the error), "error_reply", "redis_version", "redis_mode", "uptime_secs",
 * "latency_ms" (PING round trip) and the timings (ttfb = the PING reply).
 */
class RedisProbe : public DependencyProbe
{
    Q_OBJECT
public:
    explicit RedisProbe(QObject *parent = nullptr);
    ~RedisProbe() override;

    void start(const ProbeSpec &spec) override;

    /// A command as RESP (an array of bulk strings).
    static QByteArray command(const QList<QByteArray> &arguments);
    /// INFO's "key:value" lines as a map (sections and blank lines skipped).
    static QVariantMap parseInfo(const QByteArray &info);

protected:
    void abort() override;

private:
    enum class Step { Auth, Ping, Info };

    void onConnected(qintptr descriptor, double dnsMs, double connectMs) override;
    void onBytes(const QByteArray &data) override;
    void complete(ProbeOutcome outcome, const QString &error) override;
    QString stage() const override;
    void sendNext();
    void onReply(bool isError, const QByteArray &text);

    void *m_reader = nullptr; ///< redisReader
    QList<Step> m_steps;
    double m_sentAtMs = -1;
    QByteArray m_password;
    bool m_authFailed = false;
};

} // namespace dd
