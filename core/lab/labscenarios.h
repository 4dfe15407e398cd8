#pragma once

#include "lab/lab.h"

#include <QHash>
#include <QList>
#include <QString>

namespace dd {

/**
 * A lab scenario with the topology the lab builds for it (resources/lab/scenarios.json; the
 * "comment" there documents every field). Defaults describe the healthy stack.
 */
struct LabScenarioSpec
{
    enum class FrontUpstream {
        DsNginx,       ///< P1 -> P0 (the normal case)
        RefusingPort,  ///< P1 -> a port nothing listens on; no P0, no docservice
        Docservice,    ///< P1 -> docservice's port directly, bypassing P0
        Blackhole,     ///< P1 -> a listener whose accept queue is full (SYNs dropped)
        DsNginxTls,    ///< P1 -> P0's TLS port
        OtherLoopback, ///< P1 -> 127.0.0.1, while P0 listens on 127.0.0.2 only
        DualStack,     ///< P1 -> [::1] and 127.0.0.1 (what "localhost" names), P0 on IPv4 only
        Resolver       ///< P1 -> a name resolved at run time through the lab's DNS responder
    };
    enum class Docservice { Healthy, HealthcheckFalse, Hang, NotListening, Close, Reset, OversizedHeaders };
    /// A dependency of docservice: not simulated, its port closed, or a real server running.
    enum class Dependency { None, Refused, Running, OldSchema };
    enum class Storage {
        None,
        Http,
        Https,
        Refused,
        Blackhole,
        Container ///< an integrator app in a network namespace of its own (a Docker container)
    };

    LabScenario scenario;
    FrontUpstream frontUpstream = FrontUpstream::DsNginx;
    Docservice docservice = Docservice::Healthy;
    QString dsNginxReadTimeout; ///< nginx time value for P0's proxy_read_timeout, or empty for the default

    // The front proxy (P1)
    bool frontApache = false; ///< Apache httpd instead of nginx
    bool apacheProxyHttp =
        true; ///< Apache loads mod_proxy_http and mod_proxy_wstunnel (a2enmod proxy_http proxy_wstunnel)
    QString frontLocations = QStringLiteral("standard"); ///< a section of front-locations.conf.in
    QString frontScheme = QStringLiteral("http");        ///< proxy_pass scheme
    QString frontUpstreamName = QStringLiteral("docserver");
    bool frontTls = false;                           ///< P1 listens with TLS (public URL https://)
    bool frontSslVerify = false;                     ///< proxy_ssl_verify on, trusting only the system CAs
    QString frontBodyLimit = QStringLiteral("100m"); ///< client_max_body_size; empty keeps nginx's 1m
    QString frontConnectTimeout;                     ///< proxy_connect_timeout
    QString frontReadTimeout;                        ///< proxy_read_timeout
    QString frontAddHeader; ///< an add_header line's arguments, e.g. "X-Frame-Options SAMEORIGIN always"

    // Document Server's nginx (P0)
    bool dsNginxBrokenConfig = false;   ///< references $cache_tag without ds-cache.conf: nginx refuses to start
    bool dsNginxLegacyUpstream = false; ///< DS <= 6.1: "localhost" peers with default max_fails
    QString dsNginxSecureLinkSecret = QStringLiteral("verysecretstring");

    // docservice
    int startupDelayMs = 0;
    Dependency rabbitmq = Dependency::None;
    Dependency postgres = Dependency::None;
    Dependency redis = Dependency::None;
    bool developerEdition = false;
    bool portConflict = false; ///< a foreign app holds docservice's port
    bool example = true;       ///< the test example runs on its port
    bool jwtEnabled = false;
    QString dsJwtSecret;
    QString dsJwtHeader = QStringLiteral("Authorization");
    int clockOffsetSecs = 0;
    bool allowPrivateIp = true;
    QString dsSecureLinkSecret = QStringLiteral("verysecretstring");
    int downloadTimeoutMs = 10000;
    int downloadAttempts = 3;
    int docserviceWorkers = 1; ///< docservice processes behind DS's nginx, round-robin (no stickiness)
    int callbackUsers = 1;     ///< editors listed in the callback (its outbox JWT grows with them)

    // The integrator and its storage
    Storage storage = Storage::None;
    QString documentPath = QStringLiteral("files/lab.docx");
    QString callbackPath;        ///< when set, docservice has document "lab-document" calling back here
    QString integratorJwtSecret; ///< the secret the integrator signs with (written to a file); empty: none
    QString integratorJwtHeader = QStringLiteral("Authorization");
    QString storageHeaderBuffer; ///< the storage nginx's large_client_header_buffers size ("1k"); empty: default
};

/// Parses scenario JSON; on failure returns false and sets `error` to one line naming `origin`.
bool parseLabScenarios(const QByteArray &json, const QString &origin, QList<LabScenarioSpec> *specs, QString *error);

/// The scenarios shipped in the resources (":/lab/scenarios.json").
QList<LabScenarioSpec> builtInLabScenarios(QString *error = nullptr);

/// What the lab starts for `spec`, in words ("front proxy nginx", "PostgreSQL 15", ...).
QStringList labComponents(const LabScenarioSpec &spec);

/**
 * Fills an nginx config template: every `{{NAME}}` is replaced by `values[NAME]`. Fails (false,
 * `error` set) when the template cannot be read or names a value that is not given.
 */
bool renderLabTemplate(const QString &resource, const QHash<QString, QString> &values, QByteArray *config,
                       QString *error);

/// The "# --- name ---" section of a template file of sections, or an empty string.
QString labTemplateSection(const QString &resource, const QString &name);

} // namespace dd
