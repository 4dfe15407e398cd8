#include "cliutil.h"
#include "commands.h"

int runLogsCommand(const QStringList &args)
{
    Q_UNUSED(args);
    printError(QStringLiteral("'logs' is not built yet"));
    return ExitCode::Incomplete;
}
