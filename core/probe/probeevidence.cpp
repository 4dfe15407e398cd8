#include "probeevidence.h"

#include "proberesult.h"

#include "util/hostport.h"
#include "util/redact.h"

namespace dd {

namespace {

const QChar arrow(0x2192);

QString attemptLine(const TcpAttempt &attempt, quint16 port)
{
    const QString endpoint = formatHostPort(attempt.address, port);
    if (attempt.outcome == ProbeOutcome::Ok)
        return QStringLiteral("%1 connected in %2").arg(endpoint, formatMs(attempt.connectMs));
    return QStringLiteral("%1 %2: %3").arg(endpoint, probeOutcomeName(attempt.outcome), attempt.error);
}

Health httpHealth(const HttpProbeResult &result)
{
    if (result.outcome != ProbeOutcome::Ok || result.status >= 500)
        return Health::Failed;
    if (result.status >= 400)
        return Health::Degraded;
    return Health::Ok;
}

} // namespace

QString formatMs(double ms)
{
    if (ms < 0)
        return QStringLiteral("-");
    return QString::number(ms, 'f', ms < 10 ? 2 : 1) + QStringLiteral(" ms");
}

Evidence tcpEvidence(const TcpProbeResult &result)
{
    Evidence evidence;
    evidence.source = EvidenceSource::Probe;
    evidence.kind = QStringLiteral("tcp");
    evidence.time = result.startedAt.isValid() ? result.startedAt : QDateTime::currentDateTimeUtc();
    evidence.facts = result.facts();
    evidence.latencyMs = result.connectMs;

    const QString target = formatHostPort(result.host, result.port);
    const QStringList failed = result.failedAddresses();
    QStringList lines;
    for (const TcpAttempt &attempt : result.attempts)
        lines.append(attemptLine(attempt, result.port));
    evidence.excerpt = lines.join(QLatin1Char('\n'));

    if (result.outcome == ProbeOutcome::Ok) {
        evidence.health = failed.isEmpty() ? Health::Ok : Health::Degraded;
        evidence.summary = QStringLiteral("TCP %1 connected in %2").arg(target, formatMs(result.connectMs));
        if (!failed.isEmpty()) {
            QStringList failures;
            for (const TcpAttempt &attempt : result.attempts) {
                if (attempt.outcome != ProbeOutcome::Ok)
                    failures.append(QStringLiteral("%1 %2").arg(attempt.address, probeOutcomeName(attempt.outcome)));
            }
            evidence.summary += QStringLiteral(", but ") + failures.join(QStringLiteral(", "));
        }
    } else {
        evidence.health = Health::Failed;
        evidence.summary = QStringLiteral("TCP %1 %2").arg(target, probeOutcomeName(result.outcome));
        if (result.attempts.size() > 1)
            evidence.summary += QStringLiteral(" on all %1 addresses").arg(result.attempts.size());
    }

    QStringList detail;
    if (!result.error.isEmpty())
        detail.append(result.error);
    detail.append(
        QStringLiteral("name lookup: %1; addresses: %2")
            .arg(formatMs(result.dnsMs),
                 result.attempts.isEmpty()
                     ? QStringLiteral("none")
                     : result.facts().value(QStringLiteral("addresses")).toStringList().join(QStringLiteral(", "))));
    detail.append(lines);
    evidence.detail = detail.join(QLatin1Char('\n'));
    return evidence;
}

Evidence httpEvidence(const HttpProbeResult &result)
{
    Evidence evidence;
    evidence.source = EvidenceSource::Probe;
    evidence.kind = QStringLiteral("http");
    evidence.time = result.startedAt.isValid() ? result.startedAt : QDateTime::currentDateTimeUtc();
    evidence.health = httpHealth(result);
    evidence.facts = result.facts();
    evidence.excerpt = result.headerExcerpt();
    const HttpTimings &t = result.timings;
    if (t.connect >= 0)
        evidence.latencyMs = t.dns >= 0 ? t.connect - t.dns : t.connect;

    const QString method =
        QString::fromLatin1(result.request.method.isEmpty() ? QByteArray("GET") : result.request.method);
    const QString request = method + QLatin1Char(' ') + redactUrl(result.request.url);
    QString answer;
    if (result.status != 0) {
        answer = QString::number(result.status);
        if (!result.reason.isEmpty())
            answer += QLatin1Char(' ') + QString::fromUtf8(result.reason);
        const QByteArray server = result.header("Server");
        if (!server.isEmpty())
            answer += QStringLiteral(" from ") + QString::fromUtf8(server);
        if (result.outcome != ProbeOutcome::Ok)
            answer += QStringLiteral(", then ") + probeOutcomeName(result.outcome);
    } else {
        answer = probeOutcomeName(result.outcome);
    }
    evidence.summary = QStringLiteral("%1 %2 %3 in %4").arg(request, arrow, answer, formatMs(t.total));

    QStringList detail;
    if (!result.error.isEmpty())
        detail.append(result.error);
    if (!result.peer.isEmpty())
        detail.append(QStringLiteral("peer: %1").arg(result.peer));
    if (!result.request.connectTo.isEmpty())
        detail.append(QStringLiteral("connected to %1 instead of the URL's host").arg(result.request.connectTo));
    for (const QString &failure : result.failedConnects)
        detail.append(QStringLiteral("connect failed: %1").arg(failure));
    if (!result.tlsSession.isEmpty())
        detail.append(QStringLiteral("TLS: %1").arg(result.tlsSession));
    for (const QString &tlsError : result.tlsErrors)
        detail.append(QStringLiteral("certificate problem: %1").arg(tlsError));
    detail.append(QStringLiteral("timings since start: dns %1, connect %2, tls %3, sent %4, first byte %5, total %6")
                      .arg(formatMs(t.dns), formatMs(t.connect), formatMs(t.tls), formatMs(t.sent), formatMs(t.ttfb),
                           formatMs(t.total)));
    if (const QString hint = result.errorPageHint(); !hint.isEmpty())
        detail.append(hint);
    if (result.status != 0) {
        detail.append(QStringLiteral("body: %1 bytes%2")
                          .arg(result.bodyBytes)
                          .arg(result.bodyTruncated
                                   ? QStringLiteral(" (only the first %1 kept)").arg(result.body.size())
                                   : QString()));
        const QString preview = redactJwts(QString::fromUtf8(result.body.left(256)).trimmed());
        if (!preview.isEmpty())
            detail.append(QStringLiteral("body starts: %1").arg(preview));
    }
    evidence.detail = detail.join(QLatin1Char('\n'));
    return evidence;
}

QString dependencyDetail(const QString &error, const QStringList &connectFailures, const ProbeTimings &timings,
                         const QString &firstAnswer)
{
    QStringList detail;
    if (!error.isEmpty())
        detail.append(error);
    if (error != connectFailures.join(QLatin1String("; "))) {
        for (const QString &failure : connectFailures)
            detail.append(QStringLiteral("connect failed: %1").arg(failure));
    }
    detail.append(QStringLiteral("timings since start: dns %1, connect %2, %3 %4, total %5")
                      .arg(formatMs(timings.dns), formatMs(timings.connect), firstAnswer, formatMs(timings.ttfb),
                           formatMs(timings.total)));
    return detail.join(QLatin1Char('\n'));
}

} // namespace dd
