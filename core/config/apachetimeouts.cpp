#include "config/apachetimeouts.h"

namespace dd {

namespace {

ApacheTimeout fromText(const ApacheDirective *d, const QString &text)
{
    ApacheTimeout t;
    t.directive = d;
    t.seconds = text.toInt(&t.valid);
    return t;
}

} // namespace

ApacheProxyTimeouts resolveApacheTimeouts(const ApacheDirective *rule, const QString &workerTimeout,
                                          const ApacheDirective &proxyTimeout, const ApacheDirective &timeout)
{
    ApacheProxyTimeouts out;
    if (timeout.line)
        out.client = fromText(&timeout, timeout.arg(0));
    if (!workerTimeout.isEmpty())
        out.backend = fromText(rule, workerTimeout);
    else if (proxyTimeout.line)
        out.backend = fromText(&proxyTimeout, proxyTimeout.arg(0));
    else
        out.backend = out.client;
    return out;
}

} // namespace dd
