#include "redisprobe.h"

#include "plainstream.h"
#include "probeevidence.h"
#include "socketsupport.h"
#include "tcpdialer.h"
#include "util/hostport.h"

#include <hiredis/hiredis.h>

namespace dd {

namespace {

redisReader *readerOf(void *reader)
{
    return static_cast<redisReader *>(reader);
}

QString replyLine(const QByteArray &text)
{
    return QString::fromUtf8(text.left(200)).simplified();
}

} // namespace

RedisProbe::RedisProbe(QObject *parent) : DependencyProbe(parent) {}

RedisProbe::~RedisProbe()
{
    abort();
}

QByteArray RedisProbe::command(const QList<QByteArray> &arguments)
{
    QList<const char *> argv;
    QList<size_t> lengths;
    for (const QByteArray &argument : arguments) {
        argv.append(argument.constData());
        lengths.append(size_t(argument.size()));
    }
    char *target = nullptr;
    const int length = redisFormatCommandArgv(&target, int(argv.size()), argv.data(), lengths.data());
    if (length < 0)
        return QByteArray();
    const QByteArray bytes(target, length);
    redisFreeCommand(target);
    return bytes;
}

QVariantMap RedisProbe::parseInfo(const QByteArray &info)
{
    QVariantMap map;
    for (const QByteArray &rawLine : info.split('\n')) {
        const QByteArray line = rawLine.trimmed();
        const qsizetype colon = line.indexOf(':');
        if (line.isEmpty() || line.startsWith('#') || colon <= 0)
            continue;
        map.insert(QString::fromLatin1(line.left(colon)), QString::fromUtf8(line.mid(colon + 1)));
    }
    return map;
}

void RedisProbe::start(const ProbeSpec &spec)
{
    m_steps.clear();
    m_password.clear();
    m_authFailed = false;
    m_sentAtMs = -1;
    HostPort target;
    if (!beginExchange(spec, 6379, &target, &m_password))
        return;
    if (!m_password.isEmpty())
        m_steps.append(Step::Auth);
    m_steps.append({Step::Ping, Step::Info});
    m_facts.insert(QStringLiteral("auth"), m_password.isEmpty() ? QStringLiteral("none") : QString());
    dial(target);
}

void RedisProbe::onConnected(qintptr descriptor, double, double)
{
    m_reader = redisReaderCreate();
    attachStream(descriptor);
    sendNext();
}

QString RedisProbe::stage() const
{
    if (m_steps.isEmpty())
        return QStringLiteral("after the last reply");
    switch (m_steps.constFirst()) {
    case Step::Auth:
        return QStringLiteral("waiting for the AUTH reply");
    case Step::Ping:
        return QStringLiteral("waiting for the PING reply");
    case Step::Info:
        return QStringLiteral("waiting for the INFO reply");
    }
    return QString();
}

void RedisProbe::sendNext()
{
    if (m_steps.isEmpty()) {
        complete(ProbeOutcome::Ok, QString());
        return;
    }
    m_sentAtMs = elapsedMs(m_clock);
    switch (m_steps.constFirst()) {
    case Step::Auth: {
        QList<QByteArray> arguments{"AUTH"};
        if (!spec().user.isEmpty())
            arguments.append(spec().user.toUtf8());
        arguments.append(m_password);
        m_exchange.append(spec().user.isEmpty() ? QStringLiteral("> AUTH ********")
                                                : QStringLiteral("> AUTH %1 ********").arg(spec().user));
        m_stream->write(command(arguments));
        return;
    }
    case Step::Ping:
        m_exchange.append(QStringLiteral("> PING"));
        m_stream->write(command({"PING"}));
        return;
    case Step::Info:
        m_exchange.append(QStringLiteral("> INFO server"));
        m_stream->write(command({"INFO", "server"}));
        return;
    }
}

void RedisProbe::onBytes(const QByteArray &data)
{
    redisReader *reader = readerOf(m_reader);
    if (!reader || redisReaderFeed(reader, data.constData(), size_t(data.size())) != REDIS_OK) {
        complete(ProbeOutcome::Malformed, QStringLiteral("%1: not a Redis reply").arg(endpoint()));
        return;
    }
    while (isRunning() && m_reader) {
        void *raw = nullptr;
        if (redisReaderGetReply(reader, &raw) != REDIS_OK) {
            complete(ProbeOutcome::Malformed,
                     QStringLiteral("%1: not a Redis reply (%2)").arg(endpoint(), QString::fromLatin1(reader->errstr)));
            return;
        }
        if (!raw)
            return;
        auto *reply = static_cast<redisReply *>(raw);
        const bool isError = reply->type == REDIS_REPLY_ERROR;
        QByteArray text;
        if (reply->type == REDIS_REPLY_STATUS || reply->type == REDIS_REPLY_ERROR || reply->type == REDIS_REPLY_STRING)
            text = QByteArray(reply->str, qsizetype(reply->len));
        else if (reply->type == REDIS_REPLY_INTEGER)
            text = QByteArray::number(reply->integer);
        freeReplyObject(reply);
        onReply(isError, text);
    }
}

void RedisProbe::onReply(bool isError, const QByteArray &text)
{
    if (m_steps.isEmpty())
        return;
    const Step step = m_steps.takeFirst();
    const double now = elapsedMs(m_clock);
    if (isError)
        m_facts.insert(QStringLiteral("error_reply"), replyLine(text));
    switch (step) {
    case Step::Auth:
        m_exchange.append(QStringLiteral("< ") + replyLine(text));
        if (!isError) {
            m_facts.insert(QStringLiteral("auth"), QStringLiteral("ok"));
        } else if (text.contains("without any password configured") || text.contains("no password is set")) {
            // A password given to a server without one: harmless, ioredis only warns.
            m_facts.insert(QStringLiteral("auth"), QStringLiteral("not-configured"));
            m_facts.remove(QStringLiteral("error_reply"));
        } else {
            m_facts.insert(QStringLiteral("auth"), QStringLiteral("failed"));
            m_authFailed = true;
        }
        break;
    case Step::Ping:
        m_exchange.append(QStringLiteral("< ") + replyLine(text));
        m_result.timings.ttfb = now;
        m_facts.insert(QStringLiteral("latency_ms"), msFact(now - m_sentAtMs));
        m_facts.insert(QStringLiteral("ping"), replyLine(text));
        m_facts.insert(QStringLiteral("auth_required"), isError && text.startsWith("NOAUTH"));
        if (isError) {
            // Nothing more to learn: INFO would fail the same way.
            m_steps.clear();
        }
        break;
    case Step::Info: {
        const QVariantMap info = parseInfo(text);
        if (isError) {
            m_exchange.append(QStringLiteral("< ") + replyLine(text));
        } else {
            m_exchange.append(QStringLiteral("< redis_version:%1 (%2 bytes)")
                                  .arg(info.value(QStringLiteral("redis_version")).toString())
                                  .arg(text.size()));
        }
        m_facts.insert(QStringLiteral("redis_version"), info.value(QStringLiteral("redis_version")));
        m_facts.insert(QStringLiteral("redis_mode"), info.value(QStringLiteral("redis_mode")));
        m_facts.insert(QStringLiteral("uptime_secs"), info.value(QStringLiteral("uptime_in_seconds")).toLongLong());
        break;
    }
    }
    sendNext();
}

void RedisProbe::complete(ProbeOutcome outcome, const QString &error)
{
    if (!isRunning())
        return;
    m_result.outcome = outcome;
    m_result.error = error;
    m_result.timings.total = elapsedMs(m_clock);
    Evidence evidence;
    evidence.kind = QStringLiteral("redis");
    evidence.time = m_result.startedAt;
    QVariantMap facts = m_facts;
    facts.insert(m_result.timings.facts());
    facts.insert(QStringLiteral("outcome"), probeOutcomeName(outcome));
    facts.insert(QStringLiteral("peer"), isConnected() ? endpoint() : QString());
    if (!facts.contains(QStringLiteral("auth_required")))
        facts.insert(QStringLiteral("auth_required"), QVariant());
    const QString ping = facts.value(QStringLiteral("ping")).toString();
    const bool pong = ping == QLatin1String("PONG");
    evidence.facts = facts;
    evidence.health = outcome == ProbeOutcome::Ok && pong ? Health::Ok : Health::Failed;
    evidence.latencyMs =
        facts.value(QStringLiteral("latency_ms")).isNull() ? -1 : facts.value(QStringLiteral("latency_ms")).toDouble();
    evidence.excerpt = m_exchange.join(QLatin1Char('\n'));
    const QString target = m_result.target;
    if (outcome != ProbeOutcome::Ok) {
        evidence.summary = QStringLiteral("Redis %1: %2").arg(target, probeOutcomeName(outcome));
    } else if (pong) {
        evidence.summary =
            QStringLiteral("Redis %1: PONG in %2, version %3")
                .arg(target, formatMs(evidence.latencyMs), facts.value(QStringLiteral("redis_version")).toString());
    } else if (m_authFailed) {
        evidence.summary = QStringLiteral("Redis %1: authentication failed: %2")
                               .arg(target, facts.value(QStringLiteral("error_reply")).toString());
    } else if (facts.value(QStringLiteral("auth_required")).toBool()) {
        evidence.summary = QStringLiteral("Redis %1: a password is required and none was given").arg(target);
    } else {
        evidence.summary = QStringLiteral("Redis %1: PING answered '%2'").arg(target, ping);
    }
    evidence.detail = dependencyDetail(error, m_dialer->failures(), m_result.timings, QStringLiteral("PING reply"));
    m_result.evidence = {evidence};
    finishRun(m_result);
}

void RedisProbe::abort()
{
    stopExchange();
    if (m_reader) {
        redisReaderFree(readerOf(m_reader));
        m_reader = nullptr;
    }
}

} // namespace dd
