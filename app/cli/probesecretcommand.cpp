#include "commands.h"
#include "probecliutil.h"

#include "util/secretfile.h"

#include <QFile>
#include <QTextStream>

#include <termios.h>
#include <unistd.h>

using namespace probecli;

namespace {

// The keychain may have to unlock (a desktop prompt): longer than a probe's bound.
constexpr int keychainTimeoutMs = 60000;

QString checkEntryName(const QString &name)
{
    if (name.isEmpty() || name.size() > 200)
        return QStringLiteral("keychain entry name '%1' must be 1 to 200 characters").arg(name);
    for (const QChar c : name) {
        if (c.category() == QChar::Other_Control)
            return QStringLiteral("keychain entry name '%1' contains a control character").arg(name);
    }
    return QString();
}

// The first line of standard input, without echo when it is a terminal. Never from argv: it would
// show in ps and the shell's history.
bool readSecretFromStdin(const QString &name, QByteArray *secret, QString *error)
{
    const bool tty = isatty(STDIN_FILENO);
    termios saved{};
    if (tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        QTextStream(stderr) << "Secret for keychain entry '" << name << "' (not echoed), then Enter: " << Qt::flush;
    }
    QFile in;
    QByteArray data;
    if (in.open(stdin, QIODevice::ReadOnly)) {
        // A terminal ends the secret at the line end, a pipe or file at its end.
        data = tty ? in.readLine(64 * 1024 + 1) : in.read(64 * 1024 + 1);
    }
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        QTextStream(stderr) << '\n';
    }
    *secret = dd::secretLine(data, QStringLiteral("the secret on standard input"), error);
    return !secret->isEmpty();
}

// Runs one keychain call to its end; returns its error (empty on success).
QString waitForKeychain(const std::function<void(QObject *, dd::KeychainDone)> &call, QByteArray *secret = nullptr)
{
    QEventLoop loop;
    QString error;
    call(&loop, [&](const QByteArray &value, const QString &problem) {
        error = problem;
        if (secret)
            *secret = value;
        loop.quit();
    });
    loop.exec();
    return error;
}

} // namespace

namespace probecli {

QString keychainProblem(const QString &name, int timeoutMs)
{
    QString error = checkEntryName(name);
    if (!error.isEmpty())
        return error;
    QByteArray secret;
    error = waitForKeychain(
        [&](QObject *context, dd::KeychainDone done) { dd::readKeychainSecret(name, timeoutMs, context, done); },
        &secret);
    if (error.isEmpty() && secret.trimmed().isEmpty())
        error = QStringLiteral("keychain entry '%1' is empty; store the secret with 'docserver-doctor-cli secret set "
                               "%1'")
                    .arg(name);
    return error;
}

} // namespace probecli

int runSecretCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "secret set|check|delete NAME - the system keychain entries (service docserver-doctor) that\n"
        "'probe docserver --jwt-secret-keychain NAME' reads. 'set' takes the secret from standard input\n"
        "(first line; not echoed on a terminal), never from the command line; 'check' says whether the\n"
        "entry can be read and its length; 'delete' removes it. No keychain, no plain-text fallback.\n"
        "Exit status: 0 done, 2 bad usage or the keychain cannot do it."));
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("set, check or delete."),
                                 QStringLiteral("set|check|delete"));
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The keychain entry."));
    if (printedHelp(parser, args, QStringLiteral("secret set|check|delete NAME")))
        return ExitCode::Healthy;
    int exitCode = 0;
    if (!parseArguments(parser, args, &exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    if (positional.size() != 2 ||
        !QStringList{QStringLiteral("set"), QStringLiteral("check"), QStringLiteral("delete")}.contains(action)) {
        printError(QStringLiteral("secret takes set, check or delete and one NAME (see secret --help)"));
        return ExitCode::Usage;
    }
    const QString name = positional.at(1);
    QString error = checkEntryName(name);
    if (!error.isEmpty()) {
        printError(QStringLiteral("secret %1: %2").arg(action, error));
        return ExitCode::Usage;
    }
    QTextStream out(stdout);
    if (action == QLatin1String("set")) {
        QByteArray secret;
        if (!readSecretFromStdin(name, &secret, &error)) {
            printError(QStringLiteral("secret set: %1").arg(error));
            return ExitCode::Usage;
        }
        error = waitForKeychain([&](QObject *context, dd::KeychainDone done) {
            dd::writeKeychainSecret(name, secret, keychainTimeoutMs, context, done);
        });
        if (error.isEmpty())
            out << "stored keychain entry '" << name << "' (" << secret.size() << " bytes)\n";
    } else if (action == QLatin1String("check")) {
        QByteArray secret;
        error = waitForKeychain(
            [&](QObject *context, dd::KeychainDone done) {
                dd::readKeychainSecret(name, keychainTimeoutMs, context, done);
            },
            &secret);
        if (error.isEmpty())
            out << "keychain entry '" << name << "' holds a secret of " << secret.size() << " bytes\n";
    } else {
        error = waitForKeychain([&](QObject *context, dd::KeychainDone done) {
            dd::deleteKeychainSecret(name, keychainTimeoutMs, context, done);
        });
        if (error.isEmpty())
            out << "deleted keychain entry '" << name << "'\n";
    }
    if (!error.isEmpty()) {
        printError(QStringLiteral("secret %1: %2").arg(action, error));
        return ExitCode::Usage;
    }
    return ExitCode::Healthy;
}
