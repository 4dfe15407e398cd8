#pragma once

#include "dependencyprobe.h"

namespace dd {

/**
 * Checks a RabbitMQ (AMQP 0-9-1) broker: sends the protocol header and reads Connection.Start
 * (product, version, mechanisms). With credentials (ProbeSpec::user, default "guest", and the
 * password from ProbeSpec::secretFile, default "guest") it goes on as Document Server's amqplib
 * does: Start-Ok (PLAIN), Tune, Tune-Ok, Open on ProbeSpec::vhost (default "/"), then closes
 * politely. The frame_max offered is 4096, amqplib's value in Document Server up to 8.3, so a
 * broker that refuses it (RabbitMQ >= 4.1 requires 8192) refuses the probe as it refuses DS.
 *
 * Facts: "outcome", "stage" (where it ended: connect, start, tune, open, opened), "product",
 * "version", "platform", "mechanisms", "authenticated", "opened", "vhost", "server_frame_max",
 * "frame_max" (negotiated), "channel_max", "heartbeat", "close_code", "close_name",
 * "close_text" (a Connection.Close from the broker, e.g. 403 ACCESS_REFUSED), and the timings
 * (ttfb = Connection.Start).
 */
class AmqpProbe : public DependencyProbe
{
    Q_OBJECT
public:
    explicit AmqpProbe(QObject *parent = nullptr);
    ~AmqpProbe() override;

    void start(const ProbeSpec &spec) override;

    /// amqplib's default frame_max before 0.10.7 (Document Server <= 8.3).
    static constexpr quint32 clientFrameMax = 4096;

protected:
    void abort() override;

private:
    enum class Stage { Connect, Start, Tune, Open, Closing, Done };

    void onConnected(qintptr descriptor, double dnsMs, double connectMs) override;
    void onBytes(const QByteArray &data) override;
    void onPeerClosed(bool reset) override;
    void complete(ProbeOutcome outcome, const QString &error) override;
    QString stage() const override;
    void onMethod(quint16 classId, quint16 methodId, const QByteArray &arguments);
    QString stageName() const;

    QByteArray m_buffer;
    Stage m_stage = Stage::Connect;
    bool m_withCredentials = false;
    QByteArray m_user;
    QByteArray m_password;
    QByteArray m_vhost;
};

} // namespace dd
