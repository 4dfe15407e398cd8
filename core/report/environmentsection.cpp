#include "environmentsection.h"

#include "reporttext.h"
#include "util/redact.h"

#include <QTextStream>

namespace dd {

namespace {

struct EngineRow
{
    EvidenceSource source;
    const char *name;
    const char *whenAbsent;
};

const EngineRow engines[] = {
    {EvidenceSource::Probe, "Probes", "no address to probe (public URL or Document Server URL)"},
    {EvidenceSource::Log, "Logs", "no log file read (--log)"},
    {EvidenceSource::Config, "Configuration", "no proxy or Document Server configuration read"},
    {EvidenceSource::Capture, "Packet capture", "no capture analysed (--pcap)"},
    {EvidenceSource::Host, "Host", "no local sockets, units or containers inspected"},
    {EvidenceSource::User, "Your answers", "no question answered (--answer)"},
};

struct Input
{
    const char *name;
    QString value; ///< empty: absent
    const char *whenAbsent;
};

QString urlText(const QUrl &url)
{
    return url.isValid() && !url.isEmpty() ? redactUrl(url) : QString();
}

QList<Input> inputsOf(const Profile &p)
{
    return {
        {"Public address", urlText(p.publicUrl), "the front proxy was not probed"},
        {"Document Server address", urlText(p.docserverUrl),
         "Document Server's nginx was not probed directly, so the proxy hop cannot be told from Document Server"},
        {"docservice address",
         p.hasDocservice() ? p.docserviceHost + QLatin1Char(':') + QString::number(p.docservicePort) : QString(),
         "docservice (:8000 behind Document Server's nginx) was not probed"},
        {"Front proxy configuration", p.proxyConfig, "the proxy configuration was not linted"},
        {"Document Server configuration", p.dsConfig, "local.json (JWT, storage, database settings) was not read"},
        {"Document Server nginx configuration", p.dsNginxConfig, "Document Server's own nginx was not linted"},
        {"Log files", p.logFiles.join(QStringLiteral(", ")), "no log lines could confirm or refine the cause"},
        {"JWT secret file", p.jwtSecretFile, "requests were not signed; token problems can only be inferred"},
        {"Integrator address", urlText(p.integratorUrl), "the integrator was not probed"},
        {"Callback URL", urlText(p.callbackUrl), "the callback check (Document Server → integrator) did not run"},
        {"Document URL", urlText(p.documentUrl), "the conversion round trip (Document Server → storage) did not run"},
    };
}

QString timeText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")) : QStringLiteral("unknown");
}

void writeObserved(const Diagnosis &d, QTextStream &out)
{
    QStringList versionValues;
    QList<QStringList> versionSources; ///< the evidence that reported each version
    QList<QPair<QString, const Evidence *>> servers;
    for (const Evidence &e : d.evidence) {
        // Only probes read Server headers; a capture's "capture.server" is an address.
        for (auto it = e.facts.cbegin(); it != e.facts.cend(); ++it) {
            const QString value = it.value().toString().trimmed();
            if (value.isEmpty())
                continue;
            if (it.key().endsWith(QLatin1String(".version"))) {
                const qsizetype i = versionValues.indexOf(value);
                if (i < 0) {
                    versionValues.append(value);
                    versionSources.append(QStringList{e.id});
                } else if (!versionSources.at(i).contains(e.id)) {
                    versionSources[i].append(e.id);
                }
            } else if (e.source == EvidenceSource::Probe && it.key().endsWith(QLatin1String(".server"))) {
                servers.append({value, &e});
            }
        }
    }
    QStringList versions;
    for (qsizetype i = 0; i < versionValues.size(); ++i)
        versions.append(versionValues.at(i) + QStringLiteral(" (") + versionSources.at(i).join(QStringLiteral(", ")) +
                        QLatin1Char(')'));
    out << "<tr><th>Document Server version</th><td>"
        << (versions.isEmpty() ? QStringLiteral("not observed (no version answer from CommandService or info.json)")
                               : safeHtml(versions.join(QStringLiteral("; "))))
        << "</td></tr>\n</table>\n<h3>Server headers seen</h3>\n";
    if (servers.isEmpty()) {
        out << "<p class=\"meta\">No probe received a Server header.</p>\n";
        return;
    }
    out << "<table><tr><th>Probe</th><th>Hop</th><th>Server</th></tr>\n";
    for (const auto &s : servers) {
        out << "<tr><td><code>" << safeHtml(s.second->id) << "</code></td><td><code>"
            << safeHtml(s.second->link.isEmpty() ? s.second->node : s.second->link) << "</code></td><td><code>"
            << safeHtml(s.first) << "</code></td></tr>\n";
    }
    out << "</table>\n";
}

} // namespace

void writeEnvironmentSection(const Diagnosis &d, const QDateTime &generated, QTextStream &out)
{
    const RunInfo run = effectiveRunInfo(d.run);
    out << "<h2 id=\"environment\">Environment</h2>\n<table class=\"kv\">\n"
        << "<tr><th>DocServer Doctor</th><td>" << safeHtml(run.toolVersion) << "</td></tr>\n"
        << "<tr><th>Ran on</th><td>" << safeHtml(run.hostName) << "</td></tr>\n"
        << "<tr><th>Ran</th><td>" << timeText(d.started) << " to " << timeText(d.finished);
    if (d.started.isValid() && d.finished.isValid())
        out << " (" << QString::number(double(d.started.msecsTo(d.finished)) / 1000.0, 'f', 1) << " s)";
    out << "</td></tr>\n<tr><th>Report rendered</th><td>" << timeText(generated) << "</td></tr>\n";
    if (!d.profile.sourceFile.isEmpty())
        out << "<tr><th>Profile</th><td><code>" << safeHtml(d.profile.sourceFile) << "</code></td></tr>\n";
    writeObserved(d, out);

    out << "<h3>What was checked</h3>\n<table><tr><th>Engine</th><th>Evidence items</th><th>Note</th></tr>\n";
    for (const EngineRow &row : engines) {
        qsizetype count = 0;
        for (const Evidence &e : d.evidence)
            count += e.source == row.source ? 1 : 0;
        out << "<tr><td>" << row.name << "</td><td class=\"" << (count ? "h-ok" : "h-unknown") << "\">" << count
            << "</td><td>" << (count ? "checked" : row.whenAbsent) << "</td></tr>\n";
    }
    out << "</table>\n<h3>Inputs</h3>\n";
    if (!d.run.inputsKnown) {
        out << "<p class=\"meta\">The saved diagnosis does not record which inputs it was given.</p>\n";
        return;
    }
    out << "<table><tr><th>Input</th><th>Given</th></tr>\n";
    for (const Input &in : inputsOf(d.profile)) {
        out << "<tr><td>" << in.name << "</td><td>";
        if (in.value.isEmpty())
            out << "<span class=\"h-unknown\">absent</span>: " << in.whenAbsent;
        else
            out << "<code>" << safeHtml(in.value) << "</code>";
        out << "</td></tr>\n";
    }
    out << "</table>\n";
}

} // namespace dd
