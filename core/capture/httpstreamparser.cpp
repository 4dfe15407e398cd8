#include "httpstreamparser.h"

#include "httphead.h"
#include "util/redact.h"

#include <cstring>

namespace dd {

namespace {

constexpr qsizetype maxLineBytes = 1024;

bool isInteresting(int status, bool webSocket)
{
    return status == 0 || status >= 400 || status == 101 || webSocket;
}

} // namespace

HttpStreamParser::HttpStreamParser(int conversation, InspectorSink *sink) : m_conversation(conversation), m_sink(sink)
{
}

bool HttpStreamParser::isDone() const
{
    return m_dir[0].state == State::Opaque && m_dir[1].state == State::Opaque;
}

void HttpStreamParser::data(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs)
{
    Direction &d = m_dir[direction];
    while (size > 0) {
        qsizetype used = 0;
        switch (d.state) {
        case State::Opaque:
            return;
        case State::Lost:
            if (!startsMessage(direction, data, size))
                return;
            d.state = State::Head;
            continue;
        case State::Head:
            used = consumeHead(direction, data, size, timeNs);
            break;
        default:
            used = consumeBody(direction, data, size, timeNs);
            break;
        }
        if (used <= 0)
            return;
        data += used;
        size -= used;
    }
}

bool HttpStreamParser::startsMessage(int direction, const quint8 *data, qsizetype size)
{
    return direction == 0 ? looksLikeHttpRequest(data, size) : looksLikeHttpResponse(data, size);
}

void HttpStreamParser::notHttp(int direction, const quint8 *data, qsizetype size)
{
    m_dir[direction].state = State::Opaque;
    m_dir[direction].head.clear();
    TcpConversation &c = m_sink->conversation(m_conversation);
    if (direction == 1 && looksLikeTlsRecord(data, size)) {
        c.schemeMismatch = SchemeMismatch::TlsAnswerToPlaintext;
        ProtocolNote note;
        note.conversation = m_conversation;
        note.protocol = AppProtocol::Tls;
        note.from = TcpSide::Server;
        note.isError = true;
        note.text = QStringLiteral("plain HTTP answered with a TLS record: HTTP sent to a TLS port");
        m_sink->noteAdded(std::move(note));
        return;
    }
    m_sink->inspectionWarning(
        QStringLiteral("not-http"),
        QStringLiteral("%1 sent bytes that are not HTTP on %2; skipped")
            .arg(direction == 0 ? QStringLiteral("client") : QStringLiteral("server"), c.label()));
}

qsizetype HttpStreamParser::consumeHead(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs)
{
    Direction &d = m_dir[direction];
    const char *p = reinterpret_cast<const char *>(data);
    if (d.head.isEmpty()) {
        if (!startsMessage(direction, data, size)) {
            notHttp(direction, data, size);
            return 0;
        }
        d.headNs = timeNs;
        const qsizetype end = parseHead(direction, p, size, timeNs);
        if (end >= 0)
            return end;
        if (size > maxHeadBytes) {
            notHttp(direction, data, size);
            return 0;
        }
        d.head = QByteArray(p, size);
        return size;
    }
    const qsizetype old = d.head.size();
    const qsizetype take = qMin(size, maxHeadBytes + 4 - old);
    d.head.append(p, take);
    const qsizetype end = findHeadEnd(d.head.constData(), d.head.size(), old - 3);
    if (end < 0) {
        if (d.head.size() >= maxHeadBytes) {
            m_sink->inspectionWarning(QStringLiteral("http-head-too-large"),
                                      QStringLiteral("HTTP head larger than %1 KiB on %2; skipped")
                                          .arg(maxHeadBytes / 1024)
                                          .arg(m_sink->conversation(m_conversation).label()));
            d.head.clear();
            d.state = State::Opaque;
            return 0;
        }
        return size;
    }
    const QByteArray head = std::move(d.head);
    d.head = QByteArray();
    parseHead(direction, head.constData(), end, timeNs);
    return end - old;
}

qsizetype HttpStreamParser::parseHead(int direction, const char *data, qsizetype size, CaptureTime timeNs)
{
    if (direction == 0) {
        RequestFraming f;
        const qsizetype end = scanRequestHead(data, size, &f);
        if (end >= 0)
            requestHead(data, end, timeNs, f);
        return end;
    }
    ResponseFraming f;
    const qsizetype end = scanResponseHead(data, size, &f);
    if (end >= 0)
        responseHead(data, end, f);
    return end;
}

void HttpStreamParser::requestHead(const char *head, qsizetype size, CaptureTime timeNs, const RequestFraming &f)
{
    Direction &d = m_dir[0];
    PendingRequest r;
    // The head waits for its response; the buffer of an answered one is reused.
    r.head = std::move(m_spareHead);
    r.head.resize(size);
    std::memcpy(r.head.data(), head, size_t(size));
    r.requestNs = d.headNs;
    r.isHead = f.isHead;
    r.isConnect = f.isConnect;
    r.hasUpgrade = f.hasUpgrade;
    r.isWebSocket = f.isWebSocket;
    if (f.chunked) {
        d.state = State::ChunkSize;
        d.line.clear();
    } else if (f.contentLength > 0) {
        d.state = State::Body;
        d.remaining = f.contentLength;
    } else {
        r.requestEndNs = timeNs;
        d.state = State::Head;
    }
    d.keepSnippet = false;
    if (pendingCount() >= maxPendingRequests)
        emitUnanswered(takePending());
    m_pending.append(std::move(r));
    ++m_sink->conversation(m_conversation).httpRequests;
    m_sink->requestParsed(m_conversation);
}

void HttpStreamParser::responseHead(const char *head, qsizetype size, const ResponseFraming &f)
{
    Direction &d = m_dir[1];
    const int status = f.status;
    if (status == 0) {
        m_sink->inspectionWarning(QStringLiteral("bad-status-line"),
                                  QStringLiteral("unreadable HTTP status line on %1; skipped")
                                      .arg(m_sink->conversation(m_conversation).label()));
        lose(1);
        return;
    }
    // 1xx other than 101 are interim: the final response to the same request follows.
    if (status < 200 && status != 101) {
        d.state = State::Head;
        return;
    }
    PendingRequest request;
    m_responseHadRequest = pendingCount() > 0;
    if (m_responseHadRequest)
        request = takePending();
    m_responseWebSocket = request.isWebSocket;
    m_keepResponse = m_sink->claimExchange(isInteresting(status, request.hasUpgrade));
    // Unless kept, m_response holds no strings (emitResponse() moved them out): its plain fields
    // are all set below.
    if (m_keepResponse && m_responseHadRequest)
        m_response = requestOnly(request);
    m_response.conversation = m_conversation;
    m_response.requestNs = request.requestNs;
    m_response.requestEndNs = request.requestEndNs;
    m_response.status = status;
    m_response.responseNs = d.headNs;
    m_response.contentLength = f.contentLength;
    m_response.chunked = f.chunked;
    if (m_keepResponse)
        fillResponseDetails(&m_response, head, size, m_sink);
    else if (!isInteresting(status, request.hasUpgrade))
        m_sink->exchangePassed(m_response, request.head, head, size);
    if (request.head.capacity() > m_spareHead.capacity() && request.head.capacity() <= spareHeadBytes) {
        request.head.resize(0);
        m_spareHead = std::move(request.head);
    }
    TcpConversation &c = m_sink->conversation(m_conversation);
    ++c.httpResponses;
    m_haveResponse = true;
    m_snippet.clear();
    d.keepSnippet = status >= 400;

    const bool tunnel = status == 101 || (request.isConnect && status < 300);
    if (tunnel) {
        if (status == 101 && request.isWebSocket)
            c.protocol = AppProtocol::WebSocket;
        emitResponse();
        m_dir[0].state = State::Opaque;
        m_dir[1].state = State::Opaque;
        m_pending.clear();
        m_pendingFirst = 0;
        return;
    }
    if (request.isHead || status == 204 || status == 304) {
        bodyDone(1, d.headNs);
    } else if (f.chunked) {
        d.state = State::ChunkSize;
        d.line.clear();
    } else if (f.contentLength >= 0) {
        d.state = State::Body;
        d.remaining = f.contentLength;
        if (d.remaining == 0)
            bodyDone(1, d.headNs);
    } else {
        d.state = State::UntilClose;
    }
}

HttpStreamParser::PendingRequest HttpStreamParser::takePending()
{
    // A queue in a list that keeps its allocation: with keep-alive, one request waits at a time.
    PendingRequest r = std::move(m_pending[m_pendingFirst++]);
    if (m_pendingFirst == m_pending.size()) {
        m_pending.clear();
        m_pendingFirst = 0;
    } else if (m_pendingFirst >= maxPendingRequests) { // a pipeline that never drains: stay bounded
        m_pending.remove(0, m_pendingFirst);
        m_pendingFirst = 0;
    }
    return r;
}

HttpExchange HttpStreamParser::requestOnly(const PendingRequest &request)
{
    HttpExchange x;
    x.conversation = m_conversation;
    fillRequestDetails(&x, request.head.constData(), request.head.size(), m_sink);
    x.requestNs = request.requestNs;
    x.requestEndNs = request.requestEndNs;
    return x;
}

void HttpStreamParser::emitUnanswered(PendingRequest &&request)
{
    m_sink->exchangeCounted(0, true, request.isWebSocket);
    if (m_sink->claimExchange(true))
        m_sink->exchangeStored(requestOnly(request));
}

qsizetype HttpStreamParser::consumeBody(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs)
{
    Direction &d = m_dir[direction];
    switch (d.state) {
    case State::Body:
    case State::ChunkData: {
        const qsizetype take = qsizetype(qMin<qint64>(size, d.remaining));
        if (d.keepSnippet)
            keepSnippet(data, take);
        d.remaining -= take;
        if (d.remaining == 0) {
            if (d.state == State::Body)
                bodyDone(direction, timeNs);
            else
                d.state = State::ChunkDataEnd;
        }
        return take;
    }
    case State::UntilClose:
        if (d.keepSnippet)
            keepSnippet(data, size);
        return size;
    case State::ChunkDataEnd: {
        const void *nl = std::memchr(data, '\n', size_t(size));
        if (!nl)
            return size;
        d.state = State::ChunkSize;
        d.line.clear();
        return static_cast<const quint8 *>(nl) - data + 1;
    }
    case State::ChunkSize:
    case State::Trailer: {
        const void *nl = std::memchr(data, '\n', size_t(size));
        const qsizetype used = nl ? static_cast<const quint8 *>(nl) - data + 1 : size;
        if (d.line.size() + used > maxLineBytes) {
            lose(direction);
            return size;
        }
        d.line.append(reinterpret_cast<const char *>(data), used);
        if (!nl)
            return used;
        QByteArray line = d.line.trimmed();
        d.line.clear();
        if (d.state == State::Trailer) {
            if (line.isEmpty())
                bodyDone(direction, timeNs);
            return used;
        }
        const qsizetype semicolon = line.indexOf(';');
        if (semicolon >= 0)
            line.truncate(semicolon);
        bool ok = false;
        const qint64 chunk = line.trimmed().toLongLong(&ok, 16);
        if (!ok || chunk < 0) {
            lose(direction);
            return size;
        }
        if (chunk == 0) {
            d.state = State::Trailer;
        } else {
            d.state = State::ChunkData;
            d.remaining = chunk;
        }
        return used;
    }
    default:
        return size;
    }
}

void HttpStreamParser::keepSnippet(const quint8 *data, qsizetype size)
{
    const qsizetype room = snippetBytes - m_snippet.size();
    if (room > 0)
        m_snippet.append(reinterpret_cast<const char *>(data), qMin(room, size));
}

void HttpStreamParser::bodyDone(int direction, CaptureTime timeNs)
{
    Direction &d = m_dir[direction];
    d.state = State::Head;
    d.remaining = 0;
    if (direction == 0) {
        if (pendingCount() > 0 && m_pending.constLast().requestEndNs < 0)
            m_pending.last().requestEndNs = timeNs;
        return;
    }
    emitResponse();
}

void HttpStreamParser::emitResponse()
{
    if (!m_haveResponse)
        return;
    m_haveResponse = false;
    m_dir[1].keepSnippet = false;
    if (!m_snippet.isEmpty()) {
        // nginx answers plain HTTP on an ssl listener with this page instead of a TLS alert.
        if (m_response.status == 400 && m_snippet.contains("plain HTTP request was sent to HTTPS port"))
            m_sink->conversation(m_conversation).schemeMismatch = SchemeMismatch::TlsAnswerToPlaintext;
        if (m_keepResponse) {
            QByteArray printable = m_snippet;
            for (char &ch : printable) {
                if ((ch < 0x20 && ch != '\n') || ch == 0x7f)
                    ch = ' ';
            }
            m_response.bodySnippet = QString::fromLatin1(redactJwts(printable)).simplified();
        }
        m_snippet.clear();
    }
    m_sink->exchangeCounted(m_response.status, m_responseHadRequest, m_responseWebSocket);
    if (m_keepResponse)
        m_sink->exchangeStored(std::move(m_response));
}

void HttpStreamParser::lose(int direction)
{
    Direction &d = m_dir[direction];
    if (d.state == State::Opaque)
        return;
    d.state = State::Lost;
    d.head.clear();
    d.line.clear();
    d.remaining = 0;
    if (direction == 1)
        emitResponse();
}

void HttpStreamParser::gap(int direction, qint64 size, CaptureTime timeNs)
{
    Direction &d = m_dir[direction];
    switch (d.state) {
    case State::Body:
    case State::ChunkData:
        if (size <= d.remaining) {
            d.remaining -= size;
            if (d.remaining == 0) {
                if (d.state == State::Body)
                    bodyDone(direction, timeNs);
                else
                    d.state = State::ChunkDataEnd;
            }
            return;
        }
        lose(direction);
        return;
    case State::UntilClose:
    case State::Opaque:
    case State::Lost:
        return;
    default:
        lose(direction);
        return;
    }
}

void HttpStreamParser::finish()
{
    emitResponse();
    while (pendingCount() > 0)
        emitUnanswered(takePending());
}

} // namespace dd
