#pragma once

#include "config/apacheconfig.h"
#include "config/lintcheckcatalog.h"
#include "config/lintresult.h"

namespace dd {

/**
 * Checks an Apache httpd configuration in front of Document Server: proxy modules loaded,
 * websocket upgrade for socket.io, forwarded headers, backend scheme/port, worker `retry` and
 * timeouts, upload limit, SSLProxy settings and framing headers. Configured backends go to
 * LintResult::upstreams.
 */
LintResult lintApache(const ApacheConfig &config, const LintCheckCatalog &catalog = LintCheckCatalog::builtIn());

} // namespace dd
