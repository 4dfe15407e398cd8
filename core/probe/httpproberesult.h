#pragma once

#include "probeoutcome.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariantMap>

namespace dd {

/// One HTTP/1.1 request for HttpProbe.
struct HttpRequestSpec
{
    QUrl url;
    QByteArray method = "GET";
    QList<QPair<QByteArray, QByteArray>> headers; ///< sent as given; a Host header here replaces ours
    QByteArray body;
    int connectTimeoutMs = 3000;    ///< per address tried
    int timeoutMs = 15000;          ///< bounds the whole exchange, lookup included
    QString connectTo;              ///< "host:port": connect there, keep Host/SNI of url (like curl --connect-to)
    qsizetype maxBodyBytes = 65536; ///< kept in the result; more is read and dropped (up to 16 MiB)
    bool ignoreTlsErrors = false;   ///< like curl -k: verification problems are recorded, not fatal
    QString caFile;                 ///< also trust the CA certificates in this PEM file (curl --cacert adds)
};

/// Milliseconds since the probe started, like curl -w time_*; -1 when the phase did not happen.
struct HttpTimings
{
    double dns = -1;     ///< name resolved (time_namelookup)
    double connect = -1; ///< TCP connected (time_connect)
    double tls = -1;     ///< TLS handshake done (time_appconnect)
    double sent = -1;    ///< request written to the socket (time_pretransfer, roughly)
    double ttfb = -1;    ///< first response byte (time_starttransfer)
    double total = -1;   ///< done or given up (time_total)
};

/// What an HttpProbe saw.
struct HttpProbeResult
{
    HttpRequestSpec request;
    ProbeOutcome outcome = ProbeOutcome::Error; ///< Ok for any complete response, whatever its status
    int status = 0;                             ///< 0 when no status line arrived
    QByteArray statusLine;
    QByteArray reason;
    QByteArray version; ///< "HTTP/1.1"
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body; ///< at most request.maxBodyBytes
    bool bodyTruncated = false;
    qint64 bodyBytes = 0; ///< body bytes received, kept or not
    HttpTimings timings;
    QString error;              ///< one line; empty when Ok
    QString peer;               ///< the address connected to, "127.0.0.1:8080" / "[::1]:8080"
    QStringList failedConnects; ///< "[::1]:8080: Connection refused" for addresses tried before `peer`
    QStringList tlsErrors;      ///< certificate problems, also those ignored by ignoreTlsErrors
    QString tlsSession;         ///< "TLSv1.3 TLS_AES_256_GCM_SHA384" when TLS was used
    QDateTime startedAt;        ///< UTC

    /// The first header named `name`, case-insensitive; null when absent.
    QByteArray header(const QByteArray &name) const;

    /**
     * What the Server header says: "nginx" (no version: server_tokens off, as DS's own nginx
     * sends), "nginx-versioned", "apache", "traefik", "caddy", "other:<value>", "" if absent.
     */
    QString serverKind() const;

    /**
     * For a gateway error (502, 503, 504), which proxy made the error page, read from the page
     * itself and the Server header (causes.md 0.7): "nginx-hidden-version" (an nginx with
     * server_tokens off, as Document Server's own nginx always is), "nginx-versioned" (so not
     * DS's nginx), "apache", "traefik"; "" when it cannot be told or the status is another.
     * The page survives a proxy in front, which replaces the Server header with its own.
     */
    QString errorPageFrom() const;
    /// One line on what errorPageFrom() says about where the failing hop is; empty when nothing.
    QString errorPageHint() const;

    /// Status line and headers as received, with credentials redacted.
    QString headerExcerpt() const;

    /**
     * Keys: "outcome", "status", "server", "server_kind", "error_page_from", "body" (first 256 bytes as text,
     * trimmed), "content_type", "connect_ms", "ttfb_ms", "total_ms", "location" (redacted),
     * and also "dns_ms", "tls_ms", "peer", "body_bytes", "body_truncated", "method", "url".
     */
    QVariantMap facts() const;
};

} // namespace dd

Q_DECLARE_METATYPE(dd::HttpProbeResult)
