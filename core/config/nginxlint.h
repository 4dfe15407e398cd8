#pragma once

#include "config/lintcheckcatalog.h"
#include "config/lintresult.h"
#include "config/nginxconfig.h"

namespace dd {

class NginxModel;

/**
 * Checks a parsed nginx configuration against the failure catalog. It decides first what the
 * configuration is (a front proxy in front of Document Server, or Document Server's own nginx
 * with its `docservice` upstream) and which servers and locations carry Document Server's
 * traffic; then asks, for the URIs Document Server really uses (the socket.io channel under
 * the versioned prefix, /ConvertService.ashx and /converter, uploads, /info, /internal),
 * which location nginx would pick and what that location sends upstream.
 *
 * Parse errors become findings too (check "nginx-config-invalid"); the configured upstream
 * targets go to LintResult::upstreams.
 */
LintResult lintNginx(const NginxConfig &config, const LintCheckCatalog &catalog = LintCheckCatalog::builtIn());

/// Where the configuration sends requests: one entry per proxied location and upstream server.
QList<ConfiguredUpstream> configuredUpstreams(const NginxModel &model);

/// True when the configuration is Document Server's own nginx (a `docservice` upstream or
/// the `$secure_link_secret` of its /cache/files location).
bool isDocServerNginx(const NginxModel &model);

/// The `$secure_link_secret` set in DS's nginx, and where; empty when not set.
struct SecureLinkSetting
{
    QString secret;
    QString file;
    int line = 0;
};
SecureLinkSetting secureLinkSecret(const NginxModel &model);

} // namespace dd
