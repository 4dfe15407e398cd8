#include "dockerlogstream.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

namespace dd {

namespace {

constexpr qsizetype maxHead = 64 << 10;
constexpr qsizetype maxErrorBody = 64 << 10;
constexpr qsizetype maxChunkLine = 1024;

} // namespace

DockerLogStream::DockerLogStream(Sink sink) : m_sink(std::move(sink)) {}

bool DockerLogStream::failWith(const QString &error)
{
    if (m_error.isEmpty())
        m_error = error;
    m_state = State::Done;
    return false;
}

bool DockerLogStream::feed(QByteArrayView data)
{
    while (!data.isEmpty() && m_error.isEmpty() && m_state != State::Done) {
        switch (m_state) {
        case State::Head: {
            const qsizetype had = m_buf.size();
            m_buf += data.first(std::min<qsizetype>(data.size(), maxHead));
            const qsizetype end = m_buf.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_buf.size() >= maxHead)
                    return failWith(QStringLiteral("the Engine API answered with an HTTP head over 64 KiB"));
                data = data.sliced(std::min<qsizetype>(data.size(), maxHead));
                continue;
            }
            const qsizetype used = end + 4 - had;
            m_buf.truncate(end);
            if (!parseHead())
                return false;
            m_buf.clear();
            data = data.sliced(used);
            break;
        }
        case State::ChunkSize:
        case State::Trailer: {
            const qsizetype nl = data.indexOf('\n');
            m_buf += data.first(nl < 0 ? data.size() : nl);
            if (m_buf.size() > maxChunkLine)
                return failWith(QStringLiteral("malformed chunked response from the Engine API"));
            if (nl < 0)
                return true;
            data = data.sliced(nl + 1);
            const QByteArray line = m_buf.trimmed();
            m_buf.clear();
            if (m_state == State::Trailer) {
                if (line.isEmpty()) {
                    m_state = State::Done;
                    endBody();
                }
                break;
            }
            bool ok = false;
            const qint64 size = line.left(line.indexOf(';') < 0 ? line.size() : line.indexOf(';')).toLongLong(&ok, 16);
            if (!ok || size < 0)
                return failWith(QStringLiteral("malformed chunk size '%1' from the Engine API")
                                    .arg(QString::fromLatin1(line.left(32))));
            if (size == 0) {
                m_state = State::Trailer;
            } else {
                m_remaining = size;
                m_state = State::ChunkData;
            }
            break;
        }
        case State::ChunkData: {
            const qsizetype n = qsizetype(std::min<qint64>(m_remaining, data.size()));
            body(data.first(n));
            data = data.sliced(n);
            m_remaining -= n;
            if (m_remaining == 0)
                m_state = State::ChunkEnd;
            break;
        }
        case State::ChunkEnd: {
            const qsizetype nl = data.indexOf('\n');
            if (nl < 0)
                return true; // the CR of the chunk's CRLF
            data = data.sliced(nl + 1);
            m_state = State::ChunkSize;
            break;
        }
        case State::Body: {
            const qsizetype n = m_remaining < 0 ? data.size() : qsizetype(std::min<qint64>(m_remaining, data.size()));
            body(data.first(n));
            data = data.sliced(n);
            if (m_remaining >= 0) {
                m_remaining -= n;
                if (m_remaining == 0) {
                    m_state = State::Done;
                    endBody();
                }
            }
            break;
        }
        case State::Done:
            break;
        }
    }
    return m_error.isEmpty();
}

bool DockerLogStream::parseHead()
{
    const QList<QByteArray> lines = m_buf.split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    bool ok = false;
    m_status = statusLine.value(1).toInt(&ok);
    if (!statusLine.value(0).startsWith("HTTP/") || !ok)
        return failWith(QStringLiteral("not an HTTP response (is this the Docker Engine socket?)"));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &l = lines.at(i);
        const qsizetype colon = l.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = l.left(colon).trimmed().toLower();
        const QByteArray value = l.mid(colon + 1).trimmed();
        if (name == "transfer-encoding" && value.toLower().contains("chunked"))
            m_chunked = true;
        else if (name == "content-length")
            m_remaining = value.toLongLong();
        else if (name == "content-type")
            m_contentType = QString::fromLatin1(value).toLower();
    }
    if (m_chunked) {
        m_remaining = -1;
        m_state = State::ChunkSize;
    } else {
        m_state = m_remaining == 0 ? State::Done : State::Body;
        if (m_state == State::Done)
            endBody();
    }
    return m_error.isEmpty();
}

void DockerLogStream::body(QByteArrayView data)
{
    if (m_status != 200) {
        m_errorBody += data.first(std::min<qsizetype>(data.size(), maxErrorBody - m_errorBody.size()));
        return;
    }
    demux(data);
}

void DockerLogStream::demux(QByteArrayView data)
{
    if (!m_decided && !data.isEmpty()) {
        m_decided = true;
        // A frame header starts with 0, 1 or 2; a raw stream with timestamps starts with a digit.
        m_multiplexed = m_contentType.contains(QLatin1String("multiplexed")) || quint8(data[0]) <= 2;
    }
    if (!m_multiplexed) {
        m_sink(Stdout, data);
        return;
    }
    while (!data.isEmpty()) {
        if (m_frameLeft == 0) {
            const qsizetype need = 8 - m_frameHead.size();
            m_frameHead += data.first(std::min(need, data.size()));
            data = data.sliced(std::min(need, data.size()));
            if (m_frameHead.size() < 8)
                return;
            const auto *h = reinterpret_cast<const quint8 *>(m_frameHead.constData());
            if (h[0] > 2 || h[1] || h[2] || h[3]) {
                failWith(QStringLiteral("malformed stream frame from the Engine API"));
                return;
            }
            m_frameStream = h[0];
            m_frameLeft = (qint64(h[4]) << 24) | (qint64(h[5]) << 16) | (qint64(h[6]) << 8) | qint64(h[7]);
            m_frameHead.clear();
            continue;
        }
        const qsizetype n = qsizetype(std::min<qint64>(m_frameLeft, data.size()));
        m_sink(m_frameStream, data.first(n));
        m_frameLeft -= n;
        data = data.sliced(n);
    }
}

void DockerLogStream::endBody()
{
    if (m_status == 200 || !m_error.isEmpty())
        return;
    // The Engine API's errors are {"message": "..."}.
    const QString message = QJsonDocument::fromJson(m_errorBody).object().value(QLatin1String("message")).toString();
    m_error = QStringLiteral("HTTP %1: %2")
                  .arg(m_status)
                  .arg(message.isEmpty() ? QString::fromUtf8(m_errorBody.left(200)).trimmed() : message);
}

void DockerLogStream::finishInput()
{
    if (m_state == State::Done)
        return;
    if (m_state == State::Body && m_remaining < 0) {
        m_state = State::Done;
        endBody();
        return;
    }
    failWith(m_state == State::Head ? QStringLiteral("the Engine API closed the connection without an answer")
                                    : QStringLiteral("the Engine API closed the connection mid-response"));
}

} // namespace dd
