#include "config/dsconfig.h"

#include "config/configfile.h"
#include "config/nginxlint.h"
#include "config/nginxmodel.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace dd {

namespace {

constexpr qint64 maxJsonBytes = 8 * 1024 * 1024;

void markOrigins(const QString &path, const QJsonValue &value, const QString &file, QHash<QString, QString> *origins)
{
    origins->insert(path, file);
    if (!value.isObject())
        return;
    const QJsonObject o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
        markOrigins(path + QLatin1Char('.') + it.key(), it.value(), file, origins);
}

void mergeInto(QJsonObject *base, const QJsonObject &over, const QString &prefix, const QString &file,
               QHash<QString, QString> *origins)
{
    for (auto it = over.begin(); it != over.end(); ++it) {
        const QString path = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        if (it.value().isObject() && base->value(it.key()).isObject()) {
            QJsonObject sub = base->value(it.key()).toObject();
            mergeInto(&sub, it.value().toObject(), path, file, origins);
            base->insert(it.key(), sub);
        } else {
            base->insert(it.key(), it.value());
            markOrigins(path, it.value(), file, origins);
        }
    }
}

void setPath(QJsonObject *root, const QStringList &parts, const QJsonValue &value)
{
    if (parts.size() == 1) {
        root->insert(parts.constFirst(), value);
        return;
    }
    QJsonObject sub = root->value(parts.constFirst()).toObject();
    setPath(&sub, parts.mid(1), value);
    root->insert(parts.constFirst(), sub);
}

int lineAt(const QByteArray &text, qsizetype offset)
{
    return 1 + int(text.left(offset).count('\n'));
}

bool readJsonObject(const QString &path, QJsonObject *object, QByteArray *text, DsConfig *cfg, bool fatal)
{
    QString error;
    if (!readConfigFile(path, maxJsonBytes, text, &error)) {
        cfg->errors.append(ConfigError{path, 0, error, fatal});
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*text, &parseError);
    if (!doc.isObject()) {
        cfg->errors.append(ConfigError{path, doc.isNull() ? lineAt(*text, parseError.offset) : 1,
                                       doc.isNull() ? QStringLiteral("invalid JSON: %1").arg(parseError.errorString())
                                                    : QStringLiteral("not a JSON object"),
                                       false});
        return false;
    }
    *object = doc.object();
    return true;
}

// Docker's run-document-server.sh: which environment variable lands where.
struct EnvMapping
{
    const char *variable;
    QStringList paths;
    bool boolean;
};

const QList<EnvMapping> &envMappings()
{
    static const QList<EnvMapping> mappings = {
        {"JWT_ENABLED",
         {QStringLiteral("services.CoAuthoring.token.enable.browser"),
          QStringLiteral("services.CoAuthoring.token.enable.request.inbox"),
          QStringLiteral("services.CoAuthoring.token.enable.request.outbox")},
         true},
        {"JWT_SECRET",
         {QStringLiteral("services.CoAuthoring.secret.inbox.string"),
          QStringLiteral("services.CoAuthoring.secret.outbox.string"),
          QStringLiteral("services.CoAuthoring.secret.session.string")},
         false},
        {"JWT_HEADER",
         {QStringLiteral("services.CoAuthoring.token.inbox.header"),
          QStringLiteral("services.CoAuthoring.token.outbox.header")},
         false},
        {"JWT_IN_BODY",
         {QStringLiteral("services.CoAuthoring.token.inbox.inBody"),
          QStringLiteral("services.CoAuthoring.token.outbox.inBody")},
         true},
        {"ALLOW_PRIVATE_IP_ADDRESS",
         {QStringLiteral("services.CoAuthoring.request-filtering-agent.allowPrivateIPAddress")},
         true},
        {"DB_TYPE", {QStringLiteral("services.CoAuthoring.sql.type")}, false},
        {"DB_HOST", {QStringLiteral("services.CoAuthoring.sql.dbHost")}, false},
        {"DB_PORT", {QStringLiteral("services.CoAuthoring.sql.dbPort")}, false},
        {"DB_NAME", {QStringLiteral("services.CoAuthoring.sql.dbName")}, false},
        {"DB_USER", {QStringLiteral("services.CoAuthoring.sql.dbUser")}, false},
        {"AMQP_URI", {QStringLiteral("rabbitmq.url")}, false},
        {"REDIS_SERVER_HOST", {QStringLiteral("services.CoAuthoring.redis.host")}, false},
        {"REDIS_SERVER_PORT", {QStringLiteral("services.CoAuthoring.redis.port")}, false},
        {"SECURE_LINK_SECRET", {QStringLiteral("storage.fs.secretString")}, false},
    };
    return mappings;
}

QMap<QString, QString> parseEnvironmentText(const QByteArray &text, QHash<QString, int> *lines)
{
    // KEY=VALUE (env files), "- KEY=VALUE" and "KEY: VALUE" (compose), "export KEY=VALUE".
    QMap<QString, QString> env;
    static const QRegularExpression re(
        QStringLiteral("^\\s*(?:-\\s*)?(?:export\\s+)?[\"']?([A-Z][A-Z0-9_]*)\\s*[=:]\\s*(.*?)[\"']?\\s*$"));
    const QList<QByteArray> rows = text.split('\n');
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QRegularExpressionMatch m = re.match(QString::fromUtf8(rows.at(i)));
        if (!m.hasMatch())
            continue;
        QString value = m.captured(2);
        if (value.size() >= 2 && (value.startsWith(QLatin1Char('"')) || value.startsWith(QLatin1Char('\''))))
            value = value.mid(1);
        env.insert(m.captured(1), value);
        lines->insert(m.captured(1), int(i) + 1);
    }
    return env;
}

void applyEnvironment(DsConfig *cfg, const QHash<QString, int> &envLines, QHash<QString, int> *pathLines)
{
    for (const EnvMapping &m : envMappings()) {
        const QString var = QLatin1String(m.variable);
        if (!cfg->environment.contains(var))
            continue;
        const QString raw = cfg->environment.value(var);
        QJsonValue value(raw);
        if (m.boolean)
            value = QJsonValue(raw.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0);
        for (const QString &path : m.paths) {
            setPath(&cfg->merged, path.split(QLatin1Char('.')), value);
            cfg->origins.insert(path, cfg->environmentFile);
            pathLines->insert(path, envLines.value(var));
        }
    }
    // Docker turns JWT on by default since 7.2 and writes SECURE_LINK_SECRET to both sides.
    if (!cfg->environment.contains(QStringLiteral("JWT_ENABLED"))) {
        for (const QString &path : envMappings().constFirst().paths)
            setPath(&cfg->merged, path.split(QLatin1Char('.')), true);
    }
    if (cfg->environment.contains(QStringLiteral("SECURE_LINK_SECRET"))) {
        cfg->nginxSecureLinkSecret = cfg->environment.value(QStringLiteral("SECURE_LINK_SECRET"));
        cfg->nginxSecureLinkFile = cfg->environmentFile;
        cfg->nginxSecureLinkLine = envLines.value(QStringLiteral("SECURE_LINK_SECRET"));
    }
}

} // namespace

QJsonValue DsConfig::value(const QString &path) const
{
    QJsonValue v(merged);
    for (const QString &part : path.split(QLatin1Char('.'))) {
        if (!v.isObject())
            return QJsonValue(QJsonValue::Undefined);
        v = v.toObject().value(part);
    }
    return v;
}

QString DsConfig::string(const QString &path, const QString &fallback) const
{
    const QJsonValue v = value(path);
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble());
    return fallback;
}

bool DsConfig::boolean(const QString &path, bool fallback) const
{
    const QJsonValue v = value(path);
    if (v.isBool())
        return v.toBool();
    if (v.isString())
        return v.toString().compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
    return fallback;
}

QString DsConfig::fileOf(const QString &path) const
{
    QString p = path;
    while (!p.isEmpty()) {
        const auto it = origins.constFind(p);
        if (it != origins.cend())
            return *it;
        p = p.section(QLatin1Char('.'), 0, -2);
    }
    return files.isEmpty() ? source : files.constLast();
}

int DsConfig::lineOf(const QString &path) const
{
    const auto it = lines.constFind(path);
    if (it != lines.cend())
        return *it;
    return jsonKeyLine(texts.value(fileOf(path)), path);
}

int jsonKeyLine(const QByteArray &text, const QString &path)
{
    qsizetype pos = 0;
    for (const QString &key : path.split(QLatin1Char('.'))) {
        const QByteArray needle = '"' + key.toUtf8() + '"';
        for (;;) {
            const qsizetype idx = text.indexOf(needle, pos);
            if (idx < 0)
                return 0;
            qsizetype after = idx + needle.size();
            while (after < text.size() && (text.at(after) == ' ' || text.at(after) == '\t' || text.at(after) == '\n' ||
                                           text.at(after) == '\r'))
                ++after;
            if (after < text.size() && text.at(after) == ':') {
                pos = idx;
                break;
            }
            pos = idx + 1;
        }
    }
    return lineAt(text, pos);
}

DsConfig loadDsConfig(const QString &path)
{
    DsConfig cfg;
    cfg.source = path;
    const QFileInfo info(path);
    if (!info.exists()) {
        cfg.errors.append(
            ConfigError{path, 0, QStringLiteral("cannot open %1: no such file or directory").arg(path), true});
        return cfg;
    }
    QStringList jsonFiles;
    QString dir;
    QHash<QString, int> envLines;
    if (info.isDir()) {
        dir = path;
        for (const char *name :
             {"default.json", "production-linux.json", "local.json", "local-production-linux.json"}) {
            const QString f = QDir(path).filePath(QLatin1String(name));
            if (QFileInfo::exists(f))
                jsonFiles.append(f);
        }
        if (jsonFiles.isEmpty()) {
            cfg.errors.append(
                ConfigError{path, 0, QStringLiteral("no default.json or local.json in %1").arg(path), true});
            return cfg;
        }
    } else {
        QByteArray text;
        QString error;
        if (!readConfigFile(path, maxJsonBytes, &text, &error)) {
            cfg.errors.append(ConfigError{path, 0, error, true});
            return cfg;
        }
        const QByteArray trimmed = text.trimmed();
        if (trimmed.startsWith('[')) {
            // `docker inspect CONTAINER`: [{"Config": {"Env": ["JWT_SECRET=...", ...]}}]
            const QJsonArray array = QJsonDocument::fromJson(text).array();
            const QJsonArray env = array.first()
                                       .toObject()
                                       .value(QLatin1String("Config"))
                                       .toObject()
                                       .value(QLatin1String("Env"))
                                       .toArray();
            if (array.isEmpty() || env.isEmpty()) {
                cfg.errors.append(
                    ConfigError{path, 0, QStringLiteral("not docker inspect output (no Config.Env)"), true});
                return cfg;
            }
            for (const QJsonValue &v : env) {
                const QString entry = v.toString();
                const qsizetype eq = entry.indexOf(QLatin1Char('='));
                if (eq <= 0)
                    continue;
                cfg.environment.insert(entry.left(eq), entry.mid(eq + 1));
                const QByteArray needle = '"' + entry.left(eq).toUtf8() + '=';
                const qsizetype at = text.indexOf(needle);
                if (at >= 0)
                    envLines.insert(entry.left(eq), lineAt(text, at));
            }
            cfg.environmentFile = path;
            cfg.texts.insert(path, text);
        } else if (trimmed.startsWith('{')) {
            dir = info.absolutePath();
            for (const char *name : {"default.json", "production-linux.json"}) {
                const QString f = QDir(dir).filePath(QLatin1String(name));
                if (QFileInfo::exists(f) && QFileInfo(f).canonicalFilePath() != info.canonicalFilePath())
                    jsonFiles.append(f);
            }
            jsonFiles.append(path);
        } else {
            cfg.environment = parseEnvironmentText(text, &envLines);
            cfg.environmentFile = path;
            cfg.texts.insert(path, text);
            if (cfg.environment.isEmpty()) {
                cfg.errors.append(ConfigError{
                    path, 0, QStringLiteral("neither JSON nor an environment file (no KEY=VALUE lines)"), true});
                return cfg;
            }
        }
    }

    for (const QString &file : std::as_const(jsonFiles)) {
        QJsonObject object;
        QByteArray text;
        if (!readJsonObject(file, &object, &text, &cfg, file == path))
            continue;
        cfg.files.append(file);
        cfg.texts.insert(file, text);
        mergeInto(&cfg.merged, object, QString(), file, &cfg.origins);
    }
    if (cfg.hasEnvironment()) {
        cfg.files.append(cfg.environmentFile);
        applyEnvironment(&cfg, envLines, &cfg.lines);
    }

    // DS's own nginx holds the other half of the secure-link secret.
    if (!dir.isEmpty() && cfg.nginxSecureLinkFile.isEmpty()) {
        const QString nginx = QDir(dir).filePath(QStringLiteral("nginx/ds.conf"));
        if (QFileInfo::exists(nginx)) {
            NginxParseOptions options;
            options.followIncludes = false;
            const NginxModel model(parseNginxFile(nginx, options));
            const SecureLinkSetting s = secureLinkSecret(model);
            if (!s.file.isEmpty()) {
                cfg.nginxSecureLinkSecret = s.secret;
                cfg.nginxSecureLinkFile = s.file;
                cfg.nginxSecureLinkLine = s.line;
            }
        }
    }
    return cfg;
}

} // namespace dd
