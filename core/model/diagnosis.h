#pragma once

#include "correlation.h"
#include "evidence.h"
#include "profile.h"
#include "topology.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace dd {

enum class VerdictStatus { Problem, Healthy, Inconclusive };

QString verdictStatusName(VerdictStatus status);

/// A candidate cause with its confidence (0..1), the hop it sits on and the evidence cited.
struct RankedCause
{
    QString id;
    QString title;
    double confidence = 0;
    QString hop;
    QStringList evidenceIds;
    QString fix;
    QString reason; ///< why the engine ranked it: the tree outcome or the fusion rule
};

/// One step of the decision path: the node asked, the answer found and what decided it.
struct PathStep
{
    QString node;
    QString question;
    QString fact; ///< the fact the question reads, e.g. "public.status" or "user.symptom"
    QString answer;
    QStringList evidenceIds;
    bool askedUser = false; ///< nothing observable answered it: the user must
    QStringList choices;    ///< answer choices when askedUser
};

/// Where and with what a diagnosis ran. Empty fields mean "this process": the reports fill
/// them from the running program, so a live run needs no bookkeeping and a re-rendered
/// saved diagnosis keeps the values it was saved with.
struct RunInfo
{
    QString toolVersion;
    QString hostName;
    bool inputsKnown = true; ///< false for a saved diagnosis that did not record its profile inputs
};

/// The outcome of one diagnosis run.
struct Diagnosis
{
    VerdictStatus status = VerdictStatus::Inconclusive;
    QString causeId;
    double confidence = 0;
    QString hop;
    QString summary;
    QList<RankedCause> causes;
    EvidenceList evidence;
    QList<Correlation> correlations; ///< evidence from several places about one request or connection
    QList<PathStep> path;
    Topology topology;
    Profile profile;
    QDateTime started;
    QDateTime finished;
    RunInfo run;

    const Evidence *evidenceById(const QString &id) const;
};

} // namespace dd

Q_DECLARE_METATYPE(dd::Diagnosis)
