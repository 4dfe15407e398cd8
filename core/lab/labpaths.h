#pragma once

#include "lab/lab.h"
#include "lab/labscenarios.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace dd {

// Layout of a lab directory. DS's logs sit where a deb install writes them, so that the lab's
// files look like the real ones to anyone (and any rule) reading paths.
namespace labpaths {
inline constexpr char FrontProxyDir[] = "front-proxy";
inline constexpr char DsNginxDir[] = "documentserver/nginx";
inline constexpr char DsStaticDir[] = "documentserver/www";
inline constexpr char DsLocalJson[] = "etc/onlyoffice/documentserver/local.json";
inline constexpr char AppDataDir[] = "var/lib/onlyoffice/documentserver/App_Data";
inline constexpr char DsNginxErrorLog[] = "var/log/onlyoffice/documentserver/nginx.error.log";
inline constexpr char DocserviceLog[] = "var/log/onlyoffice/documentserver/docservice/out.log";
inline constexpr char ConverterLog[] = "var/log/onlyoffice/documentserver/converter/out.log";
inline constexpr char StorageDir[] = "storage";
inline constexpr char IntegratorLog[] = "integrator/app.log"; ///< the container integrator's log
inline constexpr char CertDir[] = "certs";
inline constexpr char IntegratorSecret[] = "integrator/jwt-secret";
} // namespace labpaths

/// Writes `content` to `path` (creating directories); false with `error` set on failure.
bool writeLabFile(const QString &path, const QByteArray &content, QString *error);

/// What a lab run is made of: the scenario and the loopback ports it uses.
struct Lab::Plan
{
    enum Port {
        Front,
        DsNginx,
        DsNginxTls,
        Docservice,
        Refused,
        Example,
        Storage,
        Postgres,
        Redis,
        RabbitMq,
        Epmd,
        ErlangDist,
        Blackhole,
        Dns,
        Docservice2,
        PortCount
    };

    LabScenarioSpec spec;
    quint16 ports[PortCount] = {};

    quint16 port(Port which) const { return ports[which]; }
    QUrl storageBase() const
    {
        const bool tls = spec.storage == LabScenarioSpec::Storage::Https;
        return QUrl(QStringLiteral("%1://127.0.0.1:%2/")
                        .arg(tls ? QStringLiteral("https") : QStringLiteral("http"))
                        .arg(port(Storage)));
    }
};

} // namespace dd
