// File > New profile from configuration: the Fault Lab's own configs (front proxy nginx or
// Apache, DS nginx, local.json) go in, the stack as configured comes out with file:line for each
// address, the admin corrects a value, and the saved profile loads back with the same fields.
#include "labfixture.h"
#include "mainwindow.h"
#include "profileeditordialog.h"
#include "stackmodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace dd;

namespace {

QString valueOf(const StackModel *model, const QString &field)
{
    const int row = model->rowOfField(field);
    return row < 0 ? QString() : model->index(row, StackModel::ValueColumn).data().toString();
}

QString originOf(const StackModel *model, const QString &field)
{
    const int row = model->rowOfField(field);
    return row < 0 ? QString() : model->index(row, StackModel::OriginColumn).data().toString();
}

// Rows whose hop is `hop`, as "value@origin".
QStringList rowsOnHop(const StackModel *model, const QString &hop)
{
    QStringList out;
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, StackModel::HopColumn).data().toString() == hop)
            out << model->index(row, StackModel::ValueColumn).data().toString() + QLatin1Char('@') +
                       model->index(row, StackModel::OriginColumn).data().toString();
    }
    return out;
}

// With DD_SCREENSHOT_DIR set, the dialog as shown, for a person to look at.
void saveScreenshot(ProfileEditorDialog &dialog, const QString &name)
{
    const QString dir = qEnvironmentVariable("DD_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.grab().save(dir + QStringLiteral("/profileeditor-") + name + QStringLiteral(".png")));
}

void clickAnalyze(ProfileEditorDialog &dialog)
{
    auto *button = dialog.findChild<QPushButton *>(QStringLiteral("analyzeButton"));
    QVERIFY(button);
    button->click();
}

} // namespace

class TestProfileEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromLabConfiguration_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("nginx front") << QStringLiteral("healthy");
        QTest::newRow("Apache front") << QStringLiteral("apache-missing-proxy-modules");
    }
    void fromLabConfiguration()
    {
        QFETCH(QString, scenario);
        LabFixture lab;
        QString error;
        QVERIFY2(lab.start(scenario, &error, 30000), qPrintable(error));
        const Profile lp = lab.profile();
        QVERIFY(!lp.proxyConfig.isEmpty() && !lp.dsNginxConfig.isEmpty() && !lp.dsConfig.isEmpty());

        ProfileEditorDialog dialog;
        QAbstractItemModelTester tester(dialog.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        dialog.findChild<QLineEdit *>(QStringLiteral("profileNameEdit"))->setText(QStringLiteral("lab"));
        dialog.setProxyConfig(lp.proxyKind, lp.proxyConfig);
        dialog.setDsNginxConfig(lp.dsNginxConfig);
        dialog.setDsConfig(lp.dsConfig);
        clickAnalyze(dialog);
        const StackModel *model = dialog.model();

        // What the lab knows it configured, read back from its files.
        const QUrl docserver(valueOf(model, QStringLiteral("docserverUrl")));
        QCOMPARE(docserver.host(), lp.docserverUrl.host());
        QCOMPARE(docserver.port(), lp.docserverUrl.port());
        QVERIFY2(originOf(model, QStringLiteral("docserverUrl")).startsWith(lp.proxyConfig + QLatin1Char(':')),
                 qPrintable(originOf(model, QStringLiteral("docserverUrl"))));
        QCOMPARE(valueOf(model, QStringLiteral("docservice")),
                 QStringLiteral("%1:%2").arg(lp.docserviceHost).arg(lp.docservicePort));
        QVERIFY2(originOf(model, QStringLiteral("docservice")).startsWith(lp.dsNginxConfig + QLatin1Char(':')),
                 qPrintable(originOf(model, QStringLiteral("docservice"))));
        // The public address is not in these files: an empty row to fill in.
        QVERIFY(valueOf(model, QStringLiteral("publicUrl")).isEmpty());

        QVERIFY(dialog.model()->setData(
            dialog.model()->index(model->rowOfField(QStringLiteral("publicUrl")), StackModel::ValueColumn),
            lp.publicUrl.toString()));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profile.json"));
        QVERIFY2(dialog.saveProfile(path, &error), qPrintable(error));
        const ProfileLoadResult loaded = loadProfile(path);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error));
        const Profile &p = loaded.profile;
        QCOMPARE(p.name, QStringLiteral("lab"));
        QCOMPARE(p.publicUrl, lp.publicUrl);
        QCOMPARE(p.docserverUrl.port(), lp.docserverUrl.port());
        QCOMPARE(p.docserviceHost, lp.docserviceHost);
        QCOMPARE(p.docservicePort, lp.docservicePort);
        QCOMPARE(p.proxyKind, lp.proxyKind);
        QCOMPARE(p.proxyConfig, lp.proxyConfig);
        QCOMPARE(p.dsNginxConfig, lp.dsNginxConfig);
        QCOMPARE(p.dsConfig, lp.dsConfig);

        saveScreenshot(dialog, scenario);
    }

    // Every hop of the stack, with an integrator and Document Server's own configuration.
    void wholeStack()
    {
        const QString data = QStringLiteral(DD_SOURCE_DIR "/tests/data/config/");
        ProfileEditorDialog dialog;
        dialog.setProxyConfig(QStringLiteral("nginx"),
                              data + QStringLiteral("nginx/cross/upstream-not-listening.good.conf"));
        dialog.setDsNginxConfig(data + QStringLiteral("nginx/cross/ds-nginx.conf"));
        dialog.setDsConfig(data + QStringLiteral("ds/etc-onlyoffice"));
        dialog.setIntegratorConfig(data + QStringLiteral("ds/integrator/integrator-mixed-content.good.json"));
        clickAnalyze(dialog);
        const StackModel *model = dialog.model();
        const QString integrator = data + QStringLiteral("ds/integrator/integrator-mixed-content.good.json");
        QCOMPARE(valueOf(model, QStringLiteral("publicUrl")), QStringLiteral("https://docs.example.com/"));
        QCOMPARE(originOf(model, QStringLiteral("publicUrl")), integrator + QStringLiteral(":7"));
        QCOMPARE(valueOf(model, QStringLiteral("integrator.url")), QStringLiteral("https://cloud.example.com"));
        const QStringList docservice = rowsOnHop(model, QStringLiteral("dsnginx->docservice"));
        QVERIFY2(docservice.value(0).startsWith(QStringLiteral("127.0.0.1:8005@") + data +
                                                QStringLiteral("nginx/cross/ds-nginx.conf:")),
                 qPrintable(docservice.join(QLatin1Char(' '))));
        const QString local = data + QStringLiteral("ds/etc-onlyoffice/local.json");
        QCOMPARE(rowsOnHop(model, QStringLiteral("docservice->database")),
                 QStringList{QStringLiteral("localhost:5432@") + local + QStringLiteral(":6")});
        QCOMPARE(rowsOnHop(model, QStringLiteral("docservice->rabbitmq")),
                 QStringList{QStringLiteral("localhost:5672@") + local + QStringLiteral(":41")});
        QCOMPARE(rowsOnHop(model, QStringLiteral("docservice->redis")),
                 QStringList{QStringLiteral("127.0.0.1:6379@") + data +
                             QStringLiteral("ds/etc-onlyoffice/default.json:71")});
        QVERIFY(!rowsOnHop(model, QStringLiteral("proxy->dsnginx")).isEmpty());
        saveScreenshot(dialog, QStringLiteral("whole-stack"));
    }

    void badValueIsNamed()
    {
        const QString data = QStringLiteral(DD_SOURCE_DIR "/tests/data/config/");
        ProfileEditorDialog dialog;
        dialog.setDsNginxConfig(data + QStringLiteral("nginx/cross/ds-nginx.conf"));
        clickAnalyze(dialog);
        StackModel *model = dialog.model();
        const int row = model->rowOfField(QStringLiteral("docservice"));
        QVERIFY(row >= 0);
        QVERIFY(model->setData(model->index(row, StackModel::ValueColumn), QStringLiteral("docservice at 8000")));
        QCOMPARE(model->index(row, StackModel::NoteColumn).data().toString(), QStringLiteral("corrected by hand"));
        QString error;
        QCOMPARE(dialog.profile(&error).hasDocservice(), false);
        QCOMPARE(error, QStringLiteral("docservice: 'docservice at 8000' is not HOST:PORT (expected e.g. "
                                       "127.0.0.1:8000)"));
        dialog.findChild<QPushButton *>(QStringLiteral("loadButton"))->click();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("statusLabel"))->text(), error);

        ProfileEditorDialog empty;
        clickAnalyze(empty);
        QCOMPARE(empty.findChild<QLabel *>(QStringLiteral("statusLabel"))->text(),
                 QStringLiteral("Name at least one configuration file."));
    }

    void unreadableFileIsNamed()
    {
        ProfileEditorDialog dialog;
        dialog.setProxyConfig(QStringLiteral("apache"), QStringLiteral("/nonexistent/apache2.conf"));
        clickAnalyze(dialog);
        const QString status = dialog.findChild<QLabel *>(QStringLiteral("statusLabel"))->text();
        QVERIFY2(status.contains(QLatin1String("/nonexistent/apache2.conf")), qPrintable(status));
    }

    void fileMenuOpensIt()
    {
        MainWindow window(nullptr, nullptr);
        auto *action = window.findChild<QAction *>(QStringLiteral("newProfileFromConfigAction"));
        QVERIFY(action);
        QCOMPARE(action->text(), QStringLiteral("New profile from configuration…"));
    }
};

QTEST_MAIN(TestProfileEditor)
#include "tst_profileeditor.moc"
