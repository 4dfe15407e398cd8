#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace dd {

/// One failure cause of the catalog (resources/catalog/causes.json), under its stable id.
struct Cause
{
    QString id;
    QString title;
    QString category;   ///< "docserver", "proxy-hop", "headers", "websocket", "jwt", "storage", "generic", "healthy"
    QString hop;        ///< the hop it usually sits on, e.g. "dsnginx->docservice"
    QString clientSees; ///< the symptom as the user meets it
    QString explanation;
    QString check; ///< how to confirm it by hand
    QString fix;
    QStringList aliases;
    QStringList references;
    bool reproducible = true; ///< the Fault Lab can reproduce it on loopback
};

/// The cause catalog, loaded from JSON.
class CauseCatalog
{
public:
    /// Loads the catalog; on failure returns false and sets `error` to one line naming the input.
    bool load(const QString &path, QString *error);
    bool loadFromData(const QByteArray &json, const QString &origin, QString *error);

    /// The catalog shipped in the resources (":/catalog/causes.json"), read once. A reference,
    /// so that pointers from cause() stay valid for the program's life.
    static const CauseCatalog &builtIn();

    const QList<Cause> &causes() const { return m_causes; }
    const Cause *cause(const QString &id) const;
    bool contains(const QString &id) const { return m_index.contains(id); }

private:
    QList<Cause> m_causes;
    QHash<QString, qsizetype> m_index;
};

} // namespace dd
