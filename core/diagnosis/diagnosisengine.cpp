#include "diagnosisengine.h"

#include "evidencecollector.h"
#include "treewalk.h"

namespace dd {

namespace {

constexpr double kSupportBoost = 0.05; // each independent agreeing item
constexpr double kContradictionCost = 0.1;
constexpr double kMaxConfidence = 0.97; // nothing observed from outside is ever certain
constexpr double kAlternativeShare = 0.4;
constexpr qsizetype kMaxCorroborations = 2; // places beyond two add no more confidence
constexpr qsizetype kShownKeys = 2;         // keys named in the reason; the report lists them all

} // namespace

DiagnosisEngine::DiagnosisEngine(CauseCatalog catalog, DecisionTree tree, QObject *parent)
    : QObject(parent), m_catalog(std::move(catalog)), m_tree(std::move(tree))
{
}

DiagnosisEngine::~DiagnosisEngine() = default;

bool DiagnosisEngine::isRunning() const
{
    return !m_collector.isNull();
}

void DiagnosisEngine::start(const Profile &profile)
{
    if (isRunning()) {
        Q_EMIT diagnosisFailed(tr("a diagnosis is already running"));
        return;
    }
    m_profile = profile;
    m_started = QDateTime::currentDateTimeUtc();
    m_collector = new EvidenceCollector(profile, this);
    connect(m_collector, &EvidenceCollector::evidenceAvailable, this, &DiagnosisEngine::evidenceAvailable);
    connect(m_collector, &EvidenceCollector::collectionFinished, this, &DiagnosisEngine::finish);
    Q_EMIT diagnosisStarted();
    m_collector->start();
}

void DiagnosisEngine::cancel()
{
    if (!m_collector)
        return;
    m_collector->disconnect(this);
    m_collector->cancel();
    m_collector->deleteLater();
    m_collector = nullptr;
    Q_EMIT diagnosisFailed(tr("the diagnosis was cancelled"));
}

namespace {

QVariantMap factsOf(const EvidenceList &evidence)
{
    QVariantMap out;
    for (const Evidence &e : evidence) {
        for (auto it = e.facts.cbegin(); it != e.facts.cend(); ++it)
            out.insert(it.key(), it.value());
    }
    return out;
}

// The user's answers become evidence of their own, so reports show what was asked and said.
EvidenceList answerEvidence(const QVariantMap &answers)
{
    EvidenceList out;
    for (auto it = answers.cbegin(); it != answers.cend(); ++it) {
        Evidence e;
        e.id = QStringLiteral("user.") + it.key();
        e.source = EvidenceSource::User;
        e.kind = QStringLiteral("answer");
        e.time = QDateTime::currentDateTimeUtc();
        e.summary = QStringLiteral("%1: %2").arg(it.key(), it.value().toString());
        e.facts.insert(QStringLiteral("user.") + it.key(), it.value());
        out << e;
    }
    return out;
}

} // namespace

void DiagnosisEngine::setAnswers(const QVariantMap &answers)
{
    m_answers = answers;
}

Diagnosis DiagnosisEngine::rewalk(const Diagnosis &previous) const
{
    Diagnosis d;
    d.profile = previous.profile;
    d.started = previous.started;
    for (const Evidence &e : previous.evidence) {
        if (e.source != EvidenceSource::User)
            d.evidence << e;
    }
    d.evidence << answerEvidence(m_answers);
    return conclude(d, factsOf(d.evidence));
}

void DiagnosisEngine::finish()
{
    EvidenceCollector *collector = m_collector;
    m_collector = nullptr;
    collector->deleteLater();

    Diagnosis d;
    d.profile = collector->profile();
    d.started = m_started;
    d.evidence = collector->evidence();
    d.evidence << answerEvidence(m_answers);
    Q_EMIT diagnosisFinished(conclude(d, factsOf(d.evidence)));
}

// When the path ends on a cause that shares its evidence with alternatives, a configuration
// error that names exactly one of them tells them apart: that one becomes the verdict and the
// path's cause an alternative. Log lines do not: they show the symptom the alternatives share
// (DS logs socket.io code 3 whether the Upgrade headers are missing or the location that sets
// them no longer matches; nginx logs "upstream timed out" for any slow answer). Config warnings
// do not either: they say "may" and fit the path's cause as well.
void DiagnosisEngine::preferNamedAlternative(TreeWalk *w, const EvidenceList &evidence) const
{
    if (w->alternatives.isEmpty())
        return;
    QStringList named;
    for (const Evidence &e : evidence) {
        if (e.source != EvidenceSource::Config || e.health != Health::Failed)
            continue;
        const QString cause = e.facts.value(QStringLiteral("cause")).toString();
        if (!cause.isEmpty() && !named.contains(cause))
            named << cause;
    }
    if (named.contains(w->cause))
        return;
    QStringList candidates;
    for (const QString &alt : std::as_const(w->alternatives)) {
        if (named.contains(alt))
            candidates << alt;
    }
    if (candidates.size() != 1)
        return;
    const QString chosen = candidates.first();
    w->alternatives.removeAll(chosen);
    w->alternatives.prepend(w->cause);
    w->lastAnswer += tr("; the configuration names %1").arg(chosen);
    w->cause = chosen;
}

// Evidence from another place that names the same request or connection as the evidence the
// verdict rests on (the refused upstream in the error log, the SYN answered by RST in the
// capture, the probe whose 502 wrote that line) is independent support: each new place adds to
// the confidence once, and its items are cited. Healthy items (a 200 on the same path) are not.
void DiagnosisEngine::corroborate(RankedCause *main, const Diagnosis &d) const
{
    QStringList places;
    QStringList keys;
    for (const Correlation &c : d.correlations) {
        const bool concernsVerdict = std::any_of(c.evidenceIds.cbegin(), c.evidenceIds.cend(),
                                                 [main](const QString &id) { return main->evidenceIds.contains(id); });
        if (!concernsVerdict)
            continue;
        bool added = false;
        for (const QString &id : c.evidenceIds) {
            const Evidence *e = d.evidenceById(id);
            if (!e || main->evidenceIds.contains(id) || (e->health != Health::Failed && e->health != Health::Degraded))
                continue;
            main->evidenceIds << id;
            added = true;
            const QString origin = evidenceOrigin(*e);
            if (!places.contains(origin))
                places << origin;
        }
        if (added)
            keys << c.key + QLatin1Char(' ') + c.value;
    }
    if (places.isEmpty())
        return;
    main->confidence =
        qMin(kMaxConfidence, main->confidence + kSupportBoost * qMin<qsizetype>(places.size(), kMaxCorroborations));
    QString shown = keys.mid(0, kShownKeys).join(QStringLiteral(", "));
    if (keys.size() > kShownKeys)
        shown += tr(" (and %n more)", nullptr, int(keys.size() - kShownKeys));
    main->reason += tr("; the same %1 is seen in %2").arg(shown, places.join(QStringLiteral(", ")));
}

Diagnosis DiagnosisEngine::conclude(Diagnosis d, const QVariantMap &facts) const
{
    d.topology = Topology::fromProfile(d.profile);
    d.topology.applyEvidence(d.evidence);
    d.correlations = correlateEvidence(d.evidence);

    TreeWalk w = walkTree(m_tree, facts, d.evidence);
    d.path = w.path;
    if (w.cause != QLatin1String(kInconclusive) && w.cause != QLatin1String(kHealthy) && !m_catalog.contains(w.cause)) {
        // A "$fact" conclusion whose fact is not a catalog id: say so rather than invent one.
        w.lastAnswer = QStringLiteral("evidence names '%1', which the catalog does not know").arg(w.cause);
        w.cause = QString::fromLatin1(kInconclusive);
    }

    if (w.cause == QLatin1String(kHealthy)) {
        d.status = VerdictStatus::Healthy;
        d.confidence = w.confidence;
        d.summary = tr("No problem found: %1").arg(w.lastAnswer);
    } else if (w.cause == QLatin1String(kInconclusive)) {
        d.status = VerdictStatus::Inconclusive;
        d.hop = w.hop;
        d.summary = tr("Inconclusive: %1").arg(w.lastAnswer);
    } else {
        d.status = VerdictStatus::Problem;
        // A cause a log line or a config finding named sits on the hop the catalog gives it.
        if (w.causeFromFact) {
            const Cause *named = m_catalog.cause(w.cause);
            if (named && !named->hop.isEmpty())
                w.hop = named->hop;
        }
        preferNamedAlternative(&w, d.evidence);
        RankedCause main;
        main.id = w.cause;
        main.hop = w.hop;
        main.confidence = w.confidence;
        main.reason = w.lastAnswer;
        for (const PathStep &s : std::as_const(d.path))
            main.evidenceIds << s.evidenceIds;
        main.evidenceIds.removeDuplicates();

        // Evidence fusion: a classified log line that names the same cause is independent
        // support; one that names another cause on the same hop contradicts and is shown.
        QList<RankedCause> others;
        for (const Evidence &e : std::as_const(d.evidence)) {
            const QString named = e.facts.value(QStringLiteral("cause")).toString();
            if (named.isEmpty())
                continue;
            if (named == main.id ||
                (named == QLatin1String("upstream-refused") && main.id == QLatin1String("ds-docservice-down"))) {
                main.confidence = qMin(kMaxConfidence, main.confidence + kSupportBoost);
                if (!main.evidenceIds.contains(e.id))
                    main.evidenceIds << e.id;
            } else if (e.link == main.hop) {
                main.confidence = qMax(0.1, main.confidence - kContradictionCost);
                RankedCause other;
                other.id = named;
                other.hop = e.link;
                other.confidence = 0.3;
                other.evidenceIds << e.id;
                other.reason = tr("named by %1 but not by the decision path").arg(e.id);
                others << other;
            }
        }
        corroborate(&main, d);
        d.causes << main;
        for (const QString &alt : std::as_const(w.alternatives)) {
            RankedCause a;
            a.id = alt;
            a.hop = main.hop;
            a.confidence = main.confidence * kAlternativeShare;
            a.reason = tr("fits the same evidence; rule it out with its check");
            others << a;
        }
        std::stable_sort(others.begin(), others.end(),
                         [](const RankedCause &a, const RankedCause &b) { return a.confidence > b.confidence; });
        for (const RankedCause &o : std::as_const(others)) {
            const bool seen =
                std::any_of(d.causes.cbegin(), d.causes.cend(), [&o](const RankedCause &c) { return c.id == o.id; });
            if (!seen && m_catalog.contains(o.id))
                d.causes << o;
        }
        for (RankedCause &c : d.causes) {
            const Cause *cause = m_catalog.cause(c.id);
            c.title = cause ? cause->title : c.id;
            c.fix = cause ? cause->fix : QString();
        }
        d.causeId = main.id;
        d.confidence = d.causes.first().confidence;
        d.hop = main.hop;
        d.summary = tr("%1 (hop %2): %3").arg(d.causes.first().title, d.hop, w.lastAnswer);
        d.topology.markLink(d.hop, Health::Failed, d.causes.first().title);
    }
    d.finished = QDateTime::currentDateTimeUtc();
    return d;
}

} // namespace dd
