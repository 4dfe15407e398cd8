#include "httpstreamparser.h"

#include "util/redact.h"

#include <QUrl>

#include <cstring>

namespace dd {

namespace {

constexpr qsizetype maxLineBytes = 1024;
constexpr qsizetype maxTargetChars = 2048;

// Index just past the blank line that ends a head ("\r\n\r\n" or a bare "\n\n"), or -1.
qsizetype findHeadEnd(const char *p, qsizetype size, qsizetype from)
{
    for (qsizetype i = qMax<qsizetype>(from, 0); i < size;) {
        const void *nl = std::memchr(p + i, '\n', size_t(size - i));
        if (!nl)
            return -1;
        const qsizetype at = static_cast<const char *>(nl) - p;
        if (at + 1 < size && p[at + 1] == '\n')
            return at + 2;
        if (at + 2 < size && p[at + 1] == '\r' && p[at + 2] == '\n')
            return at + 3;
        i = at + 1;
    }
    return -1;
}

struct LineReader
{
    const char *head;
    qsizetype size;
    qsizetype pos = 0;

    bool next(const char **line, qsizetype *length)
    {
        if (pos >= size)
            return false;
        const char *start = head + pos;
        const void *nl = std::memchr(start, '\n', size_t(size - pos));
        const qsizetype end = nl ? static_cast<const char *>(nl) - head : size;
        qsizetype n = end - pos;
        if (n > 0 && start[n - 1] == '\r')
            --n;
        *line = start;
        *length = n;
        pos = end + 1;
        return true;
    }
};

bool nameIs(const char *name, qsizetype length, const char *literal)
{
    const qsizetype n = qsizetype(std::strlen(literal));
    return n == length && qstrnicmp(name, literal, size_t(n)) == 0;
}

QString latin1(const char *p, qsizetype n)
{
    return QString::fromLatin1(p, n);
}

/// Splits "Name: value" and trims the value; false for a line without a colon.
bool splitHeader(const char *line, qsizetype length, qsizetype *nameLength, const char **value, qsizetype *valueLength)
{
    const void *colon = std::memchr(line, ':', size_t(length));
    if (!colon)
        return false;
    *nameLength = static_cast<const char *>(colon) - line;
    const char *v = static_cast<const char *>(colon) + 1;
    const char *end = line + length;
    while (v < end && (*v == ' ' || *v == '\t'))
        ++v;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
        --end;
    *value = v;
    *valueLength = end - v;
    return true;
}

qint64 parseLength(const char *p, qsizetype n)
{
    if (n == 0 || n > 18)
        return -1;
    qint64 v = 0;
    for (qsizetype i = 0; i < n; ++i) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

QString redactedTarget(const char *p, qsizetype n)
{
    const QByteArray raw(p, qMin(n, maxTargetChars));
    if (!raw.contains('?') && !raw.contains('@') && !raw.contains("eyJ"))
        return QString::fromLatin1(raw);
    return redactUrl(QUrl::fromEncoded(raw));
}

} // namespace

HttpStreamParser::HttpStreamParser(int conversation, InspectorSink *sink)
    : m_conversation(conversation)
    , m_sink(sink)
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
    m_sink->inspectionWarning(QStringLiteral("not-http"),
                              QStringLiteral("%1 sent bytes that are not HTTP on %2; skipped")
                                  .arg(direction == 0 ? QStringLiteral("client") : QStringLiteral("server"),
                                       c.label()));
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
        const qsizetype end = findHeadEnd(p, size, 0);
        if (end >= 0) {
            if (direction == 0)
                parseRequestHead(p, end, timeNs);
            else
                parseResponseHead(p, end, timeNs);
            return end;
        }
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
    if (direction == 0)
        parseRequestHead(head.constData(), end, timeNs);
    else
        parseResponseHead(head.constData(), end, timeNs);
    return end - old;
}

void HttpStreamParser::parseRequestHead(const char *head, qsizetype size, CaptureTime timeNs)
{
    Direction &d = m_dir[0];
    LineReader lines{head, size};
    const char *line = nullptr;
    qsizetype length = 0;
    lines.next(&line, &length);
    HttpExchange x;
    x.conversation = m_conversation;
    x.requestNs = d.headNs;
    const char *sp1 = static_cast<const char *>(std::memchr(line, ' ', size_t(length)));
    if (sp1) {
        x.method = latin1(line, sp1 - line);
        const char *rest = sp1 + 1;
        const qsizetype restLength = line + length - rest;
        const char *sp2 = static_cast<const char *>(std::memchr(rest, ' ', size_t(restLength)));
        x.target = redactedTarget(rest, sp2 ? sp2 - rest : restLength);
    }
    qint64 contentLength = 0;
    bool chunked = false;
    while (lines.next(&line, &length)) {
        qsizetype nameLength = 0;
        const char *value = nullptr;
        qsizetype valueLength = 0;
        if (length == 0 || !splitHeader(line, length, &nameLength, &value, &valueLength))
            continue;
        if (nameIs(line, nameLength, "host"))
            x.host = latin1(value, valueLength);
        else if (nameIs(line, nameLength, "content-length"))
            contentLength = parseLength(value, valueLength);
        else if (nameIs(line, nameLength, "transfer-encoding"))
            chunked = QByteArrayView(value, valueLength).contains(QByteArrayView("chunked"));
        else if (nameIs(line, nameLength, "upgrade"))
            x.upgrade = latin1(value, valueLength);
        else if (nameLength > 12 && qstrnicmp(line, "x-forwarded-", 12) == 0 && x.forwarded.size() < 8)
            x.forwarded.append(latin1(line, nameLength) + QStringLiteral(": ") +
                               QString::fromLatin1(redactHeaderValue(QByteArrayView(line, nameLength),
                                                                     QByteArrayView(value, valueLength))));
    }
    if (chunked) {
        d.state = State::ChunkSize;
        d.line.clear();
    } else if (contentLength > 0) {
        d.state = State::Body;
        d.remaining = contentLength;
    } else {
        x.requestEndNs = timeNs;
        d.state = State::Head;
    }
    d.keepSnippet = false;
    if (int(m_pending.size()) >= maxPendingRequests) {
        m_sink->exchangeCompleted(std::move(m_pending.front()));
        m_pending.pop_front();
    }
    m_pending.push_back(std::move(x));
    ++m_sink->conversation(m_conversation).httpRequests;
    m_sink->requestParsed(m_conversation);
}

void HttpStreamParser::parseResponseHead(const char *head, qsizetype size, CaptureTime timeNs)
{
    Direction &d = m_dir[1];
    LineReader lines{head, size};
    const char *line = nullptr;
    qsizetype length = 0;
    lines.next(&line, &length);
    int status = 0;
    QString reason;
    const char *sp1 = static_cast<const char *>(std::memchr(line, ' ', size_t(length)));
    if (sp1 && line + length - sp1 >= 4) {
        const char *code = sp1 + 1;
        if (code[0] >= '1' && code[0] <= '5' && code[1] >= '0' && code[1] <= '9' && code[2] >= '0' && code[2] <= '9')
            status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
        if (line + length - code > 4)
            reason = latin1(code + 4, line + length - code - 4);
    }
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
    HttpExchange x;
    if (!m_pending.empty()) {
        x = std::move(m_pending.front());
        m_pending.pop_front();
    } else {
        x.conversation = m_conversation;
    }
    x.status = status;
    x.reason = reason;
    x.responseNs = d.headNs;
    bool chunked = false;
    while (lines.next(&line, &length)) {
        qsizetype nameLength = 0;
        const char *value = nullptr;
        qsizetype valueLength = 0;
        if (length == 0 || !splitHeader(line, length, &nameLength, &value, &valueLength))
            continue;
        if (nameIs(line, nameLength, "content-length"))
            x.contentLength = parseLength(value, valueLength);
        else if (nameIs(line, nameLength, "transfer-encoding"))
            chunked = QByteArrayView(value, valueLength).contains(QByteArrayView("chunked"));
        else if (nameIs(line, nameLength, "server"))
            x.server = latin1(value, valueLength);
        else if (nameIs(line, nameLength, "upgrade"))
            x.responseUpgrade = latin1(value, valueLength);
    }
    x.chunked = chunked;
    TcpConversation &c = m_sink->conversation(m_conversation);
    ++c.httpResponses;
    m_response = std::move(x);
    m_haveResponse = true;
    m_snippet.clear();
    d.keepSnippet = status >= 400;

    const bool headRequest = m_response.method == QLatin1String("HEAD");
    const bool tunnel = status == 101 || (m_response.method == QLatin1String("CONNECT") && status < 300);
    if (tunnel) {
        if (status == 101 && m_response.isWebSocketRequest())
            c.protocol = AppProtocol::WebSocket;
        emitResponse();
        m_dir[0].state = State::Opaque;
        m_dir[1].state = State::Opaque;
        m_pending.clear();
        return;
    }
    if (headRequest || status == 204 || status == 304) {
        bodyDone(1, timeNs);
    } else if (chunked) {
        d.state = State::ChunkSize;
        d.line.clear();
    } else if (m_response.contentLength >= 0) {
        d.state = State::Body;
        d.remaining = m_response.contentLength;
        if (d.remaining == 0)
            bodyDone(1, timeNs);
    } else {
        d.state = State::UntilClose;
    }
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
        if (!m_pending.empty() && m_pending.back().requestEndNs < 0)
            m_pending.back().requestEndNs = timeNs;
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
        QByteArray printable = m_snippet;
        for (char &ch : printable) {
            if ((ch < 0x20 && ch != '\n') || ch == 0x7f)
                ch = ' ';
        }
        m_response.bodySnippet = QString::fromLatin1(redactJwts(printable)).simplified();
        // nginx answers plain HTTP on an ssl listener with this page instead of a TLS alert.
        if (m_response.status == 400 && m_snippet.contains("plain HTTP request was sent to HTTPS port"))
            m_sink->conversation(m_conversation).schemeMismatch = SchemeMismatch::TlsAnswerToPlaintext;
        m_snippet.clear();
    }
    m_sink->exchangeCompleted(std::move(m_response));
    m_response = HttpExchange();
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
    while (!m_pending.empty()) {
        m_sink->exchangeCompleted(std::move(m_pending.front()));
        m_pending.pop_front();
    }
}

} // namespace dd
