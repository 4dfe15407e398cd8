#pragma once

#include "model/diagnosis.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace dd {

/**
 * One measurement of a topology link over time: the phases of one request in ms, -1 where not
 * measured (the GUI's latency history, ui/linklatencymodel.h LatencySample, is this type; a
 * ProbeScheduler LinkSample gives its timings, or its latencyMs as connectMs). A sample
 * with no phase at all is a probe that got no answer.
 */
struct LatencyHistorySample
{
    QString link;
    QDateTime time;
    double connectMs = -1;
    double ttfbMs = -1;
    double totalMs = -1;

    bool hasValue() const { return connectMs >= 0 || ttfbMs >= 0 || totalMs >= 0; }
    /// What one number says about the sample: total, else TTFB, else connect; -1 if none.
    double headlineMs() const { return totalMs >= 0 ? totalMs : ttfbMs >= 0 ? ttfbMs : connectMs; }
};

/// The phase timings one probe evidence item carries ("<subject>.connect_ms", ...); -1 = absent.
struct PhaseTiming
{
    QString label; ///< the fact subject: "public", "docservice"
    QString evidenceId;
    double connectMs = -1;
    double ttfbMs = -1;
    double totalMs = -1;
};

/// Everything measured on one link: the run's probe timings and the latency history.
struct LinkLatency
{
    QString link;
    QList<PhaseTiming> probes;
    QList<LatencyHistorySample> history; ///< oldest first
};

/// Per link, in topology order then first appearance, the links that have probe timings or
/// history samples.
QList<LinkLatency> collectLinkLatencies(const Diagnosis &diagnosis, const QList<LatencyHistorySample> &history);

/// A value axis from 0: `ticks` steps of a 1-2-5 `step`, ending at `top` >= the maximum value.
struct AxisScale
{
    double step = 1;
    double top = 1;
    int ticks = 1;
};

AxisScale niceScale(double maxValue, int maxTicks = 5);

/// Grouped bars (connect, TTFB, total) per probe on the link, with a y axis in ms.
QString renderPhaseChartSvg(const LinkLatency &latency);

/// The latency history over time (UTC): one line per measured phase; samples without any
/// phase (no answer) are red marks on the axis.
QString renderHistoryChartSvg(const LinkLatency &latency);

/// The median headline latency of the samples that have one, or -1.
double medianLatency(const QList<LatencyHistorySample> &samples);

} // namespace dd
