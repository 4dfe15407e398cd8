#include "config/lintcheckcatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace dd {

bool LintCheckCatalog::loadFromData(const QByteArray &json, const QString &origin, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject()) {
        *error = QStringLiteral("%1: not a JSON object (%2)").arg(origin, parseError.errorString());
        return false;
    }
    QList<LintCheck> checks;
    QHash<QString, qsizetype> index;
    const QJsonArray array = doc.object().value(QLatin1String("checks")).toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject o = array.at(i).toObject();
        LintCheck c;
        c.id = o.value(QLatin1String("id")).toString();
        c.cause = o.value(QLatin1String("cause")).toString();
        c.appliesTo = o.value(QLatin1String("appliesTo")).toString();
        c.title = o.value(QLatin1String("title")).toString();
        c.explanation = o.value(QLatin1String("explanation")).toString();
        c.fix = o.value(QLatin1String("fix")).toString();
        if (c.id.isEmpty() || c.title.isEmpty()) {
            *error = QStringLiteral("%1: checks[%2]: 'id' and 'title' are required").arg(origin).arg(i);
            return false;
        }
        if (!parseLintSeverity(o.value(QLatin1String("severity")).toString(), &c.severity)) {
            *error = QStringLiteral("%1: check '%2': severity must be error, warning or info").arg(origin, c.id);
            return false;
        }
        if (index.contains(c.id)) {
            *error = QStringLiteral("%1: check '%2' is defined twice").arg(origin, c.id);
            return false;
        }
        index.insert(c.id, checks.size());
        checks.append(c);
    }
    m_checks = checks;
    m_index = index;
    return true;
}

const LintCheckCatalog &LintCheckCatalog::builtIn()
{
    static const LintCheckCatalog catalog = [] {
        LintCheckCatalog c;
        QFile file(QStringLiteral(":/config/checks.json"));
        QString error;
        if (!file.open(QIODevice::ReadOnly) || !c.loadFromData(file.readAll(), file.fileName(), &error))
            qWarning("built-in lint checks unusable: %s", qPrintable(error.isEmpty() ? file.errorString() : error));
        return c;
    }();
    return catalog;
}

const LintCheck *LintCheckCatalog::check(const QString &id) const
{
    const auto it = m_index.constFind(id);
    return it == m_index.cend() ? nullptr : &m_checks.at(*it);
}

LintFinding LintCheckCatalog::finding(const QString &id, const QString &file, int line, const QString &message,
                                      const QString &excerpt, const QString &context,
                                      const LintSeverity *severity) const
{
    LintFinding f;
    f.check = id;
    f.file = file;
    f.line = line;
    f.message = message;
    f.excerpt = excerpt;
    f.context = context;
    if (const LintCheck *c = check(id)) {
        f.cause = c->cause;
        f.severity = c->severity;
        f.title = c->title;
        f.explanation = c->explanation;
        f.fix = c->fix;
    } else {
        f.title = id;
        f.severity = LintSeverity::Error;
    }
    if (severity)
        f.severity = *severity;
    return f;
}

} // namespace dd
