#pragma once

#include "httpproberesult.h"

#include <QObject>

namespace dd {

class HttpProbe;

/// A request and the redirects it led to, one HttpProbeResult per hop.
struct HttpRedirectResult
{
    QList<HttpProbeResult> hops;
    /// Why the chain stopped on a redirect: a loop, too many hops, a Location that cannot be
    /// followed. Empty when the last hop is an answer (or a failure of its own).
    QString error;
    const HttpProbeResult &last() const { return hops.constLast(); }
};

/**
 * Follows HTTP redirects hop by hop as `curl -L` does, each hop its own timed HttpProbe:
 *
 * - 301, 302, 303, 307 and 308 with a Location (relative ones resolved against the hop's URL);
 * - 303, and 301/302 after a POST, go on as GET without the body; 307/308 keep method and body;
 * - to another scheme, host or port, the caller's Host, Authorization and Cookie headers and
 *   --connect-to are dropped (they belong to the first address);
 * - a URL asked for a second time is a loop: the chain stops there and says so, with a hint
 *   when http and https send to each other (a TLS-terminating proxy whose X-Forwarded-Proto
 *   does not reach the backend: forwarded-proto-mismatch);
 * - at most `maxRedirects` redirects.
 *
 * finished() comes from the event loop.
 */
class HttpRedirectChain : public QObject
{
    Q_OBJECT
public:
    explicit HttpRedirectChain(QObject *parent = nullptr);
    ~HttpRedirectChain() override;

    void start(const HttpRequestSpec &spec, int maxRedirects = 10);
    void cancel();

    /**
     * The request a redirect answer leads to. False when `answer` is not a redirect (`error`
     * empty) or cannot be followed (`error` says why, one line).
     */
    static bool nextRequest(const HttpProbeResult &answer, HttpRequestSpec *next, QString *error);

Q_SIGNALS:
    void finished(const dd::HttpRedirectResult &result);

private:
    void onHop(const HttpProbeResult &hop);
    void finish(const QString &error);

    HttpProbe *m_probe;
    HttpRedirectResult m_result;
    QStringList m_asked; ///< "METHOD URL" of every hop so far
    int m_maxRedirects = 10;
};

} // namespace dd

Q_DECLARE_METATYPE(dd::HttpRedirectResult)
