#include "htmlreport.h"

#include "environmentsection.h"
#include "exchangetimeline.h"
#include "reporttext.h"
#include "topologysvg.h"
#include "util/redact.h"

#include <QFile>
#include <QSaveFile>
#include <QTextStream>

namespace dd {

QString htmlEscape(const QString &text)
{
    QString out;
    out.reserve(text.size() + text.size() / 8);
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '&':
            out += QLatin1String("&amp;");
            break;
        case '<':
            out += QLatin1String("&lt;");
            break;
        case '>':
            out += QLatin1String("&gt;");
            break;
        case '"':
            out += QLatin1String("&quot;");
            break;
        case '\'':
            out += QLatin1String("&#39;");
            break;
        default:
            // Control characters from hostile responses or binary logs would corrupt the page.
            if (c.unicode() < 0x20 && c != QLatin1Char('\n') && c != QLatin1Char('\t'))
                out += QStringLiteral("&#%1;").arg(0x2400 + c.unicode());
            else if (c.unicode() == 0x7f)
                out += QLatin1String("&#9249;");
            else
                out += c;
        }
    }
    return out;
}

namespace {

QString safe(const QString &text)
{
    return safeHtml(text);
}

const char kStyle[] = R"(
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans",sans-serif;margin:2em auto;max-width:1100px;color:#1d2330;padding:0 1em}
h1{font-size:1.5em;margin-bottom:.2em} h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #d8dce3;padding-bottom:.2em}
h3{font-size:1em;margin:1.2em 0 .4em}
.meta{color:#5b6475;font-size:.9em}
.verdict{border-radius:8px;padding:1em 1.2em;margin:1em 0;border:1px solid}
.verdict.problem{background:#fdecec;border-color:#e5a5a5} .verdict.healthy{background:#eaf7ee;border-color:#9ed3ad}
.verdict.inconclusive{background:#fff6e0;border-color:#e8cf8a}
.verdict .status{font-weight:700;text-transform:uppercase;letter-spacing:.05em;font-size:.85em}
.verdict .title{font-size:1.25em;font-weight:600;margin:.2em 0}
table{border-collapse:collapse;width:100%;font-size:.92em} th,td{text-align:left;vertical-align:top;padding:.35em .5em;border-bottom:1px solid #e6e8ec}
th{background:#f4f5f7} table.kv th{width:16em} code,pre{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.88em}
pre{background:#f6f7f9;padding:.5em;border-radius:4px;white-space:pre-wrap;word-break:break-all;margin:.3em 0}
.h-ok{color:#1e7d3b} .h-failed{color:#b42318;font-weight:600} .h-degraded{color:#a15c00} .h-unknown{color:#6b7280}
.fix{background:#eef4ff;border-left:3px solid #4f7bd9;padding:.4em .6em;white-space:pre-wrap}
ol.path li{margin:.4em 0}
figure{margin:1em 0;border:1px solid #e6e8ec;border-radius:6px;padding:.5em;background:#fff}
figcaption{font-size:.9em;margin-bottom:.3em}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:.8em}
.charts figure{margin:0}
@page{margin:14mm}
@media print{
body{margin:0;max-width:none;padding:0;font-size:10pt}
h2,h3{break-after:avoid} figure,.verdict,tr,pre{break-inside:avoid}
.verdict,.fix,th,svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.charts{display:block} .charts figure{margin:0 0 .8em}
pre{white-space:pre-wrap;word-break:break-all}
}
)";

struct SourceGroup
{
    EvidenceSource source;
    const char *title;
};

const SourceGroup sourceGroups[] = {{EvidenceSource::Probe, "Probes"},
                                    {EvidenceSource::Log, "Logs"},
                                    {EvidenceSource::Capture, "Packet capture"},
                                    {EvidenceSource::Config, "Configuration"},
                                    {EvidenceSource::Host, "Host"},
                                    {EvidenceSource::User, "Your answers"}};

void writeVerdict(const Diagnosis &d, QTextStream &out)
{
    const RankedCause *top = d.causes.isEmpty() ? nullptr : &d.causes.first();
    out << "<section class=\"verdict " << verdictStatusName(d.status) << "\" id=\"verdict\"><div class=\"status\">"
        << htmlEscape(verdictStatusName(d.status)) << "</div>";
    if (top) {
        out << "<div class=\"title\">" << safe(top->title) << " <code>" << safe(top->id) << "</code></div>"
            << "<div>Hop: <code>" << safe(d.hop) << "</code> · confidence " << qRound(d.confidence * 100) << "%</div>";
    }
    out << "<p>" << safe(d.summary) << "</p>";
    if (top && !top->fix.isEmpty())
        out << "<div class=\"fix\"><strong>Fix:</strong> " << safe(top->fix) << "</div>";
    out << "</section>\n";
    if (d.causes.size() > 1 || (top && !top->evidenceIds.isEmpty())) {
        out << "<h2>Ranked causes</h2>\n<table><tr><th>Cause</th><th>Confidence</th><th>Hop</th><th>Why</th>"
               "<th>Evidence</th></tr>\n";
        for (const RankedCause &c : d.causes) {
            out << "<tr><td>" << safe(c.title) << "<br><code>" << safe(c.id) << "</code></td><td>"
                << qRound(c.confidence * 100) << "%</td><td><code>" << safe(c.hop) << "</code></td><td>"
                << safe(c.reason) << "</td><td>" << safe(c.evidenceIds.join(QStringLiteral(", "))) << "</td></tr>\n";
        }
        out << "</table>\n";
    }
}

void writeTopology(const Diagnosis &d, QTextStream &out)
{
    out << "<h2>Topology</h2>\n<figure class=\"topology\">" << renderTopologySvg(d.topology)
        << "</figure>\n<table><tr><th>Link</th><th>Health</th><th>Latency</th><th>Reason</th></tr>\n";
    for (const TopologyLink &l : d.topology.links()) {
        out << "<tr><td><code>" << safe(l.id) << "</code></td><td class=\"h-" << healthName(l.health) << "\">"
            << healthName(l.health) << "</td><td>"
            << (l.lastLatencyMs >= 0 ? QString::number(l.lastLatencyMs, 'f', 1) + QStringLiteral(" ms") : QString())
            << "</td><td>" << safe(l.healthReason) << "</td></tr>\n";
    }
    out << "</table>\n";
}

void writePath(const Diagnosis &d, QTextStream &out)
{
    out << "<h2>Decision path</h2>\n<ol class=\"path\">\n";
    for (const PathStep &s : d.path) {
        out << "<li><strong>" << safe(s.question) << "</strong><br>" << safe(s.answer);
        if (!s.evidenceIds.isEmpty())
            out << " <span class=\"meta\">[" << safe(s.evidenceIds.join(QStringLiteral(", "))) << "]</span>";
        if (s.askedUser)
            out << "<br><em>Needs your answer:</em> " << safe(s.choices.join(QStringLiteral(" / ")));
        out << "</li>\n";
    }
    out << "</ol>\n";
}

void writeEvidence(const Diagnosis &d, QTextStream &out)
{
    out << "<h2>Evidence</h2>\n";
    if (d.evidence.isEmpty())
        out << "<p class=\"meta\">No evidence was gathered.</p>\n";
    for (const SourceGroup &group : sourceGroups) {
        bool opened = false;
        for (const Evidence &e : d.evidence) {
            if (e.source != group.source)
                continue;
            if (!opened) {
                out << "<h3>" << group.title << "</h3>\n<table><tr><th>Id</th><th>Kind</th><th>Health</th>"
                    << "<th>Observed</th></tr>\n";
                opened = true;
            }
            out << "<tr id=\"" << safe(e.id) << "\"><td><code>" << safe(e.id) << "</code><br><span class=\"meta\">"
                << htmlEscape(e.time.toString(Qt::ISODateWithMs)) << "</span></td><td>" << safe(e.kind);
            if (!e.link.isEmpty() || !e.node.isEmpty())
                out << "<br><code>" << safe(e.link.isEmpty() ? e.node : e.link) << "</code>";
            out << "</td><td class=\"h-" << healthName(e.health) << "\">" << healthName(e.health) << "</td><td>"
                << safe(e.summary);
            if (!e.detail.isEmpty())
                out << "<br>" << safe(e.detail);
            if (!e.excerpt.isEmpty())
                // Redacted before it is cut, so a cut cannot leave half a token unrecognised.
                out << "<pre>" << htmlEscape(redactSecrets(e.excerpt).left(4000)) << "</pre>";
            out << "</td></tr>\n";
        }
        if (opened)
            out << "</table>\n";
    }
}

// One request or connection seen from several places: the proxy's error log, its access log,
// the capture, the probe that provoked it, the configuration that names the address.
void writeCorrelations(const Diagnosis &d, QTextStream &out)
{
    if (d.correlations.isEmpty())
        return;
    out << "<h2 id=\"correlations\">Correlated evidence</h2>\n<table><tr><th>Key</th><th>Seen in</th><th>When</th>"
           "<th>Evidence</th></tr>\n";
    for (const Correlation &c : d.correlations) {
        out << "<tr><td>" << safe(c.key) << " <code>" << safe(c.value) << "</code></td><td>"
            << safe(c.origins.join(QStringLiteral(", "))) << "</td><td>";
        if (c.first.isValid()) {
            out << htmlEscape(c.first.toString(Qt::ISODateWithMs));
            if (c.last > c.first)
                out << " – " << htmlEscape(c.last.toString(Qt::ISODateWithMs));
        } else {
            out << "<span class=\"meta\">configuration</span>";
        }
        out << "</td><td>";
        for (qsizetype i = 0; i < c.evidenceIds.size(); ++i)
            out << (i ? ", " : "") << "<a href=\"#" << safe(c.evidenceIds.at(i)) << "\"><code>"
                << safe(c.evidenceIds.at(i)) << "</code></a>";
        out << "</td></tr>\n";
    }
    out << "</table>\n";
}

void writeLatency(const Diagnosis &d, const HtmlReportOptions &options, QTextStream &out)
{
    out << "<h2 id=\"latency\">Latency per link</h2>\n";
    const QList<LinkLatency> links = collectLinkLatencies(d, options.latencyHistory);
    if (links.isEmpty()) {
        out << "<p class=\"meta\">No probe timings were measured on any link.</p>\n";
        return;
    }
    out << "<div class=\"charts\">\n";
    QStringList unmeasured;
    for (const TopologyLink &l : d.topology.links())
        unmeasured.append(l.id);
    for (const LinkLatency &l : links) {
        unmeasured.removeAll(l.link);
        out << "<figure class=\"chart\"><figcaption><code>" << safe(l.link) << "</code>";
        if (!l.history.isEmpty()) {
            qsizetype failed = 0;
            for (const LatencyHistorySample &s : l.history)
                failed += s.hasValue() ? 0 : 1;
            const double median = medianLatency(l.history);
            out << " · history: " << l.history.size() << " samples";
            if (median >= 0)
                out << ", median " << QString::number(median, 'f', 1) << " ms";
            if (failed)
                out << ", <span class=\"h-failed\">" << failed << " without answer</span>";
        }
        out << "</figcaption>\n";
        if (!l.probes.isEmpty())
            out << renderPhaseChartSvg(l);
        if (l.history.size() > 1)
            out << renderHistoryChartSvg(l);
        out << "</figure>\n";
    }
    out << "</div>\n";
    if (!unmeasured.isEmpty())
        out << "<p class=\"meta\">No timing measured on: " << safe(unmeasured.join(QStringLiteral(", "))) << ".</p>\n";
}

} // namespace

void writeHtmlReport(const Diagnosis &d, QTextStream &out, const HtmlReportOptions &options)
{
    const QString target = d.profile.name.isEmpty() ? d.profile.publicUrl.toString() : d.profile.name;
    const QDateTime generated = options.generated.isValid() ? options.generated : QDateTime::currentDateTimeUtc();
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        << "<title>DocServer Doctor report — " << safe(target) << "</title><style>" << kStyle
        << "</style></head><body>\n";
    out << "<h1>DocServer Doctor report</h1>\n<p class=\"meta\">Target: " << safe(target) << " · started "
        << htmlEscape(d.started.toString(Qt::ISODate)) << " · finished " << htmlEscape(d.finished.toString(Qt::ISODate))
        << "</p>\n";
    writeVerdict(d, out);
    writeTopology(d, out);
    writePath(d, out);
    writeEvidence(d, out);
    writeCorrelations(d, out);
    writeLatency(d, options, out);
    writeFailingExchangeSection(d, out);
    writeEnvironmentSection(d, generated, out);
    out << "<p class=\"meta\">Generated by DocServer Doctor. Secrets are redacted.</p>\n</body></html>\n";
}

QString renderHtmlReport(const Diagnosis &diagnosis, const HtmlReportOptions &options)
{
    QString html;
    QTextStream out(&html);
    writeHtmlReport(diagnosis, out, options);
    out.flush();
    return html;
}

bool saveHtmlReport(const Diagnosis &diagnosis, const QString &path, QString *error, const HtmlReportOptions &options)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("%1: cannot write the report: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray bytes = renderHtmlReport(diagnosis, options).toUtf8();
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QStringLiteral("%1: cannot write the report: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace dd
