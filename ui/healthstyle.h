#pragma once

#include "model/evidence.h"

#include <QColor>
#include <QString>

namespace dd {

/// The colour a health is drawn in everywhere in the workbench: grey, green, amber, red.
QColor healthColor(Health health);

/// A light tint of healthColor() for box and row backgrounds.
QColor healthFillColor(Health health);

/// The translated name a person reads ("Failed", "OK", ...).
QString healthDisplayName(Health health);

} // namespace dd
