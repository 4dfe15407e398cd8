#pragma once

#include "config/dsconfig.h"
#include "config/lintcheckcatalog.h"
#include "config/lintresult.h"
#include "config/nginxmodel.h"

#include <QList>

namespace dd {

/**
 * Compares a front proxy's targets with Document Server's own nginx and docservice when their
 * configurations are linted together (`ds` may be null): a target that is docservice itself,
 * a port DS's nginx does not listen on, an address or address family it does not listen on
 * (127.0.0.2 vs 127.0.0.1, ::1 vs IPv4 only), TLS spoken to a plain listener or the reverse.
 */
LintResult crossCheckNginx(const QList<const NginxModel *> &models, const DsConfig *ds,
                           const LintCheckCatalog &catalog = LintCheckCatalog::builtIn());

} // namespace dd
