#include "metricsreport.h"

#include "reporttext.h"

#include <QTextStream>

namespace dd {

QString prometheusLabel(const QString &value)
{
    QString out;
    out.reserve(value.size());
    for (const QChar c : printableText(value)) {
        if (c == QLatin1Char('\\'))
            out += QLatin1String("\\\\");
        else if (c == QLatin1Char('"'))
            out += QLatin1String("\\\"");
        else if (c == QLatin1Char('\n'))
            out += QLatin1String("\\n");
        else
            out += c;
    }
    return out;
}

namespace {

void header(QTextStream &out, const char *name, const char *help, const char *type = "gauge")
{
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

QString number(double v)
{
    return QString::number(v, 'g', 9);
}

} // namespace

QString renderMetrics(const Diagnosis &d)
{
    QString text;
    QTextStream out(&text);
    header(out, "docserver_doctor_verdict", "1 for the status of the last diagnosis, with its cause and hop.");
    for (VerdictStatus s : {VerdictStatus::Healthy, VerdictStatus::Problem, VerdictStatus::Inconclusive}) {
        out << "docserver_doctor_verdict{status=\"" << verdictStatusName(s) << "\",cause=\""
            << prometheusLabel(s == d.status ? d.causeId : QString()) << "\",hop=\""
            << prometheusLabel(s == d.status ? d.hop : QString()) << "\"} " << (s == d.status ? 1 : 0) << '\n';
    }
    header(out, "docserver_doctor_verdict_confidence", "Confidence of the verdict, 0..1.");
    out << "docserver_doctor_verdict_confidence " << number(d.confidence) << '\n';
    header(out, "docserver_doctor_last_run_timestamp_seconds", "When the diagnosis finished (Unix time).");
    out << "docserver_doctor_last_run_timestamp_seconds " << d.finished.toSecsSinceEpoch() << '\n';

    header(out, "docserver_doctor_link_up", "1 when the link worked, 0 when it failed; absent when not checked.");
    for (const TopologyLink &l : d.topology.links()) {
        if (l.health == Health::Unknown)
            continue;
        out << "docserver_doctor_link_up{link=\"" << prometheusLabel(l.id) << "\"} "
            << (l.health == Health::Failed ? 0 : 1) << '\n';
    }
    header(out, "docserver_doctor_link_latency_seconds", "Last connect latency measured on the link.");
    for (const TopologyLink &l : d.topology.links()) {
        if (l.lastLatencyMs >= 0)
            out << "docserver_doctor_link_latency_seconds{link=\"" << prometheusLabel(l.id) << "\"} "
                << number(l.lastLatencyMs / 1000.0) << '\n';
    }

    header(out, "docserver_doctor_probe_success", "1 when the probe reached its target and got an answer.");
    for (const Evidence &e : d.evidence) {
        if (e.source != EvidenceSource::Probe)
            continue;
        out << "docserver_doctor_probe_success{probe=\"" << prometheusLabel(e.id) << "\",kind=\""
            << prometheusLabel(e.kind) << "\"} " << (e.health == Health::Failed ? 0 : 1) << '\n';
    }
    header(out, "docserver_doctor_probe_phase_seconds",
           "Probe phase timings (connect, ttfb, total), as curl -w reports.");
    for (const Evidence &e : d.evidence) {
        if (e.source != EvidenceSource::Probe)
            continue;
        for (auto it = e.facts.cbegin(); it != e.facts.cend(); ++it) {
            if (!it.key().endsWith(QLatin1String("_ms")))
                continue;
            bool ok = false;
            const double ms = it.value().toDouble(&ok);
            if (!ok || ms < 0)
                continue;
            QString phase = it.key().section(QLatin1Char('.'), -1);
            phase.chop(3);
            out << "docserver_doctor_probe_phase_seconds{probe=\"" << prometheusLabel(e.id) << "\",phase=\""
                << prometheusLabel(phase) << "\"} " << number(ms / 1000.0) << '\n';
        }
    }
    header(out, "docserver_doctor_cause_confidence", "Confidence of each ranked cause, 0..1.");
    for (const RankedCause &c : d.causes) {
        out << "docserver_doctor_cause_confidence{cause=\"" << prometheusLabel(c.id) << "\",hop=\""
            << prometheusLabel(c.hop) << "\"} " << number(c.confidence) << '\n';
    }
    out.flush();
    return text;
}

} // namespace dd
