#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

namespace dd {

/**
 * Incremental HTTP/1.x response parser: feed it bytes as they arrive, tell it when the peer
 * closed, and read the status, headers and (bounded) body. Pure: no sockets, no clock.
 *
 * Accepts what real servers send: CRLF or bare LF line ends, obsolete header line folding,
 * Content-Length, chunked (with extensions and trailers), read-until-close, no body for HEAD,
 * 1xx (skipped, except 101), 204 and 304. Rejects what nginx rejects as "upstream sent invalid
 * header" / "no valid HTTP/1.0 header", and bounds the header so garbage cannot grow it.
 */
class HttpResponseParser
{
public:
    enum class State { StatusLine, Headers, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Complete, Failed };
    enum class Error {
        None,
        Malformed,          ///< not HTTP, bad status line, bad header, bad framing
        HeaderTooLarge,     ///< status line + headers over Limits::maxHeaderBytes
        ClosedBeforeStatus, ///< closed before a complete status line
        ClosedInHeaders,    ///< closed after the status line, before the end of the headers
        ClosedInBody        ///< closed before the end of a framed body
    };
    enum class Framing { None, ContentLength, Chunked, UntilClose };

    struct Limits
    {
        qsizetype maxHeaderBytes = 64 * 1024;       ///< status line + headers, and trailers
        qsizetype maxBodyBytes = 64 * 1024;         ///< kept in body(); the rest is counted and dropped
        qint64 maxReadBodyBytes = 16 * 1024 * 1024; ///< stop reading (complete, truncated) beyond this
    };

    HttpResponseParser();
    explicit HttpResponseParser(const Limits &limits);

    /// The method of the request this response answers; "HEAD" means no body whatever the headers say.
    void setRequestMethod(QByteArrayView method);
    void setLimits(const Limits &limits) { m_limits = limits; }
    /// Forgets everything parsed; keeps limits and request method.
    void reset();

    /// Consumes bytes. Returns how many were used: all of them, except once the response is
    /// complete (the rest belongs to no response we asked for) or the parser failed.
    qsizetype feed(QByteArrayView data);
    /// The peer closed the connection: completes a read-until-close body, or fails.
    void closed();

    State state() const { return m_state; }
    bool isComplete() const { return m_state == State::Complete; }
    bool hasFailed() const { return m_state == State::Failed; }
    bool hasStatusLine() const { return m_statusCode != 0; }
    bool hasHeaders() const;
    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }

    int statusCode() const { return m_statusCode; }
    QByteArray statusLine() const { return m_statusLine; }
    QByteArray version() const { return m_version; }
    QByteArray reason() const { return m_reason; }
    QList<QPair<QByteArray, QByteArray>> headers() const { return m_headers; }
    /// The first header named `name` (case-insensitive), or a null QByteArray.
    QByteArray header(QByteArrayView name) const;
    QList<QPair<QByteArray, QByteArray>> trailers() const { return m_trailers; }
    /// Status codes of skipped interim (1xx) responses, in order.
    QList<int> interimStatusCodes() const { return m_interim; }

    Framing framing() const { return m_framing; }
    qint64 contentLength() const { return m_contentLength; } ///< -1 when not framed by Content-Length
    QByteArray body() const { return m_body; }
    bool isBodyTruncated() const { return m_bodyTruncated; }
    /// Whether reading stopped at Limits::maxReadBodyBytes before the body ended.
    bool stoppedReading() const { return m_stoppedReading; }
    qint64 bodyBytesRead() const { return m_bodyBytesRead; }
    qint64 bytesReceived() const { return m_bytesReceived; }

private:
    bool processLine(QByteArrayView line);
    bool parseStatusLine(QByteArrayView line);
    bool parseHeaderLine(QByteArrayView line, QList<QPair<QByteArray, QByteArray>> *into);
    bool parseChunkSize(QByteArrayView line);
    bool endOfHeaders();
    bool checkStatusPrefix(QByteArrayView pending);
    void appendBody(QByteArrayView data);
    void fail(Error error, const QString &message);
    bool isLineState() const;

    Limits m_limits;
    bool m_isHeadRequest = false;
    State m_state = State::StatusLine;
    Error m_error = Error::None;
    QString m_errorString;
    QByteArray m_pending; ///< bytes of an incomplete line
    qsizetype m_headerBytes = 0;
    int m_statusCode = 0;
    QByteArray m_statusLine;
    QByteArray m_version;
    QByteArray m_reason;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QList<QPair<QByteArray, QByteArray>> m_trailers;
    QList<int> m_interim;
    bool m_headersDone = false;
    Framing m_framing = Framing::None;
    qint64 m_contentLength = -1;
    qint64 m_remaining = 0; ///< of the Content-Length body or of the current chunk
    QByteArray m_body;
    bool m_bodyTruncated = false;
    bool m_stoppedReading = false;
    qint64 m_bodyBytesRead = 0;
    qint64 m_bytesReceived = 0;
};

} // namespace dd
