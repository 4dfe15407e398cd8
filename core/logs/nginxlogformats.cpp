#include "nginxlogformats.h"

#include "logclassifier.h"

#include "config/nginxconfig.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>

namespace dd {

namespace {

void collect(const QList<NginxDirective> &directives, NginxLogFormats *out, QHash<QString, QStringList> *used)
{
    for (const NginxDirective &d : directives) {
        if (d.name == QLatin1String("log_format") && d.args.size() >= 2) {
            NginxLogFormatDefinition def;
            def.name = d.arg(0);
            def.position = d.position();
            qsizetype first = 1;
            if (d.arg(1).startsWith(QLatin1String("escape="))) {
                def.jsonEscaped = d.arg(1) == QLatin1String("escape=json");
                first = 2;
            }
            // nginx concatenates the pieces as written, with nothing between them.
            for (qsizetype i = first; i < d.args.size(); ++i)
                def.format += d.args.at(i);
            if (!def.format.isEmpty())
                out->formats.append(def);
        } else if (d.name == QLatin1String("access_log") && !d.args.isEmpty() && d.arg(0) != QLatin1String("off")) {
            const QString format =
                d.args.size() >= 2 && !d.arg(1).contains(QLatin1Char('=')) ? d.arg(1) : QStringLiteral("combined");
            (*used)[format].append(d.arg(0));
        }
        if (d.hasBlock)
            collect(d.children, out, used);
    }
}

} // namespace

NginxLogFormats nginxLogFormats(const NginxConfig &config)
{
    NginxLogFormats out;
    QHash<QString, QStringList> used;
    collect(config.directives, &out, &used);
    for (NginxLogFormatDefinition &def : out.formats)
        def.accessLogs = used.value(def.name);
    for (const ConfigError &e : config.errors) {
        out.problems.append(e.toString());
        out.readable = out.readable && !e.fatal;
    }
    return out;
}

NginxLogFormats readNginxLogFormats(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        NginxLogFormats out;
        out.readable = false;
        out.problems.append(QStringLiteral("%1: %2 (give the nginx.conf that defines the log_format, "
                                           "or an 'nginx -T' dump)")
                                .arg(path, file.errorString()));
        return out;
    }
    const QByteArray head = file.peek(1 << 16);
    if (looksLikeNginxDump(head))
        return nginxLogFormats(parseNginxDump(file.readAll(), path));
    file.close();
    return nginxLogFormats(parseNginxFile(path));
}

int addNginxLogFormats(LogClassifier *classifier, const NginxLogFormats &formats, QStringList *problems)
{
    int added = 0;
    for (const NginxLogFormatDefinition &def : formats.formats) {
        QString error;
        if (classifier->addAccessLogFormat(def.format, &error, def.jsonEscaped))
            ++added;
        else if (problems)
            problems->append(QStringLiteral("%1: log_format %2 not used: %3").arg(def.position, def.name, error));
    }
    return added;
}

} // namespace dd
