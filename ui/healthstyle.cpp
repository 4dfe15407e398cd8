#include "healthstyle.h"

#include <QCoreApplication>

namespace dd {

QColor healthColor(Health health)
{
    switch (health) {
    case Health::Ok:
        return QColor(0x2e, 0x7d, 0x32);
    case Health::Degraded:
        return QColor(0xe0, 0x8e, 0x00);
    case Health::Failed:
        return QColor(0xd3, 0x2f, 0x2f);
    case Health::Unknown:
        break;
    }
    return QColor(0x9e, 0x9e, 0x9e);
}

QColor healthFillColor(Health health)
{
    switch (health) {
    case Health::Ok:
        return QColor(0xe8, 0xf5, 0xe9);
    case Health::Degraded:
        return QColor(0xff, 0xf3, 0xe0);
    case Health::Failed:
        return QColor(0xfd, 0xec, 0xea);
    case Health::Unknown:
        break;
    }
    return QColor(0xf5, 0xf5, 0xf5);
}

QString healthDisplayName(Health health)
{
    switch (health) {
    case Health::Ok:
        return QCoreApplication::translate("dd::HealthStyle", "OK");
    case Health::Degraded:
        return QCoreApplication::translate("dd::HealthStyle", "Degraded");
    case Health::Failed:
        return QCoreApplication::translate("dd::HealthStyle", "Failed");
    case Health::Unknown:
        break;
    }
    return QCoreApplication::translate("dd::HealthStyle", "Unknown");
}

} // namespace dd
