#include "lab/lab.h"

#include "lab/blackholelistener.h"
#include "lab/containernetwork.h"
#include "lab/dnsresponder.h"
#include "lab/dssimulator.h"
#include "lab/httpserver.h"
#include "lab/labhttpclient.h"
#include "lab/labpaths.h"
#include "lab/labscenarios.h"
#include "lab/labservers.h"
#include "lab/loopbackport.h"
#include "lab/nginxprocess.h"
#include "lab/selfsignedcert.h"
#include "lab/serverprocess.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <memory>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace dd {

namespace {

const char *const OwnerFile = "lab-owner.pid";
const char *const DirPattern = "docserver-doctor-lab-XXXXXX";
constexpr qint64 kSaveWaitMs = 8000; // the integrator's download times out after 5 s

// A lab directory survives only when its owner was killed outright (SIGKILL): its servers then
// stop by themselves (PR_SET_PDEATHSIG) but nobody removes the directory. The next lab start
// removes such directories of this user whose owner process is gone.
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

bool expectsDocserviceAtOnce(const LabScenarioSpec &spec)
{
    using D = LabScenarioSpec::Dependency;
    for (D dependency : {spec.rabbitmq, spec.postgres})
        if (dependency == D::Refused || dependency == D::OldSchema)
            return false;
    if (spec.developerEdition && spec.redis == D::Refused)
        return false;
    return spec.startupDelayMs == 0 && !spec.portConflict;
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
    for (const NginxProcess *nginx : {m_frontProxy, m_dsNginx, m_storage}) {
        if (nginx && nginx->processId() != 0)
            ids.append(nginx->processId());
    }
    return ids;
}

QList<qint64> Lab::serverProcessIds() const
{
    QList<qint64> ids = nginxProcessIds();
    if (m_apache && m_apache->processId() != 0)
        ids.prepend(m_apache->processId());
    for (const ServerProcess *server : m_servers) {
        if (server->processId() != 0)
            ids.append(server->processId());
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
    if (!writeLabFile(m_dir->filePath(QLatin1String(OwnerFile)),
                      QByteArray::number(QCoreApplication::applicationPid()) + '\n', &error))
        return fail(error);
    if (::geteuid() == 0) {
        // nginx's workers and PostgreSQL drop root privileges and must still reach their files in here.
        QFile::setPermissions(m_dir->path(), QFile::permissions(m_dir->path()) | QFile::ReadGroup | QFile::ExeGroup |
                                                 QFile::ReadOther | QFile::ExeOther);
    }
    const QList<quint16> ports = findFreeLoopbackPorts(Plan::PortCount);
    if (ports.size() != Plan::PortCount)
        return fail(tr("no free TCP ports on 127.0.0.1"));
    std::copy(ports.cbegin(), ports.cend(), m_plan->ports);
    if (!prepareFiles(&error))
        return fail(error);

    using F = LabScenarioSpec::FrontUpstream;
    const LabScenarioSpec &spec = m_plan->spec;
    m_steps.clear();
    if (spec.frontUpstream != F::RefusingPort) {
        m_steps.append([this] { startDependencies(); });
        m_steps.append([this] { startStorage(); });
        m_steps.append([this] { startLocalServers(); });
        m_steps.append([this] { startDocservice(); });
        m_steps.append([this] { startDsNginx(); });
    }
    m_steps.append([this] { startFrontProxy(); });
    m_steps.append([this] { finishStart(); });
    runNextStep();
}

void Lab::runNextStep()
{
    if (m_state != State::Starting || m_steps.isEmpty())
        return;
    const Step step = m_steps.takeFirst();
    const int generation = m_generation;
    // Deferred: a step may be finished from inside another object's signal.
    QTimer::singleShot(0, this, [this, step, generation] {
        if (generation == m_generation && m_state == State::Starting)
            step();
    });
}

void Lab::startServer(ServerProcess *server)
{
    m_servers.append(server);
    connect(server, &ServerProcess::started, this, &Lab::runNextStep);
    connect(server, &ServerProcess::failed, this, [this](const QString &reason) { fail(reason); });
    server->start();
}

void Lab::startDependencies()
{
    using D = LabScenarioSpec::Dependency;
    const LabScenarioSpec &spec = m_plan->spec;
    // One real server per step; each step starts the next when its server listens.
    QList<Step> servers;
    if (spec.postgres == D::Running || spec.postgres == D::OldSchema) {
        servers.append([this, spec] {
            startServer(labservers::createPostgres(m_dir->filePath(QStringLiteral("postgresql")),
                                                   m_plan->port(Plan::Postgres),
                                                   labservers::taskResultSql(spec.postgres == D::Running), this));
        });
    }
    if (spec.redis == D::Running) {
        servers.append([this] {
            const QString dir = m_dir->filePath(QStringLiteral("redis"));
            QDir().mkpath(dir);
            startServer(labservers::createRedis(dir, m_plan->port(Plan::Redis), this));
        });
    }
    if (spec.rabbitmq == D::Running) {
        servers.append([this] { startServer(labservers::createEpmd(m_plan->port(Plan::Epmd), this)); });
        servers.append([this] {
            startServer(labservers::createRabbitMq(m_dir->filePath(QStringLiteral("rabbitmq")),
                                                   m_plan->port(Plan::RabbitMq), m_plan->port(Plan::Epmd),
                                                   m_plan->port(Plan::ErlangDist), this));
        });
    }
    m_steps = servers + m_steps;
    runNextStep();
}

void Lab::startStorage()
{
    using S = LabScenarioSpec::Storage;
    const S storage = m_plan->spec.storage;
    if (storage == S::Blackhole) {
        QString error;
        m_storageBlackhole = std::make_unique<BlackholeListener>();
        if (!m_storageBlackhole->listen(m_plan->port(Plan::Storage), &error))
            return fail(tr("the storage listener: %1").arg(error));
    }
    if (storage == S::Container) {
        QString error;
        if (!canCreateNetworkNamespace(&error))
            return fail(error);
        auto *app = new HttpServer(this);
        labservers::serveContainerIntegrator(app, m_dir->filePath(QLatin1String(labpaths::IntegratorLog)));
        m_httpServers.append(app);
        if (!app->listen({QHostAddress(QHostAddress::LocalHost)}, m_plan->port(Plan::Storage), &error))
            return fail(tr("the integrator app: %1").arg(error));
    }
    if (storage != S::Http && storage != S::Https)
        return runNextStep();
    const QString dir = m_dir->filePath(QLatin1String(labpaths::StorageDir));
    const QString errorLog = dir + QStringLiteral("/error.log");
    QByteArray config;
    QString error;
    if (!renderStorage(dir, errorLog, &config, &error))
        return fail(error);
    m_storage = createNginx(dir, errorLog, m_plan->port(Plan::Storage), tr("the storage's nginx"));
    if (!m_storage->writeConfig(config, &error))
        return fail(error);
    connect(m_storage, &NginxProcess::started, this, &Lab::runNextStep);
    m_storage->start();
}

void Lab::startLocalServers()
{
    const LabScenarioSpec &spec = m_plan->spec;
    QString error;
    if (spec.example) {
        auto *example = new HttpServer(this);
        labservers::serveExampleApp(example);
        m_httpServers.append(example);
        if (!example->listen({QHostAddress(QHostAddress::LocalHost)}, m_plan->port(Plan::Example), &error))
            return fail(tr("the test example: %1").arg(error));
    }
    if (spec.portConflict) {
        auto *foreign = new HttpServer(this);
        labservers::serveForeignApp(foreign);
        m_httpServers.append(foreign);
        if (!foreign->listen({QHostAddress(QHostAddress::LocalHost)}, m_plan->port(Plan::Docservice), &error))
            return fail(tr("the foreign app: %1").arg(error));
    }
    if (spec.frontUpstream == LabScenarioSpec::FrontUpstream::Resolver) {
        m_dns = new DnsResponder(this);
        if (!m_dns->listen(m_plan->port(Plan::Dns), &error))
            return fail(error);
    }
    if (spec.frontUpstream == LabScenarioSpec::FrontUpstream::Blackhole) {
        m_blackhole = std::make_unique<BlackholeListener>();
        if (!m_blackhole->listen(m_plan->port(Plan::Blackhole), &error))
            return fail(tr("the full-backlog listener: %1").arg(error));
    }
    runNextStep();
}

void Lab::startDocservice()
{
    using D = LabScenarioSpec::Dependency;
    using S = LabScenarioSpec::Docservice;
    const LabScenarioSpec &spec = m_plan->spec;
    QString error;
    if (spec.docservice == S::NotListening)
        return runNextStep();
    m_simulator = new DsSimulator(this);
    m_simulator->setLogFile(m_dir->filePath(QLatin1String(labpaths::DocserviceLog)));
    if (spec.docservice == S::HealthcheckFalse)
        m_simulator->setMode(DsSimulator::Mode::HealthcheckFalse);
    DocserviceConfig config;
    config.fault = spec.docservice == S::Hang               ? DocserviceConfig::Fault::Hang
                   : spec.docservice == S::Close            ? DocserviceConfig::Fault::Close
                   : spec.docservice == S::Reset            ? DocserviceConfig::Fault::Reset
                   : spec.docservice == S::OversizedHeaders ? DocserviceConfig::Fault::OversizedHeaders
                                                            : DocserviceConfig::Fault::None;
    auto endpoint = [this](D state, Plan::Port port) {
        DependencyEndpoint e;
        if (state != D::None)
            e.port = m_plan->port(port);
        if (port == Plan::Postgres) {
            e.user = QStringLiteral("onlyoffice");
            e.database = QStringLiteral("postgres");
        }
        return e;
    };
    config.rabbitmq = endpoint(spec.rabbitmq, Plan::RabbitMq);
    config.postgres = endpoint(spec.postgres, Plan::Postgres);
    config.redis = endpoint(spec.redis, Plan::Redis);
    config.developerEdition = spec.developerEdition;
    config.startupDelayMs = spec.startupDelayMs;
    config.jwtEnabled = spec.jwtEnabled;
    config.jwtSecret = spec.dsJwtSecret.toUtf8();
    config.jwtHeader = spec.dsJwtHeader.toUtf8();
    config.clockOffsetSecs = spec.clockOffsetSecs;
    config.allowPrivateIpAddress = spec.allowPrivateIp;
    config.secureLinkSecret = spec.dsSecureLinkSecret.toUtf8();
    config.downloadTimeoutMs = spec.downloadTimeoutMs;
    config.downloadAttempts = spec.downloadAttempts;
    if (spec.dsNginxLegacyUpstream) // docservice listens on "::", both loopback addresses
        config.listenAddresses = {QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::LocalHostIPv6)};
    config.converterLogFile = m_dir->filePath(QLatin1String(labpaths::ConverterLog));
    config.cacheDir = m_dir->filePath(QLatin1String(labpaths::AppDataDir));
    if (!spec.callbackPath.isEmpty()) {
        m_callbackKey = QStringLiteral("lab-document");
        config.documents.insert(m_callbackKey, m_plan->storageBase().resolved(QUrl(spec.callbackPath)));
    }
    config.callbackUsers = spec.callbackUsers;
    m_simulator->setConfig(config);
    if (spec.docserviceWorkers > 1) {
        m_secondWorker = new DsSimulator(this);
        m_secondWorker->setLogFile(m_simulator->logFile());
        m_secondWorker->setConfig(config);
        if (!m_secondWorker->listen(m_plan->port(Plan::Docservice2), &error))
            return fail(error);
    }
    if (expectsDocserviceAtOnce(spec)) {
        connect(m_simulator, &DsSimulator::listening, this, &Lab::runNextStep);
        m_simulator->start(m_plan->port(Plan::Docservice));
        return;
    }
    // docservice keeps retrying in the background; the lab shows the window in which it does not listen.
    m_simulator->start(m_plan->port(Plan::Docservice));
    runNextStep();
}

void Lab::startDsNginx()
{
    const QString dir = m_dir->filePath(QLatin1String(labpaths::DsNginxDir));
    const QString errorLog = m_dir->filePath(QLatin1String(labpaths::DsNginxErrorLog));
    QByteArray config;
    QString error;
    if (!renderDsNginx(dir, errorLog, &config, &error))
        return fail(error);
    m_dsNginx = createNginx(dir, errorLog, m_plan->port(Plan::DsNginx), tr("Document Server's nginx"));
    if (m_plan->spec.frontUpstream == LabScenarioSpec::FrontUpstream::OtherLoopback)
        m_dsNginx->setListenAddress(QHostAddress(QStringLiteral("127.0.0.2")));
    if (!m_dsNginx->writeConfig(config, &error))
        return fail(error);
    if (m_plan->spec.dsNginxBrokenConfig) {
        // Expected to fail: DS's nginx stays down, as after a bad include, and the lab goes on.
        m_dsNginx->disconnect(this);
        connect(m_dsNginx, &NginxProcess::failed, this, [this](const QString &reason) {
            m_dsNginxError = reason;
            m_dsNginx->deleteLater();
            m_dsNginx = nullptr;
            runNextStep();
        });
        connect(m_dsNginx, &NginxProcess::started, this,
                [this] { fail(tr("Document Server's nginx started although its config is broken")); });
    } else {
        connect(m_dsNginx, &NginxProcess::started, this, &Lab::runNextStep);
    }
    m_dsNginx->start();
}

void Lab::startFrontProxy()
{
    const QString dir = m_dir->filePath(QLatin1String(labpaths::FrontProxyDir));
    const QString errorLog = dir + QStringLiteral("/error.log");
    QByteArray config;
    QString error;
    if (m_plan->spec.frontApache) {
        const QString path = dir + QStringLiteral("/apache2.conf");
        if (!renderFrontApache(dir, errorLog, &config, &error) || !writeLabFile(path, config, &error))
            return fail(error);
        m_apache = new ServerProcess(tr("the front proxy's Apache"), this);
        m_apache->setCommand({QStringLiteral("/usr/sbin/apache2"),
                              {QStringLiteral("-f"), path, QStringLiteral("-D"), QStringLiteral("FOREGROUND")}});
        m_apache->setPort(m_plan->port(Plan::Front));
        m_apache->setStartTimeout(m_startTimeoutMs);
        m_apache->setLogFile(errorLog);
        connect(m_apache, &ServerProcess::started, this, &Lab::runNextStep);
        connect(m_apache, &ServerProcess::failed, this, [this](const QString &reason) { fail(reason); });
        m_apache->start();
        return;
    }
    if (!renderFrontProxy(dir, errorLog, &config, &error))
        return fail(error);
    m_frontProxy = createNginx(dir, errorLog, m_plan->port(Plan::Front), tr("the front proxy's nginx"));
    if (!m_frontProxy->writeConfig(config, &error))
        return fail(error);
    connect(m_frontProxy, &NginxProcess::started, this, &Lab::runNextStep);
    m_frontProxy->start();
}

void Lab::finishStart()
{
    if (m_plan->spec.storage == LabScenarioSpec::Storage::Container && !m_callbackKey.isEmpty() && !m_saved)
        return saveThroughTheEditor();
    m_profile = buildProfile();
    m_state = State::Running;
    Q_EMIT labStarted(m_profile);
}

void Lab::saveThroughTheEditor()
{
    const int generation = m_generation;
    const QString key = m_callbackKey;
    const QString logFile = m_dir->filePath(QLatin1String(labpaths::IntegratorLog));
    LabHttpRequest open;
    open.url = buildProfile().publicUrl.resolved(QUrl(QStringLiteral("doc/%1/c/?EIO=4&transport=polling").arg(key)));
    open.timeoutMs = 5000;
    labHttpSend(this, open, [this, generation, key, logFile](const LabHttpResult &opened) {
        if (generation != m_generation)
            return;
        if (!opened.ok() || opened.status != 200)
            return fail(tr("the editor could not connect through the public URL: %1")
                            .arg(opened.ok() ? QStringLiteral("HTTP %1").arg(opened.status) : opened.error));
        // The integrator's save button: forcesave through Document Server's own address.
        LabHttpRequest save;
        save.method = "POST";
        save.url = QUrl(
            QStringLiteral("http://127.0.0.1:%1/coauthoring/CommandService.ashx").arg(m_plan->port(Plan::DsNginx)));
        save.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        save.body = QByteArrayLiteral("{\"c\":\"forcesave\",\"key\":\"") + key.toUtf8() + "\"}";
        save.timeoutMs = 5000;
        labHttpSend(this, save, [this, generation, logFile](const LabHttpResult &saved) {
            if (generation != m_generation)
                return;
            if (!saved.ok() || !saved.body.contains("\"error\":0"))
                return fail(tr("forcesave was refused: %1")
                                .arg(saved.ok() ? QString::fromUtf8(saved.body.left(200)) : saved.error));
            // The integrator logs once its download (from its own network) has ended.
            auto *poll = new QTimer(this);
            auto clock = std::make_shared<QElapsedTimer>();
            clock->start();
            connect(poll, &QTimer::timeout, this, [this, generation, logFile, poll, clock] {
                const bool logged = QFileInfo(logFile).size() > 0;
                if (generation != m_generation || logged || clock->elapsed() > kSaveWaitMs) {
                    poll->deleteLater();
                    const qint64 waited = clock->elapsed();
                    if (generation != m_generation)
                        return;
                    if (!logged)
                        return fail(tr("the integrator logged nothing %1 ms after the save").arg(waited));
                    m_saved = true;
                    finishStart();
                }
            });
            poll->start(50);
        });
    });
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
    m_steps.clear();
    // Front proxy first, so that no request reaches a half-stopped backend. deleteLater: this may
    // run inside one of their own signals.
    if (m_apache) {
        m_apache->disconnect(this);
        m_apache->stop();
        m_apache->deleteLater();
        m_apache = nullptr;
    }
    for (NginxProcess **nginx : {&m_frontProxy, &m_dsNginx, &m_storage}) {
        if (*nginx) {
            (*nginx)->disconnect(this);
            (*nginx)->stop();
            (*nginx)->deleteLater();
            *nginx = nullptr;
        }
    }
    for (DsSimulator **simulator : {&m_simulator, &m_secondWorker}) {
        if (*simulator) {
            (*simulator)->close();
            (*simulator)->deleteLater();
            *simulator = nullptr;
        }
    }
    if (m_dns) {
        m_dns->close();
        m_dns->deleteLater();
        m_dns = nullptr;
    }
    for (HttpServer *server : std::as_const(m_httpServers)) {
        server->close();
        server->deleteLater();
    }
    m_httpServers.clear();
    m_blackhole.reset();
    m_storageBlackhole.reset();
    // Reverse order: a RabbitMQ node stops before its epmd.
    for (auto it = m_servers.crbegin(); it != m_servers.crend(); ++it) {
        (*it)->disconnect(this);
        (*it)->stop();
        (*it)->deleteLater();
    }
    m_servers.clear();
    m_dir.reset(); // removes the directory
    m_plan.reset();
    m_profile = Profile();
    m_documentUrl.clear();
    m_callbackKey.clear();
    m_saved = false;
    m_dsNginxError.clear();
    m_scenarioId.clear();
    m_state = State::Idle;
}

} // namespace dd
