#include "httpredirects.h"

#include "httpprobe.h"
#include "util/redact.h"

namespace dd {

namespace {

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    const auto port = [](const QUrl &u) { return u.port(u.scheme() == QLatin1String("https") ? 443 : 80); };
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && port(a) == port(b);
}

QString asked(const HttpRequestSpec &spec)
{
    return QString::fromLatin1(spec.method) + QLatin1Char(' ') + spec.url.toString(QUrl::FullyEncoded);
}

} // namespace

HttpRedirectChain::HttpRedirectChain(QObject *parent) : QObject(parent), m_probe(new HttpProbe(this))
{
    connect(m_probe, &HttpProbe::finished, this, &HttpRedirectChain::onHop);
}

HttpRedirectChain::~HttpRedirectChain() = default;

void HttpRedirectChain::start(const HttpRequestSpec &spec, int maxRedirects)
{
    m_result = HttpRedirectResult();
    m_asked = {asked(spec)};
    m_maxRedirects = qMax(0, maxRedirects);
    m_probe->start(spec);
}

void HttpRedirectChain::cancel()
{
    m_probe->cancel();
}

bool HttpRedirectChain::nextRequest(const HttpProbeResult &answer, HttpRequestSpec *next, QString *error)
{
    error->clear();
    if (answer.outcome != ProbeOutcome::Ok || !isRedirect(answer.status))
        return false;
    const QByteArray location = answer.header("Location");
    if (location.trimmed().isEmpty()) {
        *error = QStringLiteral("%1 %2 has no Location header to follow")
                     .arg(answer.status)
                     .arg(QString::fromUtf8(answer.reason));
        return false;
    }
    const QUrl target = answer.request.url.resolved(QUrl::fromEncoded(location.trimmed(), QUrl::TolerantMode));
    if (!target.isValid() || target.host().isEmpty() ||
        (target.scheme() != QLatin1String("http") && target.scheme() != QLatin1String("https"))) {
        *error = QStringLiteral("Location '%1' is not an http:// or https:// URL with a host")
                     .arg(redactJwts(QString::fromUtf8(location.left(200))));
        return false;
    }
    *next = answer.request;
    next->url = target;
    next->url.setFragment(QString());
    const QByteArray method = answer.request.method;
    if ((answer.status == 303 && method != "HEAD") ||
        ((answer.status == 301 || answer.status == 302) && method == "POST")) {
        next->method = "GET";
        next->body.clear();
        next->headers.removeIf([](const QPair<QByteArray, QByteArray> &h) {
            return h.first.compare("Content-Type", Qt::CaseInsensitive) == 0 ||
                   h.first.compare("Content-Length", Qt::CaseInsensitive) == 0;
        });
    }
    if (!sameOrigin(answer.request.url, target)) {
        next->connectTo.clear();
        next->headers.removeIf([](const QPair<QByteArray, QByteArray> &h) {
            return h.first.compare("Host", Qt::CaseInsensitive) == 0 ||
                   h.first.compare("Authorization", Qt::CaseInsensitive) == 0 ||
                   h.first.compare("Cookie", Qt::CaseInsensitive) == 0;
        });
    }
    return true;
}

void HttpRedirectChain::onHop(const HttpProbeResult &hop)
{
    m_result.hops.append(hop);
    HttpRequestSpec next;
    QString error;
    if (!nextRequest(hop, &next, &error))
        return finish(error);
    const QString key = asked(next);
    if (m_asked.contains(key)) {
        const qsizetype first = m_asked.indexOf(key);
        QString loop = QStringLiteral("redirect loop: %1 sends back to %2, asked at hop %3")
                           .arg(redactUrl(hop.request.url), redactUrl(next.url))
                           .arg(first + 1);
        // http -> https -> http ... on one host: the backend does not learn the request was https.
        bool schemesAlternate = false;
        for (qsizetype i = first; i < m_result.hops.size(); ++i) {
            const QUrl &url = m_result.hops.at(i).request.url;
            schemesAlternate = schemesAlternate || url.scheme() != next.url.scheme();
        }
        if (schemesAlternate)
            loop += QStringLiteral(" (http and https send to each other: the TLS-terminating proxy's "
                                   "X-Forwarded-Proto does not reach the backend, forwarded-proto-mismatch)");
        return finish(loop);
    }
    if (m_result.hops.size() > m_maxRedirects)
        return finish(QStringLiteral("more than %1 redirects").arg(m_maxRedirects));
    m_asked.append(key);
    m_probe->start(next);
}

void HttpRedirectChain::finish(const QString &error)
{
    m_result.error = error;
    // Already from the event loop: the last hop's finished() was.
    Q_EMIT finished(m_result);
}

} // namespace dd
