#pragma once

#include "capturetypes.h"

#include <QString>

namespace dd {

/// How a TCP conversation went, the most telling thing first.
enum class TcpOutcome {
    Open,                    ///< data may have flowed; no close seen before the capture ended
    Closed,                  ///< both sides sent FIN
    Refused,                 ///< the client's SYN was answered by RST
    Unanswered,              ///< SYN (retransmitted, or left waiting >= 1 s) without any answer
    Reset,                   ///< RST with no payload either way (after the handshake)
    ResetAfterData,          ///< RST after payload was exchanged; resetBy says who
    ClosedBeforeResponse,    ///< the server sent FIN after the client's data, before any response byte
    AbandonedBeforeResponse, ///< the client sent data, got nothing, and closed first (it timed out)
};

QString tcpOutcomeName(TcpOutcome outcome); ///< "refused", "closed-before-response", ...

enum class TcpSide { None, Client, Server };

QString tcpSideName(TcpSide side);

/// What the payload of a conversation turned out to be.
enum class AppProtocol { Unknown, Http, WebSocket, Tls, Postgres, Redis, Amqp, Other };

QString appProtocolName(AppProtocol protocol);

/// A client and server that disagree about TLS (cause upstream-scheme-mismatch).
enum class SchemeMismatch {
    None,
    PlaintextAnswerToTls, ///< TLS ClientHello answered with plaintext (HTTP 400): TLS sent to a plain port
    TlsAnswerToPlaintext, ///< plain HTTP answered with TLS, or nginx's "plain HTTP request was sent to HTTPS port"
};

QString schemeMismatchName(SchemeMismatch mismatch);

/**
 * One TCP conversation (a connection, or the part of it the capture holds). The client is the
 * side that sent the SYN; without a handshake in the capture, the side with the higher
 * (ephemeral) port. Index 0 of the per-direction arrays is client → server, 1 server → client.
 */
struct TcpConversation
{
    int id = -1; ///< index in CaptureAnalysis::conversations
    Endpoint client;
    Endpoint server;
    bool handshakeSeen = false; ///< the client's SYN is in the capture
    TcpOutcome outcome = TcpOutcome::Open;
    TcpSide resetBy = TcpSide::None;
    AppProtocol protocol = AppProtocol::Unknown;
    SchemeMismatch schemeMismatch = SchemeMismatch::None;

    CaptureTime firstNs = -1;
    CaptureTime lastNs = -1;
    CaptureTime synNs = -1;      ///< first SYN
    CaptureTime lastSynNs = -1;  ///< last SYN (the one a SYN-ACK answers)
    CaptureTime synAckNs = -1;
    CaptureTime clientDataNs = -1; ///< first payload byte client → server
    CaptureTime serverDataNs = -1; ///< first payload byte server → client
    CaptureTime clientFinNs = -1;
    CaptureTime serverFinNs = -1;
    CaptureTime rstNs = -1;
    int synCount = 0;              ///< SYNs the client sent (1 + retransmissions)

    quint64 packets[2] = {0, 0};
    quint64 bytes[2] = {0, 0};      ///< payload bytes, retransmissions not counted again
    quint64 frameBytes[2] = {0, 0}; ///< frame bytes on the wire, all frames
    quint32 retransmissions[2] = {0, 0};
    quint32 zeroWindows[2] = {0, 0};
    quint32 outOfOrder = 0;
    quint32 snaplenCut = 0;  ///< segments whose payload the capture cut short
    quint64 missingBytes = 0; ///< payload bytes the capture does not hold (cut or lost)

    int httpRequests = 0;
    int httpResponses = 0;
    int tlsIndex = -1; ///< index in CaptureAnalysis::tls, or -1

    /// SYN → SYN-ACK time of the answered SYN, in ms, or -1.
    double handshakeRttMs() const;
    double durationMs() const;
    quint64 totalPackets() const { return packets[0] + packets[1]; }
    /// Refused, unanswered, closed or reset by the server before a full answer, or abandoned.
    bool isFailure() const;
    /// "127.0.0.1:40312 → 127.0.0.1:8000"
    QString label() const;
};

} // namespace dd
