#pragma once

#include "activeprobe.h"

#include <QList>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QProcess;
class QTimer;
QT_END_NAMESPACE

namespace dd {

class DockerEngineClient;

/// One listening TCP socket of this host.
struct ListeningSocket
{
    QString address; ///< "0.0.0.0", "127.0.0.1", "::", "::1", ...
    quint16 port = 0;
    bool ipv6 = false;
    quint64 inode = 0;
    int uid = -1;
    qint64 pid = -1; ///< owner, when /proc/<pid>/fd is readable
    QString process; ///< /proc/<pid>/comm

    /// "any" (0.0.0.0 or ::), "loopback" (127.x or ::1) or "specific".
    QString scope() const;
    QVariantMap toVariant() const;
};

/// One service manager unit or program and its state.
struct UnitState
{
    QString manager; ///< "systemd" or "supervisor"
    QString name;
    QString state; ///< systemd ActiveState/SubState ("active/running"), supervisor state ("RUNNING")
    qint64 pid = -1;
    bool found = false;
};

/**
 * Looks at the host it runs on (the Document Server host, typically): TCP listeners from
 * /proc/net/tcp and /proc/net/tcp6 with their bind address and, where /proc/<pid>/fd is
 * readable, the owning process; and the state of the Document Server units (systemd
 * ds-docservice, ds-converter, nginx) or supervisor programs, where a manager answers.
 *
 * Target: a comma-separated list of ports to report on (default 80, 443, 3000, 5432, 5672,
 * 6379, 8000); all listeners are listed anyway. Evidence: "probe.host.listeners" with facts
 * "listeners" (list), "ports" (port -> not-listening, loopback, any, specific, mixed) and
 * "probe.host.units" with "manager" (systemd, supervisor, none) and "units" (list), and
 * "probe.host.docker" from DockerEngineClient (Document Server containers; "not-present"
 * without a Docker socket, which is not a fault).
 */
class HostProbe : public ActiveProbe
{
    Q_OBJECT
public:
    explicit HostProbe(QObject *parent = nullptr);
    ~HostProbe() override;

    void start(const ProbeSpec &spec) override;

    /// Listening sockets in the text of /proc/net/tcp (`ipv6` false) or /proc/net/tcp6.
    static QList<ListeningSocket> parseProcNetTcp(const QByteArray &text, bool ipv6);
    /// Fills pid and process of each socket from `procRoot`/<pid>/fd (default /proc).
    static void findOwners(QList<ListeningSocket> *sockets, const QString &procRoot = QStringLiteral("/proc"));
    /// The state of `ports` among `sockets`: not-listening, loopback, any, specific or mixed.
    static QString portScope(const QList<ListeningSocket> &sockets, quint16 port);
    /// Units from `systemctl show -p Id,LoadState,ActiveState,SubState,MainPID` output.
    static QList<UnitState> parseSystemctlShow(const QByteArray &text);
    /// Programs from `supervisorctl status` output.
    static QList<UnitState> parseSupervisorStatus(const QByteArray &text);

protected:
    void abort() override;

private:
    void runManagers();
    void onManagerOutput(const QString &manager, const QByteArray &output, bool ok);
    void complete();

    QTimer *m_timer;
    DockerEngineClient *m_docker;
    QProcess *m_process = nullptr;
    QList<quint16> m_ports;
    QList<ListeningSocket> m_sockets;
    QList<UnitState> m_units;
    QString m_manager;
    QStringList m_notes;
    QStringList m_pendingManagers;
    Evidence m_dockerEvidence;
    bool m_managerDone = false;
    bool m_dockerDone = false;
};

} // namespace dd
