// docserver-doctor-capture-analyze: `docserver-doctor-cli capture analyze` on its own. The CLI links
// Qt Network, OpenSSL, libpq and hiredis for its other commands, and loading them takes longer than
// analyzing a small capture; this program links Qt Core and libpcap only.

#include "cli/capturecli.h"
#include "cli/cliutil.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("docserver-doctor-capture-analyze"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DD_VERSION));
    QStringList args = QCoreApplication::arguments();
    args[0] = QStringLiteral("capture analyze");
    return runCaptureAnalyze(args);
}
