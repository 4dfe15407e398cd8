#pragma once

#include "model/topology.h"

#include <QString>

namespace dd {

/// The topology as inline SVG (no external references): boxes and links coloured by health,
/// the failing hop marked, latencies on the links. Every label is escaped.
QString renderTopologySvg(const Topology &topology);

} // namespace dd
