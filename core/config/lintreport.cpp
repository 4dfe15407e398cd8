#include "config/lintreport.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace dd {

namespace {

QString position(const QString &file, int line)
{
    return line > 0 ? file + QLatin1Char(':') + QString::number(line) : file;
}

QString indent(const QString &text, const QString &prefix)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString &l : lines)
        l.prepend(prefix);
    return lines.join(QLatin1Char('\n'));
}

QString upstreamAddress(const ConfiguredUpstream &u)
{
    const QString host = u.host.contains(QLatin1Char(':')) ? QLatin1Char('[') + u.host + QLatin1Char(']') : u.host;
    return (u.scheme.isEmpty() ? QString() : u.scheme + QLatin1String("://")) + host +
           (u.port ? QLatin1Char(':') + QString::number(u.port) : QString());
}

QJsonObject summary(const LintResult &result)
{
    return QJsonObject{{QStringLiteral("error"), result.count(LintSeverity::Error)},
                       {QStringLiteral("warning"), result.count(LintSeverity::Warning)},
                       {QStringLiteral("info"), result.count(LintSeverity::Info)}};
}

QString sarifLevel(LintSeverity s)
{
    switch (s) {
    case LintSeverity::Error:
        return QStringLiteral("error");
    case LintSeverity::Warning:
        return QStringLiteral("warning");
    case LintSeverity::Info:
        return QStringLiteral("note");
    }
    return QStringLiteral("none");
}

QString artifactUri(const QString &file)
{
    if (file.isEmpty() || file.startsWith(QLatin1Char('<')))
        return QStringLiteral("stdin");
    return QUrl::fromLocalFile(QFileInfo(file).absoluteFilePath()).toString(QUrl::FullyEncoded);
}

} // namespace

QString lintReportText(const LintResult &result)
{
    QString out;
    for (const LintFinding &f : result.findings) {
        out += QStringLiteral("%1: %2: [%3] %4")
                   .arg(position(f.file, f.line), lintSeverityName(f.severity), f.check, f.message);
        if (!f.cause.isEmpty())
            out += QStringLiteral(" (cause: %1)").arg(f.cause);
        out += QLatin1Char('\n');
        if (!f.context.isEmpty())
            out += QStringLiteral("    in %1\n").arg(f.context);
        if (!f.excerpt.isEmpty())
            out += indent(f.excerpt, QStringLiteral("    > ")) + QLatin1Char('\n');
        if (!f.fix.isEmpty())
            out += QStringLiteral("    fix:\n") + indent(f.fix, QStringLiteral("      ")) + QLatin1Char('\n');
    }
    if (!result.upstreams.isEmpty()) {
        out += QStringLiteral("configured upstreams:\n");
        for (const ConfiguredUpstream &u : result.upstreams) {
            out += QStringLiteral("  %1 %2 -> %3%4%5 (%6)\n")
                       .arg(u.role, u.location, upstreamAddress(u),
                            u.upstream.isEmpty() ? QString() : QStringLiteral(" [upstream %1]").arg(u.upstream),
                            u.backup ? QStringLiteral(" backup") : QString(), position(u.file, u.line));
        }
    }
    out += QStringLiteral("%1 error(s), %2 warning(s), %3 info\n")
               .arg(result.count(LintSeverity::Error))
               .arg(result.count(LintSeverity::Warning))
               .arg(result.count(LintSeverity::Info));
    return out;
}

QByteArray lintReportJson(const LintResult &result)
{
    QJsonArray errors;
    for (const ConfigError &e : result.errors) {
        errors.append(QJsonObject{{QStringLiteral("file"), e.file},
                                  {QStringLiteral("line"), e.line},
                                  {QStringLiteral("message"), e.message},
                                  {QStringLiteral("fatal"), e.fatal}});
    }
    QJsonArray findings;
    for (const LintFinding &f : result.findings) {
        findings.append(QJsonObject{
            {QStringLiteral("id"), f.check},
            {QStringLiteral("severity"), lintSeverityName(f.severity)},
            {QStringLiteral("cause"), f.cause.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(f.cause)},
            {QStringLiteral("title"), f.title},
            {QStringLiteral("message"), f.message},
            {QStringLiteral("file"), f.file},
            {QStringLiteral("line"), f.line},
            {QStringLiteral("context"), f.context},
            {QStringLiteral("node"), f.node},
            {QStringLiteral("excerpt"), f.excerpt},
            {QStringLiteral("explanation"), f.explanation},
            {QStringLiteral("fix"), f.fix},
        });
    }
    QJsonArray upstreams;
    for (const ConfiguredUpstream &u : result.upstreams) {
        upstreams.append(QJsonObject{
            {QStringLiteral("role"), u.role},
            {QStringLiteral("location"), u.location},
            {QStringLiteral("scheme"), u.scheme},
            {QStringLiteral("host"), u.host},
            {QStringLiteral("port"), int(u.port)},
            {QStringLiteral("upstream"), u.upstream},
            {QStringLiteral("backup"), u.backup},
            {QStringLiteral("docserver"), u.docServer},
            {QStringLiteral("file"), u.file},
            {QStringLiteral("line"), u.line},
        });
    }
    QJsonArray endpoints;
    for (const ConfiguredEndpoint &e : result.endpoints) {
        endpoints.append(QJsonObject{
            {QStringLiteral("role"), e.role},
            {QStringLiteral("scheme"), e.scheme},
            {QStringLiteral("host"), e.host},
            {QStringLiteral("port"), int(e.port)},
            {QStringLiteral("file"), e.file},
            {QStringLiteral("line"), e.line},
        });
    }
    const QJsonObject root{
        {QStringLiteral("schema"), QStringLiteral("docserver-doctor.lint/1")},
        {QStringLiteral("inputs"), QJsonArray::fromStringList(result.inputs)},
        {QStringLiteral("errors"), errors},
        {QStringLiteral("findings"), findings},
        {QStringLiteral("upstreams"), upstreams},
        {QStringLiteral("endpoints"), endpoints},
        {QStringLiteral("summary"), summary(result)},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QByteArray lintReportSarif(const LintResult &result, const LintCheckCatalog &catalog)
{
    QJsonArray rules;
    QHash<QString, int> ruleIndex;
    auto addRule = [&](const QString &id, const QString &title, const QString &explanation, const QString &fix,
                       LintSeverity severity, const QString &cause) {
        if (ruleIndex.contains(id))
            return;
        ruleIndex.insert(id, int(rules.size()));
        QJsonObject properties{{QStringLiteral("severity"), lintSeverityName(severity)}};
        if (!cause.isEmpty())
            properties.insert(QStringLiteral("cause"), cause);
        rules.append(QJsonObject{
            {QStringLiteral("id"), id},
            {QStringLiteral("name"), title},
            {QStringLiteral("shortDescription"), QJsonObject{{QStringLiteral("text"), title}}},
            {QStringLiteral("fullDescription"),
             QJsonObject{{QStringLiteral("text"), explanation.isEmpty() ? title : explanation}}},
            {QStringLiteral("help"), QJsonObject{{QStringLiteral("text"), fix.isEmpty() ? title : fix}}},
            {QStringLiteral("defaultConfiguration"), QJsonObject{{QStringLiteral("level"), sarifLevel(severity)}}},
            {QStringLiteral("properties"), properties},
        });
    };
    for (const LintCheck &c : catalog.checks())
        addRule(c.id, c.title, c.explanation, c.fix, c.severity, c.cause);

    QJsonArray results;
    for (const LintFinding &f : result.findings) {
        addRule(f.check, f.title, f.explanation, f.fix, f.severity, f.cause);
        QJsonObject physical{
            {QStringLiteral("artifactLocation"), QJsonObject{{QStringLiteral("uri"), artifactUri(f.file)}}}};
        if (f.line > 0)
            physical.insert(QStringLiteral("region"), QJsonObject{{QStringLiteral("startLine"), f.line}});
        QJsonObject properties;
        if (!f.cause.isEmpty())
            properties.insert(QStringLiteral("cause"), f.cause);
        if (!f.context.isEmpty())
            properties.insert(QStringLiteral("context"), f.context);
        results.append(QJsonObject{
            {QStringLiteral("ruleId"), f.check},
            {QStringLiteral("ruleIndex"), ruleIndex.value(f.check)},
            {QStringLiteral("level"), sarifLevel(f.severity)},
            {QStringLiteral("message"), QJsonObject{{QStringLiteral("text"), f.message}}},
            {QStringLiteral("locations"), QJsonArray{QJsonObject{{QStringLiteral("physicalLocation"), physical}}}},
            {QStringLiteral("properties"), properties},
        });
    }
    QJsonArray notifications;
    for (const ConfigError &e : result.errors) {
        if (!e.fatal)
            continue;
        notifications.append(
            QJsonObject{{QStringLiteral("level"), QStringLiteral("error")},
                        {QStringLiteral("message"), QJsonObject{{QStringLiteral("text"), e.toString()}}}});
    }
    QJsonObject invocation{{QStringLiteral("executionSuccessful"), notifications.isEmpty()}};
    if (!notifications.isEmpty())
        invocation.insert(QStringLiteral("toolExecutionNotifications"), notifications);
    const QJsonObject run{
        {QStringLiteral("tool"), QJsonObject{{QStringLiteral("driver"),
                                              QJsonObject{{QStringLiteral("name"), QStringLiteral("docserver-doctor")},
                                                          {QStringLiteral("rules"), rules}}}}},
        {QStringLiteral("invocations"), QJsonArray{invocation}},
        {QStringLiteral("results"), results},
    };
    const QJsonObject root{
        {QStringLiteral("$schema"), QStringLiteral("https://json.schemastore.org/sarif-2.1.0.json")},
        {QStringLiteral("version"), QStringLiteral("2.1.0")},
        {QStringLiteral("runs"), QJsonArray{run}},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace dd
