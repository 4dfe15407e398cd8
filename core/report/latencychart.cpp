#include "latencychart.h"

#include "reporttext.h"

#include <QTextStream>

#include <algorithm>
#include <cmath>

namespace dd {

namespace {

// Chart geometry in SVG user units; the SVG scales to its container.
constexpr double chartWidth = 520;
constexpr double marginLeft = 56;
constexpr double marginRight = 12;
constexpr double marginTop = 26;
constexpr double marginBottom = 40;
constexpr int maxProbeGroups = 12;

struct Phase
{
    const char *name;
    const char *colour;
    double PhaseTiming::*value;
    double LatencyHistorySample::*history;
};

const Phase phases[] = {{"connect", "#4f7bd9", &PhaseTiming::connectMs, &LatencyHistorySample::connectMs},
                        {"ttfb", "#d08a1e", &PhaseTiming::ttfbMs, &LatencyHistorySample::ttfbMs},
                        {"total", "#2e7d32", &PhaseTiming::totalMs, &LatencyHistorySample::totalMs}};

QString num(double v)
{
    return QString::number(v, 'f', 1);
}

QString tickLabel(double value, double step)
{
    const int decimals = step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
    return QString::number(value, 'f', decimals);
}

double msFact(const QVariantMap &facts, const QString &key)
{
    const QVariant v = facts.value(key);
    if (!v.isValid() || v.isNull())
        return -1;
    bool ok = false;
    const double ms = v.toDouble(&ok);
    return ok && ms >= 0 && std::isfinite(ms) ? ms : -1;
}

PhaseTiming timingOf(const Evidence &e)
{
    PhaseTiming t;
    t.evidenceId = e.id;
    for (auto it = e.facts.cbegin(); it != e.facts.cend(); ++it) {
        const QString &key = it.key();
        const qsizetype dot = key.lastIndexOf(QLatin1Char('.'));
        if (dot <= 0)
            continue;
        const QString property = key.mid(dot + 1);
        const double ms = msFact(e.facts, key);
        for (const Phase &p : phases) {
            if (property == QLatin1String(p.name) + QLatin1String("_ms") && ms >= 0) {
                t.*(p.value) = ms;
                if (t.label.isEmpty())
                    t.label = key.left(dot);
            }
        }
    }
    return t;
}

LinkLatency &entryFor(QList<LinkLatency> &list, const QString &link)
{
    for (LinkLatency &l : list) {
        if (l.link == link)
            return l;
    }
    list.append(LinkLatency{link, {}, {}});
    return list.last();
}

// The y axis (grid lines, tick labels, "ms" title) of a plot `plotHeight` high.
void writeValueAxis(QTextStream &out, const AxisScale &scale, double plotHeight)
{
    const double plotRight = chartWidth - marginRight;
    for (int i = 0; i <= scale.ticks; ++i) {
        const double value = scale.step * i;
        const double y = marginTop + plotHeight - value / scale.top * plotHeight;
        out << "<line x1=\"" << num(marginLeft) << "\" y1=\"" << num(y) << "\" x2=\"" << num(plotRight) << "\" y2=\""
            << num(y) << "\" stroke=\"" << (i == 0 ? "#5b6475" : "#e6e8ec") << "\"/>"
            << "<text x=\"" << num(marginLeft - 6) << "\" y=\"" << num(y + 4)
            << "\" text-anchor=\"end\" font-size=\"10\" fill=\"#5b6475\">" << tickLabel(value, scale.step)
            << "</text>\n";
    }
    const double mid = marginTop + plotHeight / 2;
    out << "<text x=\"14\" y=\"" << num(mid) << "\" transform=\"rotate(-90 14 " << num(mid)
        << ")\" text-anchor=\"middle\" font-size=\"11\" fill=\"#5b6475\">ms</text>\n";
}

void writeSvgOpen(QTextStream &out, double height, const QString &label)
{
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"" << safeHtml(label)
        << "\" viewBox=\"0 0 " << num(chartWidth) << ' ' << num(height)
        << "\" style=\"max-width:100%;height:auto\" font-family=\"sans-serif\">\n";
}

QString elided(const QString &text, int max)
{
    return text.size() <= max ? text : text.left(max - 1) + QChar(0x2026);
}

} // namespace

AxisScale niceScale(double maxValue, int maxTicks)
{
    AxisScale s;
    if (!(maxValue > 0) || !std::isfinite(maxValue) || maxTicks < 1)
        return s;
    const double raw = maxValue / maxTicks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / magnitude;
    s.step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
    // The epsilon keeps 10.0/2.0 from becoming 6 ticks through rounding.
    s.ticks = std::max(1, int(std::ceil(maxValue / s.step - 1e-9)));
    s.top = s.step * s.ticks;
    return s;
}

double medianLatency(const QList<LatencyHistorySample> &samples)
{
    QList<double> values;
    for (const LatencyHistorySample &s : samples) {
        if (s.headlineMs() >= 0)
            values.append(s.headlineMs());
    }
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}

QList<LinkLatency> collectLinkLatencies(const Diagnosis &d, const QList<LatencyHistorySample> &history)
{
    QList<LinkLatency> all;
    for (const TopologyLink &l : d.topology.links())
        all.append(LinkLatency{l.id, {}, {}});
    for (const Evidence &e : d.evidence) {
        if (e.link.isEmpty() || e.source != EvidenceSource::Probe)
            continue;
        const PhaseTiming t = timingOf(e);
        if (!t.label.isEmpty())
            entryFor(all, e.link).probes.append(t);
    }
    for (const LatencyHistorySample &s : history) {
        if (!s.link.isEmpty())
            entryFor(all, s.link).history.append(s);
    }
    QList<LinkLatency> measured;
    for (LinkLatency &l : all) {
        if (l.probes.isEmpty() && l.history.isEmpty())
            continue;
        std::stable_sort(l.history.begin(), l.history.end(),
                         [](const LatencyHistorySample &a, const LatencyHistorySample &b) { return a.time < b.time; });
        measured.append(l);
    }
    return measured;
}

QString renderPhaseChartSvg(const LinkLatency &latency)
{
    // The newest probes when there are more than fit: the run's last word on the link.
    const QList<PhaseTiming> probes =
        latency.probes.mid(std::max<qsizetype>(0, latency.probes.size() - maxProbeGroups));
    const double height = 210;
    const double plotHeight = height - marginTop - marginBottom;
    const double plotWidth = chartWidth - marginLeft - marginRight;
    double maxValue = 0;
    for (const PhaseTiming &t : probes) {
        for (const Phase &p : phases)
            maxValue = std::max(maxValue, t.*(p.value));
    }
    const AxisScale scale = niceScale(maxValue);
    QString svg;
    QTextStream out(&svg);
    writeSvgOpen(out, height, QStringLiteral("probe phase timings on ") + latency.link);
    // Legend, top right.
    double lx = chartWidth - marginRight - 3 * 78;
    for (const Phase &p : phases) {
        out << "<rect x=\"" << num(lx) << "\" y=\"8\" width=\"10\" height=\"10\" fill=\"" << p.colour << "\"/>"
            << "<text x=\"" << num(lx + 14) << "\" y=\"17\" font-size=\"10\" fill=\"#1d2330\">" << p.name << "</text>";
        lx += 78;
    }
    out << '\n';
    writeValueAxis(out, scale, plotHeight);
    const double groupWidth = plotWidth / std::max<qsizetype>(1, probes.size());
    const double barWidth = std::min(22.0, groupWidth * 0.8 / 3);
    const double baseline = marginTop + plotHeight;
    for (qsizetype i = 0; i < probes.size(); ++i) {
        const PhaseTiming &t = probes.at(i);
        const double centre = marginLeft + groupWidth * (double(i) + 0.5);
        double x = centre - barWidth * 1.5;
        for (const Phase &p : phases) {
            const double v = t.*(p.value);
            if (v >= 0) {
                const double h = v / scale.top * plotHeight;
                out << "<rect x=\"" << num(x) << "\" y=\"" << num(baseline - h) << "\" width=\"" << num(barWidth - 2)
                    << "\" height=\"" << num(h) << "\" fill=\"" << p.colour << "\"><title>"
                    << safeHtml(t.label + QLatin1Char(' ') + QLatin1String(p.name) + QLatin1Char(' ') + num(v) +
                                QStringLiteral(" ms (") + t.evidenceId + QLatin1Char(')'))
                    << "</title></rect><text x=\"" << num(x + (barWidth - 2) / 2) << "\" y=\"" << num(baseline - h - 3)
                    << "\" text-anchor=\"middle\" font-size=\"9\" fill=\"#1d2330\">" << num(v) << "</text>";
            }
            x += barWidth;
        }
        out << "<text x=\"" << num(centre) << "\" y=\"" << num(baseline + 16)
            << "\" text-anchor=\"middle\" font-size=\"10\" fill=\"#1d2330\">" << safeHtml(elided(t.label, 16))
            << "</text>\n";
    }
    out << "<text x=\"" << num(marginLeft + plotWidth / 2) << "\" y=\"" << num(height - 6)
        << "\" text-anchor=\"middle\" font-size=\"10\" fill=\"#5b6475\">probe (this run)</text>\n</svg>\n";
    out.flush();
    return svg;
}

QString renderHistoryChartSvg(const LinkLatency &latency)
{
    const QList<LatencyHistorySample> &samples = latency.history;
    const double height = 200;
    const double plotHeight = height - marginTop - marginBottom;
    const double plotWidth = chartWidth - marginLeft - marginRight;
    double maxValue = 0;
    for (const LatencyHistorySample &s : samples) {
        for (const Phase &p : phases)
            maxValue = std::max(maxValue, s.*(p.history));
    }
    const AxisScale scale = niceScale(maxValue);
    QString svg;
    QTextStream out(&svg);
    writeSvgOpen(out, height, QStringLiteral("latency history of ") + latency.link);
    writeValueAxis(out, scale, plotHeight);
    if (samples.isEmpty()) {
        out << "</svg>\n";
        out.flush();
        return svg;
    }
    const qint64 t0 = samples.constFirst().time.toMSecsSinceEpoch();
    const qint64 span = samples.constLast().time.toMSecsSinceEpoch() - t0;
    const double baseline = marginTop + plotHeight;
    auto xOf = [&](qsizetype i) {
        // Samples taken in the same millisecond (or one sample) are spread evenly instead.
        if (span <= 0)
            return marginLeft +
                   (samples.size() == 1 ? plotWidth / 2 : plotWidth * double(i) / double(samples.size() - 1));
        return marginLeft + plotWidth * double(samples.at(i).time.toMSecsSinceEpoch() - t0) / double(span);
    };
    const bool dots = samples.size() <= 60;
    double lx = chartWidth - marginRight - 3 * 78;
    for (const Phase &p : phases) {
        QString points;
        QString marks;
        for (qsizetype i = 0; i < samples.size(); ++i) {
            const double v = samples.at(i).*(p.history);
            if (v < 0)
                continue;
            const double x = xOf(i);
            const double y = baseline - v / scale.top * plotHeight;
            points += (points.isEmpty() ? QString() : QStringLiteral(" ")) + num(x) + QLatin1Char(',') + num(y);
            if (dots)
                marks +=
                    QStringLiteral("<circle cx=\"%1\" cy=\"%2\" r=\"2.5\" fill=\"%3\"><title>%4</title></circle>\n")
                        .arg(num(x), num(y), QLatin1String(p.colour),
                             safeHtml(samples.at(i).time.toUTC().toString(QStringLiteral("HH:mm:ss")) +
                                      QLatin1Char(' ') + QLatin1String(p.name) + QLatin1Char(' ') + num(v) +
                                      QStringLiteral(" ms")));
        }
        if (points.isEmpty())
            continue;
        out << "<rect x=\"" << num(lx) << "\" y=\"8\" width=\"10\" height=\"10\" fill=\"" << p.colour << "\"/>"
            << "<text x=\"" << num(lx + 14) << "\" y=\"17\" font-size=\"10\" fill=\"#1d2330\">" << p.name
            << "</text>\n";
        lx += 78;
        out << "<polyline points=\"" << points << "\" fill=\"none\" stroke=\"" << p.colour
            << "\" stroke-width=\"1.5\"/>\n"
            << marks;
    }
    for (qsizetype i = 0; i < samples.size(); ++i) {
        if (samples.at(i).hasValue())
            continue;
        const double x = xOf(i);
        out << "<path d=\"M" << num(x - 3) << ',' << num(baseline - 3) << " l6,6 m0,-6 l-6,6\" stroke=\"#c62828\" "
            << "stroke-width=\"1.5\"><title>"
            << safeHtml(samples.at(i).time.toUTC().toString(QStringLiteral("HH:mm:ss")) + QStringLiteral(" no answer"))
            << "</title></path>\n";
    }
    const QString first = samples.constFirst().time.toUTC().toString(QStringLiteral("HH:mm:ss"));
    const QString last = samples.constLast().time.toUTC().toString(QStringLiteral("HH:mm:ss"));
    out << "<text x=\"" << num(marginLeft) << "\" y=\"" << num(baseline + 16) << "\" font-size=\"10\" fill=\"#1d2330\">"
        << first << "</text><text x=\"" << num(marginLeft + plotWidth) << "\" y=\"" << num(baseline + 16)
        << "\" text-anchor=\"end\" font-size=\"10\" fill=\"#1d2330\">" << last << "</text>"
        << "<text x=\"" << num(marginLeft + plotWidth / 2) << "\" y=\"" << num(height - 6)
        << "\" text-anchor=\"middle\" font-size=\"10\" fill=\"#5b6475\">time (UTC)</text>\n</svg>\n";
    out.flush();
    return svg;
}

} // namespace dd
