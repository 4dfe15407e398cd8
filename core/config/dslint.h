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

} // namespace dd
