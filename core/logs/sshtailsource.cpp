#include "sshtailsource.h"

namespace dd {

namespace {

// A line without its newline yet is passed on once it is this long (the stream reader cuts it).
constexpr qsizetype maxPartial = 64 << 10;

bool isWildcard(QChar c)
{
    return c == QLatin1Char('*') || c == QLatin1Char('?') || c == QLatin1Char('[') || c == QLatin1Char(']');
}

// POSIX shell quoting: single quotes around everything but the wildcards.
QString quoteForShell(const QString &path)
{
    QString out;
    QString run;
    auto closeRun = [&] {
        if (run.isEmpty())
            return;
        run.replace(QLatin1String("'"), QLatin1String("'\\''"));
        out += QLatin1Char('\'') + run + QLatin1Char('\'');
        run.clear();
    };
    for (const QChar c : path) {
        if (isWildcard(c)) {
            closeRun();
            out += c;
        } else {
            run += c;
        }
    }
    closeRun();
    return out;
}

} // namespace

SshTailSource::SshTailSource(QObject *parent) : ProcessLogSource(parent) {}

QString SshTailSource::remoteCommand(const QStringList &files, bool fromStart)
{
    QStringList parts{QStringLiteral("tail"), QStringLiteral("-F"), QStringLiteral("-n"),
                      fromStart ? QStringLiteral("+1") : QStringLiteral("0"), QStringLiteral("--")};
    for (const QString &f : files)
        parts << quoteForShell(f);
    return parts.join(QLatin1Char(' '));
}

QString SshTailSource::checkArguments(const QString &host, const QStringList &files)
{
    if (host.isEmpty())
        return QStringLiteral("--ssh needs a host ([user@]host or a Host of ~/.ssh/config)");
    // A "host" starting with '-' would be read by ssh as an option (e.g. -oProxyCommand=...).
    if (host.startsWith(QLatin1Char('-')) || host.contains(QLatin1Char(' ')))
        return QStringLiteral("--ssh: '%1' is not a host name").arg(host);
    if (files.isEmpty())
        return QStringLiteral("--ssh %1 needs the remote FILE... to follow").arg(host);
    for (const QString &f : files) {
        if (f.contains(QLatin1Char('\n')) || f.contains(QChar(0)))
            return QStringLiteral("--ssh: remote path '%1' has a line break").arg(f);
    }
    return QString();
}

void SshTailSource::start()
{
    const QString bad = checkArguments(m_host, m_files);
    if (!bad.isEmpty()) {
        fail(bad);
        finish();
        return;
    }
    m_current = m_files.size() == 1 ? m_files.first() : QString();
    m_stream.setNumberLines(false);
    // BatchMode: never wait for a password or a host-key question nobody can answer here.
    startProcess(QStringLiteral("ssh"), "DD_SSH",
                 {QStringLiteral("-o"), QStringLiteral("BatchMode=yes"), QStringLiteral("--"), m_host,
                  remoteCommand(m_files, m_fromStart)});
}

void SshTailSource::handleOutput(QByteArrayView data)
{
    qsizetype at = 0;
    while (at < data.size()) {
        const qsizetype nl = data.indexOf('\n', at);
        if (nl < 0) {
            m_partial += data.sliced(at);
            if (m_partial.size() > maxPartial) {
                handleLine(m_partial, false);
                m_partial.clear();
            }
            return;
        }
        if (m_partial.isEmpty()) {
            handleLine(data.sliced(at, nl - at), true);
        } else {
            m_partial += data.sliced(at, nl - at);
            handleLine(m_partial, true);
            m_partial.clear();
        }
        at = nl + 1;
    }
}

void SshTailSource::handleLine(QByteArrayView line, bool complete)
{
    // tail's header when it switches files: "==> /var/log/x.log <==" (after an empty line).
    if (complete && line.startsWith("==> ") && line.endsWith(" <==")) {
        m_current = QString::fromUtf8(line.sliced(4, line.size() - 8));
        return;
    }
    if (complete && line.isEmpty())
        return; // the separator tail prints before a header (an empty log line says nothing)
    const QString name = m_host + QLatin1Char(':') + (m_current.isEmpty() ? m_files.join(QLatin1Char(',')) : m_current);
    if (complete) {
        QByteArray withNewline = line.toByteArray();
        withNewline += '\n';
        feed(name, m_format, withNewline);
    } else {
        feed(name, m_format, line);
    }
}

void SshTailSource::flushOutput()
{
    if (!m_partial.isEmpty())
        handleLine(m_partial, false);
    m_partial.clear();
}

QString SshTailSource::describeExit(int exitCode, const QString &lastError) const
{
    if (exitCode == 0)
        return QString();
    const QString why = lastError.isEmpty() ? QStringLiteral("no message") : lastError;
    if (exitCode == 255)
        return QStringLiteral("ssh %1 failed: %2; check that 'ssh %1 true' works without a password prompt "
                              "(key in the agent, host key known)")
            .arg(m_host, why);
    return QStringLiteral("tail on %1 exited with status %2: %3; check the paths and that your user on %1 "
                          "may read them (the adm group for /var/log)")
        .arg(m_host)
        .arg(exitCode)
        .arg(why);
}

QString SshTailSource::label() const
{
    return QStringLiteral("ssh %1").arg(m_host);
}

QString SshTailSource::notFoundHint() const
{
    return QStringLiteral("install an OpenSSH client (apt install openssh-client), or set DD_SSH to ssh's path");
}

} // namespace dd
