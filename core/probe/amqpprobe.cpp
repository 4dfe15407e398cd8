#include "amqpprobe.h"

#include "amqpcodec.h"
#include "plainstream.h"
#include "probeevidence.h"
#include "socketsupport.h"
#include "tcpdialer.h"
#include "util/hostport.h"

namespace dd {

AmqpProbe::AmqpProbe(QObject *parent) : DependencyProbe(parent) {}

AmqpProbe::~AmqpProbe()
{
    abort();
}

QString AmqpProbe::stage() const
{
    return QStringLiteral("stage '%1'").arg(stageName());
}

QString AmqpProbe::stageName() const
{
    switch (m_stage) {
    case Stage::Connect:
        return QStringLiteral("connect");
    case Stage::Start:
        return QStringLiteral("start");
    case Stage::Tune:
        return QStringLiteral("tune");
    case Stage::Open:
        return QStringLiteral("open");
    case Stage::Closing:
    case Stage::Done:
        return QStringLiteral("opened");
    }
    return QString();
}

void AmqpProbe::start(const ProbeSpec &spec)
{
    m_buffer.clear();
    m_stage = Stage::Connect;
    m_withCredentials = !spec.user.isEmpty() || !spec.secretFile.isEmpty();
    m_user = spec.user.isEmpty() ? QByteArray("guest") : spec.user.toUtf8();
    m_password = "guest";
    m_vhost = spec.vhost.isEmpty() ? QByteArray("/") : spec.vhost.toUtf8();
    HostPort target;
    if (beginExchange(spec, 5672, &target, &m_password))
        dial(target);
}

void AmqpProbe::onConnected(qintptr descriptor, double, double)
{
    m_stage = Stage::Start;
    attachStream(descriptor);
    m_exchange.append(QStringLiteral("> AMQP 0-9-1 protocol header"));
    m_stream->write(amqp::protocolHeader());
}

void AmqpProbe::onBytes(const QByteArray &data)
{
    m_buffer += data;
    while (isRunning()) {
        amqp::Frame frame;
        QString error;
        switch (amqp::takeFrame(&m_buffer, &frame, &error)) {
        case amqp::TakeResult::NeedMore:
            return;
        case amqp::TakeResult::ProtocolHeader:
        case amqp::TakeResult::Invalid:
            m_exchange.append(QStringLiteral("< ") + error);
            complete(ProbeOutcome::Malformed, endpoint() + QStringLiteral(": ") + error);
            return;
        case amqp::TakeResult::Frame:
            break;
        }
        amqp::Method method;
        if (frame.type == 8)
            continue; // heartbeat
        if (!amqp::parseMethod(frame, &method)) {
            complete(ProbeOutcome::Malformed,
                     QStringLiteral("%1: unexpected frame type %2").arg(endpoint()).arg(frame.type));
            return;
        }
        onMethod(method.classId, method.methodId, method.arguments);
    }
}

void AmqpProbe::onMethod(quint16 classId, quint16 methodId, const QByteArray &arguments)
{
    amqp::Reader reader(arguments);
    if (classId == 10 && methodId == 50) { // Connection.Close
        const int code = reader.shortUint();
        const QString text = QString::fromUtf8(reader.shortString());
        m_facts.insert(QStringLiteral("close_code"), code);
        m_facts.insert(QStringLiteral("close_name"), amqp::replyCodeName(code));
        m_facts.insert(QStringLiteral("close_text"), text);
        m_exchange.append(QStringLiteral("< Connection.Close %1 %2").arg(code).arg(text));
        if (m_stage == Stage::Start || m_stage == Stage::Tune)
            m_facts.insert(QStringLiteral("authenticated"), code != 403);
        m_stream->write(amqp::closeOk());
        complete(ProbeOutcome::Ok, QString());
        return;
    }
    if (classId == 10 && methodId == 10 && m_stage == Stage::Start) { // Connection.Start
        const int major = reader.octet();
        const int minor = reader.octet();
        const QVariantMap properties = reader.table();
        const QString mechanisms = QString::fromUtf8(reader.longString());
        if (!reader.ok()) {
            complete(ProbeOutcome::Malformed, QStringLiteral("%1: Connection.Start is malformed").arg(endpoint()));
            return;
        }
        m_facts.insert(QStringLiteral("protocol"), QStringLiteral("%1-%2").arg(major).arg(minor));
        m_facts.insert(QStringLiteral("product"), properties.value(QStringLiteral("product")).toString());
        m_facts.insert(QStringLiteral("version"), properties.value(QStringLiteral("version")).toString());
        m_facts.insert(QStringLiteral("platform"), properties.value(QStringLiteral("platform")).toString());
        m_facts.insert(QStringLiteral("cluster_name"), properties.value(QStringLiteral("cluster_name")).toString());
        m_facts.insert(QStringLiteral("mechanisms"), mechanisms.split(QLatin1Char(' '), Qt::SkipEmptyParts));
        m_exchange.append(QStringLiteral("< Connection.Start %1 %2 (%3), mechanisms %4")
                              .arg(properties.value(QStringLiteral("product")).toString(),
                                   properties.value(QStringLiteral("version")).toString(),
                                   properties.value(QStringLiteral("platform")).toString(), mechanisms));
        if (!m_withCredentials) {
            complete(ProbeOutcome::Ok, QString());
            return;
        }
        m_stage = Stage::Tune;
        m_exchange.append(QStringLiteral("> Connection.Start-Ok PLAIN %1 ********").arg(QString::fromUtf8(m_user)));
        m_stream->write(amqp::startOk(m_user, m_password));
        return;
    }
    if (classId == 10 && methodId == 30 && m_stage == Stage::Tune) { // Connection.Tune
        const quint16 channelMax = reader.shortUint();
        const quint32 serverFrameMax = reader.longUint();
        const quint16 heartbeat = reader.shortUint();
        // 0 means "no limit" on either side.
        const quint32 frameMax = serverFrameMax == 0 ? clientFrameMax : qMin(serverFrameMax, clientFrameMax);
        m_facts.insert(QStringLiteral("authenticated"), true);
        m_facts.insert(QStringLiteral("channel_max"), channelMax);
        m_facts.insert(QStringLiteral("server_frame_max"), serverFrameMax);
        m_facts.insert(QStringLiteral("frame_max"), frameMax);
        m_facts.insert(QStringLiteral("heartbeat"), heartbeat);
        m_exchange.append(QStringLiteral("< Connection.Tune channel_max %1 frame_max %2 heartbeat %3")
                              .arg(channelMax)
                              .arg(serverFrameMax)
                              .arg(heartbeat));
        m_exchange.append(QStringLiteral("> Connection.Tune-Ok frame_max %1").arg(frameMax));
        m_exchange.append(QStringLiteral("> Connection.Open %1").arg(QString::fromUtf8(m_vhost)));
        m_stage = Stage::Open;
        m_stream->write(amqp::tuneOk(channelMax, frameMax, 0) + amqp::open(m_vhost));
        return;
    }
    if (classId == 10 && methodId == 41 && m_stage == Stage::Open) { // Connection.Open-Ok
        m_exchange.append(QStringLiteral("< Connection.Open-Ok"));
        m_facts.insert(QStringLiteral("opened"), true);
        m_stage = Stage::Closing;
        m_exchange.append(QStringLiteral("> Connection.Close 200"));
        m_stream->write(amqp::close(200, "docserver-doctor done"));
        return;
    }
    if (classId == 10 && methodId == 51 && m_stage == Stage::Closing) { // Connection.Close-Ok
        m_exchange.append(QStringLiteral("< Connection.Close-Ok"));
        m_stage = Stage::Done;
        complete(ProbeOutcome::Ok, QString());
        return;
    }
    complete(ProbeOutcome::Malformed, QStringLiteral("%1: unexpected method %2.%3 in stage '%4'")
                                          .arg(endpoint())
                                          .arg(classId)
                                          .arg(methodId)
                                          .arg(stageName()));
}

void AmqpProbe::onPeerClosed(bool reset)
{
    if (m_stage == Stage::Closing) {
        // Closed instead of Close-Ok: the connection was open, which is what counts.
        complete(ProbeOutcome::Ok, QString());
        return;
    }
    QString error = QStringLiteral("%1: the broker %2 the connection in stage '%3'")
                        .arg(endpoint(), reset ? QStringLiteral("reset") : QStringLiteral("closed"), stageName());
    if (m_stage == Stage::Tune)
        error += QStringLiteral(" (a broker without authentication_failure_close closes on a refused login)");
    else if (m_stage == Stage::Open)
        error += QStringLiteral(" (after Tune-Ok: RabbitMQ >= 4.1 does this when frame_max %1 is below its minimum)")
                     .arg(clientFrameMax);
    m_exchange.append(reset ? QStringLiteral("< RST") : QStringLiteral("< FIN"));
    complete(reset ? ProbeOutcome::Reset : ProbeOutcome::ClosedEarly, error);
}

void AmqpProbe::complete(ProbeOutcome outcome, const QString &error)
{
    if (!isRunning())
        return;
    m_result.outcome = outcome;
    m_result.error = error;
    m_result.timings.total = elapsedMs(m_clock);
    QVariantMap facts = m_facts;
    facts.insert(m_result.timings.facts());
    facts.insert(QStringLiteral("outcome"), probeOutcomeName(outcome));
    facts.insert(QStringLiteral("stage"), stageName());
    facts.insert(QStringLiteral("vhost"), m_withCredentials ? QString::fromUtf8(m_vhost) : QString());
    if (!facts.contains(QStringLiteral("opened")))
        facts.insert(QStringLiteral("opened"), false);
    if (!facts.contains(QStringLiteral("authenticated")))
        facts.insert(QStringLiteral("authenticated"), QVariant());
    for (const char *key : {"close_code", "close_name", "close_text"}) {
        if (!facts.contains(QLatin1String(key)))
            facts.insert(QLatin1String(key), QVariant());
    }

    Evidence evidence;
    evidence.kind = QStringLiteral("amqp");
    evidence.time = m_result.startedAt;
    evidence.facts = facts;
    evidence.excerpt = m_exchange.join(QLatin1Char('\n'));
    if (m_result.timings.ttfb >= 0 && m_result.timings.connect >= 0)
        evidence.latencyMs = m_result.timings.ttfb - m_result.timings.connect;
    const bool greeted = facts.contains(QStringLiteral("product"));
    const bool closedByBroker = !facts.value(QStringLiteral("close_code")).isNull();
    const QString product = QStringLiteral("%1 %2").arg(facts.value(QStringLiteral("product")).toString(),
                                                        facts.value(QStringLiteral("version")).toString());
    if (outcome != ProbeOutcome::Ok) {
        evidence.health = Health::Failed;
        evidence.summary =
            QStringLiteral("AMQP %1: %2 in stage '%3'").arg(m_result.target, probeOutcomeName(outcome), stageName());
    } else if (closedByBroker) {
        evidence.health = Health::Failed;
        evidence.summary = QStringLiteral("AMQP %1: %2 closed the connection: %3 %4")
                               .arg(m_result.target, product, facts.value(QStringLiteral("close_code")).toString(),
                                    facts.value(QStringLiteral("close_text")).toString());
    } else if (m_withCredentials) {
        evidence.health = Health::Ok;
        evidence.summary = QStringLiteral("AMQP %1: %2, vhost '%3' opened as '%4', frame_max %5")
                               .arg(m_result.target, product, QString::fromUtf8(m_vhost), QString::fromUtf8(m_user),
                                    facts.value(QStringLiteral("frame_max")).toString());
    } else {
        evidence.health = greeted ? Health::Ok : Health::Failed;
        evidence.summary = QStringLiteral("AMQP %1: %2 greets (Connection.Start in %3)")
                               .arg(m_result.target, product, formatMs(evidence.latencyMs));
    }
    evidence.detail =
        dependencyDetail(error, m_dialer->failures(), m_result.timings, QStringLiteral("Connection.Start"));
    m_result.evidence = {evidence};
    finishRun(m_result);
}

void AmqpProbe::abort()
{
    stopExchange();
}

} // namespace dd
