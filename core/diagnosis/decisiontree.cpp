#include "decisiontree.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <functional>

namespace dd {

namespace {

const QStringList kOps = {QStringLiteral("eq"),       QStringLiteral("ne"),      QStringLiteral("in"),
                          QStringLiteral("contains"), QStringLiteral("matches"), QStringLiteral("lt"),
                          QStringLiteral("gt"),       QStringLiteral("exists"),  QStringLiteral("missing"),
                          QStringLiteral("any")};

bool sameValue(const QVariant &fact, const QVariant &expected)
{
    bool factIsNumber = false;
    bool expectedIsNumber = false;
    const double f = fact.toDouble(&factIsNumber);
    const double e = expected.toDouble(&expectedIsNumber);
    if (factIsNumber && expectedIsNumber && fact.typeId() != QMetaType::QString)
        return f == e;
    return fact.toString().compare(expected.toString(), Qt::CaseInsensitive) == 0;
}

} // namespace

bool DecisionTree::matches(const TreeBranch &branch, const QVariant &fact)
{
    const QString &op = branch.op;
    if (op == QLatin1String("any"))
        return true;
    if (op == QLatin1String("missing"))
        return !fact.isValid() || fact.isNull();
    if (!fact.isValid() || fact.isNull())
        return false;
    if (op == QLatin1String("exists"))
        return true;
    if (op == QLatin1String("eq"))
        return sameValue(fact, branch.value);
    if (op == QLatin1String("ne"))
        return !sameValue(fact, branch.value);
    if (op == QLatin1String("in")) {
        const QVariantList list = branch.value.toList();
        for (const QVariant &v : list) {
            if (sameValue(fact, v))
                return true;
        }
        return false;
    }
    if (op == QLatin1String("contains"))
        return fact.toString().contains(branch.value.toString(), Qt::CaseInsensitive);
    if (op == QLatin1String("matches"))
        return QRegularExpression(branch.value.toString()).match(fact.toString()).hasMatch();
    bool ok1 = false;
    bool ok2 = false;
    const double f = fact.toDouble(&ok1);
    const double v = branch.value.toDouble(&ok2);
    if (!ok1 || !ok2)
        return false;
    return op == QLatin1String("lt") ? f < v : f > v;
}

bool DecisionTree::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read the decision tree: %2").arg(path, file.errorString());
        return false;
    }
    return loadFromData(file.readAll(), path, error);
}

bool DecisionTree::loadFromData(const QByteArray &json, const QString &origin, QString *error)
{
    m_nodes.clear();
    m_index.clear();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("%1: not a JSON object: %2").arg(origin, parseError.errorString());
        return false;
    }
    const QJsonObject root = doc.object();
    m_root = root.value(QStringLiteral("root")).toString();
    const QJsonArray nodes = root.value(QStringLiteral("nodes")).toArray();
    for (qsizetype i = 0; i < nodes.size(); ++i) {
        const QJsonObject o = nodes.at(i).toObject();
        TreeNode n;
        n.id = o.value(QStringLiteral("id")).toString();
        n.question = o.value(QStringLiteral("question")).toString();
        n.fact = o.value(QStringLiteral("fact")).toString();
        n.hop = o.value(QStringLiteral("hop")).toString();
        const QString where = QStringLiteral("%1: nodes[%2] '%3'").arg(origin).arg(i).arg(n.id);
        if (n.id.isEmpty() || n.question.isEmpty() || n.fact.isEmpty()) {
            *error = where + QStringLiteral(": needs id, question and fact");
            return false;
        }
        if (m_index.contains(n.id)) {
            *error = where + QStringLiteral(": id appears twice");
            return false;
        }
        for (const QJsonValue &c : o.value(QStringLiteral("ask")).toArray())
            n.askChoices << c.toString();
        const QJsonArray branches = o.value(QStringLiteral("branches")).toArray();
        if (branches.isEmpty()) {
            *error = where + QStringLiteral(": has no branches");
            return false;
        }
        for (qsizetype b = 0; b < branches.size(); ++b) {
            const QJsonObject bo = branches.at(b).toObject();
            TreeBranch br;
            br.op = bo.value(QStringLiteral("op")).toString(QStringLiteral("eq"));
            br.value = bo.value(QStringLiteral("value")).toVariant();
            br.next = bo.value(QStringLiteral("next")).toString();
            br.cause = bo.value(QStringLiteral("cause")).toString();
            br.confidence = bo.value(QStringLiteral("confidence")).toDouble(0.5);
            br.hop = bo.value(QStringLiteral("hop")).toString();
            br.answer = bo.value(QStringLiteral("answer")).toString();
            for (const QJsonValue &alt : bo.value(QStringLiteral("alternatives")).toArray())
                br.alternatives << alt.toString();
            const QString bwhere = where + QStringLiteral(" branch %1").arg(b);
            if (!kOps.contains(br.op)) {
                *error = bwhere + QStringLiteral(": unknown op '%1'").arg(br.op);
                return false;
            }
            if (br.next.isEmpty() == br.cause.isEmpty()) {
                *error = bwhere + QStringLiteral(": needs exactly one of 'next' or 'cause'");
                return false;
            }
            if (br.confidence < 0 || br.confidence > 1) {
                *error = bwhere + QStringLiteral(": confidence must be within 0..1");
                return false;
            }
            if (br.op == QLatin1String("matches") && !QRegularExpression(br.value.toString()).isValid()) {
                *error = bwhere + QStringLiteral(": invalid regular expression");
                return false;
            }
            n.branches.append(br);
        }
        m_index.insert(n.id, m_nodes.size());
        m_nodes.append(n);
    }
    if (!m_index.contains(m_root)) {
        *error = QStringLiteral("%1: root '%2' is not a node").arg(origin, m_root);
        return false;
    }
    const QStringList problems = validate();
    if (!problems.isEmpty()) {
        *error = origin + QLatin1String(": ") + problems.first();
        return false;
    }
    return true;
}

const DecisionTree &DecisionTree::builtIn()
{
    static const DecisionTree tree = [] {
        DecisionTree t;
        QString error;
        // Compiled in and checked by tst_decisiontree; failing here is a build defect.
        if (!t.load(QStringLiteral(":/tree/tree.json"), &error))
            qFatal("%s", qPrintable(error));
        return t;
    }();
    return tree;
}

const TreeNode *DecisionTree::node(const QString &id) const
{
    const auto it = m_index.constFind(id);
    return it == m_index.cend() ? nullptr : &m_nodes.at(*it);
}

QStringList DecisionTree::concludedCauses() const
{
    QStringList out;
    for (const TreeNode &n : m_nodes) {
        for (const TreeBranch &b : n.branches) {
            if (!b.cause.isEmpty() && !out.contains(b.cause))
                out << b.cause;
            for (const QString &alt : b.alternatives) {
                if (!out.contains(alt))
                    out << alt;
            }
        }
    }
    return out;
}

QStringList DecisionTree::validate() const
{
    QStringList problems;
    for (const TreeNode &n : m_nodes) {
        for (const TreeBranch &b : n.branches) {
            if (!b.next.isEmpty() && !m_index.contains(b.next))
                problems << QStringLiteral("node '%1' leads to unknown node '%2'").arg(n.id, b.next);
        }
    }
    // Depth-first walk from the root: finds unreachable nodes and cycles (a cycle would make
    // the engine loop forever).
    QSet<QString> done;
    QSet<QString> onStack;
    std::function<void(const QString &)> visit = [&](const QString &id) {
        if (onStack.contains(id)) {
            problems << QStringLiteral("cycle through node '%1'").arg(id);
            return;
        }
        if (done.contains(id) || !m_index.contains(id))
            return;
        onStack.insert(id);
        for (const TreeBranch &b : m_nodes.at(m_index.value(id)).branches) {
            if (!b.next.isEmpty())
                visit(b.next);
        }
        onStack.remove(id);
        done.insert(id);
    };
    visit(m_root);
    for (const TreeNode &n : m_nodes) {
        if (!done.contains(n.id))
            problems << QStringLiteral("node '%1' cannot be reached from the root").arg(n.id);
    }
    return problems;
}

} // namespace dd
