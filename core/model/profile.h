#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace dd {

/**
 * What to look at: the deployment's addresses, its config and log files, and references to
 * secrets (never the secrets themselves). Loaded from a JSON file (see docs/profile.md) or
 * assembled from command-line options.
 */
struct Profile
{
    QString name;
    QString sourceFile;     ///< the JSON file it was read from, or empty
    QUrl publicUrl;         ///< the address the browser / integrator uses (front proxy)
    QUrl docserverUrl;      ///< Document Server's own nginx, as the front proxy reaches it
    QString docserviceHost; ///< docservice behind DS's nginx; probed only when set
    quint16 docservicePort = 0;
    QString proxyKind;         ///< nginx, apache, traefik, caddy, none
    QString proxyConfig;       ///< front proxy config file
    QStringList logFiles;      ///< logs to read (format auto-detected)
    QStringList captures;      ///< pcap/pcapng files recorded during the incident
    QString dsConfig;          ///< Document Server local.json
    QString dsNginxConfig;     ///< Document Server's own nginx config (ds.conf, or its nginx.conf)
    QString jwtSecretFile;     ///< file holding the JWT secret (never stored in the profile)
    QString jwtSecretKeychain; ///< or the name of its system keychain entry (`secret set NAME`)
    QString tlsCaFile;         ///< PEM CA bundle to trust besides the system store (an internal CA)
    QString jwtHeader = QStringLiteral("Authorization");
    QString integratorKind; ///< nextcloud, seafile, owncloud, custom, or empty
    QUrl integratorUrl;
    QUrl callbackUrl; ///< the integrator's callback handler; enables the callback check
    QUrl documentUrl; ///< a document the integrator serves to DS; enables the conversion round trip
    /// Without documentUrl: IP:PORT on this machine where diagnose serves a generated .docx for the
    /// conversion round trip (port 0 picks one), and the URL base DS should fetch it under (NAT).
    QString serveOn;
    QString serveUrl;
    int connectTimeoutMs = 3000;
    int requestTimeoutMs = 15000;
    int startupWatchMs = 15000; ///< how long a refusing docservice is watched for coming up (0: not)

    bool hasFrontProxy() const { return publicUrl.isValid() && !publicUrl.isEmpty(); }
    bool hasDocserver() const { return docserverUrl.isValid() && !docserverUrl.isEmpty(); }
    bool hasDocservice() const { return !docserviceHost.isEmpty() && docservicePort != 0; }
    /// Something to diagnose from: an address to probe, or recorded evidence (logs, captures, config).
    bool hasAnything() const
    {
        return hasFrontProxy() || hasDocserver() || !logFiles.isEmpty() || !captures.isEmpty() ||
               !proxyConfig.isEmpty() || !dsConfig.isEmpty() || !dsNginxConfig.isEmpty();
    }
};

/// The result of loading a profile: a profile, or one line naming file, field and reason.
struct ProfileLoadResult
{
    Profile profile;
    QString error;
    bool ok() const { return error.isEmpty(); }
};

/// Reads and validates a profile file. Every malformed field gives "FILE: field 'F': reason".
ProfileLoadResult loadProfile(const QString &path);

/// Parses profile JSON already in memory; `origin` names it in error messages.
ProfileLoadResult parseProfile(const QByteArray &json, const QString &origin);

/// Writes a profile as JSON (the format loadProfile reads).
QByteArray profileToJson(const Profile &profile);

} // namespace dd
