#pragma once

// The few pieces of AMQP 0-9-1 the probe needs: frames, field tables, the connection methods.

#include <QByteArray>
#include <QString>
#include <QVariantMap>

namespace dd::amqp {

/// "AMQP" 0 0 9 1: what a client sends first.
QByteArray protocolHeader();

struct Frame
{
    quint8 type = 0; ///< 1 method, 2 header, 3 body, 8 heartbeat
    quint16 channel = 0;
    QByteArray payload;
};

enum class TakeResult { Frame, NeedMore, ProtocolHeader, Invalid };

/**
 * Takes one frame off the front of `buffer`. ProtocolHeader: the server answered with its own
 * protocol header (it does not speak our version); `error` names what is invalid.
 * Frames over `maxFrameBytes` are Invalid, so a hostile peer cannot grow the buffer.
 */
TakeResult takeFrame(QByteArray *buffer, Frame *frame, QString *error, qsizetype maxFrameBytes = 1 << 20);

/// A method frame's class and method ids and its arguments.
struct Method
{
    quint16 classId = 0;
    quint16 methodId = 0;
    QByteArray arguments;
};
bool parseMethod(const Frame &frame, Method *method);

/// Reads AMQP values from a method's arguments; a read past the end sets ok() false.
class Reader
{
public:
    explicit Reader(const QByteArray &data) : m_data(data) {}
    quint8 octet();
    quint16 shortUint();
    quint32 longUint();
    quint64 longLongUint();
    QByteArray shortString();
    QByteArray longString();
    QVariantMap table();
    bool ok() const { return m_ok; }

private:
    QVariant fieldValue(int depth);
    QVariantMap tableAt(int depth);
    bool need(qsizetype bytes);

    QByteArray m_data;
    qsizetype m_pos = 0;
    bool m_ok = true;
};

/// Writes AMQP values.
class Writer
{
public:
    Writer &octet(quint8 v);
    Writer &shortUint(quint16 v);
    Writer &longUint(quint32 v);
    Writer &shortString(const QByteArray &v);
    Writer &longString(const QByteArray &v);
    /// Values: bool ('t'), integer ('l'), QString/QByteArray ('S'), QVariantMap ('F').
    Writer &table(const QVariantMap &v);
    QByteArray data() const { return m_data; }

private:
    QByteArray m_data;
};

/// A method frame on channel 0.
QByteArray methodFrame(quint16 classId, quint16 methodId, const QByteArray &arguments);

/// Connection.Start-Ok with PLAIN credentials and client properties announcing
/// authentication_failure_close, so a broker explains a refused login (403) instead of closing.
QByteArray startOk(const QByteArray &user, const QByteArray &password);
QByteArray tuneOk(quint16 channelMax, quint32 frameMax, quint16 heartbeat);
QByteArray open(const QByteArray &vhost);
QByteArray close(quint16 code, const QByteArray &text);
QByteArray closeOk();

/// Reply codes by name: 200 "reply-success", 320 "connection-forced", 403 "access-refused",
/// 501 "frame-error", 503 "command-invalid", 530 "not-allowed", 541 "internal-error", ...
QString replyCodeName(int code);

} // namespace dd::amqp
