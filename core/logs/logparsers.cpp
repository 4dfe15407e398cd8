#include "logparsers.h"

#include "nginxaccessformat.h"

namespace dd {
namespace logparse {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isUpper(char c)
{
    return c >= 'A' && c <= 'Z';
}

bool isNameChar(char c)
{
    return (c >= 'a' && c <= 'z') || isUpper(c) || isDigit(c) || c == '_' || c == '-' || c == '.';
}

// Skips ANSI colour sequences ("\x1b[36m") docker compose writes around its prefix.
QByteArrayView skipAnsi(QByteArrayView b)
{
    while (b.size() >= 3 && b[0] == '\x1b' && b[1] == '[') {
        qsizetype i = 2;
        while (i < b.size() && (isDigit(b[i]) || b[i] == ';'))
            ++i;
        if (i >= b.size() || b[i] != 'm')
            break;
        b = bv::mid(b, i + 1);
    }
    return b;
}

// "host ident[pid]: " after a syslog timestamp; returns its length, or -1.
qsizetype syslogTail(QByteArrayView b, ParsedRecord *out)
{
    const qsizetype hostEnd = bv::indexOf(b, ' ');
    if (hostEnd <= 0 || hostEnd > 253)
        return -1;
    qsizetype i = hostEnd + 1;
    const qsizetype identStart = i;
    while (i < b.size() && (isNameChar(b[i]) || b[i] == '/' || b[i] == '@' || b[i] == ':') && b[i] != '[') {
        if (b[i] == ':' && i + 1 < b.size() && b[i + 1] == ' ')
            break;
        ++i;
    }
    const qsizetype identEnd = i;
    if (identEnd == identStart)
        return -1;
    if (i < b.size() && b[i] == '[') {
        const qsizetype close = bv::indexOf(b, ']', i);
        if (close < 0)
            return -1;
        for (qsizetype k = i + 1; k < close; ++k) {
            if (!isDigit(b[k]))
                return -1;
        }
        i = close + 1;
    }
    if (i + 1 >= b.size() || b[i] != ':' || b[i + 1] != ' ')
        return -1;
    out->add("host", bv::left(b, hostEnd));
    out->add("unit", bv::mid(b, identStart, identEnd - identStart));
    return i + 2;
}

// docker compose "name  | " (the name padded with spaces to a common width).
qsizetype composePrefix(QByteArrayView b)
{
    qsizetype i = 0;
    while (i < b.size() && i < 96 && isNameChar(b[i]))
        ++i;
    if (i == 0 || i >= b.size() || b[i] != ' ')
        return -1;
    while (i < b.size() && b[i] == ' ')
        ++i;
    if (i >= b.size() || b[i] != '|')
        return -1;
    ++i;
    const QByteArrayView rest = skipAnsi(bv::mid(b, i));
    i = b.size() - rest.size();
    if (i < b.size() && b[i] == ' ')
        ++i;
    return i;
}

int toInt(QByteArrayView digits)
{
    int v = 0;
    for (char c : digits) {
        if (!isDigit(c) || v > 100000000)
            return -1;
        v = v * 10 + (c - '0');
    }
    return digits.isEmpty() ? -1 : v;
}

// "(111: Connection refused)" → 111, the first such group in `text`.
void findNginxErrno(QByteArrayView text, ParsedRecord *out)
{
    qsizetype at = bv::indexOf(text, '(');
    while (at >= 0) {
        qsizetype i = at + 1;
        while (i < text.size() && isDigit(text[i]))
            ++i;
        if (i > at + 1 && i + 1 < text.size() && text[i] == ':' && text[i + 1] == ' ') {
            out->add("errno", bv::mid(text, at + 1, i - at - 1));
            out->errnum = toInt(bv::mid(text, at + 1, i - at - 1));
            return;
        }
        at = bv::indexOf(text, '(', at + 1);
    }
}

QByteArrayView bracketed(QByteArrayView b, qsizetype *pos)
{
    if (*pos >= b.size() || b[*pos] != '[')
        return {};
    const qsizetype close = bv::indexOf(b, ']', *pos);
    if (close < 0)
        return {};
    const QByteArrayView inner = bv::mid(b, *pos + 1, close - *pos - 1);
    *pos = close + 1;
    if (*pos < b.size() && b[*pos] == ' ')
        ++*pos;
    return inner;
}

} // namespace

void stripTransportPrefixes(QByteArrayView record, ParsedRecord *out, int referenceYear)
{
    out->record = record;
    QByteArrayView b = record;
    for (int round = 0; round < 3; ++round) {
        b = skipAnsi(b);
        if (b.size() > 20 && isDigit(b[0]) && b[4] == '-' && b[10] == 'T') {
            qsizetype used = 0;
            const logtime::Stamp s = logtime::parseIso(b, &used);
            if (s.isValid() && s.zoned && used < b.size() && b[used] == ' ') {
                const QByteArrayView rest = bv::mid(b, used + 1);
                const qsizetype tail = syslogTail(rest, out);
                out->time = s;
                b = tail >= 0 ? bv::mid(rest, tail) : rest;
                continue;
            }
        }
        if (b.size() > 16 && isUpper(b[0]) && b[3] == ' ') {
            qsizetype used = 0;
            const logtime::Stamp s = logtime::parseSyslog(b, referenceYear, &used);
            if (s.isValid() && used < b.size() && b[used] == ' ') {
                const qsizetype tail = syslogTail(bv::mid(b, used + 1), out);
                if (tail >= 0) {
                    out->time = s;
                    b = bv::mid(b, used + 1 + tail);
                    continue;
                }
            }
        }
        const qsizetype compose = composePrefix(b);
        if (compose > 0) {
            out->add("container", bv::left(b, bv::indexOf(b, ' ')));
            b = bv::mid(b, compose);
            continue;
        }
        break;
    }
    out->body = b;
    out->message = b;
}

LogFormat detect(QByteArrayView b)
{
    if (b.isEmpty())
        return LogFormat::Text;
    const char c = b[0];
    if (isDigit(c)) {
        if (b.size() > 21 && b[4] == '/' && b[7] == '/' && b[19] == ' ' && b[20] == '[')
            return LogFormat::NginxError;
        if (b.size() > 24 && b[4] == '-' && b[7] == '-' && b[10] == ' ' && b[13] == ':') {
            if (b[19] == ',')
                return LogFormat::Supervisor;
            qsizetype used = 0;
            const logtime::Stamp s = logtime::parseIso(b, &used);
            if (s.isValid() && used + 2 < b.size() && b[used] == ' ' && b[used + 1] == '[') {
                return isDigit(b[used + 2]) ? LogFormat::PostgreSQL : LogFormat::RabbitMQ;
            }
            if (s.isValid() && used + 2 < b.size() && b[used] == ' ' && isUpper(b[used + 1])) {
                const qsizetype sp = bv::indexOf(b, ' ', used + 1); // a zone name PostgreSQL printed
                if (sp > 0 && sp + 1 < b.size() && b[sp + 1] == '[')
                    return LogFormat::PostgreSQL;
            }
        }
        const qsizetype colon = bv::indexOf(b, ':');
        if (colon > 0 && colon < 10 && colon + 3 < b.size() && b[colon + 2] == ' ' && isUpper(b[colon + 1]) &&
            logtime::parseRedis(bv::mid(b, colon + 3)).isValid())
            return LogFormat::Redis;
    }
    if (c == '[' && b.size() > 25) {
        if (isDigit(b[1])) {
            qsizetype used = 0;
            if (logtime::parseIso(bv::mid(b, 1), &used).isValid() && 1 + used + 2 < b.size() && b[1 + used] == ']')
                return LogFormat::DocServer;
        } else if (logtime::parseApache(bv::mid(b, 1)).isValid()) {
            return LogFormat::ApacheError;
        }
    }
    if (c == '{') {
        const QByteArrayView head = bv::left(b, 4096);
        if (bv::contains(head, "\"reqId\"") || (bv::contains(head, "\"app\"") && bv::contains(head, "\"version\"")))
            return LogFormat::Nextcloud;
        if (bv::contains(head, "\"ts\":") || bv::contains(head, "\"logger\":"))
            return LogFormat::Caddy;
        if (bv::contains(head, "\"level\"") && (bv::contains(head, "\"msg\"") || bv::contains(head, "\"message\"")))
            return LogFormat::Traefik;
        return LogFormat::Text;
    }
    if (b.startsWith("time=\"") || b.startsWith("level="))
        return LogFormat::Traefik;
    if (b.size() > 6 && isUpper(b[0]) && isUpper(b[1]) && isUpper(b[2]) && b[3] == ' ' && bv::contains(b, " > "))
        return LogFormat::Traefik; // v3 console writer, its time taken off as a docker-style prefix
    if (b.startsWith("nginx: ["))
        return LogFormat::NginxError;
    // Access logs start with an address or a name; the combined shape has " [dd/Mon/yyyy:".
    const qsizetype bracket = bv::indexOf(bv::left(b, 300), " [");
    if (bracket > 0 && logtime::parseAccess(bv::mid(b, bracket + 2)).isValid() && bv::indexOf(b, '"', bracket) > 0)
        return LogFormat::NginxAccess;
    return LogFormat::Text;
}

bool parse(LogFormat format, ParsedRecord *out, const NginxAccessFormat *access)
{
    out->format = format;
    switch (format) {
    case LogFormat::NginxError:
        return parseNginxError(out);
    case LogFormat::NginxAccess:
        return access ? access->parse(out->body, out) : NginxAccessFormat::combined().parse(out->body, out);
    case LogFormat::ApacheError:
        return parseApacheError(out);
    case LogFormat::DocServer:
        return parseDocServer(out);
    case LogFormat::Traefik:
        return parseTraefik(out);
    case LogFormat::Caddy:
        return parseCaddy(out);
    case LogFormat::Nextcloud:
        return parseNextcloud(out);
    case LogFormat::RabbitMQ:
        return parseRabbitMQ(out);
    case LogFormat::PostgreSQL:
        return parsePostgreSQL(out);
    case LogFormat::Redis:
        return parseRedis(out);
    case LogFormat::Supervisor:
        return parseSupervisor(out);
    case LogFormat::Text:
        parseNginxContext(out->body, out); // pasted nginx messages keep their context
        findNginxErrno(out->body, out);
        return true;
    case LogFormat::Auto:
        break;
    }
    return false;
}

void parseNginxContext(QByteArrayView message, ParsedRecord *out)
{
    qsizetype at = bv::indexOf(message, ", client: ");
    if (at < 0)
        return;
    const QByteArrayView head = bv::left(message, at);
    const qsizetype whileAt = head.lastIndexOf(" while ");
    if (whileAt >= 0)
        out->add("action", bv::mid(head, whileAt + 7));
    while (at >= 0 && at < message.size()) {
        const qsizetype keyStart = at + 2;
        const qsizetype colon = bv::indexOf(message, ": ", keyStart);
        if (colon < 0 || colon - keyStart > 20)
            break;
        const QByteArrayView key = bv::mid(message, keyStart, colon - keyStart);
        qsizetype valueStart = colon + 2;
        qsizetype valueEnd;
        if (valueStart < message.size() && message[valueStart] == '"') {
            ++valueStart;
            valueEnd = bv::indexOf(message, '"', valueStart);
            if (valueEnd < 0)
                valueEnd = message.size();
            at = valueEnd + 1 < message.size() && message[valueEnd + 1] == ',' ? valueEnd + 1 : -1;
        } else {
            valueEnd = bv::indexOf(message, ", ", valueStart);
            at = valueEnd;
            if (valueEnd < 0)
                valueEnd = message.size();
        }
        out->add(key, bv::mid(message, valueStart, valueEnd - valueStart));
    }
    const QByteArrayView upstream = out->field("upstream");
    const qsizetype scheme = bv::indexOf(upstream, "://");
    if (scheme > 0) {
        const qsizetype slash = bv::indexOf(upstream, '/', scheme + 3);
        out->add("upstream_addr",
                 slash < 0 ? bv::mid(upstream, scheme + 3) : bv::mid(upstream, scheme + 3, slash - scheme - 3));
    }
}

bool parseNginxError(ParsedRecord *out)
{
    const QByteArrayView b = out->body;
    qsizetype pos = 0;
    if (b.startsWith("nginx: [")) {
        pos = 7;
    } else {
        qsizetype used = 0;
        const logtime::Stamp s = logtime::parseIso(b, &used);
        if (!s.isValid() || used != 19 || b.size() < 22 || b[19] != ' ' || b[20] != '[')
            return false;
        out->time = s;
        pos = 20;
    }
    const qsizetype close = bv::indexOf(b, ']', pos);
    if (close < 0 || close - pos > 8)
        return false;
    out->level = bv::mid(b, pos + 1, close - pos - 1);
    out->add("level", out->level);
    pos = close + 1;
    if (pos < b.size() && b[pos] == ' ')
        ++pos;
    // "PID#TID: " then "*CONN "
    qsizetype i = pos;
    while (i < b.size() && isDigit(b[i]))
        ++i;
    if (i > pos && i < b.size() && b[i] == '#') {
        out->add("pid", bv::mid(b, pos, i - pos));
        const qsizetype colon = bv::indexOf(b, ": ", i);
        if (colon < 0)
            return false;
        pos = colon + 2;
    }
    if (pos < b.size() && b[pos] == '*') {
        i = pos + 1;
        while (i < b.size() && isDigit(b[i]))
            ++i;
        out->add("connection", bv::mid(b, pos + 1, i - pos - 1));
        pos = i < b.size() && b[i] == ' ' ? i + 1 : i;
    }
    out->message = bv::mid(b, pos);
    findNginxErrno(out->message, out);
    parseNginxContext(out->message, out);
    if (!out->find("action")) {
        const qsizetype whileAt = out->message.lastIndexOf(" while ");
        if (whileAt >= 0)
            out->add("action", bv::mid(out->message, whileAt + 7));
    }
    if (out->message.startsWith("connect() to ")) {
        const qsizetype sp = bv::indexOf(out->message, ' ', 13);
        if (sp > 13)
            out->add("peer", bv::mid(out->message, 13, sp - 13));
    }
    return true;
}

bool parseApacheError(ParsedRecord *out)
{
    const QByteArrayView b = out->body;
    if (b.isEmpty() || b[0] != '[')
        return false;
    out->time = logtime::parseApache(bv::mid(b, 1));
    if (!out->time.isValid())
        return false;
    qsizetype pos = bv::indexOf(b, ']');
    if (pos < 0)
        return false;
    pos += 1;
    if (pos < b.size() && b[pos] == ' ')
        ++pos;
    const QByteArrayView moduleLevel = bracketed(b, &pos);
    const qsizetype colon = bv::indexOf(moduleLevel, ':');
    if (colon >= 0) {
        out->add("module", bv::left(moduleLevel, colon));
        out->level = bv::mid(moduleLevel, colon + 1);
    } else {
        out->level = moduleLevel;
    }
    out->add("level", out->level);
    while (pos < b.size() && b[pos] == '[') {
        qsizetype before = pos;
        const QByteArrayView inner = bracketed(b, &pos);
        if (pos == before)
            break;
        if (inner.startsWith("pid "))
            out->add("pid", bv::mid(inner, 4, bv::indexOf(inner, ':') < 0 ? -1 : bv::indexOf(inner, ':') - 4));
        else if (inner.startsWith("client "))
            out->add("client", bv::mid(inner, 7));
        else if (inner.startsWith("remote "))
            out->add("remote", bv::mid(inner, 7));
        else
            break;
    }
    out->message = bv::mid(b, pos);
    const QByteArrayView m = out->message;
    if (m.startsWith('(')) {
        const qsizetype close = bv::indexOf(m, ')');
        const int e = close > 1 ? toInt(bv::mid(m, 1, close - 1)) : -1;
        if (e >= 0) {
            out->errnum = e;
            out->add("errno", bv::mid(m, 1, close - 1));
        }
    }
    const qsizetype ah = bv::indexOf(m, "AH");
    if (ah >= 0 && ah + 7 < m.size() && toInt(bv::mid(m, ah + 2, 5)) >= 0 && m[ah + 7] == ':')
        out->add("ah", bv::mid(m, ah, 7));
    return true;
}

bool parseDocServer(ParsedRecord *out)
{
    const QByteArrayView b = out->body;
    if (b.size() < 25 || b[0] != '[')
        return false;
    qsizetype used = 0;
    const logtime::Stamp s = logtime::parseIso(bv::mid(b, 1), &used);
    if (!s.isValid() || 1 + used >= b.size() || b[1 + used] != ']')
        return false;
    out->time = s;
    qsizetype pos = 1 + used + 1;
    if (pos < b.size() && b[pos] == ' ')
        ++pos;
    out->level = bracketed(b, &pos);
    out->add("level", out->level);
    static const char *const contextNames[] = {"tenant", "docId", "userId", "usid"};
    int n = 0;
    while (pos < b.size() && b[pos] == '[' && n < 4) {
        const QByteArrayView token = bracketed(b, &pos);
        // "[docId] [userId]" are log4js placeholders written when there is no context.
        if (token != contextNames[n] && !token.isEmpty())
            out->add(contextNames[n], token);
        ++n;
    }
    const qsizetype dash = bv::indexOf(b, " - ", pos);
    if (dash < 0 || dash - pos > 64) {
        out->message = bv::mid(b, pos);
        return true;
    }
    out->add("category", bv::mid(b, pos, dash - pos));
    out->message = bv::mid(b, dash + 3);
    return true;
}

bool parseSupervisor(ParsedRecord *out)
{
    const QByteArrayView b = out->body;
    qsizetype used = 0;
    out->time = logtime::parseIso(b, &used);
    if (!out->time.isValid() || used >= b.size() || b[used] != ' ')
        return false;
    const qsizetype sp = bv::indexOf(b, ' ', used + 1);
    if (sp < 0)
        return false;
    out->level = bv::mid(b, used + 1, sp - used - 1);
    out->add("level", out->level);
    out->message = bv::mid(b, sp + 1);
    static const char *const verbs[] = {"exited: ", "gave up: ", "success: ", "stopped: ", "spawned: '"};
    for (const char *verb : verbs) {
        if (out->message.startsWith(verb)) {
            const qsizetype start = qsizetype(qstrlen(verb));
            qsizetype end = start;
            while (end < out->message.size() && out->message[end] != ' ' && out->message[end] != '\'')
                ++end;
            out->add("program", bv::mid(out->message, start, end - start));
            break;
        }
    }
    return true;
}

bool parseRabbitMQ(ParsedRecord *out)
{
    const QByteArrayView b = out->body;
    qsizetype used = 0;
    out->time = logtime::parseIso(b, &used);
    if (!out->time.isValid() || used + 1 >= b.size() || b[used] != ' ' || b[used + 1] != '[')
        return false;
    qsizetype pos = used + 1;
    out->level = bracketed(b, &pos);
    out->add("level", out->level);
    if (pos < b.size() && b[pos] == '<') {
        const qsizetype close = bv::indexOf(b, '>', pos);
        if (close > 0) {
            out->add("erlang_pid", bv::mid(b, pos + 1, close - pos - 1));
            pos = close + 1 < b.size() && b[close + 1] == ' ' ? close + 2 : close + 1;
        }
    }
    out->message = bv::mid(b, pos);
    return true;
}

bool parsePostgreSQL(ParsedRecord *out)
{
    const QByteArrayView b = out->body;
    qsizetype used = 0;
    out->time = logtime::parseIso(b, &used);
    if (!out->time.isValid())
        return false;
    qsizetype pos = used;
    if (pos < b.size() && b[pos] == ' ' && pos + 1 < b.size() && b[pos + 1] != '[') {
        const qsizetype sp = bv::indexOf(b, ' ', pos + 1); // a zone name other than UTC: local time
        if (sp < 0)
            return false;
        pos = sp;
    }
    if (pos + 1 < b.size() && b[pos] == ' ' && b[pos + 1] == '[') {
        ++pos;
        const QByteArrayView pid = bracketed(b, &pos);
        out->add("pid", pid);
    }
    const qsizetype sep = bv::indexOf(b, ":  ", pos);
    if (sep < 0)
        return false;
    qsizetype lvl = sep;
    while (lvl > pos && isUpper(b[lvl - 1]))
        --lvl;
    out->level = bv::mid(b, lvl, sep - lvl);
    if (out->level.isEmpty())
        return false;
    out->add("level", out->level);
    const QByteArrayView who = bv::mid(b, pos, lvl - pos).trimmed();
    const qsizetype atSign = bv::indexOf(who, '@');
    if (atSign > 0) {
        out->add("user", bv::left(who, atSign));
        out->add("database", bv::mid(who, atSign + 1));
    }
    out->message = bv::mid(b, sep + 3);
    return true;
}

bool parseRedis(ParsedRecord *out)
{
    const QByteArrayView b = out->body;
    const qsizetype colon = bv::indexOf(b, ':');
    if (colon <= 0 || colon + 3 >= b.size())
        return false;
    out->add("pid", bv::left(b, colon));
    out->add("role", bv::mid(b, colon + 1, 1));
    const QByteArrayView rest = bv::mid(b, colon + 3);
    out->time = logtime::parseRedis(rest);
    if (!out->time.isValid())
        return false;
    const qsizetype sp = bv::indexOf(rest, ' ', 20);
    if (sp < 0 || sp + 2 >= rest.size())
        return false;
    out->level = bv::mid(rest, sp + 1, 1);
    out->add("level", out->level);
    out->message = bv::mid(rest, sp + 3);
    return true;
}

} // namespace logparse
} // namespace dd
