#pragma once

#include "config/dsconfig.h"
#include "config/integratorconfig.h"
#include "config/lintcheckcatalog.h"
#include "config/lintresult.h"
#include "config/nginxlint.h"

namespace dd {

/**
 * Checks Document Server's configuration (JWT flags, secrets and headers, the SSRF filter,
 * the secure-link secret against DS's nginx) and, when given, compares it with the
 * integrator's settings. Either side may be null. `nginxSecureLink` is a `$secure_link_secret`
 * found in an nginx configuration linted alongside (DS's own nginx); it is used when the DS
 * configuration did not bring its own. Secrets never reach the findings: only lengths and
 * "differs".
 */
LintResult lintDocServer(const DsConfig *ds, const IntegratorConfig *integrator,
                         const SecureLinkSetting &nginxSecureLink = {},
                         const LintCheckCatalog &catalog = LintCheckCatalog::builtIn());

/**
 * The addresses Document Server's configuration names for docservice and the services it
 * depends on (roles "docservice", "database", "rabbitmq", "redis"), each with the file and line
 * that set it (the Docker environment's file when DB_*, AMQP_URI or REDIS_* set it).
 */
QList<ConfiguredEndpoint> dsEndpoints(const DsConfig &ds);

} // namespace dd
