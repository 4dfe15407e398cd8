#include "lab/lab.h"

#include "lab/dssimulator.h"
#include "lab/labscenarios.h"
#include "lab/loopbackport.h"
#include "lab/nginxprocess.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace dd {

struct Lab::Plan
{
    LabScenarioSpec spec;
    quint16 frontPort = 0;
    quint16 dsNginxPort = 0;
    quint16 refusedPort = 0; ///< nothing listens here: P1's upstream, or docservice when not listening
};

namespace {

// Layout of the lab directory. DS's logs sit where a deb install writes them, so that the
// lab's files look like the real ones to anyone (and any rule) reading paths.
const char *const FrontProxyDir = "front-proxy";
const char *const DsNginxDir = "documentserver/nginx";
const char *const DsStaticDir = "documentserver/www";
const char *const DsNginxErrorLog = "var/log/onlyoffice/documentserver/nginx.error.log";
const char *const DocserviceLog = "var/log/onlyoffice/documentserver/docservice/out.log";
const char *const OwnerFile = "lab-owner.pid";
const char *const DirPattern = "docserver-doctor-lab-XXXXXX";

// A lab directory survives only when its owner was killed outright (SIGKILL): nginx then stops by
// itself (PR_SET_PDEATHSIG) but nobody removes the directory. The next lab start removes such
// directories of this user whose owner process is gone.
void removeStaleLabDirectories()
{
    const QString prefix = QLatin1String(DirPattern).chopped(6);
    const QFileInfoList entries =
        QDir(QDir::tempPath()).entryInfoList({prefix + QLatin1Char('*')}, QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QFileInfo &entry : entries) {
        if (entry.isSymLink() || entry.ownerId() != ::geteuid())
            continue;
        QFile owner(entry.filePath() + QLatin1Char('/') + QLatin1String(OwnerFile));
        if (!owner.open(QIODevice::ReadOnly))
            continue; // not a lab directory (e.g. the CLI's state directory), or not ours to judge
        bool ok = false;
        const qint64 pid = owner.readAll().trimmed().toLongLong(&ok);
        owner.close();
        if (ok && pid > 0 && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
            QDir(entry.filePath()).removeRecursively();
    }
}

bool writeFile(const QString &path, const QByteArray &content, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QString loopbackAddress(quint16 port)
{
    return QStringLiteral("127.0.0.1:%1").arg(port);
}

} // namespace

Lab::Lab(QObject *parent) : QObject(parent), m_nginxProgram(NginxProcess::defaultProgram()) {}

Lab::~Lab()
{
    shutdown();
}

QList<LabScenario> Lab::scenarios()
{
    QList<LabScenario> result;
    const QList<LabScenarioSpec> specs = builtInLabScenarios();
    for (const LabScenarioSpec &spec : specs)
        result.append(spec.scenario);
    return result;
}

bool Lab::hasScenario(const QString &id)
{
    const QList<LabScenario> all = scenarios();
    return std::any_of(all.cbegin(), all.cend(), [&id](const LabScenario &s) { return s.id == id; });
}

QString Lab::workDir() const
{
    return m_dir ? m_dir->path() : QString();
}

QList<qint64> Lab::nginxProcessIds() const
{
    QList<qint64> ids;
    for (const NginxProcess *nginx : {m_frontProxy, m_dsNginx}) {
        if (nginx && nginx->processId() != 0)
            ids.append(nginx->processId());
    }
    return ids;
}

void Lab::setNginxProgram(const QString &path)
{
    m_nginxProgram = path;
}

void Lab::setStartTimeout(int ms)
{
    m_startTimeoutMs = ms;
}

void Lab::start(const QString &scenarioId)
{
    // Starting another scenario replaces the running one.
    stop();
    m_state = State::Starting;
    m_scenarioId = scenarioId;
    const int generation = ++m_generation;
    // Deferred, so that labStarted() and labFailed() always come after start() has returned.
    QTimer::singleShot(0, this, [this, generation] {
        if (generation == m_generation)
            setUp();
    });
}

void Lab::setUp()
{
    QString error;
    const QList<LabScenarioSpec> specs = builtInLabScenarios(&error);
    if (!error.isEmpty())
        return fail(tr("cannot load the lab scenarios: %1").arg(error));
    QStringList known;
    m_plan = std::make_unique<Plan>();
    bool found = false;
    for (const LabScenarioSpec &spec : specs) {
        known.append(spec.scenario.id);
        if (spec.scenario.id == m_scenarioId) {
            m_plan->spec = spec;
            found = true;
        }
    }
    if (!found)
        return fail(tr("unknown lab scenario '%1' (known: %2)").arg(m_scenarioId, known.join(QStringLiteral(", "))));

    removeStaleLabDirectories();
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QLatin1Char('/') + QLatin1String(DirPattern));
    if (!m_dir->isValid())
        return fail(tr("cannot create the lab directory in %1: %2").arg(QDir::tempPath(), m_dir->errorString()));
    if (!writeFile(m_dir->filePath(QLatin1String(OwnerFile)),
                   QByteArray::number(QCoreApplication::applicationPid()) + '\n', &error))
        return fail(error);
    if (::geteuid() == 0) {
        // nginx's workers drop root privileges and must still reach their files in here.
        QFile::setPermissions(m_dir->path(), QFile::permissions(m_dir->path()) | QFile::ReadGroup | QFile::ExeGroup |
                                                 QFile::ReadOther | QFile::ExeOther);
    }

    const QList<quint16> ports = findFreeLoopbackPorts(3);
    if (ports.size() != 3)
        return fail(tr("no free TCP ports on 127.0.0.1"));
    m_plan->frontPort = ports.at(0);
    m_plan->dsNginxPort = ports.at(1);
    m_plan->refusedPort = ports.at(2);

    const LabScenarioSpec &spec = m_plan->spec;
    if (spec.frontUpstream == LabScenarioSpec::FrontUpstream::RefusingPort)
        return startFrontProxy();

    if (spec.docservice != LabScenarioSpec::Docservice::NotListening) {
        m_simulator = new DsSimulator(this);
        m_simulator->setLogFile(m_dir->filePath(QLatin1String(DocserviceLog)));
        if (spec.docservice == LabScenarioSpec::Docservice::HealthcheckFalse)
            m_simulator->setMode(DsSimulator::Mode::HealthcheckFalse);
        else if (spec.docservice == LabScenarioSpec::Docservice::Hang)
            m_simulator->setMode(DsSimulator::Mode::Hang);
        if (!m_simulator->listen(0, &error))
            return fail(error);
    }
    if (!startDsNginx(&error))
        return fail(error);
}

bool Lab::startDsNginx(QString *error)
{
    const QString www = m_dir->filePath(QLatin1String(DsStaticDir));
    if (!writeStaticFiles(www, error))
        return false;
    const quint16 docservicePort = m_simulator ? m_simulator->port() : m_plan->refusedPort;
    // proxy_read_timeout comes from the scenario: upstream-timeout sets 2 s, short on purpose, so
    // that the 504 shows within seconds instead of after nginx's (and DS's) default 60 s.
    const QString readTimeout =
        m_plan->spec.dsNginxReadTimeout.isEmpty()
            ? QString()
            : QStringLiteral("        proxy_read_timeout %1;").arg(m_plan->spec.dsNginxReadTimeout);

    const QString dir = m_dir->filePath(QLatin1String(DsNginxDir));
    const QString errorLog = m_dir->filePath(QLatin1String(DsNginxErrorLog));
    QByteArray config;
    if (!renderLabTemplate(QStringLiteral(":/lab/ds-nginx.conf.in"),
                           {{QStringLiteral("DIR"), dir},
                            {QStringLiteral("ERROR_LOG"), errorLog},
                            {QStringLiteral("PORT"), QString::number(m_plan->dsNginxPort)},
                            {QStringLiteral("UPSTREAM"), loopbackAddress(docservicePort)},
                            {QStringLiteral("WWW"), www},
                            {QStringLiteral("PROXY_READ_TIMEOUT"), readTimeout}},
                           &config, error))
        return false;
    m_dsNginx = createNginx(dir, errorLog, m_plan->dsNginxPort, tr("Document Server's nginx"));
    if (!m_dsNginx->writeConfig(config, error))
        return false;
    connect(m_dsNginx, &NginxProcess::started, this, &Lab::startFrontProxy);
    m_dsNginx->start();
    return true;
}

void Lab::startFrontProxy()
{
    if (m_state != State::Starting)
        return;
    const quint16 upstreamPort = m_plan->spec.frontUpstream == LabScenarioSpec::FrontUpstream::DsNginx
                                     ? m_plan->dsNginxPort
                                     : m_plan->refusedPort;
    const QString dir = m_dir->filePath(QLatin1String(FrontProxyDir));
    const QString errorLog = dir + QStringLiteral("/error.log");
    QByteArray config;
    QString error;
    if (!renderLabTemplate(QStringLiteral(":/lab/front-proxy-nginx.conf.in"),
                           {{QStringLiteral("DIR"), dir},
                            {QStringLiteral("ERROR_LOG"), errorLog},
                            {QStringLiteral("PORT"), QString::number(m_plan->frontPort)},
                            {QStringLiteral("UPSTREAM"), loopbackAddress(upstreamPort)}},
                           &config, &error))
        return fail(error);
    m_frontProxy = createNginx(dir, errorLog, m_plan->frontPort, tr("the front proxy's nginx"));
    if (!m_frontProxy->writeConfig(config, &error))
        return fail(error);
    connect(m_frontProxy, &NginxProcess::started, this, [this] {
        if (m_state != State::Starting)
            return;
        m_profile = buildProfile();
        m_state = State::Running;
        Q_EMIT labStarted(m_profile);
    });
    m_frontProxy->start();
}

NginxProcess *Lab::createNginx(const QString &dir, const QString &errorLog, quint16 port, const QString &which)
{
    auto *nginx = new NginxProcess(this);
    nginx->setProgram(m_nginxProgram);
    nginx->setDirectory(dir);
    nginx->setErrorLogPath(errorLog);
    nginx->setPort(port);
    nginx->setStartTimeout(m_startTimeoutMs);
    connect(nginx, &NginxProcess::failed, this,
            [this, which](const QString &reason) { fail(tr("%1 failed: %2").arg(which, reason)); });
    return nginx;
}

bool Lab::writeStaticFiles(const QString &root, QString *error) const
{
    // Stand-ins for the files DS's nginx serves from disk; they answer 200 whatever docservice does.
    return writeFile(root + QStringLiteral("/welcome/index.html"),
                     "<!DOCTYPE html>\n<html><head><title>ONLYOFFICE Docs</title></head>\n"
                     "<body><h1>Document Server is running</h1>"
                     "<p>DocServer Doctor Fault Lab stand-in for /welcome/.</p></body></html>\n",
                     error) &&
           writeFile(root + QStringLiteral("/web-apps/apps/api/documents/api.js"),
                     "/* DocServer Doctor Fault Lab stand-in for Document Server's api.js */\n"
                     "window.DocsAPI = window.DocsAPI || { DocEditor: function () {} };\n",
                     error);
}

Profile Lab::buildProfile() const
{
    const bool hasDsNginx = m_plan->spec.frontUpstream == LabScenarioSpec::FrontUpstream::DsNginx;
    Profile profile;
    profile.name = m_scenarioId;
    profile.publicUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_plan->frontPort));
    profile.docserverUrl =
        QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(hasDsNginx ? m_plan->dsNginxPort : m_plan->refusedPort));
    profile.proxyKind = QStringLiteral("nginx");
    profile.proxyConfig = m_frontProxy->configPath();
    profile.logFiles.append(m_frontProxy->errorLogPath());
    if (hasDsNginx) {
        profile.docserviceHost = QStringLiteral("127.0.0.1");
        profile.docservicePort = m_simulator ? m_simulator->port() : m_plan->refusedPort;
        profile.logFiles.append(m_dsNginx->errorLogPath());
    }
    if (m_simulator)
        profile.logFiles.append(m_simulator->logFile());
    return profile;
}

void Lab::fail(const QString &reason)
{
    shutdown();
    Q_EMIT labFailed(reason);
}

void Lab::stop()
{
    if (m_state == State::Idle)
        return;
    shutdown();
    Q_EMIT labStopped();
}

void Lab::shutdown()
{
    ++m_generation;
    // Front proxy first, so that no request reaches a half-stopped backend. deleteLater: this may
    // run inside one of their own signals.
    for (NginxProcess **nginx : {&m_frontProxy, &m_dsNginx}) {
        if (*nginx) {
            (*nginx)->disconnect(this);
            (*nginx)->stop();
            (*nginx)->deleteLater();
            *nginx = nullptr;
        }
    }
    if (m_simulator) {
        m_simulator->close();
        m_simulator->deleteLater();
        m_simulator = nullptr;
    }
    m_dir.reset(); // removes the directory
    m_plan.reset();
    m_profile = Profile();
    m_scenarioId.clear();
    m_state = State::Idle;
}

} // namespace dd
