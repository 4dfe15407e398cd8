#pragma once

#include "activeprobe.h"

#include <QHash>
#include <QUrl>

namespace dd {

class ConvertRoundTrip;
class HttpProbe;
struct HttpProbeResult;

/**
 * Checks a Document Server address the way its integrators do, one evidence item per check
 * (ids "probe.docserver.<check>"):
 *
 * - healthcheck: GET /healthcheck; DS always answers 200 and the body must be exactly `true`
 *   or `false`. Facts "healthcheck" (true, false, other), "clock_skew_secs" (Date header minus
 *   our clock).
 * - welcome: GET /welcome/ (then /index.html if that is 404); static, proves DS's nginx only.
 * - apijs: GET /web-apps/apps/api/documents/api.js; static, fact "docsapi" when it defines DocsAPI.
 * - info: GET /info/info.json; DS allows it from 127.0.0.1 only (403 elsewhere is normal).
 *   Facts "allowed", "version".
 * - command: POST /coauthoring/CommandService.ashx {"c":"version"} (/command when that answers
 *   404, see docsApiCurrentUrl()), signed HS256 with the secret
 *   from ProbeSpec::secretFile or the keychain entry ProbeSpec::secretKeychain when given, the token both in the header
 * (ProbeSpec::jwtHeader, "Bearer ", payload under "payload" as Nextcloud sends it) and in the body. Facts
 *   "command_error" (DS's error code), "command_error_name", "version", "jwt_sent", "api_path"
 *   (the address that answered).
 * - convert (only with ProbeSpec::serveOn): the ConvertService round trip of ConvertRoundTrip,
 *   serving a generated .docx on that address and reporting whether DS fetched it.
 *
 * Every check also carries "check" (its name) and the HTTP facts. The secret never appears.
 */
class DocserverProbe : public ActiveProbe
{
    Q_OBJECT
public:
    explicit DocserverProbe(QObject *parent = nullptr);
    ~DocserverProbe() override;

    void start(const ProbeSpec &spec) override;

    /// c_oAscServerCommandErrors: 0 "ok", 1 "document-key", 2 "parse", 3 "unknown-error",
    /// 4 "not-modified", 5 "unknown-command", 6 "invalid-token", 7 "token-expired"; else "code-N".
    static QString commandErrorName(int code);
    /// "true", "false" or "other" for a /healthcheck body (compared exactly, as Nextcloud does).
    static QString healthcheckValue(const QByteArray &body);

protected:
    void abort() override;

private:
    void startCheck(const QString &check, const QString &path, const QByteArray &method = "GET",
                    const QByteArray &body = QByteArray(), const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void startRequest(const QString &check, const QUrl &url, const QByteArray &method, const QByteArray &body,
                      const QList<QPair<QByteArray, QByteArray>> &headers);
    void onCheckFinished(const QString &check, const HttpProbeResult &http);
    Evidence evidenceFor(const QString &check, const HttpProbeResult &http) const;
    void finishIfDone();
    void startConvert();
    void startChecks();
    void failOnSecret(const QString &error);

    QHash<QString, HttpProbe *> m_running;
    QHash<QString, Evidence> m_evidence;
    QHash<QString, HttpProbeResult> m_results;
    QHash<QString, QString> m_legacyAnswers; ///< check -> what DS's pre-8.2 address answered (404)
    QStringList m_order;
    QByteArray m_secret;
    ConvertRoundTrip *m_convert = nullptr;
    bool m_jwtSent = false;
};

} // namespace dd
