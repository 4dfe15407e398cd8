#include "diagnosis/diagnosisengine.h"
#include "lab/dssimulator.h"
#include "labfixture.h"
#include "report/jsonreport.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

const QByteArray rightSecret("keychain-held-secret-4f1c9a7e2b");
const QByteArray wrongSecret("keychain-held-other-secret-93d0");

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// The facts of the CommandService check in a probe's JSON evidence.
QJsonObject commandFacts(const QJsonArray &evidence)
{
    for (const QJsonValue &value : evidence) {
        const QJsonObject facts = value.toObject().value(QStringLiteral("facts")).toObject();
        if (facts.value(QStringLiteral("check")).toString() == QLatin1String("command"))
            return facts;
    }
    return QJsonObject();
}

} // namespace

// JWT secrets kept in the system keychain: a private D-Bus session bus with GNOME Keyring's Secret
// Service on it (unlocked with a test password, its files in a temporary HOME), `secret set` storing
// through qtkeychain, and the docserver probe signing CommandService with what it reads back.
class TestProbeKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void storedSecretSignsTheCommand_data();
    void storedSecretSignsTheCommand();
    void probeReadsTheKeychainInProcess();
    void diagnoseReadsTheKeychain_data();
    void diagnoseReadsTheKeychain();
    void missingEntry();
    void emptyInputIsRefused();
    void deletedEntryIsGone();
    void noKeychainIsOneLineAndNoPlainText();
    void secretNeverInTheKeyringFiles();
    void lockedKeyringSaysSo(); // last: it restarts the keyring locked

private:
    CliRun cli(const QStringList &args, const QByteArray &input = QByteArray(),
               const QProcessEnvironment &env = QProcessEnvironment()) const;
    QString dsUrl() const { return QStringLiteral("http://127.0.0.1:%1/").arg(m_ds->port()); }
    bool secretServiceOnBus() const;

    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    QProcess m_bus;
    QProcess m_keyring;
    std::unique_ptr<dd::DsSimulator> m_ds;
};

CliRun TestProbeKeychain::cli(const QStringList &args, const QByteArray &input, const QProcessEnvironment &env) const
{
    // The simulator lives in this thread: the event loop must keep running while the CLI works.
    QProcess process;
    process.setProcessEnvironment(env.isEmpty() ? m_env : env);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(DD_CLI_PATH), args);
    process.write(input);
    process.closeWriteChannel();
    CliRun run;
    if (!finished.wait(60000))
        return run;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

bool TestProbeKeychain::secretServiceOnBus() const
{
    QProcess ask;
    ask.setProcessEnvironment(m_env);
    ask.start(QStringLiteral("dbus-send"),
              {QStringLiteral("--session"), QStringLiteral("--print-reply"),
               QStringLiteral("--dest=org.freedesktop.DBus"), QStringLiteral("/"),
               QStringLiteral("org.freedesktop.DBus.NameHasOwner"), QStringLiteral("string:org.freedesktop.secrets")});
    return ask.waitForFinished(5000) && ask.readAllStandardOutput().contains("boolean true");
}

void TestProbeKeychain::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_env = QProcessEnvironment::systemEnvironment();
    for (const char *var : {"HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"}) {
        const QString path = m_dir.filePath(QString::fromLatin1(var).toLower());
        QVERIFY(QDir().mkpath(path));
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        m_env.insert(QLatin1String(var), path);
    }
    // No desktop: qtkeychain then picks the Secret Service (libsecret), not KWallet.
    for (const char *var : {"XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION", "DISPLAY"})
        m_env.remove(QLatin1String(var));

    const QString socket = m_dir.filePath(QStringLiteral("bus"));
    m_bus.setProcessEnvironment(m_env);
    m_bus.start(QStringLiteral("dbus-daemon"),
                {QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--print-address=1"),
                 QStringLiteral("--address=unix:path=") + socket});
    QVERIFY2(m_bus.waitForStarted(5000), qPrintable(m_bus.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(m_bus.canReadLine(), 10000);
    const QString address = QString::fromUtf8(m_bus.readLine()).trimmed();
    QVERIFY2(address.startsWith(QLatin1String("unix:path=")), qPrintable(address));
    m_env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), address);

    // --unlock reads the login keyring's password from standard input (creating the keyring).
    m_keyring.setProcessEnvironment(m_env);
    m_keyring.start(
        QStringLiteral("gnome-keyring-daemon"),
        {QStringLiteral("--unlock"), QStringLiteral("--components=secrets"), QStringLiteral("--foreground")});
    QVERIFY2(m_keyring.waitForStarted(5000), qPrintable(m_keyring.errorString()));
    m_keyring.write("test-keyring-password");
    m_keyring.closeWriteChannel();
    QTRY_VERIFY_WITH_TIMEOUT(secretServiceOnBus(), 15000);

    // This process's own keychain calls (the in-process probe) use the same bus.
    for (const QString &var : m_env.keys()) {
        if (var.startsWith(QLatin1String("XDG_")) || var == QLatin1String("HOME") ||
            var.startsWith(QLatin1String("DBUS")))
            qputenv(var.toLatin1().constData(), m_env.value(var).toLocal8Bit());
    }
    for (const char *var : {"XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION"})
        qunsetenv(var);

    dd::DocserviceConfig config;
    config.jwtEnabled = true;
    config.jwtSecret = rightSecret;
    m_ds = std::make_unique<dd::DsSimulator>();
    m_ds->setConfig(config);
    QString error;
    QVERIFY2(m_ds->listen(0, &error), qPrintable(error));

    for (const auto &[name, secret] : {std::pair{"ds-right", rightSecret}, std::pair{"ds-wrong", wrongSecret}}) {
        const CliRun run = cli({QStringLiteral("secret"), QStringLiteral("set"), QLatin1String(name)}, secret + '\n');
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.out.contains(QByteArray(QByteArray::number(secret.size()) + " bytes")));
        QVERIFY(!run.out.contains(secret) && !run.err.contains(secret));
    }
}

void TestProbeKeychain::cleanupTestCase()
{
    if (m_ds)
        m_ds->close();
    for (QProcess *process : {&m_keyring, &m_bus}) {
        if (process->state() != QProcess::NotRunning) {
            process->terminate();
            if (!process->waitForFinished(5000))
                process->kill();
            process->waitForFinished(5000);
        }
    }
}

void TestProbeKeychain::storedSecretSignsTheCommand_data()
{
    QTest::addColumn<QString>("entry");
    QTest::addColumn<int>("commandError");

    QTest::newRow("right secret") << QStringLiteral("ds-right") << 0;
    QTest::newRow("wrong secret") << QStringLiteral("ds-wrong") << 6;
}

void TestProbeKeychain::storedSecretSignsTheCommand()
{
    QFETCH(QString, entry);
    QFETCH(int, commandError);

    const CliRun run = cli({QStringLiteral("probe"), QStringLiteral("docserver"), dsUrl(),
                            QStringLiteral("--jwt-secret-keychain"), entry, QStringLiteral("--json")});
    // The probe ran (docservice alone has no welcome page, so the run as a whole may say 1).
    QVERIFY2(run.exitCode == 0 || run.exitCode == 1, run.err.constData());
    const QJsonArray evidence = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("evidence")).toArray();
    const QJsonObject facts = commandFacts(evidence);
    QVERIFY2(!facts.isEmpty(), run.out.constData());
    QCOMPARE(facts.value(QStringLiteral("jwt_sent")).toBool(), true);
    QCOMPARE(facts.value(QStringLiteral("command_error")).toInt(-1), commandError);
    for (const QByteArray &secret : {rightSecret, wrongSecret})
        QVERIFY(!run.out.contains(secret) && !run.err.contains(secret));
}

void TestProbeKeychain::probeReadsTheKeychainInProcess()
{
    dd::ProbeSpec spec;
    spec.kind = dd::ProbeKind::Docserver;
    spec.target = dsUrl();
    spec.secretKeychain = QStringLiteral("ds-right");
    spec.timeoutMs = 20000;
    const dd::ProbeResult result = LabFixture::runProbe(spec);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    const dd::Evidence *command = nullptr;
    for (const dd::Evidence &e : result.evidence) {
        if (e.facts.value(QStringLiteral("check")).toString() == QLatin1String("command"))
            command = &e;
    }
    QVERIFY(command);
    QCOMPARE(command->facts.value(QStringLiteral("command_error")).toInt(), 0);
    QCOMPARE(command->health, dd::Health::Ok);
}

void TestProbeKeychain::diagnoseReadsTheKeychain_data()
{
    QTest::addColumn<QString>("entry");
    QTest::addColumn<int>("commandError");
    QTest::newRow("right secret") << QStringLiteral("ds-right") << 0;
    QTest::newRow("wrong secret") << QStringLiteral("ds-wrong") << 6;
    QTest::newRow("no such entry") << QStringLiteral("no-such-entry") << -1;
}

// A profile's jwt.secretKeychain: the diagnosis signs CommandService with the entry's secret, and
// an entry that cannot be read is failed evidence naming it, the secret nowhere.
void TestProbeKeychain::diagnoseReadsTheKeychain()
{
    QFETCH(QString, entry);
    QFETCH(int, commandError);
    dd::Profile profile;
    profile.publicUrl = QUrl(dsUrl());
    profile.docserverUrl = profile.publicUrl;
    profile.jwtSecretKeychain = entry;
    profile.startupWatchMs = 0;
    dd::DiagnosisEngine engine(dd::CauseCatalog::builtIn(), dd::DecisionTree::builtIn());
    QSignalSpy finished(&engine, &dd::DiagnosisEngine::diagnosisFinished);
    engine.start(profile);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    const auto d = finished.first().first().value<dd::Diagnosis>();
    const dd::Evidence *jwt = d.evidenceById(QStringLiteral("profile.jwt"));
    QVERIFY(jwt);
    QVERIFY2(jwt->summary.contains(entry), qPrintable(jwt->summary));
    const dd::Evidence *command = d.evidenceById(QStringLiteral("probe.http.command_header"));
    QVERIFY(command);
    if (commandError < 0) {
        QCOMPARE(jwt->health, dd::Health::Failed);
        QCOMPARE(jwt->facts.value(QStringLiteral("jwt.secret_given")).toBool(), false);
    } else {
        QCOMPARE(jwt->health, dd::Health::Unknown);
        QCOMPARE(command->facts.value(QStringLiteral("command_header.command_error")).toInt(), commandError);
    }
    const QByteArray json = dd::diagnosisToJsonBytes(d);
    for (const QByteArray &secret : {rightSecret, wrongSecret})
        QVERIFY(!json.contains(secret));
}

void TestProbeKeychain::missingEntry()
{
    const CliRun run = cli({QStringLiteral("probe"), QStringLiteral("docserver"), dsUrl(),
                            QStringLiteral("--jwt-secret-keychain"), QStringLiteral("no-such-entry")});
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.err.trimmed().count('\n'), 0);
    QVERIFY2(run.err.contains("'no-such-entry'") && run.err.contains("secret set no-such-entry"), run.err.constData());
}

void TestProbeKeychain::emptyInputIsRefused()
{
    const CliRun run = cli({QStringLiteral("secret"), QStringLiteral("set"), QStringLiteral("ds-empty")}, "\n");
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.err.trimmed().count('\n'), 0);
    QVERIFY2(run.err.contains("standard input is empty"), run.err.constData());
    const CliRun check = cli({QStringLiteral("secret"), QStringLiteral("check"), QStringLiteral("ds-empty")});
    QCOMPARE(check.exitCode, 2);
}

void TestProbeKeychain::deletedEntryIsGone()
{
    CliRun run = cli({QStringLiteral("secret"), QStringLiteral("set"), QStringLiteral("ds-temporary")}, "short-lived");
    QCOMPARE(run.exitCode, 0);
    run = cli({QStringLiteral("secret"), QStringLiteral("check"), QStringLiteral("ds-temporary")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains("11 bytes"), run.out.constData());
    run = cli({QStringLiteral("secret"), QStringLiteral("delete"), QStringLiteral("ds-temporary")});
    QCOMPARE(run.exitCode, 0);
    run = cli({QStringLiteral("secret"), QStringLiteral("check"), QStringLiteral("ds-temporary")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("was not found"), run.err.constData());
}

void TestProbeKeychain::noKeychainIsOneLineAndNoPlainText()
{
    // A bus where nothing listens: no Secret Service, and qtkeychain must not fall back to a file.
    QProcessEnvironment env = m_env;
    const QString home = m_dir.filePath(QStringLiteral("home-without-keychain"));
    QVERIFY(QDir().mkpath(home));
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
               QStringLiteral("unix:path=") + m_dir.filePath(QStringLiteral("no-bus-here")));
    const CliRun set =
        cli({QStringLiteral("secret"), QStringLiteral("set"), QStringLiteral("ds-nowhere")}, rightSecret, env);
    QCOMPARE(set.exitCode, 2);
    QCOMPARE(set.err.trimmed().count('\n'), 0);
    QVERIFY2(set.err.contains("'ds-nowhere'") && set.err.contains("Secret Service"), set.err.constData());
    QVERIFY(!set.err.contains(rightSecret));
    QDirIterator files(home, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        QFile file(files.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(!file.readAll().contains(rightSecret), qPrintable(file.fileName()));
    }
    const CliRun probe = cli({QStringLiteral("probe"), QStringLiteral("docserver"), dsUrl(),
                              QStringLiteral("--jwt-secret-keychain"), QStringLiteral("ds-right")},
                             QByteArray(), env);
    QCOMPARE(probe.exitCode, 2);
    QCOMPARE(probe.err.trimmed().count('\n'), 0);
    QVERIFY2(probe.err.contains("'ds-right'") && probe.err.contains("secret file"), probe.err.constData());
}

void TestProbeKeychain::secretNeverInTheKeyringFiles()
{
    // GNOME Keyring encrypts the login keyring with its password: the secret is not there in clear.
    QDirIterator files(m_env.value(QStringLiteral("XDG_DATA_HOME")), QDir::Files, QDirIterator::Subdirectories);
    int seen = 0;
    while (files.hasNext()) {
        QFile file(files.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(!file.readAll().contains(rightSecret), qPrintable(file.fileName()));
        ++seen;
    }
    QVERIFY(seen > 0);
}

void TestProbeKeychain::lockedKeyringSaysSo()
{
    // The common case over ssh: the login keyring exists but nobody unlocked it, and its unlock
    // prompt cannot show. The entry is there; the error must point at the lock too.
    m_keyring.terminate();
    QVERIFY(m_keyring.waitForFinished(10000));
    QTRY_VERIFY_WITH_TIMEOUT(!secretServiceOnBus(), 10000);
    m_keyring.start(
        QStringLiteral("gnome-keyring-daemon"),
        {QStringLiteral("--start"), QStringLiteral("--components=secrets"), QStringLiteral("--foreground")});
    QVERIFY2(m_keyring.waitForStarted(5000), qPrintable(m_keyring.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(secretServiceOnBus(), 15000);
    const CliRun run = cli({QStringLiteral("probe"), QStringLiteral("docserver"), dsUrl(),
                            QStringLiteral("--jwt-secret-keychain"), QStringLiteral("ds-right")});
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.err.trimmed().count('\n'), 0);
    QVERIFY2(run.err.contains("'ds-right'") && run.err.contains("unlock the keyring"), run.err.constData());
}

QTEST_GUILESS_MAIN(TestProbeKeychain)
#include "tst_probe_keychain.moc"
