#include "conversationinspector.h"

#include "dependencyinspector.h"
#include "httpstreamparser.h"
#include "tlsstreaminspector.h"

#include <QtEndian>

#include <cstring>

namespace dd {

namespace {

constexpr quint16 postgresPort = 5432;
constexpr quint16 redisPort = 6379;
constexpr quint16 amqpPort = 5672;

bool isPostgresStartup(const quint8 *p, qsizetype n)
{
    if (n < 8)
        return false;
    const quint32 length = qFromBigEndian<quint32>(p);
    const quint32 code = qFromBigEndian<quint32>(p + 4);
    return length >= 8 && length <= 10000 &&
           (code == 80877103 || code == 80877104 || code == 80877102 || code == 196608);
}

} // namespace

bool looksLikeHttpRequest(const quint8 *data, qsizetype size)
{
    // A method is an uppercase token ("GET", "PROPFIND", "M-SEARCH") followed by a space.
    const qsizetype limit = qMin<qsizetype>(size, 16);
    for (qsizetype i = 0; i < limit; ++i) {
        const quint8 c = data[i];
        if (c == ' ')
            return i >= 3;
        if (!((c >= 'A' && c <= 'Z') || c == '-' || c == '_'))
            return false;
    }
    return size < 16 && size > 0;
}

bool looksLikeHttpResponse(const quint8 *data, qsizetype size)
{
    static const char prefix[] = "HTTP/";
    const qsizetype n = qMin<qsizetype>(size, 5);
    return n > 0 && std::memcmp(data, prefix, size_t(n)) == 0;
}

bool looksLikeTlsRecord(const quint8 *data, qsizetype size)
{
    if (size < 1 || (data[0] != 21 && data[0] != 22))
        return false;
    return size < 2 || data[1] == 3;
}

ConversationInspector::ConversationInspector(int conversation, InspectorSink *sink)
    : m_conversation(conversation)
    , m_sink(sink)
{
}

ConversationInspector::~ConversationInspector() = default;

void ConversationInspector::recognize(int direction, const quint8 *data, qsizetype size)
{
    TcpConversation &c = m_sink->conversation(m_conversation);
    const quint16 port = c.server.port;
    AppProtocol protocol = AppProtocol::Other;
    if (direction == 0) {
        if (looksLikeTlsRecord(data, size))
            protocol = AppProtocol::Tls;
        else if (looksLikeHttpRequest(data, size))
            protocol = AppProtocol::Http;
        else if (size >= 4 && std::memcmp(data, "AMQP", 4) == 0)
            protocol = AppProtocol::Amqp;
        else if (isPostgresStartup(data, size))
            protocol = AppProtocol::Postgres;
        else if ((size >= 2 && data[0] == '*' && data[1] >= '0' && data[1] <= '9') || port == redisPort)
            protocol = AppProtocol::Redis;
        else if (port == postgresPort)
            protocol = AppProtocol::Postgres;
        else if (port == amqpPort)
            protocol = AppProtocol::Amqp;
    } else {
        // The server spoke first: a capture that started mid-stream, or a client that sent garbage.
        if (looksLikeHttpResponse(data, size))
            protocol = AppProtocol::Http;
        else if (size >= 1 && data[0] >= 20 && data[0] <= 23 && (size < 2 || data[1] == 3))
            protocol = AppProtocol::Tls;
        else if (port == redisPort)
            protocol = AppProtocol::Redis;
        else if (port == amqpPort)
            protocol = AppProtocol::Amqp;
        else if (port == postgresPort)
            protocol = AppProtocol::Postgres;
    }
    m_protocol = protocol;
    m_decided = true;
    c.protocol = protocol;
    switch (protocol) {
    case AppProtocol::Http:
        m_http = std::make_unique<HttpStreamParser>(m_conversation, m_sink);
        break;
    case AppProtocol::Tls:
        m_tls = std::make_unique<TlsStreamInspector>(m_conversation, m_sink);
        break;
    case AppProtocol::Postgres:
    case AppProtocol::Redis:
    case AppProtocol::Amqp:
        m_dependency = std::make_unique<DependencyInspector>(protocol, m_conversation, m_sink);
        break;
    default:
        // Not recognized from the client's bytes: the server's answer may still be HTTP (an error
        // page for garbage), so wait for it before giving up.
        m_decided = direction == 1;
        m_ignored = direction == 1;
        if (direction == 0)
            m_sink->inspectionWarning(QStringLiteral("unknown-protocol"),
                                      QStringLiteral("client bytes on %1 are not HTTP, TLS or a known dependency "
                                                     "protocol")
                                          .arg(c.label()));
        break;
    }
}

void ConversationInspector::data(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs)
{
    if (m_ignored)
        return;
    if (!m_decided) {
        recognize(direction, data, size);
        if (m_ignored)
            return;
        if (!m_decided) {
            m_protocol = AppProtocol::Unknown;
            return; // client garbage: see what the server says
        }
        if (m_http && direction == 1 && m_sink->conversation(m_conversation).clientDataNs >= 0)
            m_http->gap(0, 0, timeNs); // the client's bytes were not HTTP
    }
    if (m_http)
        m_http->data(direction, data, size, timeNs);
    else if (m_tls)
        m_tls->data(direction, data, size, timeNs);
    else if (m_dependency)
        m_dependency->data(direction, data, size, timeNs);
}

void ConversationInspector::gap(int direction, qint64 size, CaptureTime timeNs)
{
    if (m_http)
        m_http->gap(direction, size, timeNs);
    else if (m_tls)
        m_tls->gap(direction);
    else if (m_dependency)
        m_dependency->gap(direction);
}

void ConversationInspector::finish()
{
    if (m_http)
        m_http->finish();
}

} // namespace dd
