#include "cliutil.h"
#include "commands.h"

int runCaptureCommand(const QStringList &args)
{
    Q_UNUSED(args);
    printError(QStringLiteral("'capture' is not built yet"));
    return ExitCode::Incomplete;
}
