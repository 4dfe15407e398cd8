// Parsers for the formats with structure in the line: JSON (Caddy, Traefik, Nextcloud) and
// logfmt (Traefik). Values stay views of the line; JSON escapes are decoded only on output.
#include "logparsers.h"

namespace dd {
namespace logparse {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

qsizetype skipSpace(QByteArrayView b, qsizetype i)
{
    while (i < b.size() && isSpace(b[i]))
        ++i;
    return i;
}

// From the opening quote at `i`, the index of the closing quote (or -1).
qsizetype stringEnd(QByteArrayView b, qsizetype i)
{
    for (++i; i < b.size(); ++i) {
        if (b[i] == '\\')
            ++i;
        else if (b[i] == '"')
            return i;
    }
    return -1;
}

// From the '{' or '[' at `i`, the index after the matching bracket (or -1).
qsizetype skipNested(QByteArrayView b, qsizetype i)
{
    int depth = 0;
    for (; i < b.size(); ++i) {
        const char c = b[i];
        if (c == '"') {
            i = stringEnd(b, i);
            if (i < 0)
                return -1;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return i + 1;
        }
    }
    return -1;
}

// Caddy nests the request; these members are worth keeping, under stable names.
QByteArrayView caddyRequestName(QByteArrayView key)
{
    static const char *const names[][2] = {
        {"uri", "request.uri"},
        {"host", "request.host"},
        {"method", "request.method"},
        {"remote_ip", "request.remote_ip"},
        {"client_ip", "request.client_ip"},
        {"proto", "request.proto"},
    };
    for (const auto &n : names) {
        if (key == n[0])
            return QByteArrayView(n[1]);
    }
    return {};
}

bool parseMembers(QByteArrayView b, qsizetype *pos, ParsedRecord *out, bool nestedRequest)
{
    qsizetype i = skipSpace(b, *pos);
    if (i >= b.size() || b[i] != '{')
        return false;
    ++i;
    while (true) {
        i = skipSpace(b, i);
        if (i >= b.size())
            return false;
        if (b[i] == '}') {
            *pos = i + 1;
            return true;
        }
        if (b[i] == ',') {
            ++i;
            continue;
        }
        if (b[i] != '"')
            return false;
        const qsizetype keyEnd = stringEnd(b, i);
        if (keyEnd < 0)
            return false;
        const QByteArrayView key = bv::mid(b, i + 1, keyEnd - i - 1);
        i = skipSpace(b, keyEnd + 1);
        if (i >= b.size() || b[i] != ':')
            return false;
        i = skipSpace(b, i + 1);
        if (i >= b.size())
            return false;
        const QByteArrayView name = nestedRequest ? caddyRequestName(key) : key;
        if (b[i] == '"') {
            const qsizetype end = stringEnd(b, i);
            if (end < 0)
                return false;
            const QByteArrayView value = bv::mid(b, i + 1, end - i - 1);
            if (!name.isEmpty())
                out->add(name, value, bv::contains(value, '\\'));
            i = end + 1;
        } else if (b[i] == '{' && !nestedRequest && key == "request") {
            if (!parseMembers(b, &i, out, true))
                return false;
        } else if (b[i] == '{' || b[i] == '[') {
            i = skipNested(b, i);
            if (i < 0)
                return false;
        } else {
            qsizetype end = i;
            while (end < b.size() && b[end] != ',' && b[end] != '}' && !isSpace(b[end]))
                ++end;
            if (!name.isEmpty())
                out->add(name, bv::mid(b, i, end - i));
            i = end;
        }
    }
}

logtime::Stamp jsonTime(QByteArrayView value)
{
    if (!value.isEmpty() && value[0] >= '0' && value[0] <= '9' && value.size() > 4 && value[4] != '-')
        return logtime::parseEpoch(value);
    return logtime::parseIso(value);
}

// logfmt: key=value pairs, values bare or quoted with backslash escapes.
void parseLogfmt(QByteArrayView b, ParsedRecord *out)
{
    qsizetype i = 0;
    while (i < b.size()) {
        i = skipSpace(b, i);
        const qsizetype eq = bv::indexOf(b, '=', i);
        if (eq <= i)
            return;
        const QByteArrayView key = bv::mid(b, i, eq - i);
        if (bv::contains(key, ' ')) {
            const qsizetype sp = bv::indexOf(b, ' ', i);
            i = sp < 0 ? b.size() : sp + 1; // free text between pairs (v3 console)
            continue;
        }
        qsizetype v = eq + 1;
        if (v < b.size() && b[v] == '"') {
            const qsizetype end = stringEnd(b, v);
            const qsizetype stop = end < 0 ? b.size() : end;
            const QByteArrayView value = bv::mid(b, v + 1, stop - v - 1);
            out->add(key, value, bv::contains(value, '\\'));
            i = stop + 1;
        } else {
            qsizetype end = bv::indexOf(b, ' ', v);
            if (end < 0)
                end = b.size();
            out->add(key, bv::mid(b, v, end - v));
            i = end;
        }
    }
}

} // namespace

bool parseJsonObject(ParsedRecord *out)
{
    qsizetype pos = 0;
    return parseMembers(out->body, &pos, out, false);
}

bool parseCaddy(ParsedRecord *out)
{
    if (!parseJsonObject(out))
        return false;
    out->time = jsonTime(out->field("ts"));
    out->level = out->field("level");
    out->message = out->field("msg");
    bool ok = false;
    const int status = out->field("status").toInt(&ok);
    if (ok)
        out->status = status;
    return true;
}

bool parseNextcloud(ParsedRecord *out)
{
    if (!parseJsonObject(out))
        return false;
    out->time = jsonTime(out->field("time"));
    out->level = out->field("level");
    out->message = out->field("message");
    return true;
}

bool parseTraefik(ParsedRecord *out)
{
    const QByteArrayView b = out->body;
    if (b.startsWith('{')) {
        if (!parseJsonObject(out))
            return false;
        out->time = jsonTime(out->field("time"));
        out->level = out->field("level");
        out->message = out->field("msg");
        if (out->message.isEmpty())
            out->message = out->field("message");
        return true;
    }
    if (b.startsWith("time=\"") || b.startsWith("level=")) {
        parseLogfmt(b, out);
        out->time = jsonTime(out->field("time"));
        out->level = out->field("level");
        out->message = out->field("msg");
        return !out->level.isEmpty();
    }
    // v3 console: "DBG github.com/traefik/.../proxy.go:113 > 502 Bad Gateway error=\"...\""
    const qsizetype arrow = bv::indexOf(b, " > ");
    if (b.size() < 4 || b[3] != ' ' || arrow < 0)
        return false;
    out->level = bv::left(b, 3);
    out->add("level", out->level);
    out->add("caller", bv::mid(b, 4, arrow - 4));
    out->message = bv::mid(b, arrow + 3);
    parseLogfmt(out->message, out);
    return true;
}

} // namespace logparse
} // namespace dd
