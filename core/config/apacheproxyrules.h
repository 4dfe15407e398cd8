#pragma once

// Apache's proxying as the checks see it: the main server and each virtual host as a scope of
// directives (conditional sections opened, <Location> blocks kept apart), and the rules that
// proxy (ProxyPass, ProxyPassMatch, ProxyPass in <Location>, RewriteRule [P]).

#include "config/apacheconfig.h"

#include <QMap>
#include <QPair>
#include <QUrl>

namespace dd::apache {

struct Scope
{
    const ApacheDirective *vhost = nullptr; ///< null: the main server
    QList<const ApacheDirective *> directives;
    QList<QPair<const ApacheDirective *, QList<const ApacheDirective *>>> locations;
};

struct Rule
{
    const ApacheDirective *directive = nullptr;
    const ApacheDirective *location = nullptr;
    QString path; ///< prefix or regex
    QUrl url;
    QString rawUrl;
    QMap<QString, QString> params;
    bool regex = false;
    bool rewrite = false;
    bool upgradeCondition = false;

    QString scheme() const { return url.scheme().toLower(); }
    int port() const
    {
        const QString s = scheme();
        return url.port(s == QLatin1String("https") || s == QLatin1String("wss") ? 443 : 80);
    }
};

/// Appends `list`'s directives to `out` (conditional sections opened), its <Location> blocks to
/// `locations` and, when `vhosts` is given, its <VirtualHost> sections to `vhosts`.
void flatten(const QList<ApacheDirective> &list, QList<const ApacheDirective *> *out,
             QList<QPair<const ApacheDirective *, QList<const ApacheDirective *>>> *locations,
             QList<const ApacheDirective *> *vhosts);

/// The proxying rules of a scope, in the order written (a RewriteRule [P] remembers whether a
/// `RewriteCond %{HTTP:Upgrade} websocket` guards it).
QList<Rule> rulesOf(const Scope &s);

/// Whether a rule proxies the whole site rather than one of Document Server's paths.
bool coversRoot(const Rule &r);

} // namespace dd::apache
