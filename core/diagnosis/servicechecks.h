#pragma once

#include "probe/httpproberesult.h"

#include <QByteArray>
#include <QString>
#include <QUrl>
#include <QVariantMap>

namespace dd {

/// Where the CommandService token travels: the integrator's header, or the request body.
enum class TokenPlacement { Header, Body };

/**
 * The requests an integrator makes of Document Server, built as HTTP probes, and the facts their
 * answers give. Pure functions: no I/O, so each is tested on canned answers.
 */
namespace servicechecks {

/// POST {"c":"version"} to CommandService, signed with `secret` (HS256) when one is given. With
/// Header the token goes in `header` ("Bearer " prefix) only; with Body in the body's "token".
HttpRequestSpec commandRequest(const QUrl &base, const QByteArray &secret, const QString &header,
                               TokenPlacement placement, qint64 nowSecs);
/// "command_error" (DS's CommandService code: 0 ok, 6 token, 7 token expired), "version".
QVariantMap commandFacts(const HttpProbeResult &result);

/// GET of the base address without following redirects: DS answers 302 to /welcome/ built from
/// the forwarded headers it received.
HttpRequestSpec rootRequest(const QUrl &base);
/**
 * What the redirect says about forwarded headers: "redirect_problem" is "scheme" (http:// for an
 * https page: X-Forwarded-Proto lost), "host" (another host or port: Host/X-Forwarded-Host lost),
 * "underscore" (a host DS escaped with %5f), "prefix" (the sub-path lost: X-Forwarded-Prefix),
 * or "none".
 */
QVariantMap redirectFacts(const HttpProbeResult &result, const QUrl &publicUrl);

/// Which part of an address Document Server generated differs from the public one: "scheme",
/// "host" (host or port), "underscore" (a %5f-escaped host), "prefix" (sub-path), or "none".
QString generatedUrlProblem(const QUrl &generated, const QUrl &publicUrl);
/// The same for an address as Document Server wrote it (a Location header, a fileUrl), relative
/// ones resolved against `publicUrl`. Read from the raw text first: a %5f-escaped host is not a
/// valid URL host, and parsing would lose exactly what matters.
QString generatedUrlProblem(const QByteArray &raw, const QUrl &publicUrl);

/// POST ConvertService.ashx: convert `documentUrl` (docx → pdf) synchronously, signed when a secret
/// is given (token in the header's payload and in the body). DS must download the document itself.
HttpRequestSpec convertRequest(const QUrl &base, const QUrl &documentUrl, const QByteArray &secret,
                               const QString &header, qint64 nowSecs);
/// "convert_error" (0 when endConvert, else DS's negative code), "file_url".
QVariantMap convertFacts(const HttpProbeResult &result);

/// A POST announcing `bytes` of body with Expect: 100-continue and sending none: a proxy whose
/// client_max_body_size is smaller answers 413 at once, from the headers alone.
HttpRequestSpec bodyLimitRequest(const QUrl &base, qint64 bytes);

/**
 * POST a status callback to the integrator's callbackUrl as docservice sends it (status 4, the
 * document closed without changes, for a key no editor uses): the token in `header` as
 * "Bearer" with the body as its payload. `editors` lists that many users and actions in it: a
 * busy document's outbox token outgrows the 8 KB header limits of nginx and Apache.
 */
HttpRequestSpec callbackRequest(const QUrl &callbackUrl, const QByteArray &secret, const QString &header, int editors,
                                qint64 nowSecs);

/**
 * What a callback answer says: "problem" is "none" (a JSON answer, whatever its error value: the
 * handler ran), "header-too-large" (400/431 naming the header size), "server-error" (5xx),
 * "rejected" (another 4xx), "not-json" (2xx that is not the handler's JSON), "unreachable".
 */
QVariantMap callbackFacts(const HttpProbeResult &result);

} // namespace servicechecks

} // namespace dd
