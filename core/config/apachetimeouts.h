#pragma once

#include "config/apacheconfig.h"

namespace dd {

/// One of Apache's timeouts as it applies to a proxied path: seconds, and the directive that set
/// it (null when it is httpd's default).
struct ApacheTimeout
{
    int seconds = 60;
    const ApacheDirective *directive = nullptr;
    bool valid = true; ///< false when the directive's value is not a number
};

/**
 * The timeouts on one proxied path, resolved as httpd 2.4 does. `client` is `Timeout` (the
 * virtual host's, else the main server's, else 60 s); `backend` is the worker's `timeout=`,
 * else `ProxyTimeout` (virtual host, then main server), else the same `Timeout`.
 */
struct ApacheProxyTimeouts
{
    ApacheTimeout client;
    ApacheTimeout backend;

    /// An upgraded (websocket) connection is closed when it idles for the longer of the two:
    /// mod_proxy's tunnel takes the larger socket timeout of its two sides.
    const ApacheTimeout &tunnel() const { return backend.seconds >= client.seconds ? backend : client; }
};

/// `rule` carries the worker parameter `timeout=` in `workerTimeout` (empty when absent);
/// `proxyTimeout` and `timeout` are the effective directives (line 0 when not written).
ApacheProxyTimeouts resolveApacheTimeouts(const ApacheDirective *rule, const QString &workerTimeout,
                                          const ApacheDirective &proxyTimeout, const ApacheDirective &timeout);

} // namespace dd
