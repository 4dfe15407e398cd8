#include "config/configuredstack.h"

#include "config/integratorconfig.h"
#include "util/hostport.h"

#include <QUrl>

namespace dd {

namespace {

QString upstreamUrl(const ConfiguredUpstream &u)
{
    QUrl url;
    url.setScheme(u.scheme.isEmpty() ? QStringLiteral("http") : u.scheme);
    url.setHost(u.host);
    url.setPort(u.port);
    url.setPath(QStringLiteral("/"));
    return url.toString();
}

QString upstreamNote(const ConfiguredUpstream &u)
{
    QStringList parts{u.location};
    if (!u.upstream.isEmpty())
        parts << QStringLiteral("upstream %1").arg(u.upstream);
    if (u.backup)
        parts << QStringLiteral("backup server");
    return parts.join(QStringLiteral(", "));
}

// The front proxy's targets and DS nginx's docservice, every server of an upstream block.
void addUpstreams(const LintResult &lint, QList<StackEndpoint> *out)
{
    for (const ConfiguredUpstream &u : lint.upstreams) {
        if (u.host.isEmpty() || u.port == 0)
            continue;
        StackEndpoint e{QString(), QString(), QString(), u.file, u.line, upstreamNote(u)};
        if (u.role == QLatin1String("ds-nginx")) {
            // DS's nginx also proxies /example/ to the example app (upstream "example").
            const bool example = u.upstream == QLatin1String("example");
            e.hop = example ? QStringLiteral("dsnginx->example") : QStringLiteral("dsnginx->docservice");
            e.field = u.backup || example ? QString() : QStringLiteral("docservice");
            e.value = formatHostPort(u.host, u.port);
        } else {
            e.hop = u.docServer ? QStringLiteral("proxy->dsnginx") : QStringLiteral("proxy->other");
            // A ws:// target is the co-editing socket's tunnel (Apache's Upgrade rewrite): the same
            // server, but not an address to GET /healthcheck from.
            const bool web =
                u.scheme.isEmpty() || u.scheme == QLatin1String("http") || u.scheme == QLatin1String("https");
            e.field = u.docServer && !u.backup && web ? QStringLiteral("docserverUrl") : QString();
            e.value = upstreamUrl(u);
        }
        out->append(e);
    }
}

void addIntegrator(const QString &file, QList<StackEndpoint> *out)
{
    const IntegratorConfig in = loadIntegratorConfig(file);
    if (!in.errors.isEmpty())
        return;
    const struct
    {
        const char *key;
        QString value;
        const char *hop;
        const char *field;
        const char *note;
    } rows[] = {
        {"DocumentServerUrl", in.documentServerUrl, "integrator->proxy", "publicUrl",
         "the address browsers and the integrator use"},
        {"DocumentServerInternalUrl", in.documentServerInternalUrl, "integrator->dsnginx", "",
         "the integrator's server-side address of Document Server"},
        {"StorageUrl", in.storageUrl, "converter->integrator", "", "where Document Server fetches documents"},
        {"integrator_url", in.integratorUrl, "converter->integrator", "integrator.url", "the integrator's address"},
    };
    for (const auto &r : rows) {
        if (r.value.isEmpty())
            continue;
        out->append(StackEndpoint{QString::fromLatin1(r.hop), QString::fromLatin1(r.field), r.value, in.file,
                                  in.lineOf(QString::fromLatin1(r.key)), QString::fromLatin1(r.note)});
    }
}

} // namespace

const StackEndpoint *ConfiguredStack::forField(const QString &field) const
{
    for (const StackEndpoint &e : endpoints) {
        if (e.field == field)
            return &e;
    }
    return nullptr;
}

LintInputs StackFiles::lintInputs() const
{
    LintInputs in;
    if (proxyKind == QLatin1String("apache"))
        in.apacheFile = proxyConfig;
    else if (!proxyConfig.isEmpty())
        in.nginxFiles << proxyConfig;
    if (!dsNginxConfig.isEmpty())
        in.nginxFiles << dsNginxConfig;
    in.dsConfig = dsConfig;
    in.integratorFile = integratorFile;
    return in;
}

ConfiguredStack deriveConfiguredStack(const StackFiles &files)
{
    ConfiguredStack stack;
    stack.lint = lintConfiguration(files.lintInputs());
    if (!files.integratorFile.isEmpty())
        addIntegrator(files.integratorFile, &stack.endpoints);
    addUpstreams(stack.lint, &stack.endpoints);
    for (const ConfiguredEndpoint &e : stack.lint.endpoints) {
        // local.json's docservice port backs up DS nginx's upstream; the integrator's URLs are
        // listed from its own file, with their paths.
        const bool docservice = e.role == QLatin1String("docservice");
        if (!docservice && e.role != QLatin1String("database") && e.role != QLatin1String("redis") &&
            e.role != QLatin1String("rabbitmq"))
            continue;
        stack.endpoints.append(StackEndpoint{
            docservice ? QStringLiteral("dsnginx->docservice") : QStringLiteral("docservice->") + e.role,
            docservice && !stack.forField(QStringLiteral("docservice")) ? QStringLiteral("docservice") : QString(),
            formatHostPort(e.host, e.port), e.file, e.line,
            docservice ? QStringLiteral("services.CoAuthoring.server.port")
                       : QStringLiteral("probed by diagnose from docserver.config")});
    }
    // One row per address and origin (every location naming the same upstream server), and a
    // profile field on the first row that fills it only.
    QList<StackEndpoint> rows;
    QStringList fields;
    for (StackEndpoint e : std::as_const(stack.endpoints)) {
        if (std::any_of(rows.cbegin(), rows.cend(), [&](const StackEndpoint &r) {
                return r.hop == e.hop && r.value == e.value && r.origin() == e.origin();
            }))
            continue;
        if (fields.contains(e.field))
            e.field.clear();
        else if (!e.field.isEmpty())
            fields << e.field;
        rows << e;
    }
    stack.endpoints = rows;
    return stack;
}

Profile profileFromStack(const StackFiles &files, const QList<QPair<QString, QString>> &values, QString *error)
{
    Profile p;
    p.proxyKind = files.proxyKind;
    p.proxyConfig = files.proxyConfig;
    p.dsNginxConfig = files.dsNginxConfig;
    p.dsConfig = files.dsConfig;
    if (!files.integratorFile.isEmpty())
        p.integratorKind = loadIntegratorConfig(files.integratorFile).kind;
    const auto url = [error](const QString &field, const QString &text, QUrl *out) {
        const QUrl u(text, QUrl::StrictMode);
        if (!u.isValid() || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")) ||
            u.host().isEmpty()) {
            *error = QStringLiteral("%1: '%2' is not an http(s) URL").arg(field, text);
            return false;
        }
        *out = u;
        return true;
    };
    for (const auto &[field, value] : values) {
        const QString text = value.trimmed();
        if (text.isEmpty())
            continue;
        bool ok = true;
        if (field == QLatin1String("name")) {
            p.name = text;
        } else if (field == QLatin1String("publicUrl")) {
            ok = url(field, text, &p.publicUrl);
        } else if (field == QLatin1String("docserverUrl")) {
            ok = url(field, text, &p.docserverUrl);
        } else if (field == QLatin1String("integrator.url")) {
            ok = url(field, text, &p.integratorUrl);
        } else if (field == QLatin1String("docservice")) {
            HostPort hp;
            QString reason;
            ok = parseHostPort(text, &hp, &reason);
            if (ok) {
                p.docserviceHost = hp.host;
                p.docservicePort = hp.port;
            } else {
                *error = QStringLiteral("docservice: '%1' is not HOST:PORT (expected e.g. 127.0.0.1:8000)").arg(text);
            }
        }
        if (!ok)
            return {};
    }
    return p;
}

} // namespace dd
