#include "dependencyinspector.h"

#include <QtEndian>

namespace dd {

namespace {

constexpr quint32 pgSslRequest = 80877103;
constexpr quint32 pgGssRequest = 80877104;
constexpr quint32 pgProtocol3 = 196608;

quint32 be32(const char *p)
{
    return qFromBigEndian<quint32>(p);
}

quint16 be16(const char *p)
{
    return qFromBigEndian<quint16>(p);
}

QString cstring(const QByteArray &buffer, qsizetype *pos, qsizetype end)
{
    const qsizetype zero = buffer.indexOf('\0', *pos);
    if (zero < 0 || zero >= end) {
        *pos = end;
        return QString();
    }
    const QString s = QString::fromUtf8(buffer.constData() + *pos, zero - *pos);
    *pos = zero + 1;
    return s;
}

} // namespace

DependencyInspector::DependencyInspector(AppProtocol protocol, int conversation, InspectorSink *sink)
    : m_protocol(protocol)
    , m_conversation(conversation)
    , m_sink(sink)
{
}

void DependencyInspector::gap(int direction)
{
    m_dir[direction].done = true;
    m_dir[direction].buffer.clear();
}

void DependencyInspector::stop()
{
    for (Direction &d : m_dir) {
        d.done = true;
        d.buffer = QByteArray();
    }
}

void DependencyInspector::data(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs)
{
    Direction &d = m_dir[direction];
    if (d.done)
        return;
    const qsizetype take = qMin(size, maxBytes - d.seen);
    d.buffer.append(reinterpret_cast<const char *>(data), take);
    d.seen += take;
    switch (m_protocol) {
    case AppProtocol::Postgres:
        parsePostgres(direction, timeNs);
        break;
    case AppProtocol::Redis:
        parseRedis(direction, timeNs);
        break;
    case AppProtocol::Amqp:
        parseAmqp(direction, timeNs);
        break;
    default:
        stop();
        break;
    }
    if (d.seen >= maxBytes) {
        d.done = true;
        d.buffer = QByteArray();
    }
}

void DependencyInspector::note(int direction, CaptureTime timeNs, bool isError, const QString &code,
                               const QString &text)
{
    if (m_notes++ >= maxNotes)
        return;
    ProtocolNote n;
    n.conversation = m_conversation;
    n.timeNs = timeNs;
    n.protocol = m_protocol;
    n.from = direction == 0 ? TcpSide::Client : TcpSide::Server;
    n.isError = isError;
    n.code = code;
    n.text = text;
    m_sink->noteAdded(std::move(n));
}

void DependencyInspector::parsePostgres(int direction, CaptureTime timeNs)
{
    Direction &d = m_dir[direction];
    QByteArray &b = d.buffer;
    while (!d.done) {
        if (direction == 0) {
            // Client: untyped SSLRequest/startup messages first; typed messages after are not read.
            if (b.size() < 8)
                return;
            const quint32 length = be32(b.constData());
            if (length < 8 || length > 10000) {
                d.done = true;
                return;
            }
            if (b.size() < qsizetype(length))
                return;
            const quint32 code = be32(b.constData() + 4);
            if (code == pgSslRequest || code == pgGssRequest) {
                m_sslRequested = true;
                note(0, timeNs, false, QString(),
                     code == pgSslRequest ? QStringLiteral("PostgreSQL SSLRequest")
                                          : QStringLiteral("PostgreSQL GSSENCRequest"));
            } else if (code == pgProtocol3) {
                qsizetype pos = 8;
                QString user;
                QString database;
                while (pos < qsizetype(length)) {
                    const QString key = cstring(b, &pos, length);
                    if (key.isEmpty())
                        break;
                    const QString value = cstring(b, &pos, length);
                    if (key == QLatin1String("user"))
                        user = value;
                    else if (key == QLatin1String("database"))
                        database = value;
                }
                note(0, timeNs, false, QString(),
                     QStringLiteral("PostgreSQL startup: user \"%1\", database \"%2\"").arg(user, database));
                d.done = true;
            } else {
                d.done = true;
            }
            b.remove(0, length);
            continue;
        }
        // Server: a single 'S'/'N' answers an SSLRequest; typed messages otherwise.
        if (b.isEmpty())
            return;
        if (m_sslRequested && (b.at(0) == 'S' || b.at(0) == 'N')) {
            m_sslRequested = false;
            const bool yes = b.at(0) == 'S';
            note(1, timeNs, false, QString(),
                 yes ? QStringLiteral("PostgreSQL accepted SSL; the rest is TLS")
                     : QStringLiteral("PostgreSQL refused SSL (N); the client may go on in plaintext"));
            b.remove(0, 1);
            if (yes) {
                stop();
                return;
            }
            continue;
        }
        if (b.size() < 5)
            return;
        const char type = b.at(0);
        const quint32 length = be32(b.constData() + 1);
        if (length < 4 || length > 60000) {
            d.done = true;
            return;
        }
        if (b.size() < qsizetype(length) + 1)
            return;
        if (type == 'E') {
            QString severity;
            QString sqlState;
            QString message;
            qsizetype pos = 5;
            while (pos < qsizetype(length) + 1) {
                const char field = b.at(pos++);
                if (field == '\0')
                    break;
                const QString value = cstring(b, &pos, length + 1);
                if (field == 'V' || (field == 'S' && severity.isEmpty()))
                    severity = value;
                else if (field == 'C')
                    sqlState = value;
                else if (field == 'M')
                    message = value;
            }
            note(1, timeNs, true, sqlState, QStringLiteral("PostgreSQL %1 %2: %3").arg(severity, sqlState, message));
            stop();
            return;
        }
        if (type == 'R' && length >= 8) {
            const quint32 auth = be32(b.constData() + 5);
            const QString method = auth == 0    ? QString()
                                   : auth == 3  ? QStringLiteral("cleartext password")
                                   : auth == 5  ? QStringLiteral("md5")
                                   : auth == 10 ? QStringLiteral("SASL (SCRAM)")
                                                : QString();
            if (!method.isEmpty())
                note(1, timeNs, false, QString(), QStringLiteral("PostgreSQL asks for %1 authentication").arg(method));
        } else if (type == 'Z') {
            note(1, timeNs, false, QString(), QStringLiteral("PostgreSQL session ready (authenticated)"));
            stop();
            return;
        }
        b.remove(0, length + 1);
    }
}

void DependencyInspector::parseRedis(int direction, CaptureTime timeNs)
{
    Direction &d = m_dir[direction];
    if (direction == 0) {
        // Commands (and their arguments, e.g. AUTH passwords) are never kept.
        d.done = true;
        d.buffer = QByteArray();
        return;
    }
    QByteArray &b = d.buffer;
    while (!d.done) {
        const qsizetype nl = b.indexOf("\r\n");
        if (nl < 0)
            return;
        const char type = b.isEmpty() ? '\0' : b.at(0);
        const QByteArray line = b.mid(1, nl - 1);
        qsizetype consumed = nl + 2;
        if (type == '-') {
            const QString text = QString::fromUtf8(line);
            const QString code = text.section(QLatin1Char(' '), 0, 0);
            note(1, timeNs, true, code, QStringLiteral("Redis error reply: %1").arg(text));
        } else if (type == '$') {
            const qint64 length = line.toLongLong();
            if (length > 0) {
                if (b.size() < consumed + length + 2)
                    return;
                consumed += length + 2;
            }
        } else if (type != '+' && type != ':' && type != '*' && type != '%' && type != '_' && type != '#' &&
                   type != ',' && type != '>' && type != '~') {
            d.done = true;
            return;
        }
        b.remove(0, consumed);
    }
}

void DependencyInspector::parseAmqp(int direction, CaptureTime timeNs)
{
    Direction &d = m_dir[direction];
    QByteArray &b = d.buffer;
    while (!d.done) {
        if (b.startsWith("AMQP")) {
            if (b.size() < 8)
                return;
            if (direction == 1) {
                note(1, timeNs, true, QStringLiteral("protocol-header"),
                     QStringLiteral("AMQP server rejected the protocol header; it speaks %1-%2-%3")
                         .arg(int(b.at(5)))
                         .arg(int(b.at(6)))
                         .arg(int(b.at(7))));
                stop();
                return;
            }
            b.remove(0, 8);
            continue;
        }
        if (b.size() < 7)
            return;
        const quint8 type = quint8(b.at(0));
        const quint32 size = be32(b.constData() + 3);
        if (type < 1 || type > 8 || size > 1024 * 1024) {
            d.done = true;
            return;
        }
        if (b.size() < qsizetype(size) + 8)
            return;
        if (type == 1 && size >= 4) {
            const char *args = b.constData() + 11;
            const quint16 classId = be16(b.constData() + 7);
            const quint16 methodId = be16(b.constData() + 9);
            if (classId == 10 && (methodId == 30 || methodId == 31) && size >= 12) {
                const quint32 frameMax = be32(args + 2);
                note(direction, timeNs, false, QString(),
                     QStringLiteral("AMQP Connection.%1 frame_max %2")
                         .arg(methodId == 30 ? QStringLiteral("Tune") : QStringLiteral("Tune-Ok"))
                         .arg(frameMax));
            } else if (classId == 10 && methodId == 41) {
                note(direction, timeNs, false, QString(), QStringLiteral("AMQP connection open"));
                stop();
                return;
            } else if (classId == 10 && methodId == 50 && size >= 7) {
                const quint16 code = be16(args);
                const int textLength = quint8(args[2]);
                const QString text = QString::fromUtf8(args + 3, qMin<int>(textLength, int(size) - 7));
                note(direction, timeNs, code != 200, QString::number(code),
                     QStringLiteral("AMQP Connection.Close %1: %2").arg(code).arg(text));
                stop();
                return;
            }
        }
        b.remove(0, qsizetype(size) + 8);
    }
}

} // namespace dd
