#include "cliutil.h"
#include "commands.h"

int runLabCommand(const QStringList &args)
{
    Q_UNUSED(args);
    printError(QStringLiteral("'lab' is not built yet"));
    return ExitCode::Incomplete;
}
