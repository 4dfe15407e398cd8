#pragma once

#include "httpproberesult.h"
#include "model/evidence.h"

#include <QElapsedTimer>
#include <QObject>
#include <QUrl>

namespace dd {

class HttpProbe;
class SourceFileServer;
struct SourceRequest;

/// What a ConvertService round trip needs; see ConvertRoundTrip.
struct ConvertRoundTripSpec
{
    QUrl docserver;   ///< DS's base URL; the request goes to <base>/ConvertService.ashx (or /converter)
    QString serveOn;  ///< HOST:PORT to serve the source file on (an IP literal; port 0 picks one)
    QString serveUrl; ///< base URL DS should fetch the file from; default http://HOST:PORT
    QByteArray secret;
    QByteArray jwtHeader = QByteArrayLiteral("Authorization");
    QString connectTo;
    int connectTimeoutMs = 3000;
    int timeoutMs = 10000;
    bool ignoreTlsErrors = false;
};

/**
 * The ConvertService round trip: serves a generated .docx on an address the user picked
 * (SourceFileServer), asks Document Server to convert it synchronously to PDF (POST
 * /ConvertService.ashx {"async":false,"filetype":"docx","outputtype":"pdf","url":...,"key":...},
 * signed HS256 in the header and the body when a secret is given), and reports whether DS
 * fetched the file - a GET we see proves the DS -> storage direction - and what it answered.
 * When DS returns a fileUrl, that result is fetched as the storage would (no --connect-to: the
 * URL as DS built it), proving the storage -> DS direction through /cache/files.
 *
 * Evidence "probe.docserver.convert", facts: "check" ("convert"), "served_url", "fetched",
 * "fetch_count", "fetch_ms" (from sending the POST to DS's GET), "fetch_peer",
 * "fetch_user_agent", "served_bytes", "convert_error" (0 for endConvert, DS's negative code, or
 * null), "convert_error_name", "file_url", "jwt_sent", the HTTP facts of the POST, and for the
 * result's GET "result_outcome", "result_status", "result_bytes", "result_ms" (its own total),
 * "result_cause" ("secure-link-mismatch" for 403/410, "ds-result-url-unreachable-from-storage"
 * when no answer came, else null); all null when there was no fileUrl.
 */
class ConvertRoundTrip : public QObject
{
    Q_OBJECT
public:
    explicit ConvertRoundTrip(QObject *parent = nullptr);
    ~ConvertRoundTrip() override;

    void start(const ConvertRoundTripSpec &spec);
    /// Stops the request and the server; no signal follows.
    void abort();

    /// -1 "unknown", -2 "timeout", -3 "conversion", -4 "download", -5 "password", -6 "database",
    /// -7 "input", -8 "invalid-token", -9 "format-undetectable", -10 "size-limit"; else "code-N".
    static QString convertErrorName(int code);
    /// Parses --serve-on: "HOST:PORT" with an IP literal host and a port from 0 (any) to 65535.
    static bool parseServeOn(const QString &text, QString *host, quint16 *port, QString *error);

Q_SIGNALS:
    void finished(const dd::Evidence &evidence);

private:
    void post(const HttpRequestSpec &request);
    void onPosted(const HttpProbeResult &http);
    void fetchResult(const QUrl &fileUrl);
    void onResultFetched(const HttpProbeResult &http);
    void failEarly(const QString &error);

    ConvertRoundTripSpec m_spec;
    SourceFileServer *m_server = nullptr;
    HttpProbe *m_probe = nullptr;
    HttpProbe *m_resultProbe = nullptr;
    Evidence m_evidence; ///< the conversion's, while its result is fetched
    QElapsedTimer m_clock;
    QString m_servedUrl;
    double m_fetchMs = -1;
    bool m_jwtSent = false;
    QString m_legacyAnswer; ///< what /ConvertService.ashx answered when /converter was asked instead
};

} // namespace dd
