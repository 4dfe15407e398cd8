#include "probecliutil.h"

#include "probe/httpprobe.h"
#include "probe/httpredirects.h"
#include "probe/probeevidence.h"
#include "util/hostport.h"
#include "util/redact.h"

#include <QJsonArray>
#include <QTextStream>

using namespace probecli;

namespace {

bool parseHeader(const QString &text, QPair<QByteArray, QByteArray> *header)
{
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    const QString name = colon > 0 ? text.left(colon).trimmed() : QString();
    if (!isToken(name) || text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'))) {
        // The value is not echoed: a malformed header may well be a credential.
        printError(QStringLiteral("-H: a header is not 'Name: value' on one line (name part: '%1')")
                       .arg(colon > 0 ? text.left(qMin<qsizetype>(colon, 40)) : QStringLiteral("none")));
        return false;
    }
    *header = {name.toLatin1(), text.mid(colon + 1).trimmed().toUtf8()};
    return true;
}

QJsonObject httpJson(const dd::HttpProbeResult &result, bool healthy)
{
    QJsonArray headers;
    for (const auto &header : result.headers) {
        headers.append(QJsonObject{
            {QStringLiteral("name"), QString::fromLatin1(header.first)},
            {QStringLiteral("value"), QString::fromUtf8(dd::redactHeaderValue(header.first, header.second))}});
    }
    const dd::HttpTimings &t = result.timings;
    QJsonObject json{
        {QStringLiteral("schema"), QStringLiteral("docserver-doctor.probe.http/1")},
        {QStringLiteral("kind"), QStringLiteral("http")},
        {QStringLiteral("method"), QString::fromLatin1(result.request.method)},
        {QStringLiteral("url"), dd::redactUrl(result.request.url)},
        {QStringLiteral("outcome"), dd::probeOutcomeName(result.outcome)},
        {QStringLiteral("healthy"), healthy},
        {QStringLiteral("error"), errorJson(result.error)},
        {QStringLiteral("peer"), result.peer.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(result.peer)},
        {QStringLiteral("status"), result.status == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(result.status)},
        {QStringLiteral("status_line"), QString::fromUtf8(result.statusLine)},
        {QStringLiteral("server_kind"), result.serverKind()},
        {QStringLiteral("error_page_from"), result.errorPageFrom()},
        {QStringLiteral("headers"), headers},
        {QStringLiteral("body"), dd::redactJwts(QString::fromUtf8(result.body.left(256)))},
        {QStringLiteral("body_bytes"), result.bodyBytes},
        {QStringLiteral("body_truncated"), result.bodyTruncated},
        {QStringLiteral("failed_connects"), QJsonArray::fromStringList(result.failedConnects)},
        {QStringLiteral("timings_ms"), QJsonObject{{QStringLiteral("dns"), msJson(t.dns)},
                                                   {QStringLiteral("connect"), msJson(t.connect)},
                                                   {QStringLiteral("tls"), msJson(t.tls)},
                                                   {QStringLiteral("sent"), msJson(t.sent)},
                                                   {QStringLiteral("ttfb"), msJson(t.ttfb)},
                                                   {QStringLiteral("total"), msJson(t.total)}}},
    };
    if (!result.request.connectTo.isEmpty())
        json.insert(QStringLiteral("connect_to"), result.request.connectTo);
    if (result.request.url.scheme() == QLatin1String("https")) {
        json.insert(QStringLiteral("tls"),
                    QJsonObject{{QStringLiteral("session"), result.tlsSession},
                                {QStringLiteral("errors"), QJsonArray::fromStringList(result.tlsErrors)}});
    }
    return json;
}

/// One line for a hop that redirected: what was asked, the answer, where it sends, the timings.
QString hopLine(const dd::HttpProbeResult &hop)
{
    const dd::HttpTimings &t = hop.timings;
    const auto ms = [](double v) { return v < 0 ? QStringLiteral("-") : QString::number(v, 'f', 3); };
    return QStringLiteral("%1 %2 -> %3 %4 from %5, Location %6 (connect %7, ttfb %8, total %9 ms)")
        .arg(QString::fromLatin1(hop.request.method), dd::redactUrl(hop.request.url))
        .arg(hop.status)
        .arg(QString::fromUtf8(hop.reason), hop.peer,
             QString::fromUtf8(dd::redactHeaderValue("Location", hop.header("Location"))), ms(t.connect), ms(t.ttfb),
             ms(t.total));
}

void printHttpText(const dd::HttpProbeResult &result)
{
    QTextStream out(stdout);
    out << dd::httpEvidence(result).summary << '\n';
    out << "outcome  " << dd::probeOutcomeName(result.outcome) << '\n';
    if (!result.peer.isEmpty())
        out << "peer     " << result.peer << '\n';
    if (!result.error.isEmpty())
        out << "error    " << result.error << '\n';
    if (const QString hint = result.errorPageHint(); !hint.isEmpty())
        out << "note     " << hint << '\n';
    for (const QString &failure : result.failedConnects)
        out << "tried    " << failure << '\n';
    if (!result.tlsSession.isEmpty())
        out << "tls      " << result.tlsSession << '\n';
    for (const QString &tlsError : result.tlsErrors)
        out << "cert     " << tlsError << '\n';
    if (!result.statusLine.isEmpty()) {
        out << '\n' << result.headerExcerpt() << '\n';
        const QString body = dd::redactJwts(QString::fromUtf8(result.body.left(256)).simplified());
        out << "\nbody (" << result.bodyBytes << " bytes" << (result.bodyTruncated ? ", truncated" : "")
            << "): " << body << '\n';
    }
    const dd::HttpTimings &t = result.timings;
    const QList<QPair<const char *, double>> phases = {{"dns", t.dns},   {"connect", t.connect}, {"tls", t.tls},
                                                       {"sent", t.sent}, {"ttfb", t.ttfb},       {"total", t.total}};
    out << "\nms since start\n";
    for (const auto &phase : phases) {
        out << "  " << QString::fromLatin1(phase.first).leftJustified(8)
            << (phase.second < 0 ? QStringLiteral("-") : QString::number(phase.second, 'f', 3)).rightJustified(12)
            << '\n';
    }
}

} // namespace

int runProbeHttp(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("probe http URL - sends one HTTP/1.1 request on a raw socket and times every phase, like\n"
                       "curl -w. Every address the host resolves to is tried in turn until one connects.\n") +
        QLatin1String(exitHelp));
    parser.addPositionalArgument(QStringLiteral("http"), QStringLiteral("The probe kind."), QStringLiteral("http"));
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("http:// or https:// URL."));
    parser.addOption({{QStringLiteral("H"), QStringLiteral("header")},
                      QStringLiteral("Extra request header 'Name: value' (repeatable)."),
                      QStringLiteral("HEADER")});
    parser.addOption({{QStringLiteral("X"), QStringLiteral("method")},
                      QStringLiteral("Request method (default GET, or POST with --data)."),
                      QStringLiteral("METHOD")});
    parser.addOption(
        {{QStringLiteral("d"), QStringLiteral("data")}, QStringLiteral("Request body."), QStringLiteral("BODY")});
    parser.addOption({QStringLiteral("connect-to"),
                      QStringLiteral("Connect to HOST:PORT instead, keeping the URL's Host header and TLS name."),
                      QStringLiteral("HOST:PORT")});
    parser.addOption({QStringLiteral("timeout"), QStringLiteral("Bound on the whole exchange (default 15000)."),
                      QStringLiteral("MS")});
    parser.addOption({QStringLiteral("connect-timeout"), QStringLiteral("Per address connect bound (default 3000)."),
                      QStringLiteral("MS")});
    parser.addOption({{QStringLiteral("k"), QStringLiteral("insecure")},
                      QStringLiteral("Report certificate problems but carry on (like curl -k).")});
    parser.addOption({{QStringLiteral("L"), QStringLiteral("follow")},
                      QStringLiteral("Follow redirects (like curl -L), timing every hop; stops on a loop.")});
    parser.addOption({QStringLiteral("max-redirects"), QStringLiteral("With --follow, at most N (default 10)."),
                      QStringLiteral("N")});
    QString target;
    int exitCode = 0;
    if (!parseProbeCommandLine(parser, args, QStringLiteral("http"), QStringLiteral("URL"), &target, &exitCode))
        return exitCode;

    dd::HttpRequestSpec spec;
    spec.url = QUrl(target, QUrl::StrictMode);
    const QString scheme = spec.url.scheme();
    if (!spec.url.isValid() || spec.url.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        const QString given = dd::redactJwts(target);
        printError(given.contains(QLatin1String("://"))
                       ? QStringLiteral("probe http: '%1' is not an http:// or https:// URL with a host").arg(given)
                       : QStringLiteral("probe http: '%1' has no scheme; did you mean http://%1 ?").arg(given));
        return ExitCode::Usage;
    }
    for (const QString &text : parser.values(QStringLiteral("header"))) {
        QPair<QByteArray, QByteArray> header;
        if (!parseHeader(text, &header))
            return ExitCode::Usage;
        spec.headers.append(header);
    }
    spec.body = parser.value(QStringLiteral("data")).toUtf8();
    spec.method = parser.isSet(QStringLiteral("method")) ? parser.value(QStringLiteral("method")).toLatin1()
                  : parser.isSet(QStringLiteral("data")) ? QByteArray("POST")
                                                         : QByteArray("GET");
    if (!isToken(QString::fromLatin1(spec.method))) {
        printError(QStringLiteral("--method '%1' is not a valid HTTP method").arg(QString::fromLatin1(spec.method)));
        return ExitCode::Usage;
    }
    if (parser.isSet(QStringLiteral("connect-to"))) {
        dd::HostPort ignored;
        QString error;
        spec.connectTo = parser.value(QStringLiteral("connect-to"));
        if (!dd::parseHostPort(spec.connectTo, &ignored, &error, 1)) {
            printError(QStringLiteral("--connect-to ") + error);
            return ExitCode::Usage;
        }
    }
    if (!intOption(parser, QStringLiteral("timeout"), 15000, &spec.timeoutMs) ||
        !intOption(parser, QStringLiteral("connect-timeout"), 3000, &spec.connectTimeoutMs))
        return ExitCode::Usage;
    spec.ignoreTlsErrors = parser.isSet(QStringLiteral("insecure"));

    if (parser.isSet(QStringLiteral("follow")) || parser.isSet(QStringLiteral("max-redirects"))) {
        int maxRedirects = 10;
        if (parser.isSet(QStringLiteral("max-redirects"))) {
            bool ok = false;
            maxRedirects = parser.value(QStringLiteral("max-redirects")).toInt(&ok);
            if (!ok || maxRedirects < 0 || maxRedirects > 100) {
                printError(QStringLiteral("--max-redirects '%1' is not a number from 0 to 100")
                               .arg(parser.value(QStringLiteral("max-redirects"))));
                return ExitCode::Usage;
            }
        }
        const dd::HttpRedirectResult chain = runToEnd<dd::HttpRedirectChain, dd::HttpRedirectResult>(
            [&](dd::HttpRedirectChain &c) { c.start(spec, maxRedirects); });
        const dd::HttpProbeResult &last = chain.last();
        const bool healthy = chain.error.isEmpty() && last.outcome == dd::ProbeOutcome::Ok && last.status < 500;
        if (wantsJson(parser)) {
            QJsonObject json = httpJson(last, healthy);
            QJsonArray hops;
            for (const dd::HttpProbeResult &hop : chain.hops)
                hops.append(httpJson(hop, hop.outcome == dd::ProbeOutcome::Ok && hop.status < 500));
            json.insert(QStringLiteral("hops"), hops);
            json.insert(QStringLiteral("redirect_error"), errorJson(chain.error));
            if (!emitJson(parser, json))
                return ExitCode::Incomplete;
        } else {
            QTextStream out(stdout);
            for (qsizetype i = 0; i + 1 < chain.hops.size(); ++i)
                out << "hop " << i + 1 << "  " << hopLine(chain.hops.at(i)) << '\n';
            if (!chain.error.isEmpty())
                out << "stopped  " << chain.error << '\n';
            if (chain.hops.size() > 1)
                out << '\n';
            out.flush();
            printHttpText(last);
        }
        if (!chain.error.isEmpty() && last.outcome == dd::ProbeOutcome::Ok)
            return ExitCode::Problem;
        return exitCodeFor(last.outcome, healthy);
    }

    const dd::HttpProbeResult result =
        runToEnd<dd::HttpProbe, dd::HttpProbeResult>([&](dd::HttpProbe &probe) { probe.start(spec); });
    const bool healthy = result.outcome == dd::ProbeOutcome::Ok && result.status < 500;
    if (wantsJson(parser)) {
        if (!emitJson(parser, httpJson(result, healthy)))
            return ExitCode::Incomplete;
    } else {
        printHttpText(result);
    }
    return exitCodeFor(result.outcome, healthy);
}
