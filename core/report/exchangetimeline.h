#pragma once

#include "model/diagnosis.h"

#include <QList>
#include <QString>

class QTextStream;

namespace dd {

/// One arrow of a failing exchange: who sent what to whom, and when where the capture says.
struct TimelineStep
{
    QString time; ///< "10:02:03.214" when the capture gave one, else empty
    QString from; ///< "client", "proxy", "127.0.0.1:8000"; empty for a note without an arrow
    QString to;
    QString event;
};

/**
 * The steps of a failing exchange from capture evidence: its `capture.timeline` fact (the packets'
 * events as data: [{time, from, to, what}], time in ISO 8601 UTC) when it has one, else its text.
 */
QList<TimelineStep> timelineOfEvidence(const Evidence &evidence);

/// The steps of a `capture.timeline` fact; empty when `timeline` is not one.
QList<TimelineStep> timelineFromFacts(const QVariant &timeline);

/**
 * Reads the text a capture gives for a failing exchange ("client → proxy ADDR: GET / answered
 * 502 at T; proxy → UPSTREAM: SYN answered by RST 0.1 ms earlier") back into steps: the
 * request, each upstream attempt in order, then the response. For evidence saved before the
 * timeline was a fact; unknown segments become notes.
 */
QList<TimelineStep> timelineFromExchangeText(const QString &text);

/// A sequence diagram of the steps: one lifeline per participant, one labelled arrow per step.
/// `idPrefix` keeps the arrow marker's id unique when one page holds several diagrams.
QString renderSequenceSvg(const QList<TimelineStep> &steps, const QString &idPrefix = QStringLiteral("seq"));

/// The "Failing exchange" section when capture evidence describes failing exchanges; nothing otherwise.
void writeFailingExchangeSection(const Diagnosis &diagnosis, QTextStream &out);

} // namespace dd
