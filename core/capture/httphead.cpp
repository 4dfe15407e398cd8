#include "httphead.h"

#include "util/redact.h"

#include <QUrl>

#include <cstring>

namespace dd {

namespace {

constexpr qsizetype maxTargetChars = 2048;
constexpr int maxForwarded = 8;

struct LineReader
{
    const char *head;
    qsizetype size;
    qsizetype pos = 0;

    bool next(const char **line, qsizetype *length)
    {
        if (pos >= size)
            return false;
        const char *start = head + pos;
        const void *nl = std::memchr(start, '\n', size_t(size - pos));
        const qsizetype end = nl ? static_cast<const char *>(nl) - head : size;
        qsizetype n = end - pos;
        if (n > 0 && start[n - 1] == '\r')
            --n;
        *line = start;
        *length = n;
        pos = end + 1;
        return true;
    }
};

/// One "Name: value" line, value trimmed; `ok` false for a line without a colon.
struct Header
{
    const char *name = nullptr;
    qsizetype nameLength = 0;
    const char *value = nullptr;
    qsizetype valueLength = 0;
    bool ok = false;

    Header(const char *line, qsizetype length)
    {
        const void *colon = length > 0 ? std::memchr(line, ':', size_t(length)) : nullptr;
        if (!colon)
            return;
        name = line;
        nameLength = static_cast<const char *>(colon) - line;
        const char *v = static_cast<const char *>(colon) + 1;
        const char *end = line + length;
        while (v < end && (*v == ' ' || *v == '\t'))
            ++v;
        while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
            --end;
        value = v;
        valueLength = end - v;
        ok = true;
    }

    template <size_t N> bool is(const char (&literal)[N]) const
    {
        return nameLength == qsizetype(N - 1) && qstrnicmp(name, literal, N - 1) == 0;
    }
    QByteArrayView view() const { return QByteArrayView(value, valueLength); }
};

qint64 parseLength(const char *p, qsizetype n)
{
    if (n == 0 || n > 18)
        return -1;
    qint64 v = 0;
    for (qsizetype i = 0; i < n; ++i) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

QString redactedTarget(const char *p, qsizetype n)
{
    n = qMin(n, maxTargetChars);
    const QByteArrayView raw(p, n);
    if (!raw.contains('?') && !raw.contains('@') && !raw.contains(QByteArrayView("eyJ")))
        return QString::fromLatin1(p, n);
    return redactUrl(QUrl::fromEncoded(raw.toByteArray()));
}

QString forwardedHeader(const Header &h, InspectorSink *sink)
{
    // The same few X-Forwarded-* lines come with every request: share them, unless one carries
    // something that must be redacted (a token).
    const QByteArrayView v = h.view();
    if (!v.contains(QByteArrayView("eyJ")) && !v.startsWith(QByteArrayView("Bearer")) &&
        h.value == h.name + h.nameLength + 2 && h.name[h.nameLength + 1] == ' ')
        return sink->intern(h.name, h.value + h.valueLength - h.name);
    return QString::fromLatin1(h.name, h.nameLength) + QStringLiteral(": ") +
           QString::fromLatin1(redactHeaderValue(QByteArrayView(h.name, h.nameLength), v));
}

} // namespace

qsizetype findHeadEnd(const char *p, qsizetype size, qsizetype from)
{
    for (qsizetype i = qMax<qsizetype>(from, 0); i < size;) {
        const void *nl = std::memchr(p + i, '\n', size_t(size - i));
        if (!nl)
            return -1;
        const qsizetype at = static_cast<const char *>(nl) - p;
        if (at + 1 < size && p[at + 1] == '\n')
            return at + 2;
        if (at + 2 < size && p[at + 1] == '\r' && p[at + 2] == '\n')
            return at + 3;
        i = at + 1;
    }
    return -1;
}

RequestFraming parseRequestFraming(const char *head, qsizetype size)
{
    RequestFraming f;
    LineReader lines{head, size};
    const char *line = nullptr;
    qsizetype length = 0;
    lines.next(&line, &length);
    f.isHead = length > 5 && std::memcmp(line, "HEAD ", 5) == 0;
    f.isConnect = length > 8 && std::memcmp(line, "CONNECT ", 8) == 0;
    while (lines.next(&line, &length)) {
        const Header h(line, length);
        if (!h.ok)
            continue;
        if (h.is("content-length"))
            f.contentLength = qMax<qint64>(parseLength(h.value, h.valueLength), 0);
        else if (h.is("transfer-encoding"))
            f.chunked = h.view().contains(QByteArrayView("chunked"));
        else if (h.is("upgrade")) {
            f.hasUpgrade = true;
            f.isWebSocket =
                QString::fromLatin1(h.value, h.valueLength).contains(QLatin1String("websocket"), Qt::CaseInsensitive);
        }
    }
    return f;
}

ResponseFraming parseResponseFraming(const char *head, qsizetype size)
{
    ResponseFraming f;
    LineReader lines{head, size};
    const char *line = nullptr;
    qsizetype length = 0;
    lines.next(&line, &length);
    const char *sp = static_cast<const char *>(std::memchr(line, ' ', size_t(length)));
    if (sp && line + length - sp >= 4) {
        const char *c = sp + 1;
        if (c[0] >= '1' && c[0] <= '5' && c[1] >= '0' && c[1] <= '9' && c[2] >= '0' && c[2] <= '9')
            f.status = (c[0] - '0') * 100 + (c[1] - '0') * 10 + (c[2] - '0');
    }
    while (lines.next(&line, &length)) {
        const Header h(line, length);
        if (!h.ok)
            continue;
        if (h.is("content-length"))
            f.contentLength = parseLength(h.value, h.valueLength);
        else if (h.is("transfer-encoding"))
            f.chunked = h.view().contains(QByteArrayView("chunked"));
    }
    return f;
}

void fillRequestDetails(HttpExchange *x, const char *head, qsizetype size, InspectorSink *sink)
{
    LineReader lines{head, size};
    const char *line = nullptr;
    qsizetype length = 0;
    lines.next(&line, &length);
    const char *sp1 = static_cast<const char *>(std::memchr(line, ' ', size_t(length)));
    if (sp1) {
        x->method = sink->intern(line, sp1 - line);
        const char *rest = sp1 + 1;
        const qsizetype restLength = line + length - rest;
        const char *sp2 = static_cast<const char *>(std::memchr(rest, ' ', size_t(restLength)));
        x->target = redactedTarget(rest, sp2 ? sp2 - rest : restLength);
    }
    while (lines.next(&line, &length)) {
        const Header h(line, length);
        if (!h.ok)
            continue;
        if (h.is("host"))
            x->host = sink->intern(h.value, h.valueLength);
        else if (h.is("upgrade"))
            x->upgrade = sink->intern(h.value, h.valueLength);
        else if (h.nameLength > 12 && qstrnicmp(h.name, "x-forwarded-", 12) == 0 && x->forwarded.size() < maxForwarded)
            x->forwarded.append(forwardedHeader(h, sink));
    }
}

void fillResponseDetails(HttpExchange *x, const char *head, qsizetype size, InspectorSink *sink)
{
    LineReader lines{head, size};
    const char *line = nullptr;
    qsizetype length = 0;
    lines.next(&line, &length);
    const char *sp = static_cast<const char *>(std::memchr(line, ' ', size_t(length)));
    if (sp && line + length - sp > 5)
        x->reason = sink->intern(sp + 5, line + length - sp - 5);
    while (lines.next(&line, &length)) {
        const Header h(line, length);
        if (!h.ok)
            continue;
        if (h.is("content-length"))
            x->contentLength = parseLength(h.value, h.valueLength);
        else if (h.is("transfer-encoding"))
            x->chunked = h.view().contains(QByteArrayView("chunked"));
        else if (h.is("server"))
            x->server = sink->intern(h.value, h.valueLength);
        else if (h.is("upgrade"))
            x->responseUpgrade = sink->intern(h.value, h.valueLength);
    }
}

} // namespace dd
