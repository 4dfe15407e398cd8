#include "exchangetimeline.h"

#include "reporttext.h"
#include "util/redact.h"

#include <QRegularExpression>
#include <QTextStream>

#include <algorithm>

namespace dd {

namespace {

constexpr int maxExchanges = 5;
constexpr double columnWidth = 190;
constexpr double rowHeight = 34;
constexpr double headerHeight = 44;
constexpr double sideMargin = 90;

const QString arrow = QStringLiteral(" \u2192 ");

QString num(double v)
{
    return QString::number(v, 'f', 1);
}

// "proxy 127.0.0.1:8080" and "proxy" are the same lifeline.
QString participantKey(const QString &name)
{
    return name.startsWith(QLatin1String("proxy ")) ? QStringLiteral("proxy") : name;
}

TimelineStep parseSegment(const QString &segment)
{
    TimelineStep step;
    const qsizetype a = segment.indexOf(arrow);
    // ": " and not ":" ends the receiver: receivers are host:port.
    const qsizetype colon = a < 0 ? -1 : segment.indexOf(QLatin1String(": "), a + arrow.size());
    if (a <= 0 || colon < 0) {
        step.event = segment;
        return step;
    }
    step.from = segment.left(a);
    step.to = segment.mid(a + arrow.size(), colon - a - arrow.size());
    step.event = segment.mid(colon + 2);
    return step;
}

} // namespace

QList<TimelineStep> timelineFromFacts(const QVariant &timeline)
{
    QList<TimelineStep> steps;
    if (timeline.typeId() != QMetaType::QVariantList)
        return steps;
    static const QRegularExpression iso(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT(\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,3})?)"));
    const QVariantList events = timeline.toList();
    for (const QVariant &v : events) {
        const QVariantMap event = v.toMap();
        TimelineStep step;
        step.time = iso.match(event.value(QStringLiteral("time")).toString()).captured(1);
        step.from = event.value(QStringLiteral("from")).toString();
        step.to = event.value(QStringLiteral("to")).toString();
        step.event = event.value(QStringLiteral("what")).toString();
        if (!step.event.isEmpty())
            steps.append(step);
    }
    return steps;
}

QList<TimelineStep> timelineOfEvidence(const Evidence &e)
{
    QList<TimelineStep> steps = timelineFromFacts(e.facts.value(QStringLiteral("capture.timeline")));
    if (steps.isEmpty())
        return timelineFromExchangeText(redactSecrets(e.excerpt));
    // Request lines carry URLs: the same redaction as the text gets.
    for (TimelineStep &s : steps)
        s.event = redactSecrets(s.event);
    return steps;
}

QList<TimelineStep> timelineFromExchangeText(const QString &text)
{
    static const QRegularExpression answered(
        QStringLiteral("^(.*) answered (\\d{3})(?: at (\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?))?$"));
    QList<TimelineStep> steps;
    TimelineStep response;
    const QStringList segments = text.trimmed().split(QStringLiteral("; "), Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < segments.size(); ++i) {
        TimelineStep step = parseSegment(segments.at(i).trimmed());
        const QRegularExpressionMatch m =
            i == 0 && !step.from.isEmpty() ? answered.match(step.event) : QRegularExpressionMatch();
        if (m.hasMatch()) {
            // The request opens the exchange; its answer closes it, after the upstream attempts.
            response = TimelineStep{m.captured(3), step.to, step.from, QStringLiteral("answered ") + m.captured(2)};
            step.event = m.captured(1);
        }
        steps.append(step);
    }
    if (!response.event.isEmpty())
        steps.append(response);
    return steps;
}

QString renderSequenceSvg(const QList<TimelineStep> &steps, const QString &idPrefix)
{
    QStringList keys;
    QStringList labels;
    for (const TimelineStep &s : steps) {
        for (const QString &name : {s.from, s.to}) {
            if (name.isEmpty())
                continue;
            const QString key = participantKey(name);
            const qsizetype i = keys.indexOf(key);
            if (i < 0) {
                keys.append(key);
                labels.append(name);
            } else if (name.size() > labels.at(i).size()) {
                labels[i] = name; // the fullest name: "proxy 127.0.0.1:8080"
            }
        }
    }
    const double width = sideMargin * 2 + columnWidth * std::max<qsizetype>(1, keys.size() - 1);
    const double height = headerHeight + rowHeight * double(steps.size()) + 16;
    auto xOf = [&](const QString &name) {
        return sideMargin + columnWidth * double(keys.indexOf(participantKey(name)));
    };
    QString svg;
    QTextStream out(&svg);
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"failing exchange\" viewBox=\"0 0 "
        << num(width) << ' ' << num(height) << "\" style=\"max-width:100%;height:auto\" font-family=\"sans-serif\">\n"
        << "<defs><marker id=\"" << idPrefix
        << "-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
           "markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1d2330\"/></marker></defs>\n";
    for (qsizetype i = 0; i < keys.size(); ++i) {
        const double x = sideMargin + columnWidth * double(i);
        out << "<line x1=\"" << num(x) << "\" y1=\"" << num(headerHeight - 10) << "\" x2=\"" << num(x) << "\" y2=\""
            << num(height - 4) << "\" stroke=\"#9aa3ae\" stroke-dasharray=\"4 3\"/>"
            << "<text x=\"" << num(x) << "\" y=\"18\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"600\" "
            << "fill=\"#1d2330\">" << safeHtml(labels.at(i)) << "</text>\n";
    }
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const TimelineStep &s = steps.at(i);
        const double y = headerHeight + rowHeight * double(i) + rowHeight / 2 + 6;
        const bool failure = s.event.contains(QLatin1String("RST")) || s.event.contains(QLatin1String("refused")) ||
                             s.event.startsWith(QLatin1String("answered 5"));
        const char *colour = failure ? "#c62828" : "#1d2330";
        if (!s.time.isEmpty())
            out << "<text x=\"4\" y=\"" << num(y + 4) << "\" font-size=\"10\" fill=\"#5b6475\">" << safeHtml(s.time)
                << "</text>";
        if (s.from.isEmpty() || s.to.isEmpty() || participantKey(s.from) == participantKey(s.to)) {
            out << "<text x=\"" << num(width / 2) << "\" y=\"" << num(y)
                << "\" text-anchor=\"middle\" font-size=\"11\" "
                << "font-style=\"italic\" fill=\"" << colour << "\">" << safeHtml(s.event) << "</text>\n";
            continue;
        }
        const double x1 = xOf(s.from);
        const double x2 = xOf(s.to);
        out << "<line x1=\"" << num(x1) << "\" y1=\"" << num(y) << "\" x2=\"" << num(x2) << "\" y2=\"" << num(y)
            << "\" stroke=\"" << colour << "\" stroke-width=\"1.5\" marker-end=\"url(#" << idPrefix << "-arrow)\"/>"
            << "<text x=\"" << num((x1 + x2) / 2) << "\" y=\"" << num(y - 5)
            << "\" text-anchor=\"middle\" font-size=\"11\" fill=\"" << colour << "\">" << safeHtml(s.event)
            << "</text>\n";
    }
    out << "</svg>\n";
    out.flush();
    return svg;
}

void writeFailingExchangeSection(const Diagnosis &d, QTextStream &out)
{
    QList<const Evidence *> exchanges;
    const Evidence *summary = nullptr;
    for (const Evidence &e : d.evidence) {
        if (e.source != EvidenceSource::Capture || e.excerpt.isEmpty())
            continue;
        if (e.kind == QLatin1String("capture-exchange") && exchanges.size() < maxExchanges)
            exchanges.append(&e);
        else if (e.kind == QLatin1String("capture") && !summary)
            summary = &e;
    }
    // The summary repeats the first exchange's text; it stands alone only in older saved runs.
    if (exchanges.isEmpty() && summary)
        exchanges.append(summary);
    if (exchanges.isEmpty())
        return;
    const bool fromEvents = std::any_of(exchanges.cbegin(), exchanges.cend(), [](const Evidence *e) {
        return e->facts.contains(QStringLiteral("capture.timeline"));
    });
    out << "<h2 id=\"failing-exchange\">Failing exchange timeline</h2>\n<p class=\"meta\">";
    if (fromEvents)
        out << "Reconstructed from the packets of each failing exchange: the request, the proxy's upstream "
               "connections (SYN, SYN-ACK, requests, responses, FIN, RST) and the response, at the packets' times.";
    else
        out << "Reconstructed from the packet capture's description of each failing exchange (request, the proxy's "
               "upstream attempts, response). Times are those the capture gives; upstream attempts are timed "
               "relative to the response.";
    out << "</p>\n";
    for (qsizetype n = 0; n < exchanges.size(); ++n) {
        const Evidence *e = exchanges.at(n);
        const QList<TimelineStep> steps = timelineOfEvidence(*e);
        const QString cause = e->facts.value(QStringLiteral("cause")).toString();
        const qlonglong count = e->facts.value(QStringLiteral("capture.count"), 1).toLongLong();
        out << "<figure class=\"timeline\"><figcaption><code>" << safeHtml(e->id) << "</code>";
        if (!cause.isEmpty())
            out << " · packets point to <code>" << safeHtml(cause) << "</code>";
        if (count > 1)
            out << " · seen " << count << " times";
        out << "</figcaption>\n"
            << renderSequenceSvg(steps, QStringLiteral("seq%1").arg(n + 1))
            << "<table><tr><th>#</th><th>Time</th><th>From → to</th><th>Event</th></tr>\n";
        for (qsizetype i = 0; i < steps.size(); ++i) {
            const TimelineStep &s = steps.at(i);
            out << "<tr><td>" << (i + 1) << "</td><td>" << safeHtml(s.time) << "</td><td>"
                << (s.from.isEmpty() ? QString() : safeHtml(s.from + arrow + s.to)) << "</td><td>" << safeHtml(s.event)
                << "</td></tr>\n";
        }
        out << "</table></figure>\n";
    }
}

} // namespace dd
