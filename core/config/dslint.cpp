#include "config/dslint.h"

#include <QUrl>

namespace dd {

namespace {

const QString inboxSecret = QStringLiteral("services.CoAuthoring.secret.inbox.string");
const QString outboxSecret = QStringLiteral("services.CoAuthoring.secret.outbox.string");
const QString inboxHeader = QStringLiteral("services.CoAuthoring.token.inbox.header");
const QString outboxHeader = QStringLiteral("services.CoAuthoring.token.outbox.header");
const QString inboxEnabled = QStringLiteral("services.CoAuthoring.token.enable.request.inbox");
const QString outboxEnabled = QStringLiteral("services.CoAuthoring.token.enable.request.outbox");
const QString browserEnabled = QStringLiteral("services.CoAuthoring.token.enable.browser");
const QString storageSecret = QStringLiteral("storage.fs.secretString");
const QString defaultHeader = QStringLiteral("Authorization");
// Recent Nextcloud connectors refuse shorter secrets.
constexpr qsizetype minimumSecretLength = 32;

class DsLinter
{
public:
    DsLinter(const DsConfig *ds, const IntegratorConfig *integrator, const LintCheckCatalog &catalog,
             LintResult *result)
        : m_ds(ds), m_integrator(integrator), m_catalog(catalog), m_result(result)
    {
    }

    void add(const QString &check, const QString &file, int line, const QString &message, const QString &excerpt,
             const QString &node)
    {
        LintFinding f = m_catalog.finding(check, file, line, message, excerpt);
        f.node = node;
        m_result->findings.append(f);
    }

    // "file:line: key = <set, N characters>": where a secret is, never what it is.
    QString secretExcerpt(const QString &path) const
    {
        const QString value = m_ds->string(path);
        return QStringLiteral("%1:%2: %3 (%4 characters)")
            .arg(m_ds->fileOf(path))
            .arg(m_ds->lineOf(path))
            .arg(path)
            .arg(value.size());
    }

    QString valueExcerpt(const QString &path, const QString &fallback) const
    {
        return QStringLiteral("%1:%2: %3 = %4")
            .arg(m_ds->fileOf(path))
            .arg(m_ds->lineOf(path))
            .arg(path, m_ds->string(path, fallback));
    }

    void checkDocServer(const SecureLinkSetting &nginxSecureLink)
    {
        const DsConfig &ds = *m_ds;
        const QString docservice = QStringLiteral("docservice");
        const bool inbox = ds.boolean(inboxEnabled, false);
        const bool outbox = ds.boolean(outboxEnabled, false);
        const bool random =
            ds.hasEnvironment() && !ds.environment.contains(QStringLiteral("JWT_SECRET")) && (inbox || outbox);
        if (random) {
            add(QStringLiteral("ds-jwt-random-secret"), ds.environmentFile, 0,
                QStringLiteral("JWT is on and JWT_SECRET is not set: the container generates a random secret each time "
                               "it is created"),
                ds.environmentFile + QLatin1String(": JWT_SECRET not set"), docservice);
        }
        if ((inbox || outbox) && !random) {
            QStringList shortOnes;
            for (const auto &[path, on, name] : {std::tuple{inboxSecret, inbox, QStringLiteral("inbox")},
                                                 std::tuple{outboxSecret, outbox, QStringLiteral("outbox")}}) {
                const QString secret = ds.string(path);
                if (!on || ds.value(path).isUndefined())
                    continue;
                if (secret == QLatin1String("secret")) {
                    add(QStringLiteral("ds-jwt-default-secret"), ds.fileOf(path), ds.lineOf(path),
                        QStringLiteral("the %1 JWT secret is still default.json's placeholder").arg(name),
                        secretExcerpt(path), docservice);
                } else if (secret.size() < minimumSecretLength) {
                    add(QStringLiteral("ds-jwt-secret-short"), ds.fileOf(path), ds.lineOf(path),
                        QStringLiteral("the %1 JWT secret has %2 characters (at least %3 needed by recent integrators)")
                            .arg(name)
                            .arg(secret.size())
                            .arg(minimumSecretLength),
                        secretExcerpt(path), docservice);
                }
            }
            if (inbox && outbox && !ds.value(inboxSecret).isUndefined() && !ds.value(outboxSecret).isUndefined() &&
                ds.string(inboxSecret) != ds.string(outboxSecret)) {
                add(QStringLiteral("ds-jwt-secrets-differ"), ds.fileOf(outboxSecret), ds.lineOf(outboxSecret),
                    QStringLiteral("the inbox and outbox JWT secrets differ"),
                    secretExcerpt(inboxSecret) + QLatin1Char('\n') + secretExcerpt(outboxSecret), docservice);
            }
            const QString in = ds.string(inboxHeader, defaultHeader);
            const QString out = ds.string(outboxHeader, defaultHeader);
            if (in.compare(out, Qt::CaseInsensitive) != 0) {
                add(QStringLiteral("ds-jwt-headers-differ"), ds.fileOf(outboxHeader), ds.lineOf(outboxHeader),
                    QStringLiteral("the inbox JWT header is %1 but the outbox header is %2").arg(in, out),
                    valueExcerpt(inboxHeader, defaultHeader) + QLatin1Char('\n') +
                        valueExcerpt(outboxHeader, defaultHeader),
                    docservice);
            }
        }
        const QString filter = QStringLiteral("services.CoAuthoring.request-filtering-agent.allowPrivateIPAddress");
        const QString filter81 = QStringLiteral("externalRequest.action.allowPrivateIPAddress");
        const bool allowPrivate = ds.boolean(filter, false) || ds.boolean(filter81, false);
        if (!inbox && !outbox && !allowPrivate) {
            const QString where = ds.value(filter81).isUndefined() ? filter : filter81;
            add(QStringLiteral("ds-private-ip-without-jwt"), ds.fileOf(inboxEnabled), ds.lineOf(inboxEnabled),
                QStringLiteral("JWT is off and private addresses are not allowed: documents on a LAN or loopback "
                               "integrator fail to download"),
                valueExcerpt(inboxEnabled, QStringLiteral("false")) + QLatin1Char('\n') +
                    valueExcerpt(where, QStringLiteral("false")),
                docservice);
        }

        SecureLinkSetting nginx{ds.nginxSecureLinkSecret, ds.nginxSecureLinkFile, ds.nginxSecureLinkLine};
        if (nginx.file.isEmpty())
            nginx = nginxSecureLink;
        if (!nginx.file.isEmpty() && !ds.value(storageSecret).isUndefined() &&
            !nginx.secret.contains(QLatin1Char('$')) && nginx.secret != ds.string(storageSecret)) {
            add(QStringLiteral("ds-secure-link-mismatch"), nginx.file, nginx.line,
                QStringLiteral("$secure_link_secret in DS's nginx differs from storage.fs.secretString: every "
                               "/cache/files link gets 403"),
                QStringLiteral("%1:%2: set $secure_link_secret (%3 characters)\n%4")
                    .arg(nginx.file)
                    .arg(nginx.line)
                    .arg(nginx.secret.size())
                    .arg(secretExcerpt(storageSecret)),
                QStringLiteral("dsnginx"));
        }
    }

    void checkIntegrator()
    {
        const IntegratorConfig &in = *m_integrator;
        const QString node = QStringLiteral("integrator");
        const QString file = in.file;
        auto at = [&](const QString &key) {
            return QStringLiteral("%1:%2: %3").arg(file).arg(in.lineOf(key)).arg(key);
        };
        if (!in.jwtSecret.isEmpty() && in.jwtSecret.size() < minimumSecretLength) {
            add(QStringLiteral("integrator-jwt-secret-short"), file, in.lineOf(QStringLiteral("jwt_secret")),
                QStringLiteral("the integrator's JWT secret has %1 characters (at least %2 needed)")
                    .arg(in.jwtSecret.size())
                    .arg(minimumSecretLength),
                at(QStringLiteral("jwt_secret")) + QStringLiteral(" (%1 characters)").arg(in.jwtSecret.size()), node);
        }
        const QUrl dsUrl(in.documentServerUrl);
        const QUrl own(in.integratorUrl);
        if (dsUrl.scheme() == QLatin1String("http") && own.scheme() == QLatin1String("https")) {
            add(QStringLiteral("integrator-mixed-content"), file, in.lineOf(QStringLiteral("DocumentServerUrl")),
                QStringLiteral("the integrator is served over https but Document Server's address %1 is http")
                    .arg(dsUrl.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)),
                at(QStringLiteral("DocumentServerUrl")) + QLatin1String(" = ") +
                    dsUrl.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery),
                node);
        }
        for (const auto &[key, value] :
             {std::pair{QStringLiteral("DocumentServerUrl"), in.documentServerUrl},
              std::pair{QStringLiteral("DocumentServerInternalUrl"), in.documentServerInternalUrl}}) {
            const QString host = QUrl(value).host();
            if (host.contains(QLatin1Char('_'))) {
                add(QStringLiteral("integrator-hostname-underscore"), file, in.lineOf(key),
                    QStringLiteral(
                        "%1 uses the host \"%2\", which Document Server percent-escapes in the URLs it returns")
                        .arg(key, host),
                    at(key) + QLatin1String(" = ") + QUrl(value).toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery),
                    node);
            }
        }
        if (!m_ds)
            return;
        const DsConfig &ds = *m_ds;
        const bool dsJwt = ds.boolean(inboxEnabled, false) || ds.boolean(browserEnabled, false);
        const bool random = ds.hasEnvironment() && !ds.environment.contains(QStringLiteral("JWT_SECRET"));
        if (dsJwt && in.jwtSecret.isEmpty()) {
            add(QStringLiteral("jwt-missing-in-integrator"), file, 0,
                QStringLiteral("Document Server requires JWT but the integrator has no JWT secret"),
                file + QLatin1String(": jwt_secret not set\n") + secretExcerpt(inboxSecret), node);
        } else if (dsJwt && !random && !ds.value(inboxSecret).isUndefined() && in.jwtSecret != ds.string(inboxSecret)) {
            add(QStringLiteral("jwt-secret-mismatch"), file, in.lineOf(QStringLiteral("jwt_secret")),
                QStringLiteral("the integrator's JWT secret differs from Document Server's inbox secret (%1 vs %2 "
                               "characters)")
                    .arg(in.jwtSecret.size())
                    .arg(ds.string(inboxSecret).size()),
                at(QStringLiteral("jwt_secret")) + QLatin1Char('\n') + secretExcerpt(inboxSecret), node);
        }
        const QString integratorHeader = in.jwtHeader.isEmpty() ? defaultHeader : in.jwtHeader;
        const QString dsHeader = ds.string(inboxHeader, defaultHeader);
        if (dsJwt && integratorHeader.compare(dsHeader, Qt::CaseInsensitive) != 0) {
            add(QStringLiteral("jwt-header-mismatch"), file, in.lineOf(QStringLiteral("jwt_header")),
                QStringLiteral("the integrator sends its token in %1 but Document Server reads %2")
                    .arg(integratorHeader, dsHeader),
                at(QStringLiteral("jwt_header")) + QLatin1String(" = ") + integratorHeader + QLatin1Char('\n') +
                    valueExcerpt(inboxHeader, defaultHeader),
                node);
        }
    }

    void endpoints()
    {
        auto push = [&](const QString &role, const QString &scheme, const QString &host, int port, const QString &file,
                        int line) {
            if (host.isEmpty())
                return;
            m_result->endpoints.append(ConfiguredEndpoint{role, scheme, host, quint16(port), file, line});
        };
        if (m_ds)
            m_result->endpoints += dsEndpoints(*m_ds);
        if (m_integrator) {
            const IntegratorConfig &in = *m_integrator;
            for (const auto &[role, key, value] :
                 {std::tuple{QStringLiteral("docserver-public"), QStringLiteral("DocumentServerUrl"),
                             in.documentServerUrl},
                  std::tuple{QStringLiteral("docserver-internal"), QStringLiteral("DocumentServerInternalUrl"),
                             in.documentServerInternalUrl},
                  std::tuple{QStringLiteral("integrator-storage"), QStringLiteral("StorageUrl"), in.storageUrl},
                  std::tuple{QStringLiteral("integrator"), QStringLiteral("integrator_url"), in.integratorUrl}}) {
                const QUrl url(value);
                push(role, url.scheme(), url.host(), url.port(url.scheme() == QLatin1String("https") ? 443 : 80),
                     in.file, in.lineOf(key));
            }
        }
    }

private:
    const DsConfig *m_ds;
    const IntegratorConfig *m_integrator;
    const LintCheckCatalog &m_catalog;
    LintResult *m_result;
};

} // namespace

QList<ConfiguredEndpoint> dsEndpoints(const DsConfig &ds)
{
    QList<ConfiguredEndpoint> out;
    auto push = [&](const QString &role, const QString &scheme, const QString &host, int port, const QString &path) {
        if (!host.isEmpty())
            out.append(ConfiguredEndpoint{role, scheme, host, quint16(port), ds.fileOf(path), ds.lineOf(path)});
    };
    const QString portPath = QStringLiteral("services.CoAuthoring.server.port");
    push(QStringLiteral("docservice"), QStringLiteral("http"), QStringLiteral("127.0.0.1"),
         ds.string(portPath, QStringLiteral("8000")).toInt(), portPath);
    const QString dbHost = QStringLiteral("services.CoAuthoring.sql.dbHost");
    const QString dbType = ds.string(QStringLiteral("services.CoAuthoring.sql.type"), QStringLiteral("postgres"));
    const int dbDefault = dbType.startsWith(QLatin1String("mysql")) || dbType == QLatin1String("mariadb") ? 3306 : 5432;
    push(QStringLiteral("database"), dbType, ds.string(dbHost),
         ds.string(QStringLiteral("services.CoAuthoring.sql.dbPort"), QString::number(dbDefault)).toInt(), dbHost);
    const QString amqpPath = QStringLiteral("rabbitmq.url");
    const QUrl amqp(ds.string(amqpPath));
    push(QStringLiteral("rabbitmq"), amqp.scheme(), amqp.host(),
         amqp.port(amqp.scheme() == QLatin1String("amqps") ? 5671 : 5672), amqpPath);
    const QString redisHost = QStringLiteral("services.CoAuthoring.redis.host");
    push(QStringLiteral("redis"), QStringLiteral("redis"), ds.string(redisHost),
         ds.string(QStringLiteral("services.CoAuthoring.redis.port"), QStringLiteral("6379")).toInt(), redisHost);
    return out;
}

LintResult lintDocServer(const DsConfig *ds, const IntegratorConfig *integrator,
                         const SecureLinkSetting &nginxSecureLink, const LintCheckCatalog &catalog)
{
    LintResult result;
    DsLinter linter(ds, integrator, catalog, &result);
    if (ds) {
        result.inputs.append(ds->source);
        result.errors += ds->errors;
        for (const ConfigError &e : ds->errors) {
            if (!e.fatal)
                linter.add(QStringLiteral("ds-config-invalid"), e.file, e.line, e.message, e.toString(),
                           QStringLiteral("docservice"));
        }
        if (!ds->merged.isEmpty() || ds->hasEnvironment())
            linter.checkDocServer(nginxSecureLink);
    }
    if (integrator) {
        result.inputs.append(integrator->file);
        result.errors += integrator->errors;
        if (integrator->errors.isEmpty())
            linter.checkIntegrator();
    }
    linter.endpoints();
    result.normalize();
    return result;
}

} // namespace dd
