#include "treewalk.h"

namespace dd {

namespace {

QString factText(const QVariant &v)
{
    if (!v.isValid())
        return QStringLiteral("not observed");
    QString text = v.toString();
    if (text.size() > 80)
        text = text.left(77) + QStringLiteral("...");
    return text;
}

} // namespace

TreeWalk walkTree(const DecisionTree &tree, const QVariantMap &facts, const EvidenceList &evidence)
{
    TreeWalk out;
    const TreeNode *node = tree.node(tree.root());
    // validate() rejects cycles, so the walk ends within one visit per node.
    for (qsizetype guard = 0; node && guard <= tree.nodes().size(); ++guard) {
        const QVariant fact = facts.value(node->fact);
        PathStep step;
        step.node = node->id;
        step.question = node->question;
        step.fact = node->fact;
        for (const Evidence &e : evidence) {
            if (e.facts.contains(node->fact))
                step.evidenceIds << e.id;
        }
        const TreeBranch *taken = nullptr;
        for (const TreeBranch &b : node->branches) {
            if (DecisionTree::matches(b, fact)) {
                taken = &b;
                break;
            }
        }
        if (!taken) {
            step.answer = QStringLiteral("%1 — no outcome of this question fits").arg(factText(fact));
            if (!node->askChoices.isEmpty()) {
                step.askedUser = true;
                step.choices = node->askChoices;
            }
            out.path << step;
            out.cause = QString::fromLatin1(kInconclusive);
            out.hop = node->hop;
            out.lastAnswer = step.answer;
            return out;
        }
        // A question only the user can answer stays a question in the path while unanswered,
        // even when the tree can go on without it.
        if (!node->askChoices.isEmpty() && (!fact.isValid() || fact.isNull())) {
            step.askedUser = true;
            step.choices = node->askChoices;
        }
        step.answer = taken->answer.isEmpty()
                          ? factText(fact)
                          : QStringLiteral("%1 (%2 = %3)").arg(taken->answer, node->fact, factText(fact));
        out.path << step;
        if (!taken->next.isEmpty()) {
            node = tree.node(taken->next);
            continue;
        }
        out.causeFromFact = taken->cause == QLatin1String(kCauseFromFact);
        out.cause = out.causeFromFact ? fact.toString() : taken->cause;
        out.confidence = taken->confidence;
        out.hop = taken->hop.isEmpty() ? node->hop : taken->hop;
        out.alternatives = taken->alternatives;
        out.lastAnswer = taken->answer;
        return out;
    }
    out.cause = QString::fromLatin1(kInconclusive);
    return out;
}

} // namespace dd
