#include "cliutil.h"
#include "commands.h"

int runProbeCommand(const QStringList &args)
{
    Q_UNUSED(args);
    printError(QStringLiteral("'probe' is not built yet"));
    return ExitCode::Incomplete;
}
