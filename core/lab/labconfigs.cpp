// What a lab run writes: nginx configs for the front proxy, DS's nginx and the storage, DS's
// local.json, certificates, the integrator's secret file, static files, and the profile.
#include "lab/lab.h"

#include "lab/dssimulator.h"
#include "lab/labpaths.h"
#include "lab/nginxprocess.h"
#include "lab/selfsignedcert.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <unistd.h>

namespace dd {

bool writeLabFile(const QString &path, const QByteArray &content, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

namespace {

QString loopback(quint16 port)
{
    return QStringLiteral("127.0.0.1:%1").arg(port);
}

QString certPath(const QTemporaryDir &dir, const QString &name, const char *suffix)
{
    return dir.filePath(QStringLiteral("%1/%2.%3").arg(QLatin1String(labpaths::CertDir), name, QLatin1String(suffix)));
}

QString tlsLines(const QTemporaryDir &dir, const QString &name)
{
    return QStringLiteral("        ssl_certificate %1;\n        ssl_certificate_key %2;\n")
        .arg(certPath(dir, name, "crt"), certPath(dir, name, "key"));
}

} // namespace

bool Lab::prepareFiles(QString *error)
{
    using F = LabScenarioSpec::FrontUpstream;
    using S = LabScenarioSpec::Storage;
    const LabScenarioSpec &spec = m_plan->spec;
    if (!writeStaticFiles(m_dir->filePath(QLatin1String(labpaths::DsStaticDir)), error))
        return false;
    QStringList certificates;
    if (spec.frontTls)
        certificates << QStringLiteral("front-proxy");
    if (spec.frontUpstream == F::DsNginxTls)
        certificates << QStringLiteral("documentserver") << QStringLiteral("other-ca");
    if (spec.storage == S::Https)
        certificates << QStringLiteral("storage");
    QDir().mkpath(m_dir->filePath(QLatin1String(labpaths::CertDir)));
    for (const QString &name : std::as_const(certificates)) {
        if (!writeSelfSignedCertificate(name == QLatin1String("other-ca") ? QStringLiteral("Lab Other CA")
                                                                          : QStringLiteral("localhost"),
                                        certPath(*m_dir, name, "crt"), certPath(*m_dir, name, "key"), error))
            return false;
    }
    if (!spec.integratorJwtSecret.isEmpty()) {
        const QString path = m_dir->filePath(QLatin1String(labpaths::IntegratorSecret));
        if (!writeLabFile(path, spec.integratorJwtSecret.toUtf8() + '\n', error))
            return false;
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    }
    if (spec.storage != S::None && spec.storage != S::Container) {
        m_documentUrl = m_plan->storageBase().resolved(QUrl(spec.documentPath));
        const QString www = m_dir->filePath(QLatin1String(labpaths::StorageDir)) + QStringLiteral("/www/");
        const QByteArray document = "DocServer Doctor Fault Lab document\n";
        if (!writeLabFile(www + QStringLiteral("files/lab.docx"), document, error) ||
            !writeLabFile(www + QStringLiteral("forbidden/lab.docx"), document, error))
            return false;
    }
    QDir().mkpath(m_dir->filePath(QLatin1String(labpaths::AppDataDir)) + QStringLiteral("/cache/files"));
    return writeDsLocalJson(error);
}

bool Lab::writeStaticFiles(const QString &root, QString *error) const
{
    // Stand-ins for the files DS's nginx serves from disk; they answer 200 whatever docservice does.
    return writeLabFile(root + QStringLiteral("/welcome/index.html"),
                        "<!DOCTYPE html>\n<html><head><title>ONLYOFFICE Docs</title></head>\n"
                        "<body><h1>Document Server is running</h1>"
                        "<p>DocServer Doctor Fault Lab stand-in for /welcome/.</p></body></html>\n",
                        error) &&
           writeLabFile(root + QStringLiteral("/web-apps/apps/api/documents/api.js"),
                        "/* DocServer Doctor Fault Lab stand-in for Document Server's api.js */\n"
                        "window.DocsAPI = window.DocsAPI || { DocEditor: function () {} };\n",
                        error);
}

bool Lab::writeDsLocalJson(QString *error) const
{
    // Document Server's local.json as the lab configures docservice: a file in the lab directory,
    // holding DS's own secrets like the real one does.
    const LabScenarioSpec &spec = m_plan->spec;
    const QJsonObject enable{{QStringLiteral("browser"), spec.jwtEnabled},
                             {QStringLiteral("request"), QJsonObject{{QStringLiteral("inbox"), spec.jwtEnabled},
                                                                     {QStringLiteral("outbox"), spec.jwtEnabled}}}};
    const QJsonObject secret{{QStringLiteral("string"), spec.dsJwtSecret}};
    QJsonObject coAuthoring{
        {QStringLiteral("server"), QJsonObject{{QStringLiteral("port"), m_plan->port(Plan::Docservice)}}},
        {QStringLiteral("token"),
         QJsonObject{{QStringLiteral("enable"), enable},
                     {QStringLiteral("inbox"), QJsonObject{{QStringLiteral("header"), spec.dsJwtHeader}}},
                     {QStringLiteral("outbox"), QJsonObject{{QStringLiteral("header"), spec.dsJwtHeader}}}}},
        {QStringLiteral("secret"), QJsonObject{{QStringLiteral("inbox"), secret},
                                               {QStringLiteral("outbox"), secret},
                                               {QStringLiteral("session"), secret}}},
        {QStringLiteral("request-filtering-agent"),
         QJsonObject{{QStringLiteral("allowPrivateIPAddress"), spec.allowPrivateIp}}}};
    // Only the dependencies the scenario gives docservice (running or refusing): the others are
    // not simulated, and an address in the config would send the diagnosis to probe nothing.
    using D = LabScenarioSpec::Dependency;
    if (spec.postgres != D::None)
        coAuthoring.insert(QStringLiteral("sql"),
                           QJsonObject{{QStringLiteral("type"), QStringLiteral("postgres")},
                                       {QStringLiteral("dbHost"), QStringLiteral("127.0.0.1")},
                                       {QStringLiteral("dbPort"), m_plan->port(Plan::Postgres)},
                                       {QStringLiteral("dbName"), QStringLiteral("postgres")},
                                       {QStringLiteral("dbUser"), QStringLiteral("onlyoffice")}});
    if (spec.redis != D::None)
        coAuthoring.insert(QStringLiteral("redis"), QJsonObject{{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                                                                {QStringLiteral("port"), m_plan->port(Plan::Redis)}});
    QJsonObject root{
        {QStringLiteral("services"), QJsonObject{{QStringLiteral("CoAuthoring"), coAuthoring}}},
        {QStringLiteral("storage"),
         QJsonObject{{QStringLiteral("fs"), QJsonObject{{QStringLiteral("secretString"), spec.dsSecureLinkSecret}}}}}};
    if (spec.rabbitmq != D::None)
        root.insert(QStringLiteral("rabbitmq"),
                    QJsonObject{{QStringLiteral("url"),
                                 QStringLiteral("amqp://guest:guest@%1").arg(loopback(m_plan->port(Plan::RabbitMq)))}});
    const QString path = m_dir->filePath(QLatin1String(labpaths::DsLocalJson));
    if (!writeLabFile(path, QJsonDocument(root).toJson(QJsonDocument::Indented), error))
        return false;
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return true;
}

bool Lab::renderDsNginx(const QString &dir, const QString &errorLog, QByteArray *config, QString *error) const
{
    using F = LabScenarioSpec::FrontUpstream;
    const LabScenarioSpec &spec = m_plan->spec;
    const quint16 docservice = m_plan->port(Plan::Docservice);
    QString upstream;
    if (spec.dsNginxLegacyUpstream) {
        // DS <= 6.1: `server localhost:8000;` with nginx's default max_fails=1 fail_timeout=10s;
        // localhost names both loopback addresses on a stock Debian (this host's /etc/hosts may lack ::1).
        upstream = QStringLiteral("        server 127.0.0.1:%1;\n        server [::1]:%1;").arg(docservice);
    } else {
        upstream = QStringLiteral("        server %1 max_fails=0 fail_timeout=0s;").arg(loopback(docservice));
        if (spec.docserviceWorkers > 1) // round-robin, no sticky routing
            upstream += QStringLiteral("\n        server %1 max_fails=0 fail_timeout=0s;")
                            .arg(loopback(m_plan->port(Plan::Docservice2)));
    }
    const QString listen = spec.frontUpstream == F::OtherLoopback
                               ? QStringLiteral("127.0.0.2:%1").arg(m_plan->port(Plan::DsNginx))
                               : loopback(m_plan->port(Plan::DsNginx));
    const QString tls = spec.frontUpstream == F::DsNginxTls
                            ? QStringLiteral("        listen %1 ssl;\n").arg(loopback(m_plan->port(Plan::DsNginxTls))) +
                                  tlsLines(*m_dir, QStringLiteral("documentserver"))
                            : QString();
    const QString readTimeout = spec.dsNginxReadTimeout.isEmpty()
                                    ? QString()
                                    : QStringLiteral("        proxy_read_timeout %1;").arg(spec.dsNginxReadTimeout);
    // ds-cache.conf defines $cache_tag; without it nginx refuses the whole config.
    const QString webAppsExtra =
        spec.dsNginxBrokenConfig ? QStringLiteral("            add_header X-Cache-Tag $cache_tag;") : QString();
    return renderLabTemplate(QStringLiteral(":/lab/ds-nginx.conf.in"),
                             {{QStringLiteral("DIR"), dir},
                              {QStringLiteral("ERROR_LOG"), errorLog},
                              {QStringLiteral("UPSTREAM_SERVERS"), upstream},
                              {QStringLiteral("EXAMPLE_UPSTREAM"), loopback(m_plan->port(Plan::Example))},
                              {QStringLiteral("LISTEN"), listen},
                              {QStringLiteral("TLS_LISTEN"), tls},
                              {QStringLiteral("SECURE_LINK_SECRET"), spec.dsNginxSecureLinkSecret},
                              {QStringLiteral("PROXY_READ_TIMEOUT"), readTimeout},
                              {QStringLiteral("WWW"), m_dir->filePath(QLatin1String(labpaths::DsStaticDir))},
                              {QStringLiteral("WEB_APPS_EXTRA"), webAppsExtra},
                              {QStringLiteral("CACHE_DIR"), m_dir->filePath(QLatin1String(labpaths::AppDataDir))}},
                             config, error);
}

bool Lab::renderFrontProxy(const QString &dir, const QString &errorLog, QByteArray *config, QString *error) const
{
    using F = LabScenarioSpec::FrontUpstream;
    const LabScenarioSpec &spec = m_plan->spec;
    QString upstream;
    switch (spec.frontUpstream) {
    case F::DsNginx:
    case F::OtherLoopback: // DS's nginx listens on 127.0.0.2; the proxy was told 127.0.0.1
    case F::Resolver:
        upstream = loopback(m_plan->port(Plan::DsNginx));
        break;
    case F::RefusingPort:
        upstream = loopback(m_plan->port(Plan::Refused));
        break;
    case F::Docservice:
        upstream = loopback(m_plan->port(Plan::Docservice));
        break;
    case F::Blackhole:
        upstream = loopback(m_plan->port(Plan::Blackhole));
        break;
    case F::DsNginxTls:
        upstream = loopback(m_plan->port(Plan::DsNginxTls));
        break;
    case F::DualStack:
        break;
    }
    // What `proxy_pass http://localhost:PORT` resolves to on a stock Debian /etc/hosts (::1 and
    // 127.0.0.1; this host's may name only 127.0.0.1), written out so the lab does not depend on it.
    const QString servers =
        spec.frontUpstream == F::DualStack
            ? QStringLiteral("        server [::1]:%1;\n        server 127.0.0.1:%1;").arg(m_plan->port(Plan::DsNginx))
            : QStringLiteral("        server %1;").arg(upstream);
    QString serverExtra;
    if (!spec.frontBodyLimit.isEmpty())
        serverExtra += QStringLiteral("        client_max_body_size %1;\n").arg(spec.frontBodyLimit);
    if (!spec.frontAddHeader.isEmpty())
        serverExtra += QStringLiteral("        add_header %1;\n").arg(spec.frontAddHeader);
    if (spec.frontTls)
        serverExtra += tlsLines(*m_dir, QStringLiteral("front-proxy"));
    QString proxyExtra;
    if (!spec.frontConnectTimeout.isEmpty())
        proxyExtra += QStringLiteral("            proxy_connect_timeout %1;\n").arg(spec.frontConnectTimeout);
    if (!spec.frontReadTimeout.isEmpty())
        proxyExtra += QStringLiteral("            proxy_read_timeout %1;\n").arg(spec.frontReadTimeout);
    if (spec.frontSslVerify) {
        // Trusts a CA that did not sign DS's certificate, as a proxy trusting only public CAs does.
        proxyExtra +=
            QStringLiteral("            proxy_ssl_verify on;\n            proxy_ssl_trusted_certificate %1;\n")
                .arg(certPath(*m_dir, QStringLiteral("other-ca"), "crt"));
    }
    QString locations = labTemplateSection(QStringLiteral(":/lab/front-locations.conf.in"), spec.frontLocations);
    if (locations.isEmpty()) {
        *error = tr("no front proxy locations named '%1' in front-locations.conf.in").arg(spec.frontLocations);
        return false;
    }
    locations.replace(QStringLiteral("{{PASS}}"),
                      QStringLiteral("%1://%2").arg(spec.frontScheme, spec.frontUpstreamName));
    locations.replace(QStringLiteral("{{PROXY_EXTRA}}\n"), proxyExtra);
    locations.replace(QStringLiteral("{{DNS}}"), loopback(m_plan->port(Plan::Dns)));
    locations.replace(QStringLiteral("{{DS_PORT}}"), QString::number(m_plan->port(Plan::DsNginx)));
    const QString listen = loopback(m_plan->port(Plan::Front)) + (spec.frontTls ? QStringLiteral(" ssl") : QString());
    return renderLabTemplate(QStringLiteral(":/lab/front-proxy-nginx.conf.in"),
                             {{QStringLiteral("DIR"), dir},
                              {QStringLiteral("ERROR_LOG"), errorLog},
                              {QStringLiteral("HTTP_EXTRA"), QString()},
                              {QStringLiteral("UPSTREAM_NAME"), spec.frontUpstreamName},
                              {QStringLiteral("UPSTREAM_SERVERS"), servers},
                              {QStringLiteral("LISTEN"), listen},
                              {QStringLiteral("SERVER_EXTRA"), serverExtra},
                              {QStringLiteral("LOCATIONS"), locations}},
                             config, error);
}

bool Lab::renderFrontApache(const QString &dir, const QString &errorLog, QByteArray *config, QString *error) const
{
    // Apache started as root switches its children to www-data; started as a user it stays that user.
    const QString user = ::geteuid() == 0 ? QStringLiteral("User www-data\nGroup www-data") : QString();
    const QString modules =
        m_plan->spec.apacheProxyHttp
            ? QStringLiteral("LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so\n"
                             "LoadModule proxy_wstunnel_module /usr/lib/apache2/modules/mod_proxy_wstunnel.so")
            : QStringLiteral("# mod_proxy_http and mod_proxy_wstunnel are not loaded (a2enmod proxy only)");
    return renderLabTemplate(QStringLiteral(":/lab/front-proxy-apache.conf.in"),
                             {{QStringLiteral("DIR"), dir},
                              {QStringLiteral("PORT"), QString::number(m_plan->port(Plan::Front))},
                              {QStringLiteral("ERROR_LOG"), errorLog},
                              {QStringLiteral("USER"), user},
                              {QStringLiteral("PROXY_MODULES"), modules},
                              {QStringLiteral("UPSTREAM"), loopback(m_plan->port(Plan::DsNginx))}},
                             config, error);
}

bool Lab::renderStorage(const QString &dir, const QString &errorLog, QByteArray *config, QString *error) const
{
    const bool tls = m_plan->spec.storage == LabScenarioSpec::Storage::Https;
    return renderLabTemplate(
        QStringLiteral(":/lab/storage-nginx.conf.in"),
        {{QStringLiteral("DIR"), dir},
         {QStringLiteral("ERROR_LOG"), errorLog},
         {QStringLiteral("PORT"), QString::number(m_plan->port(Plan::Storage))},
         {QStringLiteral("SSL"), tls ? QStringLiteral(" ssl") : QString()},
         {QStringLiteral("TLS_FILES"), tls ? tlsLines(*m_dir, QStringLiteral("storage")) : QString()},
         {QStringLiteral("HEADER_BUFFERS"),
          m_plan->spec.storageHeaderBuffer.isEmpty()
              ? QString()
              : QStringLiteral("        large_client_header_buffers 4 %1;").arg(m_plan->spec.storageHeaderBuffer)},
         {QStringLiteral("WWW"), dir + QStringLiteral("/www")}},
        config, error);
}

Profile Lab::buildProfile() const
{
    using F = LabScenarioSpec::FrontUpstream;
    const LabScenarioSpec &spec = m_plan->spec;
    Profile profile;
    profile.name = m_scenarioId;
    const QString publicPath =
        spec.frontLocations == QLatin1String("virtual-path") ? QStringLiteral("/ds-vpath/") : QStringLiteral("/");
    profile.publicUrl = QUrl(QStringLiteral("%1://127.0.0.1:%2%3")
                                 .arg(spec.frontTls ? QStringLiteral("https") : QStringLiteral("http"))
                                 .arg(m_plan->port(Plan::Front))
                                 .arg(publicPath));
    // Where the front proxy was told Document Server is.
    QString docserver;
    switch (spec.frontUpstream) {
    case F::RefusingPort:
        docserver = QStringLiteral("http://%1/").arg(loopback(m_plan->port(Plan::Refused)));
        break;
    case F::Docservice:
        docserver = QStringLiteral("http://%1/").arg(loopback(m_plan->port(Plan::Docservice)));
        break;
    case F::Blackhole:
        docserver = QStringLiteral("http://%1/").arg(loopback(m_plan->port(Plan::Blackhole)));
        break;
    case F::DsNginxTls:
        docserver = QStringLiteral("%1://%2/").arg(spec.frontScheme, loopback(m_plan->port(Plan::DsNginxTls)));
        break;
    case F::DualStack:
        docserver = QStringLiteral("http://localhost:%1/").arg(m_plan->port(Plan::DsNginx));
        break;
    default:
        docserver = QStringLiteral("%1://%2/").arg(spec.frontScheme, loopback(m_plan->port(Plan::DsNginx)));
        break;
    }
    profile.docserverUrl = QUrl(docserver);
    if (spec.frontTls)
        profile.tlsCaFile = certPath(*m_dir, QStringLiteral("front-proxy"), "crt");
    if (spec.frontApache) {
        const QString dir = m_dir->filePath(QLatin1String(labpaths::FrontProxyDir));
        profile.proxyKind = QStringLiteral("apache");
        profile.proxyConfig = dir + QStringLiteral("/apache2.conf");
        profile.logFiles.append(dir + QStringLiteral("/error.log"));
    } else {
        profile.proxyKind = QStringLiteral("nginx");
        profile.proxyConfig = m_frontProxy->configPath();
        profile.logFiles.append(m_frontProxy->errorLogPath());
    }
    if (spec.frontUpstream != F::RefusingPort) {
        profile.docserviceHost = QStringLiteral("127.0.0.1");
        profile.docservicePort = m_plan->port(Plan::Docservice);
        profile.logFiles.append(m_dir->filePath(QLatin1String(labpaths::DsNginxErrorLog)));
        profile.dsConfig = m_dir->filePath(QLatin1String(labpaths::DsLocalJson));
        const QString dsNginx = m_dir->filePath(QLatin1String(labpaths::DsNginxDir) + QLatin1String("/nginx.conf"));
        if (QFileInfo::exists(dsNginx))
            profile.dsNginxConfig = dsNginx;
    }
    if (m_simulator) {
        profile.logFiles.append(m_simulator->logFile());
        if (spec.storage != LabScenarioSpec::Storage::None)
            profile.logFiles.append(m_dir->filePath(QLatin1String(labpaths::ConverterLog)));
    }
    if (!spec.integratorJwtSecret.isEmpty())
        profile.jwtSecretFile = m_dir->filePath(QLatin1String(labpaths::IntegratorSecret));
    profile.jwtHeader = spec.integratorJwtHeader;
    if (spec.storage != LabScenarioSpec::Storage::None) {
        profile.integratorKind = QStringLiteral("custom");
        profile.integratorUrl = m_plan->storageBase();
        profile.documentUrl = m_documentUrl;
        if (!spec.callbackPath.isEmpty())
            profile.callbackUrl = m_plan->storageBase().resolved(QUrl(spec.callbackPath));
        if (spec.storage == LabScenarioSpec::Storage::Container)
            profile.logFiles.append(m_dir->filePath(QLatin1String(labpaths::IntegratorLog)));
    }
    return profile;
}

} // namespace dd
