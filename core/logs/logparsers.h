#pragma once

#include "parsedrecord.h"

namespace dd {

class NginxAccessFormat;

/// Line parsers, one per format, on byte views (no allocation). Internal to the engine.
namespace logparse {

/// Removes what transports put before a line: `docker logs --timestamps`, docker compose's
/// "name  | " (with or without colours), journald/syslog "Mon DD HH:MM:SS host ident[pid]: "
/// and its short-iso variant. Sets out->body, and out->time from the prefix when it has one.
void stripTransportPrefixes(QByteArrayView record, ParsedRecord *out, int referenceYear);

/// The format of one line body, decided from its first bytes; Text when none fits.
/// NginxAccess is only reported for lines of the combined shape.
LogFormat detect(QByteArrayView body);

/// Parses out->body in `format`; false when the body does not have that format's shape.
bool parse(LogFormat format, ParsedRecord *out, const NginxAccessFormat *access);

bool parseNginxError(ParsedRecord *out);
bool parseApacheError(ParsedRecord *out);
bool parseDocServer(ParsedRecord *out);
bool parseSupervisor(ParsedRecord *out);
bool parseRabbitMQ(ParsedRecord *out);
bool parsePostgreSQL(ParsedRecord *out);
bool parseRedis(ParsedRecord *out);
bool parseTraefik(ParsedRecord *out); // logfmt, JSON and the v3 console format
bool parseCaddy(ParsedRecord *out);
bool parseNextcloud(ParsedRecord *out);
/// Fills the JSON object's top-level members (and Caddy's "request" members) into out.
bool parseJsonObject(ParsedRecord *out);

/// nginx's context ", client: X, server: Y, request: "...", upstream: "...", host: "..."",
/// wherever it appears (also in pasted text without the timestamp).
void parseNginxContext(QByteArrayView message, ParsedRecord *out);

} // namespace logparse
} // namespace dd
