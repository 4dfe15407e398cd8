#include "tcpconversation.h"

namespace dd {

QString tcpOutcomeName(TcpOutcome outcome)
{
    switch (outcome) {
    case TcpOutcome::Open:
        return QStringLiteral("open");
    case TcpOutcome::Closed:
        return QStringLiteral("closed");
    case TcpOutcome::Refused:
        return QStringLiteral("refused");
    case TcpOutcome::Unanswered:
        return QStringLiteral("unanswered");
    case TcpOutcome::Reset:
        return QStringLiteral("reset");
    case TcpOutcome::ResetAfterData:
        return QStringLiteral("reset-after-data");
    case TcpOutcome::ClosedBeforeResponse:
        return QStringLiteral("closed-before-response");
    case TcpOutcome::AbandonedBeforeResponse:
        return QStringLiteral("abandoned-before-response");
    }
    return QString();
}

QString tcpSideName(TcpSide side)
{
    switch (side) {
    case TcpSide::Client:
        return QStringLiteral("client");
    case TcpSide::Server:
        return QStringLiteral("server");
    case TcpSide::None:
        break;
    }
    return QString();
}

QString appProtocolName(AppProtocol protocol)
{
    switch (protocol) {
    case AppProtocol::Unknown:
        return QStringLiteral("unknown");
    case AppProtocol::Http:
        return QStringLiteral("http");
    case AppProtocol::WebSocket:
        return QStringLiteral("websocket");
    case AppProtocol::Tls:
        return QStringLiteral("tls");
    case AppProtocol::Postgres:
        return QStringLiteral("postgresql");
    case AppProtocol::Redis:
        return QStringLiteral("redis");
    case AppProtocol::Amqp:
        return QStringLiteral("amqp");
    case AppProtocol::Other:
        return QStringLiteral("other");
    }
    return QString();
}

QString schemeMismatchName(SchemeMismatch mismatch)
{
    switch (mismatch) {
    case SchemeMismatch::None:
        return QString();
    case SchemeMismatch::PlaintextAnswerToTls:
        return QStringLiteral("tls-to-plain-port");
    case SchemeMismatch::TlsAnswerToPlaintext:
        return QStringLiteral("plain-to-tls-port");
    }
    return QString();
}

double TcpConversation::handshakeRttMs() const
{
    if (synAckNs < 0 || lastSynNs < 0 || synAckNs < lastSynNs)
        return -1;
    return captureMs(lastSynNs, synAckNs);
}

double TcpConversation::durationMs() const
{
    return captureMs(firstNs, lastNs);
}

bool TcpConversation::isFailure() const
{
    switch (outcome) {
    case TcpOutcome::Refused:
    case TcpOutcome::Unanswered:
    case TcpOutcome::ClosedBeforeResponse:
    case TcpOutcome::AbandonedBeforeResponse:
        return true;
    case TcpOutcome::ResetAfterData:
        return resetBy == TcpSide::Server;
    default:
        return schemeMismatch != SchemeMismatch::None;
    }
}

QString TcpConversation::label() const
{
    return client.toString() + QStringLiteral(" \u2192 ") + server.toString();
}

} // namespace dd
