#pragma once

// The evidence collector's view of what the configuration says against what the probes find;
// not part of the collector's interface.

#include "config/lintresult.h"
#include "model/evidence.h"
#include "probe/tcpproberesult.h"

#include <optional>

namespace dd::collector {

/// The database, Redis and RabbitMQ addresses Document Server's configuration (`dsConfig`, as
/// the profile names it) gives docservice; empty when there is none.
QList<ConfiguredEndpoint> configuredServices(const QString &dsConfig);

/// `config.address.<role>`: where that address came from (file:line), on the docservice hop.
Evidence configuredServiceEvidence(const ConfiguredEndpoint &endpoint);

/// `config.reality.<subject>` when the probe of an address the configuration supplied
/// (`configured`) found it not listening, or listening on only some of the addresses its name
/// resolves to; nothing when every address accepted. `reachedElsewhere`: the service that uses
/// the address is known to reach it (its health check passes), so a refusal here is this host's
/// view only (health Unknown, fact "unreachable-here").
std::optional<Evidence> configVersusReality(const Evidence &configured, const TcpProbeResult &result,
                                            const QString &subject, const QString &link, bool reachedElsewhere = false);

} // namespace dd::collector
