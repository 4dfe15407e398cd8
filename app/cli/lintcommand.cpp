#include "cliutil.h"
#include "commands.h"

int runLintCommand(const QStringList &args)
{
    Q_UNUSED(args);
    printError(QStringLiteral("'lint' is not built yet"));
    return ExitCode::Incomplete;
}
