#pragma once

#include "conversationinspector.h"

#include <QByteArray>

namespace dd {

/**
 * Reads the start of a dependency's conversation and notes what its handshake said:
 * PostgreSQL (SSLRequest answer, startup user/database, authentication method, ErrorResponse
 * with SQLSTATE, ready), Redis (error replies such as NOAUTH or DENIED) and AMQP 0-9-1
 * (protocol header rejected, Tune/Tune-Ok frame_max, Connection.Close code and text).
 * It stops once the handshake is over, after an error, or after maxBytes per direction.
 */
class DependencyInspector
{
public:
    static constexpr qsizetype maxBytes = 64 * 1024;
    static constexpr int maxNotes = 8;

    DependencyInspector(AppProtocol protocol, int conversation, InspectorSink *sink);

    void data(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs);
    void gap(int direction);

private:
    struct Direction
    {
        QByteArray buffer;
        qsizetype seen = 0;
        bool done = false;
        bool startupDone = false; ///< PostgreSQL: the untyped first message was read
    };

    void parsePostgres(int direction, CaptureTime timeNs);
    void parseRedis(int direction, CaptureTime timeNs);
    void parseAmqp(int direction, CaptureTime timeNs);
    void note(int direction, CaptureTime timeNs, bool isError, const QString &code, const QString &text);
    void stop();

    AppProtocol m_protocol;
    int m_conversation;
    InspectorSink *m_sink;
    Direction m_dir[2];
    int m_notes = 0;
    bool m_sslRequested = false;
};

} // namespace dd
