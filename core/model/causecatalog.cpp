#include "causecatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace dd {

namespace {

QStringList toStringList(const QJsonValue &v)
{
    QStringList out;
    const QJsonArray array = v.toArray();
    for (const QJsonValue &item : array)
        out << item.toString();
    return out;
}

} // namespace

bool CauseCatalog::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read the cause catalog: %2").arg(path, file.errorString());
        return false;
    }
    return loadFromData(file.readAll(), path, error);
}

bool CauseCatalog::loadFromData(const QByteArray &json, const QString &origin, QString *error)
{
    m_causes.clear();
    m_index.clear();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("%1: not a JSON object: %2").arg(origin, parseError.errorString());
        return false;
    }
    const QJsonValue causes = doc.object().value(QStringLiteral("causes"));
    if (!causes.isArray()) {
        *error = QStringLiteral("%1: field 'causes' must be an array").arg(origin);
        return false;
    }
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9]+(-[a-z0-9]+)*$"));
    const QJsonArray array = causes.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject o = array.at(i).toObject();
        Cause c;
        c.id = o.value(QStringLiteral("id")).toString();
        if (!idPattern.match(c.id).hasMatch()) {
            *error =
                QStringLiteral("%1: causes[%2].id '%3' is not a lowercase-hyphenated id").arg(origin).arg(i).arg(c.id);
            return false;
        }
        if (m_index.contains(c.id)) {
            *error = QStringLiteral("%1: causes[%2].id '%3' appears twice").arg(origin).arg(i).arg(c.id);
            return false;
        }
        c.title = o.value(QStringLiteral("title")).toString();
        c.fix = o.value(QStringLiteral("fix")).toString();
        if (c.title.isEmpty() || c.fix.isEmpty()) {
            *error = QStringLiteral("%1: cause '%2' needs a title and a fix").arg(origin, c.id);
            return false;
        }
        c.category = o.value(QStringLiteral("category")).toString();
        c.hop = o.value(QStringLiteral("hop")).toString();
        c.clientSees = o.value(QStringLiteral("clientSees")).toString();
        c.explanation = o.value(QStringLiteral("explanation")).toString();
        c.check = o.value(QStringLiteral("check")).toString();
        c.aliases = toStringList(o.value(QStringLiteral("aliases")));
        c.references = toStringList(o.value(QStringLiteral("references")));
        c.reproducible = o.value(QStringLiteral("reproducible")).toBool(true);
        m_index.insert(c.id, m_causes.size());
        m_causes.append(c);
    }
    return true;
}

const CauseCatalog &CauseCatalog::builtIn()
{
    static const CauseCatalog catalog = [] {
        CauseCatalog c;
        QString error;
        // Compiled in and checked by tst_causecatalog; failing here is a build defect.
        if (!c.load(QStringLiteral(":/catalog/causes.json"), &error))
            qFatal("%s", qPrintable(error));
        return c;
    }();
    return catalog;
}

const Cause *CauseCatalog::cause(const QString &id) const
{
    const auto it = m_index.constFind(id);
    return it == m_index.cend() ? nullptr : &m_causes.at(*it);
}

} // namespace dd
