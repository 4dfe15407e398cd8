#pragma once

#include "capturetypes.h"
#include "tcpconversation.h"

#include <QString>

namespace dd {

/**
 * Something a dependency's handshake said: a PostgreSQL ErrorResponse or SSL answer, a Redis
 * error reply, an AMQP Connection.Close. Never holds passwords or commands' arguments.
 */
struct ProtocolNote
{
    int conversation = -1;
    CaptureTime timeNs = -1;
    AppProtocol protocol = AppProtocol::Unknown;
    TcpSide from = TcpSide::None;
    bool isError = false;
    QString code; ///< "28P01", "NOAUTH", "403", ... or empty
    QString text; ///< "PostgreSQL FATAL 28P01: password authentication failed for user \"ds\""
};

} // namespace dd
