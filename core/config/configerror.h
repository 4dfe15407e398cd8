#pragma once

#include <QList>
#include <QString>

namespace dd {

/**
 * One problem met while reading configuration, tied to the file and line it was found at
 * (line 0 when the whole file is concerned). `fatal` marks an input that could not be read
 * at all (missing, unreadable, too large): the CLI reports those as unreadable input.
 */
struct ConfigError
{
    QString file;
    int line = 0;
    QString message;
    bool fatal = false;

    /// "file:line: message" (or "file: message" without a line).
    QString toString() const;
};

using ConfigErrorList = QList<ConfigError>;

} // namespace dd
