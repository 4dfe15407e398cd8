// docserver-doctor: the workbench. Composition only: create the engines, hand them to the window.
#include "diagnosis/diagnosisengine.h"
#include "lab/lab.h"
#include "mainwindow.h"
#include "model/profile.h"
#include "probe/probescheduler.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTextStream>
#include <QTranslator>

namespace {

void printError(const QString &message)
{
    QTextStream(stderr) << "docserver-doctor: " << message << '\n';
}

void installTranslators(QApplication &app)
{
    auto *own = new QTranslator(&app);
    if (own->load(QLocale(), QStringLiteral("docserver-doctor"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(own);
    auto *qt = new QTranslator(&app);
    if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qt);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("docserver-doctor"));
    QApplication::setApplicationDisplayName(QStringLiteral("DocServer Doctor"));
    QApplication::setOrganizationName(QStringLiteral("docserver-doctor"));
    installTranslators(app);

    const QString defaultScenario = dd::MainWindow::defaultLabScenario();
    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Finds which hop of an ONLYOFFICE Document Server deployment answers 502/503/504, and why."));
    parser.addHelpOption();
    const QCommandLineOption profileOption(
        QStringLiteral("profile"), QApplication::translate("main", "Diagnose the deployment described by FILE."),
        QStringLiteral("FILE"));
    const QCommandLineOption scenarioOption(
        QStringLiteral("scenario"),
        QApplication::translate("main", "Without --profile: the Fault Lab scenario to start (default: %1).")
            .arg(defaultScenario),
        QStringLiteral("ID"), defaultScenario);
    const QCommandLineOption diagnoseOption(
        QStringLiteral("diagnose"),
        QApplication::translate("main", "Run a diagnosis as soon as the profile is ready."));
    parser.addOptions({profileOption, scenarioOption, diagnoseOption});
    parser.process(app);

    if (!parser.positionalArguments().isEmpty()) {
        printError(QStringLiteral("unexpected argument '%1' (see --help)").arg(parser.positionalArguments().first()));
        return 2;
    }
    if (parser.isSet(profileOption) && parser.isSet(scenarioOption)) {
        printError(QStringLiteral("--profile and --scenario exclude each other"));
        return 2;
    }

    dd::ProfileLoadResult loaded;
    const bool useProfile = parser.isSet(profileOption);
    if (useProfile) {
        loaded = dd::loadProfile(parser.value(profileOption));
        if (!loaded.ok()) {
            printError(loaded.error);
            return 2;
        }
    } else if (!dd::Lab::hasScenario(parser.value(scenarioOption))) {
        printError(QStringLiteral("unknown lab scenario '%1' (see 'docserver-doctor-cli lab list')")
                       .arg(parser.value(scenarioOption)));
        return 2;
    }

    // Declared before the window so they outlive it; the lab's destructor stops its servers.
    dd::DiagnosisEngine engine(dd::CauseCatalog::builtIn(), dd::DecisionTree::builtIn());
    dd::Lab lab;
    dd::ProbeScheduler scheduler;
    dd::MainWindow window(&engine, &lab, &scheduler);

    if (parser.isSet(diagnoseOption)) {
        QObject::connect(&window, &dd::MainWindow::profileChanged, &window, &dd::MainWindow::runDiagnosis,
                         Qt::ConnectionType(Qt::QueuedConnection | Qt::SingleShotConnection));
    }
    window.show();
    if (useProfile)
        window.setProfile(loaded.profile);
    else
        window.startLabScenario(parser.value(scenarioOption));
    return QApplication::exec();
}
