#include "hostprobe.h"

#include "dockerengine.h"
#include "probeevidence.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QHostAddress>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

#include <unistd.h>

namespace dd {

namespace {

const QList<quint16> defaultPorts{80, 443, 3000, 5432, 5672, 6379, 8000};

// /proc/net/tcp prints each 32-bit word of an address as the CPU stores it.
QByteArray wordBytes(const QByteArray &hex)
{
    bool ok = false;
    const quint32 v = hex.toUInt(&ok, 16);
    QByteArray bytes(4, '\0');
    for (int i = 0; i < 4; ++i)
        bytes[i] = char((v >> (8 * i)) & 0xFF);
    return bytes;
}

QString procAddress(const QByteArray &hex, bool ipv6)
{
    if (!ipv6 && hex.size() == 8) {
        const QByteArray b = wordBytes(hex);
        return QHostAddress(quint32(quint8(b[0])) << 24 | quint32(quint8(b[1])) << 16 | quint32(quint8(b[2])) << 8 |
                            quint32(quint8(b[3])))
            .toString();
    }
    if (ipv6 && hex.size() == 32) {
        QByteArray bytes;
        for (int w = 0; w < 4; ++w)
            bytes += wordBytes(hex.mid(w * 8, 8));
        QHostAddress address(reinterpret_cast<const quint8 *>(bytes.constData()));
        return address.toString();
    }
    return QString();
}

} // namespace

QString ListeningSocket::scope() const
{
    const QHostAddress a(address);
    if (a == QHostAddress::AnyIPv4 || a == QHostAddress::AnyIPv6)
        return QStringLiteral("any");
    if (a.isLoopback())
        return QStringLiteral("loopback");
    return QStringLiteral("specific");
}

QVariantMap ListeningSocket::toVariant() const
{
    return {{QStringLiteral("address"), address},
            {QStringLiteral("port"), port},
            {QStringLiteral("family"), ipv6 ? QStringLiteral("ipv6") : QStringLiteral("ipv4")},
            {QStringLiteral("scope"), scope()},
            {QStringLiteral("uid"), uid},
            {QStringLiteral("pid"), pid < 0 ? QVariant() : QVariant(pid)},
            {QStringLiteral("process"), process}};
}

HostProbe::HostProbe(QObject *parent)
    : ActiveProbe(parent), m_timer(new QTimer(this)), m_docker(new DockerEngineClient(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (!m_managerDone) {
            m_notes.append(QStringLiteral("%1 did not answer within %2 ms").arg(m_manager).arg(spec().timeoutMs));
            m_manager = QStringLiteral("none");
            m_managerDone = true;
        }
        if (!m_dockerDone) {
            m_docker->abort();
            DockerReport report = m_docker->report();
            report.state = QStringLiteral("unreachable");
            report.error = QStringLiteral("%1: no answer within %2 ms").arg(report.socket).arg(spec().timeoutMs);
            m_dockerEvidence = dockerEvidence(report);
            m_dockerDone = true;
        }
        complete();
    });
    connect(m_docker, &DockerEngineClient::finished, this, [this](const DockerReport &report) {
        m_dockerEvidence = dockerEvidence(report);
        m_dockerDone = true;
        complete();
    });
}

HostProbe::~HostProbe()
{
    abort();
}

QList<ListeningSocket> HostProbe::parseProcNetTcp(const QByteArray &text, bool ipv6)
{
    QList<ListeningSocket> sockets;
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() < 10 || !fields.at(0).endsWith(':'))
            continue;
        if (fields.at(3) != "0A") // TCP_LISTEN
            continue;
        const QList<QByteArray> local = fields.at(1).split(':');
        if (local.size() != 2)
            continue;
        ListeningSocket socket;
        socket.address = procAddress(local.at(0), ipv6);
        bool ok = false;
        socket.port = quint16(local.at(1).toUInt(&ok, 16));
        if (socket.address.isEmpty() || !ok)
            continue;
        socket.ipv6 = ipv6;
        socket.uid = fields.at(7).toInt();
        socket.inode = fields.at(9).toULongLong();
        sockets.append(socket);
    }
    return sockets;
}

void HostProbe::findOwners(QList<ListeningSocket> *sockets, const QString &procRoot)
{
    QHash<quint64, qsizetype> byInode;
    for (qsizetype i = 0; i < sockets->size(); ++i) {
        if (sockets->at(i).inode != 0)
            byInode.insert(sockets->at(i).inode, i);
    }
    if (byInode.isEmpty())
        return;
    const QStringList pids = QDir(procRoot).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pid : pids) {
        bool isPid = false;
        const qint64 number = pid.toLongLong(&isPid);
        if (!isPid)
            continue;
        const QString fdDir = procRoot + QLatin1Char('/') + pid + QStringLiteral("/fd");
        const QStringList fds = QDir(fdDir).entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot);
        for (const QString &fd : fds) {
            char target[64];
            const QByteArray path = QFile::encodeName(fdDir + QLatin1Char('/') + fd);
            const ssize_t length = ::readlink(path.constData(), target, sizeof target - 1);
            if (length <= 0)
                continue;
            const QByteArray link(target, length);
            if (!link.startsWith("socket:["))
                continue;
            const quint64 inode = link.mid(8, link.size() - 9).toULongLong();
            const auto it = byInode.constFind(inode);
            if (it == byInode.cend())
                continue;
            ListeningSocket &socket = (*sockets)[it.value()];
            if (socket.pid >= 0)
                continue;
            socket.pid = number;
            QFile comm(procRoot + QLatin1Char('/') + pid + QStringLiteral("/comm"));
            if (comm.open(QIODevice::ReadOnly))
                socket.process = QString::fromUtf8(comm.readAll().trimmed());
        }
    }
}

QString HostProbe::portScope(const QList<ListeningSocket> &sockets, quint16 port)
{
    QStringList scopes;
    for (const ListeningSocket &socket : sockets) {
        if (socket.port == port && !scopes.contains(socket.scope()))
            scopes.append(socket.scope());
    }
    if (scopes.isEmpty())
        return QStringLiteral("not-listening");
    if (scopes.contains(QStringLiteral("any")))
        return QStringLiteral("any");
    return scopes.size() == 1 ? scopes.constFirst() : QStringLiteral("mixed");
}

QList<UnitState> HostProbe::parseSystemctlShow(const QByteArray &text)
{
    QList<UnitState> units;
    const QList<QByteArray> blocks = text.split('\n');
    UnitState unit;
    QString active;
    QString sub;
    auto flush = [&] {
        if (!unit.name.isEmpty()) {
            unit.manager = QStringLiteral("systemd");
            unit.state = sub.isEmpty() ? active : active + QLatin1Char('/') + sub;
            units.append(unit);
        }
        unit = UnitState();
        active.clear();
        sub.clear();
    };
    for (const QByteArray &rawLine : blocks) {
        const QByteArray line = rawLine.trimmed();
        if (line.isEmpty()) {
            flush();
            continue;
        }
        const qsizetype eq = line.indexOf('=');
        if (eq <= 0)
            continue;
        const QByteArray key = line.left(eq);
        const QString value = QString::fromUtf8(line.mid(eq + 1));
        if (key == "Id")
            unit.name = value;
        else if (key == "LoadState")
            unit.found = value != QLatin1String("not-found");
        else if (key == "ActiveState")
            active = value;
        else if (key == "SubState")
            sub = value;
        else if (key == "MainPID")
            unit.pid = value.toLongLong() > 0 ? value.toLongLong() : -1;
    }
    flush();
    return units;
}

QList<UnitState> HostProbe::parseSupervisorStatus(const QByteArray &text)
{
    QList<UnitState> units;
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() < 2 || fields.at(0).isEmpty())
            continue;
        UnitState unit;
        unit.manager = QStringLiteral("supervisor");
        unit.name = QString::fromUtf8(fields.at(0));
        unit.state = QString::fromUtf8(fields.at(1));
        unit.found = true;
        const qsizetype pidAt = fields.indexOf("pid");
        if (pidAt >= 0 && pidAt + 1 < fields.size())
            unit.pid = fields.at(pidAt + 1).chopped(fields.at(pidAt + 1).endsWith(',') ? 1 : 0).toLongLong();
        units.append(unit);
    }
    return units;
}

void HostProbe::start(const ProbeSpec &spec)
{
    beginRun(spec);
    m_ports.clear();
    m_units.clear();
    m_notes.clear();
    m_manager.clear();
    const QStringList parts = spec.target.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const int port = part.trimmed().toInt();
        if (port > 0 && port < 65536)
            m_ports.append(quint16(port));
    }
    if (m_ports.isEmpty())
        m_ports = defaultPorts;

    m_sockets.clear();
    for (const bool ipv6 : {false, true}) {
        QFile file(ipv6 ? QStringLiteral("/proc/net/tcp6") : QStringLiteral("/proc/net/tcp"));
        if (file.open(QIODevice::ReadOnly))
            m_sockets += parseProcNetTcp(file.readAll(), ipv6);
        else
            m_notes.append(QStringLiteral("%1 is not readable: %2").arg(file.fileName(), file.errorString()));
    }
    findOwners(&m_sockets);
    std::sort(m_sockets.begin(), m_sockets.end(), [](const ListeningSocket &a, const ListeningSocket &b) {
        return a.port != b.port ? a.port < b.port : a.address < b.address;
    });
    m_managerDone = false;
    m_dockerDone = false;
    m_timer->start(qMax(1, spec.timeoutMs));
    m_docker->start(spec.timeoutMs);
    runManagers();
}

void HostProbe::runManagers()
{
    const QString systemctl = QStandardPaths::findExecutable(QStringLiteral("systemctl"));
    const QString supervisorctl = QStandardPaths::findExecutable(QStringLiteral("supervisorctl"));
    QString program;
    QStringList arguments;
    if (!systemctl.isEmpty() && QFileInfo::exists(QStringLiteral("/run/systemd/system"))) {
        m_manager = QStringLiteral("systemd");
        program = systemctl;
        arguments = {QStringLiteral("show"),
                     QStringLiteral("--no-pager"),
                     QStringLiteral("--property=Id,LoadState,ActiveState,SubState,MainPID"),
                     QStringLiteral("ds-docservice.service"),
                     QStringLiteral("ds-converter.service"),
                     QStringLiteral("nginx.service")};
    } else if (!supervisorctl.isEmpty()) {
        m_manager = QStringLiteral("supervisor");
        program = supervisorctl;
        arguments = {QStringLiteral("status")};
    } else {
        m_manager = QStringLiteral("none");
        m_notes.append(QStringLiteral("no service manager answers here (no systemd running, no supervisorctl)"));
        m_managerDone = true;
        // Still from the event loop, like every probe's result.
        QMetaObject::invokeMethod(this, &HostProbe::complete, Qt::QueuedConnection);
        return;
    }
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        const QByteArray output = m_process->readAll().left(64 * 1024);
        // supervisorctl exits 3 when a program is not running: its output is still the answer.
        onManagerOutput(m_manager, output, status == QProcess::NormalExit && (exitCode == 0 || exitCode == 3));
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            onManagerOutput(m_manager, m_process->errorString().toUtf8(), false);
    });
    m_process->start(program, arguments);
}

void HostProbe::onManagerOutput(const QString &manager, const QByteArray &output, bool ok)
{
    if (!isRunning())
        return;
    if (!ok) {
        m_notes.append(
            QStringLiteral("%1 did not answer: %2").arg(manager, QString::fromUtf8(output.left(200)).simplified()));
    } else if (manager == QLatin1String("systemd")) {
        m_units = parseSystemctlShow(output);
    } else {
        m_units = parseSupervisorStatus(output);
    }
    m_managerDone = true;
    complete();
}

void HostProbe::complete()
{
    if (!isRunning() || !m_managerDone || !m_dockerDone)
        return;
    ProbeResult result = newResult();
    result.outcome = ProbeOutcome::Ok;

    Evidence listeners;
    listeners.kind = QStringLiteral("host");
    listeners.source = EvidenceSource::Host;
    listeners.id = QStringLiteral("probe.host.listeners");
    listeners.time = result.startedAt;
    QVariantList list;
    QStringList lines;
    for (const ListeningSocket &socket : std::as_const(m_sockets)) {
        list.append(socket.toVariant());
        lines.append(QStringLiteral("%1 %2%3").arg(
            socket.ipv6 ? QStringLiteral("tcp6") : QStringLiteral("tcp "),
            socket.ipv6 ? QStringLiteral("[%1]:%2").arg(socket.address).arg(socket.port)
                        : QStringLiteral("%1:%2").arg(socket.address).arg(socket.port),
            socket.pid < 0 ? QString() : QStringLiteral(" pid %1 (%2)").arg(socket.pid).arg(socket.process)));
    }
    QVariantMap ports;
    QStringList portLines;
    for (const quint16 port : std::as_const(m_ports)) {
        const QString scope = portScope(m_sockets, port);
        ports.insert(QString::number(port), scope);
        portLines.append(QStringLiteral("%1 %2").arg(port).arg(scope));
    }
    listeners.facts = {{QStringLiteral("outcome"), probeOutcomeName(ProbeOutcome::Ok)},
                       {QStringLiteral("listeners"), list},
                       {QStringLiteral("ports"), ports}};
    listeners.health = Health::Ok;
    listeners.summary = QStringLiteral("host: %1 listening TCP sockets; %2")
                            .arg(m_sockets.size())
                            .arg(portLines.join(QStringLiteral(", ")));
    listeners.excerpt = lines.join(QLatin1Char('\n'));
    listeners.detail = m_notes.join(QLatin1Char('\n'));

    Evidence units;
    units.kind = QStringLiteral("host");
    units.source = EvidenceSource::Host;
    units.id = QStringLiteral("probe.host.units");
    units.time = result.startedAt;
    QVariantList unitList;
    QStringList unitLines;
    bool anyDown = false;
    for (const UnitState &unit : std::as_const(m_units)) {
        unitList.append(QVariantMap{{QStringLiteral("name"), unit.name},
                                    {QStringLiteral("state"), unit.state},
                                    {QStringLiteral("found"), unit.found},
                                    {QStringLiteral("pid"), unit.pid < 0 ? QVariant() : QVariant(unit.pid)}});
        unitLines.append(
            QStringLiteral("%1 %2%3").arg(unit.name, unit.found ? unit.state : QStringLiteral("not installed"),
                                          unit.pid < 0 ? QString() : QStringLiteral(" pid %1").arg(unit.pid)));
        const bool running = unit.state.startsWith(QLatin1String("active")) || unit.state == QLatin1String("RUNNING");
        anyDown = anyDown || (unit.found && !running);
    }
    units.facts = {{QStringLiteral("manager"), m_manager}, {QStringLiteral("units"), unitList}};
    units.health = m_units.isEmpty() ? Health::Unknown : (anyDown ? Health::Failed : Health::Ok);
    units.summary = m_units.isEmpty() ? QStringLiteral("host: no service manager status (%1)").arg(m_manager)
                                      : QStringLiteral("host: %1").arg(unitLines.join(QStringLiteral("; ")));
    units.excerpt = unitLines.join(QLatin1Char('\n'));
    m_dockerEvidence.time = result.startedAt;
    result.evidence = {listeners, units, m_dockerEvidence};
    finishRun(result);
}

void HostProbe::abort()
{
    m_timer->stop();
    m_docker->abort();
    if (QProcess *process = std::exchange(m_process, nullptr)) {
        disconnect(process, nullptr, this, nullptr);
        process->kill();
        process->waitForFinished(1000);
        process->deleteLater();
    }
}

} // namespace dd
