#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace dd {

/**
 * One outcome of a tree node: when the node's fact satisfies `op value`, go to `next`
 * or conclude `cause` with `confidence`.
 *
 * Ops: "eq", "ne", "in" (value is a list), "contains" (substring), "matches" (regex),
 * "lt", "gt" (numbers), "exists", "missing", "any" (always true; use last).
 */
struct TreeBranch
{
    QString op = QStringLiteral("eq");
    QVariant value;
    QString next;  ///< the next node id, or empty when this concludes
    QString cause; ///< the concluded cause id ("healthy" for no problem)
    double confidence = 0.5;
    QString hop;              ///< overrides the node's hop for this conclusion
    QString answer;           ///< how the path records this outcome, e.g. "502 from the front proxy"
    QStringList alternatives; ///< causes that fit the same evidence, ranked below the conclusion
};

/// Special conclusions: no cause could be named, or the cause is the fact's own value
/// (for facts that already hold a cause id, such as a classified log line).
inline constexpr char kInconclusive[] = "inconclusive";
inline constexpr char kHealthy[] = "healthy";
inline constexpr char kCauseFromFact[] = "$fact";

/// A question of the 502 decision tree, answered from one fact of the evidence.
struct TreeNode
{
    QString id;
    QString question;
    QString fact; ///< evidence fact key the question reads, e.g. "public.status"
    QString hop;
    QList<TreeBranch> branches;
    QStringList askChoices; ///< when non-empty and the fact is missing, ask the user
};

/// The decision tree (resources/tree/tree.json): nodes with questions and outcomes.
class DecisionTree
{
public:
    bool load(const QString &path, QString *error);
    bool loadFromData(const QByteArray &json, const QString &origin, QString *error);
    /// The tree shipped in the resources (":/tree/tree.json"), read once.
    static const DecisionTree &builtIn();

    QString root() const { return m_root; }
    const QList<TreeNode> &nodes() const { return m_nodes; }
    const TreeNode *node(const QString &id) const;

    /// Every cause id any branch concludes.
    QStringList concludedCauses() const;

    /// Structural problems (dangling next, unreachable nodes, cycles), one line each.
    QStringList validate() const;

    /// Evaluates one branch against a fact value (invalid QVariant = fact missing).
    static bool matches(const TreeBranch &branch, const QVariant &fact);

private:
    QString m_root;
    QList<TreeNode> m_nodes;
    QHash<QString, qsizetype> m_index;
};

} // namespace dd
