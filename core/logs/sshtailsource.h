#pragma once

#include "logformat.h"
#include "logstreamsource.h"

#include <QStringList>

namespace dd {

/**
 * Log files on another host, through `ssh HOST tail -F -n 0 FILE...`: the user's own ssh
 * (configuration, agent, known hosts); nothing is stored and no password is asked for
 * (BatchMode). Lines are attributed to their file by the "==> FILE <==" headers tail prints
 * when it follows several. The program is `ssh`, or DD_SSH (a test's stand-in).
 */
class SshTailSource : public ProcessLogSource
{
    Q_OBJECT
public:
    explicit SshTailSource(QObject *parent = nullptr);

    void setHost(const QString &host) { m_host = host; }
    void setFiles(const QStringList &files) { m_files = files; }
    void setFormat(LogFormat format) { m_format = format; }

    void start() override;

    /// The remote command: tail -F -n 0 -- FILE..., each path quoted for the remote shell
    /// except its wildcards, which the remote shell expands.
    static QString remoteCommand(const QStringList &files, bool fromStart);
    /// Why a host or file argument cannot be passed safely; empty when it can.
    static QString checkArguments(const QString &host, const QStringList &files);

protected:
    void handleOutput(QByteArrayView data) override;
    QString describeExit(int exitCode, const QString &lastError) const override;
    QString label() const override;
    QString notFoundHint() const override;
    void flushOutput() override;

private:
    void handleLine(QByteArrayView line, bool complete);

    QString m_host;
    QStringList m_files;
    LogFormat m_format = LogFormat::Auto;
    QString m_current; ///< the file tail is printing now
    QByteArray m_partial;
};

} // namespace dd
