#include "httphead.h"

#include "util/redact.h"

#include <QUrl>

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dd {

namespace {

constexpr qsizetype maxTargetChars = 2048;
constexpr int maxForwarded = 8;

/// The first '\n' in [p, end), or nullptr. Header lines are short: sixteen bytes at a time
/// inline beats a call to memchr for each.
inline const char *findNewline(const char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i newline = _mm_set1_epi8('\n');
    for (; end - p >= 16; p += 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, newline));
        if (mask != 0)
            return p + __builtin_ctz(unsigned(mask));
    }
#endif
    for (; p < end; ++p) {
        if (*p == '\n')
            return p;
    }
    return nullptr;
}

inline char lowerAscii(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c + ('a' - 'A')) : c;
}

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
        const char *nl = findNewline(start, head + size);
        const qsizetype end = nl ? nl - head : size;
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

    /// `literal` in lower case.
    template <size_t N> bool is(const char (&literal)[N]) const
    {
        if (nameLength != qsizetype(N - 1))
            return false;
        for (size_t i = 0; i < N - 1; ++i) {
            if (lowerAscii(name[i]) != literal[i])
                return false;
        }
        return true;
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

/// The value of a header line named `name` (lower case, with its colon), trimmed; false for a line
/// with another name. Framing needs two or three headers of a dozen: the callers look at the
/// initial first, and most lines differ there.
template <size_t N> bool headerValue(const char *line, qsizetype length, const char (&name)[N], QByteArrayView *value)
{
    constexpr qsizetype n = qsizetype(N - 1);
    if (length < n || line[n - 1] != ':') // the colon's place tells most names apart at once
        return false;
    for (qsizetype i = 0; i < n; ++i) {
        if (lowerAscii(line[i]) != name[i])
            return false;
    }
    const char *v = line + n;
    const char *end = line + length;
    while (v < end && (*v == ' ' || *v == '\t'))
        ++v;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
        --end;
    *value = QByteArrayView(v, end - v);
    return true;
}

/// Walks the lines of a head up to the blank line that ends it, handing each header line to
/// `header`; returns the index just past the blank line, or -1, and the length of the start line
/// in `startLength`.
template <typename HeaderFn>
qsizetype scanHead(const char *data, qsizetype size, qsizetype *startLength, HeaderFn &&header)
{
    qsizetype pos = 0;
    bool first = true;
    while (pos < size) {
        const char *start = data + pos;
        const char *nl = findNewline(start, data + size);
        if (!nl)
            return -1;
        const qsizetype end = nl - data;
        qsizetype n = end - pos;
        if (n > 0 && start[n - 1] == '\r')
            --n;
        if (first) {
            *startLength = n;
            first = false;
        } else if (n == 0) {
            return end + 1;
        } else {
            header(start, n);
        }
        pos = end + 1;
    }
    return -1;
}

} // namespace

qsizetype findHeadEnd(const char *p, qsizetype size, qsizetype from)
{
    for (qsizetype i = qMax<qsizetype>(from, 0); i < size;) {
        const char *nl = findNewline(p + i, p + size);
        if (!nl)
            return -1;
        const qsizetype at = nl - p;
        if (at + 1 < size && p[at + 1] == '\n')
            return at + 2;
        if (at + 2 < size && p[at + 1] == '\r' && p[at + 2] == '\n')
            return at + 3;
        i = at + 1;
    }
    return -1;
}

qsizetype scanRequestHead(const char *data, qsizetype size, RequestFraming *f)
{
    *f = RequestFraming();
    qsizetype startLength = 0;
    const qsizetype end = scanHead(data, size, &startLength, [f](const char *line, qsizetype length) {
        QByteArrayView v;
        switch (lowerAscii(line[0])) {
        case 'c':
            if (headerValue(line, length, "content-length:", &v))
                f->contentLength = qMax<qint64>(parseLength(v.data(), v.size()), 0);
            break;
        case 't':
            if (headerValue(line, length, "transfer-encoding:", &v))
                f->chunked = v.contains(QByteArrayView("chunked"));
            break;
        case 'u':
            if (headerValue(line, length, "upgrade:", &v)) {
                f->hasUpgrade = true;
                f->isWebSocket =
                    QLatin1String(v.data(), v.size()).contains(QLatin1String("websocket"), Qt::CaseInsensitive);
            }
            break;
        default:
            break;
        }
    });
    f->isHead = startLength > 5 && std::memcmp(data, "HEAD ", 5) == 0;
    f->isConnect = startLength > 8 && std::memcmp(data, "CONNECT ", 8) == 0;
    return end;
}

qsizetype scanResponseHead(const char *data, qsizetype size, ResponseFraming *f)
{
    *f = ResponseFraming();
    qsizetype startLength = 0;
    const qsizetype end = scanHead(data, size, &startLength, [f](const char *line, qsizetype length) {
        QByteArrayView v;
        const char initial = lowerAscii(line[0]);
        if (initial == 'c' && headerValue(line, length, "content-length:", &v))
            f->contentLength = parseLength(v.data(), v.size());
        else if (initial == 't' && headerValue(line, length, "transfer-encoding:", &v))
            f->chunked = v.contains(QByteArrayView("chunked"));
    });
    const char *sp = static_cast<const char *>(std::memchr(data, ' ', size_t(startLength)));
    if (sp && data + startLength - sp >= 4) {
        const char *c = sp + 1;
        if (c[0] >= '1' && c[0] <= '5' && c[1] >= '0' && c[1] <= '9' && c[2] >= '0' && c[2] <= '9')
            f->status = (c[0] - '0') * 100 + (c[1] - '0') * 10 + (c[2] - '0');
    }
    return end;
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
