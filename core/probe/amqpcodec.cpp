#include "amqpcodec.h"

#include <QtEndian>

#include <cstring>

namespace dd::amqp {

namespace {

constexpr quint8 frameEnd = 0xCE;
constexpr int maxTableDepth = 8;

} // namespace

QByteArray protocolHeader()
{
    return QByteArray("AMQP\x00\x00\x09\x01", 8);
}

TakeResult takeFrame(QByteArray *buffer, Frame *frame, QString *error, qsizetype maxFrameBytes)
{
    if (buffer->startsWith("AMQP")) {
        if (buffer->size() < 8)
            return TakeResult::NeedMore;
        *error = QStringLiteral("the server answered with protocol header AMQP %1-%2-%3-%4")
                     .arg(quint8(buffer->at(4)))
                     .arg(quint8(buffer->at(5)))
                     .arg(quint8(buffer->at(6)))
                     .arg(quint8(buffer->at(7)));
        return TakeResult::ProtocolHeader;
    }
    if (buffer->size() < 7)
        return TakeResult::NeedMore;
    const auto *bytes = reinterpret_cast<const uchar *>(buffer->constData());
    const quint8 type = bytes[0];
    if (type != 1 && type != 2 && type != 3 && type != 8) {
        *error = QStringLiteral("not an AMQP frame (type %1)").arg(type);
        return TakeResult::Invalid;
    }
    const quint32 size = qFromBigEndian<quint32>(bytes + 3);
    if (qsizetype(size) > maxFrameBytes) {
        *error = QStringLiteral("frame of %1 bytes is larger than allowed").arg(size);
        return TakeResult::Invalid;
    }
    if (buffer->size() < qsizetype(size) + 8)
        return TakeResult::NeedMore;
    if (quint8(buffer->at(7 + size)) != frameEnd) {
        *error = QStringLiteral("frame does not end with 0xCE");
        return TakeResult::Invalid;
    }
    frame->type = type;
    frame->channel = qFromBigEndian<quint16>(bytes + 1);
    frame->payload = buffer->mid(7, size);
    buffer->remove(0, 8 + size);
    return TakeResult::Frame;
}

bool parseMethod(const Frame &frame, Method *method)
{
    if (frame.type != 1 || frame.payload.size() < 4)
        return false;
    const auto *bytes = reinterpret_cast<const uchar *>(frame.payload.constData());
    method->classId = qFromBigEndian<quint16>(bytes);
    method->methodId = qFromBigEndian<quint16>(bytes + 2);
    method->arguments = frame.payload.mid(4);
    return true;
}

bool Reader::need(qsizetype bytes)
{
    if (!m_ok || bytes < 0 || m_data.size() - m_pos < bytes) {
        m_ok = false;
        return false;
    }
    return true;
}

quint8 Reader::octet()
{
    if (!need(1))
        return 0;
    return quint8(m_data.at(m_pos++));
}

quint16 Reader::shortUint()
{
    if (!need(2))
        return 0;
    const auto v = qFromBigEndian<quint16>(m_data.constData() + m_pos);
    m_pos += 2;
    return v;
}

quint32 Reader::longUint()
{
    if (!need(4))
        return 0;
    const auto v = qFromBigEndian<quint32>(m_data.constData() + m_pos);
    m_pos += 4;
    return v;
}

quint64 Reader::longLongUint()
{
    if (!need(8))
        return 0;
    const auto v = qFromBigEndian<quint64>(m_data.constData() + m_pos);
    m_pos += 8;
    return v;
}

QByteArray Reader::shortString()
{
    const quint8 length = octet();
    if (!need(length))
        return QByteArray();
    const QByteArray v = m_data.mid(m_pos, length);
    m_pos += length;
    return v;
}

QByteArray Reader::longString()
{
    const quint32 length = longUint();
    if (!need(qsizetype(length)))
        return QByteArray();
    const QByteArray v = m_data.mid(m_pos, length);
    m_pos += length;
    return v;
}

QVariantMap Reader::table()
{
    return tableAt(0);
}

QVariantMap Reader::tableAt(int depth)
{
    QVariantMap map;
    const quint32 length = longUint();
    if (!need(qsizetype(length)) || depth > maxTableDepth) {
        m_ok = false;
        return map;
    }
    Reader inner(m_data.mid(m_pos, length));
    m_pos += length;
    while (inner.m_ok && inner.m_pos < inner.m_data.size()) {
        const QString name = QString::fromUtf8(inner.shortString());
        const QVariant value = inner.fieldValue(depth);
        if (inner.m_ok)
            map.insert(name, value);
    }
    if (!inner.m_ok)
        m_ok = false;
    return map;
}

QVariant Reader::fieldValue(int depth)
{
    switch (octet()) {
    case 't':
        return octet() != 0;
    case 'b':
        return int(qint8(octet()));
    case 'B':
        return int(octet());
    case 's':
        return int(qint16(shortUint()));
    case 'u':
        return int(shortUint());
    case 'I':
        return int(qint32(longUint()));
    case 'i':
        return qlonglong(longUint());
    case 'l':
        return qlonglong(longLongUint());
    case 'T':
        return qulonglong(longLongUint());
    case 'f': {
        const quint32 bits = longUint();
        float f = 0;
        std::memcpy(&f, &bits, sizeof f);
        return double(f);
    }
    case 'd': {
        const quint64 bits = longLongUint();
        double d = 0;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }
    case 'D': {
        const quint8 scale = octet();
        const qint32 value = qint32(longUint());
        double d = value;
        for (int i = 0; i < scale; ++i)
            d /= 10;
        return d;
    }
    case 'S':
        return QString::fromUtf8(longString());
    case 'x':
        return longString();
    case 'F':
        return tableAt(depth + 1);
    case 'A': {
        const quint32 length = longUint();
        if (!need(qsizetype(length)) || depth > maxTableDepth) {
            m_ok = false;
            return QVariant();
        }
        Reader inner(m_data.mid(m_pos, length));
        m_pos += length;
        QVariantList list;
        while (inner.m_ok && inner.m_pos < inner.m_data.size())
            list.append(inner.fieldValue(depth + 1));
        if (!inner.m_ok)
            m_ok = false;
        return list;
    }
    case 'V':
        return QVariant();
    default:
        m_ok = false;
        return QVariant();
    }
}

Writer &Writer::octet(quint8 v)
{
    m_data.append(char(v));
    return *this;
}

Writer &Writer::shortUint(quint16 v)
{
    char bytes[2];
    qToBigEndian(v, bytes);
    m_data.append(bytes, 2);
    return *this;
}

Writer &Writer::longUint(quint32 v)
{
    char bytes[4];
    qToBigEndian(v, bytes);
    m_data.append(bytes, 4);
    return *this;
}

Writer &Writer::shortString(const QByteArray &v)
{
    const QByteArray s = v.left(255);
    octet(quint8(s.size()));
    m_data.append(s);
    return *this;
}

Writer &Writer::longString(const QByteArray &v)
{
    longUint(quint32(v.size()));
    m_data.append(v);
    return *this;
}

Writer &Writer::table(const QVariantMap &v)
{
    Writer body;
    for (auto it = v.cbegin(); it != v.cend(); ++it) {
        body.shortString(it.key().toUtf8());
        const QVariant &value = it.value();
        switch (value.typeId()) {
        case QMetaType::Bool:
            body.octet('t').octet(value.toBool() ? 1 : 0);
            break;
        case QMetaType::Int:
        case QMetaType::LongLong: {
            body.octet('l');
            const quint64 n = quint64(value.toLongLong());
            body.longUint(quint32(n >> 32)).longUint(quint32(n));
            break;
        }
        case QMetaType::QVariantMap:
            body.octet('F').table(value.toMap());
            break;
        default:
            body.octet('S').longString(value.toString().toUtf8());
            break;
        }
    }
    return longString(body.data());
}

QByteArray methodFrame(quint16 classId, quint16 methodId, const QByteArray &arguments)
{
    const QByteArray payload = Writer().shortUint(classId).shortUint(methodId).data() + arguments;
    return Writer().octet(1).shortUint(0).longUint(quint32(payload.size())).data() + payload + char(frameEnd);
}

QByteArray startOk(const QByteArray &user, const QByteArray &password)
{
    const QVariantMap properties{
        {QStringLiteral("product"), QStringLiteral("docserver-doctor")},
        {QStringLiteral("information"), QStringLiteral("connection check")},
        {QStringLiteral("capabilities"), QVariantMap{{QStringLiteral("authentication_failure_close"), true}}}};
    const QByteArray response = '\0' + user + '\0' + password;
    return methodFrame(
        10, 11, Writer().table(properties).shortString("PLAIN").longString(response).shortString("en_US").data());
}

QByteArray tuneOk(quint16 channelMax, quint32 frameMax, quint16 heartbeat)
{
    return methodFrame(10, 31, Writer().shortUint(channelMax).longUint(frameMax).shortUint(heartbeat).data());
}

QByteArray open(const QByteArray &vhost)
{
    return methodFrame(10, 40, Writer().shortString(vhost).shortString(QByteArray()).octet(0).data());
}

QByteArray close(quint16 code, const QByteArray &text)
{
    return methodFrame(10, 50, Writer().shortUint(code).shortString(text).shortUint(0).shortUint(0).data());
}

QByteArray closeOk()
{
    return methodFrame(10, 51, QByteArray());
}

QString replyCodeName(int code)
{
    switch (code) {
    case 200:
        return QStringLiteral("reply-success");
    case 320:
        return QStringLiteral("connection-forced");
    case 402:
        return QStringLiteral("invalid-path");
    case 403:
        return QStringLiteral("access-refused");
    case 501:
        return QStringLiteral("frame-error");
    case 502:
        return QStringLiteral("syntax-error");
    case 503:
        return QStringLiteral("command-invalid");
    case 504:
        return QStringLiteral("channel-error");
    case 505:
        return QStringLiteral("unexpected-frame");
    case 506:
        return QStringLiteral("resource-error");
    case 530:
        return QStringLiteral("not-allowed");
    case 540:
        return QStringLiteral("not-implemented");
    case 541:
        return QStringLiteral("internal-error");
    default:
        return QStringLiteral("code-%1").arg(code);
    }
}

} // namespace dd::amqp
