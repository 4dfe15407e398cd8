#include "config/dshints.h"

#include <QRegularExpression>
#include <QStringList>

namespace dd {

// Names admins give Document Server: upstreams, containers, hosts, server_names.
bool looksLikeDocServerName(const QString &name)
{
    const QString l = name.toLower();
    static const QStringList words = {QStringLiteral("onlyoffice"),      QStringLiteral("documentserver"),
                                      QStringLiteral("document-server"), QStringLiteral("document_server"),
                                      QStringLiteral("docserver"),       QStringLiteral("docservice")};
    for (const QString &w : words) {
        if (l.contains(w))
            return true;
    }
    static const QRegularExpression split(QStringLiteral("[^a-z0-9]+"));
    static const QStringList tokens = {QStringLiteral("ds"), QStringLiteral("docs"), QStringLiteral("oo"),
                                       QStringLiteral("office"), QStringLiteral("documents")};
    const QStringList parts = l.split(split, Qt::SkipEmptyParts);
    for (const QString &p : parts) {
        if (tokens.contains(p))
            return true;
    }
    return false;
}

// Location patterns that only make sense in front of Document Server.
bool looksLikeDocServerPath(const QString &pattern)
{
    static const QRegularExpression re(
        QStringLiteral("onlyoffice|documentserver|ds-vpath|/doc/|websocket|convertservice|/converter|coauthoring|"
                       "healthcheck|web-apps|cache/files|sdkjs|\\[\\\\d\\]\\+\\\\\\.|\\\\d\\+\\\\\\."),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(pattern).hasMatch();
}

// First path segments Document Server itself serves: a prefix location starting with one is an
// endpoint, not the virtual path DS is published under.
bool isDocServerEndpointSegment(const QString &segment)
{
    static const QStringList segments = {
        QStringLiteral("doc"),           QStringLiteral("web-apps"),     QStringLiteral("sdkjs"),
        QStringLiteral("sdkjs-plugins"), QStringLiteral("fonts"),        QStringLiteral("cache"),
        QStringLiteral("healthcheck"),   QStringLiteral("coauthoring"),  QStringLiteral("convertservice.ashx"),
        QStringLiteral("converter"),     QStringLiteral("command"),      QStringLiteral("info"),
        QStringLiteral("internal"),      QStringLiteral("welcome"),      QStringLiteral("example"),
        QStringLiteral("upload"),        QStringLiteral("downloadas"),   QStringLiteral("savefile"),
        QStringLiteral("printfile"),     QStringLiteral("downloadfile"), QStringLiteral("dictionaries"),
        QStringLiteral("spellchecker"),  QStringLiteral("plugins.json"), QStringLiteral("themes.json"),
        QStringLiteral("docbuilder"),    QStringLiteral("metrics"),      QStringLiteral("robots.txt"),
        QStringLiteral("favicon.ico"),   QStringLiteral("websocket")};
    static const QRegularExpression version(QStringLiteral("^\\d+\\.\\d+"));
    return segments.contains(segment.toLower()) || version.match(segment).hasMatch();
}

} // namespace dd
