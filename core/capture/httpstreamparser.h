#pragma once

#include "conversationinspector.h"
#include "httphead.h"

#include <QByteArray>
#include <QList>

namespace dd {

/**
 * HTTP/1.x over one reassembled conversation: request and response heads parsed, bodies
 * skipped by Content-Length or chunked framing (or read to the close), responses paired with
 * requests in order (pipelining included), 1xx interim responses skipped, 101 ends the parsing.
 * After a gap the direction waits for the next segment that starts a message.
 *
 * Every exchange is counted; its strings are built only when the sink claims it for keeping
 * (a request waits as its raw head until then).
 *
 * Bounded: a head may not exceed maxHeadBytes, at most maxPendingRequests wait for responses,
 * and only the first bytes of an error body are kept.
 */
class HttpStreamParser
{
public:
    static constexpr qsizetype maxHeadBytes = 64 * 1024;
    static constexpr int maxPendingRequests = 128;
    static constexpr qsizetype snippetBytes = 256;
    static constexpr qsizetype spareHeadBytes = 4096;

    HttpStreamParser(int conversation, InspectorSink *sink);

    void data(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs);
    void gap(int direction, qint64 size, CaptureTime timeNs);
    void finish();
    bool isDone() const;

private:
    enum class State { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailer, UntilClose, Opaque, Lost };

    struct Direction
    {
        State state = State::Head;
        QByteArray head;
        CaptureTime headNs = -1;
        qint64 remaining = 0;
        QByteArray line;
        bool keepSnippet = false;
    };

    struct PendingRequest
    {
        QByteArray head;
        CaptureTime requestNs = -1;
        CaptureTime requestEndNs = -1;
        bool isHead = false;
        bool isConnect = false;
        bool hasUpgrade = false;
        bool isWebSocket = false;
    };

    qsizetype consumeHead(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs);
    qsizetype consumeBody(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs);
    bool startsMessage(int direction, const quint8 *data, qsizetype size);
    void notHttp(int direction, const quint8 *data, qsizetype size);
    qsizetype parseHead(int direction, const char *data, qsizetype size, CaptureTime timeNs);
    void requestHead(const char *head, qsizetype size, CaptureTime timeNs, const RequestFraming &f);
    void responseHead(const char *head, qsizetype size, const ResponseFraming &f);
    void bodyDone(int direction, CaptureTime timeNs);
    void keepSnippet(const quint8 *data, qsizetype size);
    void emitResponse();
    void emitUnanswered(PendingRequest &&request);
    HttpExchange requestOnly(const PendingRequest &request);
    qsizetype pendingCount() const { return m_pending.size() - m_pendingFirst; }
    PendingRequest takePending();
    void lose(int direction);

    int m_conversation;
    InspectorSink *m_sink;
    Direction m_dir[2];
    QList<PendingRequest> m_pending; ///< from m_pendingFirst on
    qsizetype m_pendingFirst = 0;
    HttpExchange m_response; ///< filled in full only when kept
    bool m_haveResponse = false;
    bool m_keepResponse = false;
    bool m_responseHadRequest = false;
    bool m_responseWebSocket = false;
    QByteArray m_snippet;
    QByteArray m_spareHead; ///< an answered request's head buffer, for the next request
};

} // namespace dd
