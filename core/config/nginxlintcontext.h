#pragma once

// Internal to core/config: what the nginx checks share.

#include "config/lintcheckcatalog.h"
#include "config/nginxmodel.h"

#include <QSet>

namespace dd::nginxlint {

/// A location that proxies Document Server's traffic, and what it proxies to.
struct DsLocation
{
    const NginxServer *server = nullptr;
    NginxChain chain;
    NginxProxyTarget target;
};

/// One address a proxy target resolves to (every server of an upstream block).
struct TargetAddress
{
    QString host;
    quint16 port = 0;
    const NginxDirective *directive = nullptr; ///< the upstream `server` line, or the proxy_pass
    const NginxUpstreamServer *upstreamServer = nullptr;
};

class Context
{
public:
    Context(const NginxModel &model, const LintCheckCatalog &catalog, LintResult *result);

    const NginxModel &model;
    const LintCheckCatalog &catalog;
    LintResult *result;
    bool dsNginx = false; ///< the configuration is Document Server's own nginx (P0)
    QString node;         ///< "proxy" or "dsnginx"
    QList<const NginxServer *> dsServers;
    QList<DsLocation> dsLocations;

    /// The path prefixes Document Server is published under in `server` ("/", "/ds-vpath/").
    QStringList bases(const NginxServer &server) const;
    bool isDsChain(const NginxChain &chain) const;
    bool isDsServer(const NginxServer *server) const { return dsServers.contains(server); }
    QList<TargetAddress> addresses(const NginxProxyTarget &target) const;

    /// Adds a finding located at `at` (or the innermost block of `chain`); a non-null `onceKey`
    /// reports a check only once for that key (one finding per shared server-level setting).
    /// Returns whether a finding was added.
    bool report(const QString &check, const NginxDirective *at, const NginxChain &chain, const QString &message,
                const QList<const NginxDirective *> &excerpt, const LintSeverity *severity = nullptr,
                const void *onceKey = nullptr);

private:
    QSet<QPair<QString, const void *>> m_reported;
};

/// The directives as "file:line: text" lines, secrets redacted.
QString excerptOf(const QList<const NginxDirective *> &directives);
/// One directive as text with secret values replaced.
QString redactedText(const NginxDirective &directive);
/// "server docs.example.com, location /".
QString contextOf(const NginxChain &chain);
/// The block level that holds the proxy_set_header list in effect (null: nginx's defaults).
const NginxDirective *headerLevel(const NginxChain &chain, const QString &directive);
/// A `proxy_set_header NAME` set at a level the effective list replaced (dropped by inheritance).
const NginxDirective *droppedHeader(const NginxChain &chain, const QString &name);
/// Values `value` can take: itself, or every value of the map that defines it.
QStringList possibleValues(const NginxModel &model, const QString &value);

void checkWebsocket(Context &ctx);
void checkForwardedHeaders(Context &ctx);
void checkTargets(Context &ctx);
void checkServerNames(Context &ctx);
void checkUpstreamBlocks(Context &ctx);
void checkResponseHeaders(Context &ctx);
void checkLimits(Context &ctx);
void checkExposure(Context &ctx);
void checkVariables(Context &ctx);

} // namespace dd::nginxlint
