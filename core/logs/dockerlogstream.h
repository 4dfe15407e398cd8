#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>

namespace dd {

/**
 * Decodes the response of the Docker Engine API's GET /containers/{id}/logs, fed in pieces as
 * they arrive: the HTTP head, chunked transfer coding, and the stream multiplexing of a
 * container without a TTY (each frame: 1 byte stream type (0 stdin, 1 stdout, 2 stderr),
 * 3 zero bytes, a 4-byte big-endian payload size, the payload). A TTY container's stream is
 * raw; an API older than 1.42 calls both "raw-stream", so the first bytes decide. Frame
 * payloads go to the sink in pieces, never buffered whole: memory stays bounded.
 */
class DockerLogStream
{
public:
    enum Stream { Stdin = 0, Stdout = 1, Stderr = 2 };
    using Sink = std::function<void(int stream, QByteArrayView payload)>;

    explicit DockerLogStream(Sink sink);

    /// Feeds response bytes; false once the response is an error or malformed (see error()).
    bool feed(QByteArrayView data);
    /// The connection closed: ends a body that had no length.
    void finishInput();

    bool headerDone() const { return m_state != State::Head; }
    bool isDone() const { return m_state == State::Done; }
    bool hasFailed() const { return !m_error.isEmpty(); }
    /// The status code; 0 before the head arrived.
    int httpStatus() const { return m_status; }
    /// "HTTP 404: No such container: x", or why the response could not be read.
    QString error() const { return m_error; }
    bool isMultiplexed() const { return m_multiplexed; }

private:
    enum class State { Head, ChunkSize, ChunkData, ChunkEnd, Body, Trailer, Done };
    bool parseHead();
    void body(QByteArrayView data);
    void demux(QByteArrayView data);
    void endBody();
    bool failWith(const QString &error);

    Sink m_sink;
    State m_state = State::Head;
    QByteArray m_buf; ///< the head, a chunk-size line, or an error body (all bounded)
    int m_status = 0;
    bool m_chunked = false;
    qint64 m_remaining = -1; ///< Content-Length left or chunk bytes left
    QString m_contentType;
    QString m_error;
    // Demultiplexing.
    bool m_decided = false;
    bool m_multiplexed = false;
    QByteArray m_frameHead;
    int m_frameStream = Stdout;
    qint64 m_frameLeft = 0;
    QByteArray m_errorBody;
};

} // namespace dd
