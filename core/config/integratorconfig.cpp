#include "config/integratorconfig.h"

#include "config/configfile.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace dd {

namespace {

int lineOfText(const QByteArray &text, const QString &needle)
{
    const qsizetype at = text.indexOf(needle.toUtf8());
    return at < 0 ? 0 : 1 + int(text.left(at).count('\n'));
}

void assign(IntegratorConfig *cfg, const QString &key, const QString &value, const QByteArray &text)
{
    const QString k = key.toLower();
    QString *target = nullptr;
    QString name;
    if (k == QLatin1String("documentserverurl")) {
        target = &cfg->documentServerUrl;
        name = QStringLiteral("DocumentServerUrl");
    } else if (k == QLatin1String("documentserverinternalurl")) {
        target = &cfg->documentServerInternalUrl;
        name = QStringLiteral("DocumentServerInternalUrl");
    } else if (k == QLatin1String("storageurl")) {
        target = &cfg->storageUrl;
        name = QStringLiteral("StorageUrl");
    } else if (k == QLatin1String("jwt_secret") || k == QLatin1String("onlyoffice_jwt_secret")) {
        target = &cfg->jwtSecret;
        name = QStringLiteral("jwt_secret");
    } else if (k == QLatin1String("jwt_header") || k == QLatin1String("onlyoffice_jwt_header")) {
        target = &cfg->jwtHeader;
        name = QStringLiteral("jwt_header");
    } else if (k == QLatin1String("overwrite.cli.url") || k == QLatin1String("service_url")) {
        target = &cfg->integratorUrl;
        name = QStringLiteral("integrator_url");
    } else if (k == QLatin1String("onlyoffice_apijs_url")) {
        // Seafile names the api.js address; Document Server's address is what precedes /web-apps/.
        target = &cfg->documentServerUrl;
        name = QStringLiteral("DocumentServerUrl");
        const qsizetype at = value.indexOf(QLatin1String("web-apps/"));
        *target = at > 0 ? value.left(at) : value;
        cfg->lines.insert(name, lineOfText(text, key));
        return;
    } else if (k == QLatin1String("verify_peer_off")) {
        cfg->verifyPeerOff = value == QLatin1String("true") || value == QLatin1String("1");
        return;
    }
    if (!target)
        return;
    *target = value;
    cfg->lines.insert(name, lineOfText(text, key));
}

} // namespace

IntegratorConfig loadIntegratorConfig(const QString &path)
{
    IntegratorConfig cfg;
    cfg.file = path;
    QByteArray text;
    QString error;
    if (!readConfigFile(path, 4 * 1024 * 1024, &text, &error)) {
        cfg.errors.append(ConfigError{path, 0, error, true});
        return cfg;
    }
    if (text.trimmed().startsWith('{')) {
        QJsonParseError parseError;
        const QJsonObject root = QJsonDocument::fromJson(text, &parseError).object();
        if (parseError.error != QJsonParseError::NoError) {
            cfg.errors.append(ConfigError{path, 1 + int(text.left(parseError.offset).count('\n')),
                                          QStringLiteral("invalid JSON: %1").arg(parseError.errorString()), true});
            return cfg;
        }
        cfg.kind = QStringLiteral("nextcloud");
        // `occ config:list [onlyoffice] --private`: {"system": {...}, "apps": {"onlyoffice": {...}}}
        QJsonObject app = root.value(QLatin1String("apps")).toObject().value(QLatin1String("onlyoffice")).toObject();
        if (app.isEmpty())
            app = root;
        for (auto it = app.begin(); it != app.end(); ++it)
            assign(&cfg, it.key(), it.value().toVariant().toString(), text);
        const QJsonObject system = root.value(QLatin1String("system")).toObject();
        if (system.contains(QLatin1String("overwrite.cli.url")))
            assign(&cfg, QStringLiteral("overwrite.cli.url"),
                   system.value(QLatin1String("overwrite.cli.url")).toString(), text);
        return cfg;
    }
    // seahub_settings.py (NAME = 'value') or "key: value" / "key=value" lines.
    static const QRegularExpression line(QStringLiteral("^\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*[:=]\\s*(.*?)\\s*$"));
    for (const QByteArray &raw : text.split('\n')) {
        const QRegularExpressionMatch m = line.match(QString::fromUtf8(raw));
        if (!m.hasMatch())
            continue;
        QString value = m.captured(2);
        if (value.size() >= 2 && (value.startsWith(QLatin1Char('\'')) || value.startsWith(QLatin1Char('"'))) &&
            value.endsWith(value.at(0)))
            value = value.mid(1, value.size() - 2);
        if (m.captured(1).startsWith(QLatin1String("ONLYOFFICE_")))
            cfg.kind = QStringLiteral("seafile");
        assign(&cfg, m.captured(1), value, text);
    }
    if (cfg.kind.isEmpty())
        cfg.kind = QStringLiteral("nextcloud");
    if (cfg.documentServerUrl.isEmpty() && cfg.jwtSecret.isEmpty() && cfg.jwtHeader.isEmpty()) {
        cfg.errors.append(ConfigError{path, 0,
                                      QStringLiteral("no ONLYOFFICE settings found (DocumentServerUrl, jwt_secret, "
                                                     "ONLYOFFICE_JWT_SECRET, ...)"),
                                      true});
    }
    return cfg;
}

} // namespace dd
