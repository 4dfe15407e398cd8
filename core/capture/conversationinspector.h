#pragma once

#include "httpexchange.h"
#include "protocolnote.h"
#include "tcpconversation.h"
#include "tlssession.h"

#include <memory>

namespace dd {

/// Where the protocol parsers put what they find. Internal; the analyzer implements it.
class InspectorSink
{
public:
    virtual ~InspectorSink() = default;
    virtual TcpConversation &conversation(int id) = 0;
    virtual void requestParsed(int conversation) = 0;
    /// Whether the next completed exchange may be kept in full (their number is bounded; errors,
    /// unanswered requests and upgrades are kept longer). A claim is a promise to store it.
    virtual bool claimExchange(bool interesting) = 0;
    /// Every completed exchange, kept or not: status 0 for a request without response,
    /// `hadRequest` false for a response whose request the capture missed.
    virtual void exchangeCounted(int status, bool hadRequest, bool webSocketRequest) = 0;
    /// A claimed exchange, in full.
    virtual void exchangeStored(HttpExchange &&exchange) = 0;
    /// An ordinary exchange (2xx/3xx) not claimed: `basic` has its times, status and framing only.
    /// The sink may keep the raw heads a while and store it in full when a failing exchange turns
    /// up around it. It takes `requestHead` and may hand back another buffer to reuse.
    virtual void exchangePassed(const HttpExchange &basic, QByteArray &requestHead, const char *responseHead,
                                qsizetype responseSize) = 0;
    virtual TlsSession &tlsSession(int conversation) = 0;
    virtual void noteAdded(ProtocolNote &&note) = 0;
    virtual void inspectionWarning(const QString &kind, const QString &message) = 0;
    /// A shared QString for a value that repeats (method, Host, reason, Server).
    virtual QString intern(const char *data, qsizetype size) = 0;
};

class HttpStreamParser;
class TlsStreamInspector;
class DependencyInspector;

/**
 * Looks at the reassembled bytes of one conversation, recognizes the protocol from the first
 * bytes (and the server port for the dependencies) and hands the stream to the parser for it.
 * Memory per conversation is bounded by the parsers' own limits.
 */
class ConversationInspector
{
public:
    ConversationInspector(int conversation, InspectorSink *sink);
    ~ConversationInspector();

    void data(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs);
    void gap(int direction, qint64 size, CaptureTime timeNs);
    /// The conversation ended (or the capture did): flush what waits.
    void finish();

private:
    void recognize(int direction, const quint8 *data, qsizetype size);

    int m_conversation;
    InspectorSink *m_sink;
    AppProtocol m_protocol = AppProtocol::Unknown;
    bool m_decided = false;
    bool m_ignored = false;
    std::unique_ptr<HttpStreamParser> m_http;
    std::unique_ptr<TlsStreamInspector> m_tls;
    std::unique_ptr<DependencyInspector> m_dependency;
};

/// Whether `data` starts like an HTTP request line ("GET ", "PROPFIND ", ...), as far as it goes.
bool looksLikeHttpRequest(const quint8 *data, qsizetype size);
/// Whether `data` starts with "HTTP/", as far as it goes.
bool looksLikeHttpResponse(const quint8 *data, qsizetype size);
/// Whether `data` starts with a TLS record header (handshake or alert, version 3.x).
bool looksLikeTlsRecord(const quint8 *data, qsizetype size);

} // namespace dd
