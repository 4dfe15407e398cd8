#include "nginxaccessformat.h"

namespace dd {

namespace {

bool isVarChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Joins nginx's quoted pieces ('...' '...') when the caller pasted them from a config file.
QByteArray unquotePieces(const QByteArray &in)
{
    const QByteArray trimmed = in.trimmed();
    if (trimmed.isEmpty() || (trimmed.front() != '\'' && trimmed.front() != '"'))
        return in;
    QByteArray out;
    qsizetype i = 0;
    while (i < trimmed.size()) {
        const char q = trimmed[i];
        if (q != '\'' && q != '"') {
            ++i; // whitespace or a stray ';' between pieces
            continue;
        }
        const qsizetype end = bv::indexOf(trimmed, q, i + 1);
        if (end < 0)
            return in;
        out += bv::mid(trimmed, i + 1, end - i - 1);
        i = end + 1;
    }
    return out;
}

// Variables nginx writes as lists when a request tried several upstreams ("502, 200") or was
// redirected internally ("502 : 200"): a separator inside them is no field boundary.
bool isListVariable(QByteArrayView name)
{
    return name.startsWith("upstream_") && !name.startsWith("upstream_http_") && !name.startsWith("upstream_cookie_") &&
           !name.startsWith("upstream_trailer_");
}

// True when the text found at `at` is a list separator inside the value, not its end.
bool insideList(QByteArrayView line, qsizetype at, qsizetype valueStart)
{
    if (at > valueStart && line[at - 1] == ',')
        return true; // "502, 200"
    if (bv::mid(line, at).startsWith(" : ") && at > valueStart)
        return true; // "502 : 200"
    return at >= valueStart + 2 && line[at - 1] == ':' && line[at - 2] == ' ';
}

} // namespace

NginxAccessFormat NginxAccessFormat::combined()
{
    static const NginxAccessFormat f =
        *compile(QStringLiteral(R"($remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent )"
                                R"("$http_referer" "$http_user_agent")"),
                 nullptr);
    return f;
}

std::optional<NginxAccessFormat> NginxAccessFormat::compile(const QString &format, QString *error, Escape escape)
{
    const QByteArray text = unquotePieces(format.toUtf8());
    NginxAccessFormat out;
    out.m_jsonEscaped = escape == Escape::Json;
    out.m_source = QString::fromUtf8(text);
    QByteArray literal;
    qsizetype i = 0;
    while (i < text.size()) {
        if (text[i] != '$') {
            literal += text[i++];
            continue;
        }
        qsizetype start = i + 1;
        qsizetype end = start;
        const bool braced = start < text.size() && text[start] == '{';
        if (braced)
            end = ++start;
        while (end < text.size() && isVarChar(text[end]))
            ++end;
        if (end == start || (braced && (end >= text.size() || text[end] != '}'))) {
            literal += text[i++];
            continue;
        }
        out.m_tokens.append(Token{literal, text.mid(start, end - start)});
        literal.clear();
        i = braced ? end + 1 : end;
    }
    out.m_trailing = literal;
    if (out.m_tokens.isEmpty()) {
        if (error)
            *error = QStringLiteral("log_format '%1' names no variables").arg(format);
        return std::nullopt;
    }
    return out;
}

bool NginxAccessFormat::hasVariable(QByteArrayView name) const
{
    for (const Token &t : m_tokens) {
        if (t.variable == name)
            return true;
    }
    return false;
}

qsizetype NginxAccessFormat::specificity() const
{
    qsizetype literalBytes = m_trailing.size();
    for (const Token &t : m_tokens)
        literalBytes += t.literal.size();
    return m_tokens.size() * 1000 + literalBytes;
}

QList<QByteArray> NginxAccessFormat::statusLiterals(int status) const
{
    for (qsizetype i = 0; i < m_tokens.size(); ++i) {
        if (m_tokens.at(i).variable != "status")
            continue;
        const QByteArray &before = m_tokens.at(i).literal;
        const QByteArray next = i + 1 < m_tokens.size() ? m_tokens.at(i + 1).literal : m_trailing;
        const QByteArray core = before.right(2) + QByteArray::number(status) + next.left(1);
        // After a quoted "$request" the protocol is part of the line: "HTTP/1.1\" 502 ".
        if (i > 0 && m_tokens.at(i - 1).variable == "request" && before.startsWith('"')) {
            QList<QByteArray> out;
            for (const char *protocol : {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/3.0"})
                out << QByteArray(protocol) + before + QByteArray::number(status) + next.left(1);
            return out;
        }
        return {core};
    }
    return {QByteArray::number(status)};
}

bool NginxAccessFormat::parse(QByteArrayView line, ParsedRecord *out) const
{
    qsizetype pos = 0;
    for (qsizetype i = 0; i < m_tokens.size(); ++i) {
        const Token &t = m_tokens.at(i);
        if (!bv::mid(line, pos).startsWith(t.literal))
            return false;
        pos += t.literal.size();
        const QByteArray &next = i + 1 < m_tokens.size() ? m_tokens.at(i + 1).literal : m_trailing;
        qsizetype end;
        if (next.isEmpty()) {
            end = i + 1 < m_tokens.size() ? bv::indexOf(line, ' ', pos) : line.size();
        } else {
            qsizetype from = pos;
            // $time_local has a space of its own ("22/Oct/2024:13:51:56 +0000") when unbracketed.
            if (t.variable == "time_local" && next.startsWith(' ')) {
                const qsizetype sp = bv::indexOf(line, ' ', pos);
                from = sp < 0 ? pos : sp + 1;
            }
            end = bv::indexOf(line, next, from);
            if (isListVariable(t.variable)) {
                while (end >= 0 && insideList(line, end, pos))
                    end = bv::indexOf(line, next, end + 1);
            }
        }
        if (end < 0) {
            if (i + 1 < m_tokens.size())
                return false;
            end = line.size(); // the last field runs to the end when its closing text is cut
        }
        const QByteArrayView value = bv::mid(line, pos, end - pos);
        if (value != "-")
            out->add(t.variable, value, m_jsonEscaped);
        pos = end;
    }
    const QByteArrayView status = out->field("status");
    if (status.size() != 3)
        return false;
    bool ok = false;
    out->status = status.toInt(&ok);
    if (!ok)
        return false;
    if (const QByteArrayView local = out->field("time_local"); !local.isEmpty())
        out->time = logtime::parseAccess(local);
    else if (const QByteArrayView iso = out->field("time_iso8601"); !iso.isEmpty())
        out->time = logtime::parseIso(iso);
    else if (const QByteArrayView msec = out->field("msec"); !msec.isEmpty())
        out->time = logtime::parseEpoch(msec);
    const QByteArrayView request = out->field("request");
    if (!request.isEmpty()) {
        const qsizetype sp1 = bv::indexOf(request, ' ');
        const qsizetype sp2 = sp1 < 0 ? -1 : bv::indexOf(request, ' ', sp1 + 1);
        if (sp1 > 0) {
            out->add("method", bv::left(request, sp1));
            out->add("path", sp2 < 0 ? bv::mid(request, sp1 + 1) : bv::mid(request, sp1 + 1, sp2 - sp1 - 1));
        }
    } else if (const QByteArrayView uri = out->field("request_uri"); !uri.isEmpty()) {
        out->add("path", uri);
    }
    out->message = request.isEmpty() ? line : request;
    return true;
}

} // namespace dd
