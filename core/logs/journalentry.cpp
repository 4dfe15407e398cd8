#include "journalentry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace dd {

logtime::Stamp JournalEntry::time() const
{
    if (realtimeUs < 0)
        return {};
    return logtime::Stamp{realtimeUs / 1000, true};
}

namespace journal {

namespace {

// journald's JSON: a field is a string, an array of byte values (not valid UTF-8 or holding
// control characters), null (too large without --all), or an array of those when the entry
// has the field more than once (the first one is taken).
QByteArray fieldBytes(const QJsonValue &v, bool *present)
{
    *present = true;
    if (v.isString())
        return v.toString().toUtf8();
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        if (!a.isEmpty() && (a.first().isString() || a.first().isArray()))
            return fieldBytes(a.first(), present);
        QByteArray out;
        out.reserve(a.size());
        for (const QJsonValue &b : a)
            out += char(quint8(b.toInt()));
        return out;
    }
    *present = !v.isUndefined();
    return QByteArray();
}

QString fieldText(const QJsonObject &o, const char *name)
{
    bool present = false;
    return QString::fromUtf8(fieldBytes(o.value(QLatin1String(name)), &present));
}

} // namespace

bool parseEntry(QByteArrayView line, JournalEntry *out, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (!doc.isObject()) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError
                         ? QStringLiteral("not a journal JSON entry (%1 at byte %2)")
                               .arg(parseError.errorString())
                               .arg(parseError.offset)
                         : QStringLiteral("not a journal JSON entry (no object)");
        return false;
    }
    const QJsonObject o = doc.object();
    bool present = false;
    *out = JournalEntry();
    out->message = fieldBytes(o.value(QLatin1String("MESSAGE")), &present);
    if (!present) {
        if (error)
            *error = QStringLiteral("journal entry without MESSAGE");
        return false;
    }
    out->identifier = fieldText(o, "SYSLOG_IDENTIFIER");
    out->unit = fieldText(o, "_SYSTEMD_UNIT");
    if (out->unit.isEmpty())
        out->unit = fieldText(o, "UNIT");
    if (out->unit.isEmpty())
        out->unit = out->identifier;
    out->hostname = fieldText(o, "_HOSTNAME");
    bool ok = false;
    const qint64 us = fieldText(o, "__REALTIME_TIMESTAMP").toLongLong(&ok);
    out->realtimeUs = ok ? us : -1;
    const int priority = fieldText(o, "PRIORITY").toInt(&ok);
    out->priority = ok ? priority : -1;
    const qint64 pid = fieldText(o, "_PID").toLongLong(&ok);
    out->pid = ok ? pid : -1;
    return true;
}

LogFormat formatForUnit(QStringView unit)
{
    const QString u = unit.toString().toLower();
    struct Known
    {
        const char *part;
        LogFormat format;
    };
    // DS ships ds-docservice, ds-converter and ds-metrics units (deb/rpm 7.x and later).
    static const Known known[] = {
        {"docservice", LogFormat::DocServer},  {"converter", LogFormat::DocServer},
        {"ds-", LogFormat::DocServer},         {"documentserver", LogFormat::DocServer},
        {"nginx", LogFormat::NginxError},      {"apache", LogFormat::ApacheError},
        {"httpd", LogFormat::ApacheError},     {"rabbitmq", LogFormat::RabbitMQ},
        {"postgresql", LogFormat::PostgreSQL}, {"redis", LogFormat::Redis},
        {"supervisor", LogFormat::Supervisor}, {"traefik", LogFormat::Traefik},
        {"caddy", LogFormat::Caddy},
    };
    for (const Known &k : known) {
        if (u.contains(QLatin1String(k.part)))
            return k.format;
    }
    return LogFormat::Auto;
}

QString unitName(const QString &unit)
{
    return unit.contains(QLatin1Char('.')) ? unit : QString(unit + QLatin1String(".service"));
}

QStringList journalctlArguments(const QStringList &units, bool follow, bool fromStart, const QString &since,
                                const QString &until, const QStringList &files, const QString &directory)
{
    QStringList args{QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("--all"),
                     QStringLiteral("--no-pager")};
    if (follow) {
        args.prepend(QStringLiteral("-f"));
        // journalctl -f shows the last 10 entries first; a follower starts at the end like tail -F.
        if (fromStart)
            args << QStringLiteral("--no-tail");
        else if (since.isEmpty())
            args << QStringLiteral("--lines=0");
    }
    if (!since.isEmpty())
        args << QString(QStringLiteral("--since=") + since);
    if (!until.isEmpty())
        args << QString(QStringLiteral("--until=") + until);
    for (const QString &f : files)
        args << QString(QStringLiteral("--file=") + f);
    if (!directory.isEmpty())
        args << QString(QStringLiteral("--directory=") + directory);
    for (const QString &u : units)
        args << QStringLiteral("-u") << u;
    return args;
}

} // namespace journal
} // namespace dd
