#include "httpresponseparser.h"

namespace dd {

namespace {

constexpr qsizetype maxChunkLineBytes = 4096;
constexpr QByteArrayView httpPrefix("HTTP/");

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isTokenChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f)
        return false;
    return !QByteArrayView("\"(),/:;<=>?@[\\]{}").contains(c);
}

// A short, printable rendering of bytes for an error message.
QString describeBytes(QByteArrayView bytes)
{
    QString text;
    const qsizetype shown = qMin<qsizetype>(bytes.size(), 48);
    for (qsizetype i = 0; i < shown; ++i) {
        const auto c = static_cast<unsigned char>(bytes.at(i));
        if (c >= 0x20 && c < 0x7f && c != '\\')
            text.append(QLatin1Char(char(c)));
        else
            text.append(QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0')));
    }
    if (shown < bytes.size())
        text.append(QStringLiteral("..."));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

// What a non-HTTP answer most likely is; the usual case is plain HTTP sent to a TLS port.
QString guessProtocol(QByteArrayView bytes)
{
    if (bytes.size() >= 2 && (bytes.at(0) == '\x15' || bytes.at(0) == '\x16') && bytes.at(1) == '\x03')
        return QStringLiteral(" (a TLS record: is this an HTTPS port?)");
    if (bytes.startsWith(QByteArrayView("SSH-")))
        return QStringLiteral(" (an SSH server)");
    if (bytes.startsWith(QByteArrayView("AMQP")))
        return QStringLiteral(" (an AMQP broker)");
    if (bytes.startsWith(QByteArrayView("-ERR")) || bytes.startsWith(QByteArrayView("-NOAUTH")))
        return QStringLiteral(" (a Redis server)");
    return QString();
}

// Content-Length may repeat, also as a list ("5, 5"); all values must agree (RFC 9110 8.6).
bool parseContentLength(const QList<QPair<QByteArray, QByteArray>> &headers, qint64 *length, bool *present)
{
    *present = false;
    qint64 value = -1;
    for (const auto &header : headers) {
        if (header.first.compare(QByteArrayView("content-length"), Qt::CaseInsensitive) != 0)
            continue;
        *present = true;
        const QList<QByteArray> parts = header.second.split(',');
        for (const QByteArray &rawPart : parts) {
            const QByteArray part = rawPart.trimmed();
            if (part.isEmpty() || part.size() > 18)
                return false;
            for (const char c : part) {
                if (!isDigit(c))
                    return false;
            }
            const qint64 parsed = part.toLongLong();
            if (value >= 0 && parsed != value)
                return false;
            value = parsed;
        }
    }
    *length = value;
    return true;
}

} // namespace

HttpResponseParser::HttpResponseParser() : m_limits(Limits()) {}

HttpResponseParser::HttpResponseParser(const Limits &limits) : m_limits(limits) {}

void HttpResponseParser::setRequestMethod(QByteArrayView method)
{
    m_isHeadRequest = method.compare(QByteArrayView("HEAD"), Qt::CaseInsensitive) == 0;
}

void HttpResponseParser::reset()
{
    const Limits limits = m_limits;
    const bool isHead = m_isHeadRequest;
    *this = HttpResponseParser(limits);
    m_isHeadRequest = isHead;
}

bool HttpResponseParser::hasHeaders() const
{
    return m_headersDone;
}

QByteArray HttpResponseParser::header(QByteArrayView name) const
{
    for (const auto &header : m_headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return QByteArray();
}

bool HttpResponseParser::isLineState() const
{
    return m_state == State::StatusLine || m_state == State::Headers || m_state == State::ChunkSize ||
           m_state == State::ChunkDataEnd || m_state == State::Trailers;
}

qsizetype HttpResponseParser::feed(QByteArrayView data)
{
    qsizetype used = 0;
    while (used < data.size() && m_state != State::Complete && m_state != State::Failed) {
        const QByteArrayView rest = data.sliced(used);
        if (isLineState()) {
            const qsizetype newline = rest.indexOf('\n');
            const qsizetype take = newline < 0 ? rest.size() : newline + 1;
            const bool isHeaderPart =
                m_state == State::StatusLine || m_state == State::Headers || m_state == State::Trailers;
            if (isHeaderPart && m_headerBytes + m_pending.size() + take > m_limits.maxHeaderBytes) {
                fail(Error::HeaderTooLarge,
                     QStringLiteral("the response header is larger than %1 bytes").arg(m_limits.maxHeaderBytes));
                return used;
            }
            if (!isHeaderPart && m_pending.size() + take > maxChunkLineBytes) {
                fail(Error::Malformed, QStringLiteral("chunk size line longer than %1 bytes").arg(maxChunkLineBytes));
                return used;
            }
            m_pending.append(rest.first(take));
            used += take;
            m_bytesReceived += take;
            if (m_state == State::StatusLine && !checkStatusPrefix(m_pending))
                return used;
            if (newline < 0)
                break;
            if (isHeaderPart)
                m_headerBytes += m_pending.size();
            QByteArrayView line(m_pending);
            line.chop(1);
            if (line.endsWith('\r'))
                line.chop(1);
            const bool ok = processLine(line);
            m_pending.clear();
            if (!ok)
                return used;
            continue;
        }

        qsizetype take = rest.size();
        const bool isFramed = m_state == State::ChunkData || m_framing == Framing::ContentLength;
        if (isFramed)
            take = qsizetype(qMin<qint64>(take, m_remaining));
        take = qsizetype(qMin<qint64>(take, qMax<qint64>(0, m_limits.maxReadBodyBytes - m_bodyBytesRead)));
        appendBody(rest.first(take));
        used += take;
        m_bytesReceived += take;
        if (isFramed)
            m_remaining -= take;
        if (m_state == State::ChunkData && m_remaining == 0)
            m_state = State::ChunkDataEnd;
        else if (m_state == State::Body && m_framing == Framing::ContentLength && m_remaining == 0)
            m_state = State::Complete;
        if (m_state != State::Complete && m_bodyBytesRead >= m_limits.maxReadBodyBytes) {
            m_stoppedReading = true;
            m_bodyTruncated = true;
            m_state = State::Complete;
        }
    }
    return used;
}

void HttpResponseParser::closed()
{
    switch (m_state) {
    case State::Complete:
    case State::Failed:
        return;
    case State::StatusLine:
        if (m_bytesReceived == 0 && m_interim.isEmpty())
            fail(Error::ClosedBeforeStatus,
                 QStringLiteral("the server closed the connection without sending a response"));
        else
            fail(Error::ClosedBeforeStatus, QStringLiteral("the server closed the connection after %1 bytes, before a "
                                                           "complete status line")
                                                .arg(m_bytesReceived));
        return;
    case State::Headers:
        fail(Error::ClosedInHeaders,
             QStringLiteral("the server closed the connection before the end of the response header"));
        return;
    case State::Body:
        if (m_framing == Framing::UntilClose) {
            m_state = State::Complete;
            return;
        }
        fail(Error::ClosedInBody, QStringLiteral("the server closed the connection after %1 of %2 body bytes")
                                      .arg(m_bodyBytesRead)
                                      .arg(m_contentLength));
        return;
    case State::Trailers:
        // The last chunk arrived: the body is whole even if the trailer section is cut.
        m_state = State::Complete;
        return;
    case State::ChunkSize:
    case State::ChunkData:
    case State::ChunkDataEnd:
        fail(Error::ClosedInBody, QStringLiteral("the server closed the connection inside the chunked body, after %1 "
                                                 "body bytes")
                                      .arg(m_bodyBytesRead));
        return;
    }
}

bool HttpResponseParser::checkStatusPrefix(QByteArrayView pending)
{
    QByteArrayView text = pending;
    if (text.endsWith('\n'))
        text.chop(1);
    if (text.endsWith('\r'))
        text.chop(1);
    const qsizetype n = qMin(text.size(), httpPrefix.size());
    if (text.first(n) == httpPrefix.first(n))
        return true;
    fail(Error::Malformed, QStringLiteral("the response does not start with \"HTTP/\": %1%2")
                               .arg(describeBytes(pending), guessProtocol(pending)));
    return false;
}

bool HttpResponseParser::processLine(QByteArrayView line)
{
    switch (m_state) {
    case State::StatusLine:
        // Some servers send an empty line before the status line; RFC 9112 2.2 lets us skip it.
        return line.isEmpty() || parseStatusLine(line);
    case State::Headers:
        return line.isEmpty() ? endOfHeaders() : parseHeaderLine(line, &m_headers);
    case State::ChunkSize:
        return parseChunkSize(line);
    case State::ChunkDataEnd:
        if (!line.isEmpty()) {
            fail(Error::Malformed,
                 QStringLiteral("chunk data not followed by a line end: %1").arg(describeBytes(line)));
            return false;
        }
        m_state = State::ChunkSize;
        return true;
    case State::Trailers:
        if (line.isEmpty()) {
            m_state = State::Complete;
            return true;
        }
        return parseHeaderLine(line, &m_trailers);
    default:
        return true;
    }
}

bool HttpResponseParser::parseStatusLine(QByteArrayView line)
{
    // HTTP-version SP 3DIGIT [SP reason-phrase]; HTTP-version = "HTTP/" DIGIT "." DIGIT
    const bool versionOk = line.size() >= 12 && line.startsWith(httpPrefix) && isDigit(line.at(5)) &&
                           line.at(6) == '.' && isDigit(line.at(7)) && line.at(8) == ' ';
    const bool codeOk = versionOk && isDigit(line.at(9)) && isDigit(line.at(10)) && isDigit(line.at(11)) &&
                        line.at(9) != '0' && (line.size() == 12 || line.at(12) == ' ');
    if (!codeOk) {
        fail(Error::Malformed, QStringLiteral("invalid status line: %1").arg(describeBytes(line)));
        return false;
    }
    m_statusLine = line.toByteArray();
    m_version = line.first(8).toByteArray();
    m_statusCode = line.sliced(9, 3).toInt();
    m_reason = line.size() > 13 ? line.sliced(13).trimmed().toByteArray() : QByteArray();
    m_state = State::Headers;
    return true;
}

bool HttpResponseParser::parseHeaderLine(QByteArrayView line, QList<QPair<QByteArray, QByteArray>> *into)
{
    if (line.startsWith(' ') || line.startsWith('\t')) {
        // Obsolete line folding (RFC 9112 5.2): the line continues the previous value.
        if (into->isEmpty()) {
            fail(Error::Malformed,
                 QStringLiteral("folded header line with no header before it: %1").arg(describeBytes(line)));
            return false;
        }
        QByteArray &value = into->last().second;
        const QByteArrayView more = line.trimmed();
        if (!more.isEmpty())
            value.append(value.isEmpty() ? QByteArray() : QByteArray(" ")).append(more);
        return true;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0) {
        fail(Error::Malformed, QStringLiteral("invalid header line: %1").arg(describeBytes(line)));
        return false;
    }
    const QByteArrayView name = line.first(colon);
    for (const char c : name) {
        if (!isTokenChar(c)) {
            fail(Error::Malformed, QStringLiteral("invalid header name: %1").arg(describeBytes(name)));
            return false;
        }
    }
    into->append({name.toByteArray(), line.sliced(colon + 1).trimmed().toByteArray()});
    return true;
}

bool HttpResponseParser::parseChunkSize(QByteArrayView line)
{
    const qsizetype extension = line.indexOf(';');
    const QByteArrayView digits = (extension < 0 ? line : line.first(extension)).trimmed();
    bool ok = !digits.isEmpty() && digits.size() <= 15;
    qint64 size = 0;
    for (qsizetype i = 0; ok && i < digits.size(); ++i) {
        const char c = digits.at(i);
        int v = -1;
        if (isDigit(c))
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        ok = v >= 0;
        size = size * 16 + v;
    }
    if (!ok) {
        fail(Error::Malformed, QStringLiteral("invalid chunk size line: %1").arg(describeBytes(line)));
        return false;
    }
    m_remaining = size;
    m_state = size == 0 ? State::Trailers : State::ChunkData;
    return true;
}

bool HttpResponseParser::endOfHeaders()
{
    if (m_statusCode >= 100 && m_statusCode < 200 && m_statusCode != 101) {
        // An interim response (100 Continue, 103 Early Hints): the real one follows.
        m_interim.append(m_statusCode);
        m_statusCode = 0;
        m_statusLine.clear();
        m_version.clear();
        m_reason.clear();
        m_headers.clear();
        m_headerBytes = 0;
        m_state = State::StatusLine;
        return true;
    }
    m_headersDone = true;
    if (m_isHeadRequest || m_statusCode < 200 || m_statusCode == 204 || m_statusCode == 304) {
        m_framing = Framing::None;
        m_state = State::Complete;
        return true;
    }
    QByteArray transferEncoding;
    for (const auto &header : std::as_const(m_headers)) {
        if (header.first.compare(QByteArrayView("transfer-encoding"), Qt::CaseInsensitive) == 0)
            transferEncoding.append(transferEncoding.isEmpty() ? QByteArray() : QByteArray(",")).append(header.second);
    }
    if (!transferEncoding.isEmpty()) {
        // Transfer-Encoding overrides Content-Length; only a final "chunked" frames the body.
        const QByteArray last = transferEncoding.split(',').constLast().trimmed().toLower();
        m_framing = last == "chunked" ? Framing::Chunked : Framing::UntilClose;
        m_state = m_framing == Framing::Chunked ? State::ChunkSize : State::Body;
        return true;
    }
    bool present = false;
    qint64 length = -1;
    if (!parseContentLength(m_headers, &length, &present)) {
        fail(Error::Malformed,
             QStringLiteral("invalid or conflicting Content-Length: %1").arg(describeBytes(header("Content-Length"))));
        return false;
    }
    if (present) {
        m_framing = Framing::ContentLength;
        m_contentLength = length;
        m_remaining = length;
        m_state = length == 0 ? State::Complete : State::Body;
        return true;
    }
    m_framing = Framing::UntilClose;
    m_state = State::Body;
    return true;
}

void HttpResponseParser::appendBody(QByteArrayView data)
{
    m_bodyBytesRead += data.size();
    const qsizetype room = qMax<qsizetype>(0, m_limits.maxBodyBytes - m_body.size());
    m_body.append(data.first(qMin(room, data.size())));
    if (data.size() > room)
        m_bodyTruncated = true;
}

void HttpResponseParser::fail(Error error, const QString &message)
{
    m_state = State::Failed;
    m_error = error;
    m_errorString = message;
}

} // namespace dd
