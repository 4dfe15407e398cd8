#pragma once

#include <QList>
#include <QtGlobal>

namespace dd {

/**
 * Asks the kernel for `count` distinct TCP ports that are free on 127.0.0.1 right now (by binding
 * port 0 and releasing it). Another process may take a port before the caller binds it; the lab
 * accepts that small race. Returns an empty list when no port could be had.
 */
QList<quint16> findFreeLoopbackPorts(int count);

/// One free port on 127.0.0.1, or 0.
quint16 findFreeLoopbackPort();

} // namespace dd
