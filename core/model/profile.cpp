#include "profile.h"

#include "util/hostport.h"

#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace dd {

namespace {

const QLatin1String kSchema("docserver-doctor.profile/1");

// Reads one profile file; each check returns the first problem as "field 'x': reason".
class ProfileReader
{
public:
    explicit ProfileReader(const QJsonObject &root) : m_root(root) {}

    QString error() const { return m_error; }

    QString string(const QString &path, bool required = false)
    {
        const QJsonValue v = value(path);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(path, QStringLiteral("is required"));
            return QString();
        }
        if (!v.isString()) {
            fail(path, QStringLiteral("must be a string"));
            return QString();
        }
        return v.toString();
    }

    QUrl url(const QString &path)
    {
        const QString text = string(path);
        if (text.isEmpty())
            return QUrl();
        const QUrl u(text, QUrl::StrictMode);
        if (!u.isValid() || u.host().isEmpty()) {
            fail(path,
                 QStringLiteral("'%1' is not an absolute URL (expected e.g. https://docs.example.com/)").arg(text));
            return QUrl();
        }
        if (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")) {
            fail(path, QStringLiteral("scheme '%1' is not http or https").arg(u.scheme()));
            return QUrl();
        }
        return u;
    }

    int integer(const QString &path, int fallback, int min, int max)
    {
        const QJsonValue v = value(path);
        if (v.isUndefined() || v.isNull())
            return fallback;
        if (!v.isDouble() || v.toDouble() != double(qint64(v.toDouble()))) {
            fail(path, QStringLiteral("must be an integer"));
            return fallback;
        }
        const double d = v.toDouble();
        if (d < min || d > max) {
            fail(path, QStringLiteral("%1 is outside %2..%3").arg(qint64(d)).arg(min).arg(max));
            return fallback;
        }
        return int(d);
    }

    QStringList stringList(const QString &path)
    {
        const QJsonValue v = value(path);
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isArray()) {
            fail(path, QStringLiteral("must be an array of strings"));
            return {};
        }
        QStringList out;
        const QJsonArray array = v.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array.at(i).isString() || array.at(i).toString().isEmpty()) {
                fail(QStringLiteral("%1[%2]").arg(path).arg(i), QStringLiteral("must be a non-empty string"));
                return {};
            }
            out << array.at(i).toString();
        }
        return out;
    }

    void checkObject(const QString &path, const QStringList &knownKeys)
    {
        const QJsonValue v = value(path);
        if (v.isUndefined() || v.isNull())
            return;
        if (!v.isObject()) {
            fail(path, QStringLiteral("must be an object"));
            return;
        }
        checkKeys(v.toObject(), path, knownKeys);
    }

    void checkKeys(const QJsonObject &object, const QString &prefix, const QStringList &knownKeys)
    {
        // An unknown key is almost always a typo ("publicURL"); silently ignoring it would
        // make the tool probe the wrong thing.
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!knownKeys.contains(it.key())) {
                const QString field = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
                fail(field,
                     QStringLiteral("is not a known field (known: %1)").arg(knownKeys.join(QStringLiteral(", "))));
                return;
            }
        }
    }

    void fail(const QString &field, const QString &reason)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("field '%1' %2").arg(field, reason);
    }

private:
    QJsonValue value(const QString &path) const
    {
        QJsonValue v = m_root;
        for (const QString &part : path.split(QLatin1Char('.'))) {
            if (!v.isObject())
                return QJsonValue(QJsonValue::Undefined);
            v = v.toObject().value(part);
        }
        return v;
    }

    QJsonObject m_root;
    QString m_error;
};

} // namespace

ProfileLoadResult parseProfile(const QByteArray &json, const QString &origin)
{
    ProfileLoadResult result;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.error = QStringLiteral("%1: not valid JSON at offset %2: %3")
                           .arg(origin)
                           .arg(parseError.offset)
                           .arg(parseError.errorString());
        return result;
    }
    if (!doc.isObject()) {
        result.error = QStringLiteral("%1: the profile must be a JSON object").arg(origin);
        return result;
    }
    const QJsonObject root = doc.object();
    ProfileReader r(root);
    r.checkKeys(root, QString(),
                {QStringLiteral("schema"), QStringLiteral("name"), QStringLiteral("publicUrl"),
                 QStringLiteral("docserverUrl"), QStringLiteral("docservice"), QStringLiteral("proxy"),
                 QStringLiteral("docserver"), QStringLiteral("logs"), QStringLiteral("captures"), QStringLiteral("jwt"),
                 QStringLiteral("tls"), QStringLiteral("integrator"), QStringLiteral("timeouts")});
    const QString schema = r.string(QStringLiteral("schema"));
    if (!schema.isEmpty() && schema != kSchema)
        r.fail(QStringLiteral("schema"), QStringLiteral("'%1' is not supported (expected %2)").arg(schema, kSchema));
    r.checkObject(QStringLiteral("proxy"), {QStringLiteral("kind"), QStringLiteral("config")});
    r.checkObject(QStringLiteral("docserver"), {QStringLiteral("config"), QStringLiteral("nginxConfig")});
    r.checkObject(QStringLiteral("tls"), {QStringLiteral("caFile")});
    r.checkObject(QStringLiteral("jwt"),
                  {QStringLiteral("secretFile"), QStringLiteral("secretKeychain"), QStringLiteral("header")});
    r.checkObject(QStringLiteral("integrator"),
                  {QStringLiteral("kind"), QStringLiteral("url"), QStringLiteral("documentUrl"),
                   QStringLiteral("callbackUrl"), QStringLiteral("serveOn"), QStringLiteral("serveUrl")});
    r.checkObject(QStringLiteral("timeouts"),
                  {QStringLiteral("connectMs"), QStringLiteral("requestMs"), QStringLiteral("startupWatchMs")});

    Profile &p = result.profile;
    p.sourceFile = origin;
    p.name = r.string(QStringLiteral("name"));
    p.publicUrl = r.url(QStringLiteral("publicUrl"));
    p.docserverUrl = r.url(QStringLiteral("docserverUrl"));
    const QString docservice = r.string(QStringLiteral("docservice"));
    if (!docservice.isEmpty()) {
        HostPort hp;
        QString error;
        if (parseHostPort(docservice, &hp, &error)) {
            p.docserviceHost = hp.host;
            p.docservicePort = hp.port;
        } else {
            r.fail(QStringLiteral("docservice"),
                   QStringLiteral("'%1' is not HOST:PORT (expected e.g. 127.0.0.1:8000)").arg(docservice));
        }
    }
    p.proxyKind = r.string(QStringLiteral("proxy.kind"));
    static const QStringList kinds = {QStringLiteral("nginx"), QStringLiteral("apache"), QStringLiteral("traefik"),
                                      QStringLiteral("caddy"), QStringLiteral("none")};
    if (!p.proxyKind.isEmpty() && !kinds.contains(p.proxyKind))
        r.fail(QStringLiteral("proxy.kind"),
               QStringLiteral("'%1' is not one of %2").arg(p.proxyKind, kinds.join(QStringLiteral(", "))));
    p.proxyConfig = r.string(QStringLiteral("proxy.config"));
    p.dsConfig = r.string(QStringLiteral("docserver.config"));
    p.dsNginxConfig = r.string(QStringLiteral("docserver.nginxConfig"));
    p.logFiles = r.stringList(QStringLiteral("logs"));
    p.captures = r.stringList(QStringLiteral("captures"));
    p.jwtSecretFile = r.string(QStringLiteral("jwt.secretFile"));
    p.jwtSecretKeychain = r.string(QStringLiteral("jwt.secretKeychain"));
    if (!p.jwtSecretFile.isEmpty() && !p.jwtSecretKeychain.isEmpty())
        r.fail(QStringLiteral("jwt.secretKeychain"),
               QStringLiteral("give the secret in a file or the keychain, not both"));
    p.tlsCaFile = r.string(QStringLiteral("tls.caFile"));
    const QString header = r.string(QStringLiteral("jwt.header"));
    if (!header.isEmpty())
        p.jwtHeader = header;
    p.integratorKind = r.string(QStringLiteral("integrator.kind"));
    p.integratorUrl = r.url(QStringLiteral("integrator.url"));
    p.documentUrl = r.url(QStringLiteral("integrator.documentUrl"));
    p.callbackUrl = r.url(QStringLiteral("integrator.callbackUrl"));
    p.serveOn = r.string(QStringLiteral("integrator.serveOn"));
    if (!p.serveOn.isEmpty()) {
        HostPort hp;
        QString error;
        if (!parseListenAddress(p.serveOn, &hp, &error))
            r.fail(QStringLiteral("integrator.serveOn"), error);
        else if ((QHostAddress(hp.host) == QHostAddress::AnyIPv4 || QHostAddress(hp.host) == QHostAddress::AnyIPv6) &&
                 r.string(QStringLiteral("integrator.serveUrl")).isEmpty())
            r.fail(QStringLiteral("integrator.serveOn"),
                   QStringLiteral("'%1' listens on every address: give integrator.serveUrl with the one Document "
                                  "Server should fetch from")
                       .arg(p.serveOn));
    }
    p.serveUrl = r.string(QStringLiteral("integrator.serveUrl"));
    if (!p.serveUrl.isEmpty()) {
        const QUrl base(p.serveUrl, QUrl::StrictMode);
        if (p.serveOn.isEmpty())
            r.fail(QStringLiteral("integrator.serveUrl"), QStringLiteral("needs integrator.serveOn"));
        else if (!base.isValid() || base.host().isEmpty() || base.scheme() != QLatin1String("http"))
            r.fail(QStringLiteral("integrator.serveUrl"),
                   QStringLiteral("'%1' is not an http:// URL with a host").arg(p.serveUrl));
    }
    p.connectTimeoutMs = r.integer(QStringLiteral("timeouts.connectMs"), p.connectTimeoutMs, 10, 120000);
    p.requestTimeoutMs = r.integer(QStringLiteral("timeouts.requestMs"), p.requestTimeoutMs, 10, 3600000);
    p.startupWatchMs = r.integer(QStringLiteral("timeouts.startupWatchMs"), p.startupWatchMs, 0, 600000);
    if (r.error().isEmpty() && !p.hasAnything())
        r.fail(QStringLiteral("publicUrl"),
               QStringLiteral("is required when docserverUrl is not given (or name logs, captures or configs to "
                              "diagnose from)"));

    if (!r.error().isEmpty()) {
        result.error = origin + QLatin1String(": ") + r.error();
        result.profile = Profile();
    }
    return result;
}

ProfileLoadResult loadProfile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ProfileLoadResult result;
        result.error = QStringLiteral("%1: cannot read the profile: %2").arg(path, file.errorString());
        return result;
    }
    // A profile is a few hundred bytes; a huge file is not one.
    constexpr qint64 kMaxProfileBytes = 1024 * 1024;
    if (file.size() > kMaxProfileBytes) {
        ProfileLoadResult result;
        result.error = QStringLiteral("%1: %2 bytes is too large for a profile").arg(path).arg(file.size());
        return result;
    }
    ProfileLoadResult result = parseProfile(file.readAll(), path);
    if (result.ok())
        result.profile.sourceFile = QFileInfo(path).absoluteFilePath();
    return result;
}

QByteArray profileToJson(const Profile &p)
{
    QJsonObject root;
    root.insert(QStringLiteral("schema"), kSchema);
    if (!p.name.isEmpty())
        root.insert(QStringLiteral("name"), p.name);
    if (p.hasFrontProxy())
        root.insert(QStringLiteral("publicUrl"), p.publicUrl.toString());
    if (p.hasDocserver())
        root.insert(QStringLiteral("docserverUrl"), p.docserverUrl.toString());
    if (p.hasDocservice())
        root.insert(QStringLiteral("docservice"), formatHostPort(p.docserviceHost, p.docservicePort));
    if (!p.proxyKind.isEmpty() || !p.proxyConfig.isEmpty()) {
        QJsonObject proxy;
        if (!p.proxyKind.isEmpty())
            proxy.insert(QStringLiteral("kind"), p.proxyKind);
        if (!p.proxyConfig.isEmpty())
            proxy.insert(QStringLiteral("config"), p.proxyConfig);
        root.insert(QStringLiteral("proxy"), proxy);
    }
    if (!p.dsConfig.isEmpty() || !p.dsNginxConfig.isEmpty()) {
        QJsonObject ds;
        if (!p.dsConfig.isEmpty())
            ds.insert(QStringLiteral("config"), p.dsConfig);
        if (!p.dsNginxConfig.isEmpty())
            ds.insert(QStringLiteral("nginxConfig"), p.dsNginxConfig);
        root.insert(QStringLiteral("docserver"), ds);
    }
    if (!p.logFiles.isEmpty())
        root.insert(QStringLiteral("logs"), QJsonArray::fromStringList(p.logFiles));
    if (!p.captures.isEmpty())
        root.insert(QStringLiteral("captures"), QJsonArray::fromStringList(p.captures));
    QJsonObject jwt{{QStringLiteral("header"), p.jwtHeader}};
    if (!p.jwtSecretFile.isEmpty())
        jwt.insert(QStringLiteral("secretFile"), p.jwtSecretFile);
    if (!p.jwtSecretKeychain.isEmpty())
        jwt.insert(QStringLiteral("secretKeychain"), p.jwtSecretKeychain);
    root.insert(QStringLiteral("jwt"), jwt);
    if (!p.tlsCaFile.isEmpty())
        root.insert(QStringLiteral("tls"), QJsonObject{{QStringLiteral("caFile"), p.tlsCaFile}});
    if (!p.integratorKind.isEmpty() || p.integratorUrl.isValid() || p.documentUrl.isValid() ||
        p.callbackUrl.isValid() || !p.serveOn.isEmpty()) {
        QJsonObject integrator;
        if (!p.integratorKind.isEmpty())
            integrator.insert(QStringLiteral("kind"), p.integratorKind);
        if (p.integratorUrl.isValid() && !p.integratorUrl.isEmpty())
            integrator.insert(QStringLiteral("url"), p.integratorUrl.toString());
        if (p.documentUrl.isValid() && !p.documentUrl.isEmpty())
            integrator.insert(QStringLiteral("documentUrl"), p.documentUrl.toString());
        if (p.callbackUrl.isValid() && !p.callbackUrl.isEmpty())
            integrator.insert(QStringLiteral("callbackUrl"), p.callbackUrl.toString());
        if (!p.serveOn.isEmpty())
            integrator.insert(QStringLiteral("serveOn"), p.serveOn);
        if (!p.serveUrl.isEmpty())
            integrator.insert(QStringLiteral("serveUrl"), p.serveUrl);
        root.insert(QStringLiteral("integrator"), integrator);
    }
    root.insert(QStringLiteral("timeouts"), QJsonObject{{QStringLiteral("connectMs"), p.connectTimeoutMs},
                                                        {QStringLiteral("requestMs"), p.requestTimeoutMs},
                                                        {QStringLiteral("startupWatchMs"), p.startupWatchMs}});
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace dd
