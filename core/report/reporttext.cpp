#include "reporttext.h"

#include "htmlreport.h"
#include "util/redact.h"

#include <QCoreApplication>
#include <QSysInfo>

namespace dd {

QString printableText(const QString &text)
{
    QString out = redactSecrets(text);
    for (QChar &c : out) {
        const char16_t u = c.unicode();
        if (u < 0x20 && u != u'\n' && u != u'\t')
            c = QChar(char16_t(0x2400 + u));
        else if (u == 0x7f)
            c = QChar(char16_t(0x2421));
        else if (u >= 0x80 && u <= 0x9f) // C1 controls: 0x9b is a one-byte CSI to some terminals
            c = QChar::ReplacementCharacter;
    }
    return out;
}

QString safeHtml(const QString &text)
{
    return htmlEscape(redactSecrets(text));
}

RunInfo effectiveRunInfo(const RunInfo &run)
{
    RunInfo out = run;
    if (out.toolVersion.isEmpty())
        out.toolVersion = QCoreApplication::applicationVersion();
    if (out.toolVersion.isEmpty())
        out.toolVersion = QStringLiteral("unknown");
    if (out.hostName.isEmpty())
        out.hostName = QSysInfo::machineHostName();
    return out;
}

} // namespace dd
