#include "profileeditordialog.h"

#include "stackmodel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QTableView>
#include <QVBoxLayout>

namespace dd {

ProfileEditorDialog::ProfileEditorDialog(QWidget *parent) : QDialog(parent), m_model(new StackModel(this))
{
    setObjectName(QStringLiteral("profileEditorDialog"));
    setWindowTitle(tr("New profile from configuration"));
    auto *form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("profileNameEdit"));
    m_name->setPlaceholderText(tr("a label for reports"));
    form->addRow(tr("Name"), m_name);
    m_proxyKind = new QComboBox(this);
    m_proxyKind->setObjectName(QStringLiteral("proxyKindCombo"));
    m_proxyKind->addItem(QStringLiteral("nginx"), QStringLiteral("nginx"));
    m_proxyKind->addItem(QStringLiteral("Apache"), QStringLiteral("apache"));
    m_proxyConfig = addFileRow(form, tr("Front proxy configuration"), QStringLiteral("proxyConfigEdit"), m_proxyKind);
    m_dsNginxConfig =
        addFileRow(form, tr("Document Server's nginx configuration"), QStringLiteral("dsNginxConfigEdit"));
    m_dsConfig = addFileRow(form, tr("Document Server's local.json (or its folder, docker inspect, env file)"),
                            QStringLiteral("dsConfigEdit"));
    m_integrator = addFileRow(form, tr("Integrator settings (occ config:list onlyoffice)"),
                              QStringLiteral("integratorConfigEdit"));

    auto *analyzeButton = new QPushButton(tr("Read configuration"), this);
    analyzeButton->setObjectName(QStringLiteral("analyzeButton"));
    connect(analyzeButton, &QPushButton::clicked, this, &ProfileEditorDialog::analyze);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("stackView"));
    m_view->setModel(m_model);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->verticalHeader()->hide();
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::AnyKeyPressed);
    m_status = new QLabel(tr("Name the configuration files, then read them."), this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *save = buttons->addButton(tr("Save profile…"), QDialogButtonBox::ActionRole);
    save->setObjectName(QStringLiteral("saveButton"));
    QPushButton *load = buttons->addButton(tr("Load into workbench"), QDialogButtonBox::AcceptRole);
    load->setObjectName(QStringLiteral("loadButton"));
    connect(save, &QPushButton::clicked, this, &ProfileEditorDialog::chooseSaveFile);
    connect(load, &QPushButton::clicked, this, &ProfileEditorDialog::loadIntoWorkbench);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(analyzeButton, 0, Qt::AlignLeft);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(1100, 620);
}

QLineEdit *ProfileEditorDialog::addFileRow(QFormLayout *form, const QString &label, const QString &objectName,
                                           QWidget *lead)
{
    auto *row = new QHBoxLayout;
    if (lead)
        row->addWidget(lead);
    auto *edit = new QLineEdit(this);
    edit->setObjectName(objectName);
    row->addWidget(edit, 1);
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this, edit, label]() {
        const QString path = QFileDialog::getOpenFileName(this, label, edit->text());
        if (!path.isEmpty())
            edit->setText(path);
    });
    row->addWidget(browse);
    form->addRow(label, row);
    return edit;
}

void ProfileEditorDialog::setProxyConfig(const QString &kind, const QString &path)
{
    m_proxyKind->setCurrentIndex(qMax(0, m_proxyKind->findData(kind)));
    m_proxyConfig->setText(path);
}

void ProfileEditorDialog::setDsNginxConfig(const QString &path)
{
    m_dsNginxConfig->setText(path);
}

void ProfileEditorDialog::setDsConfig(const QString &path)
{
    m_dsConfig->setText(path);
}

void ProfileEditorDialog::setIntegratorConfig(const QString &path)
{
    m_integrator->setText(path);
}

StackFiles ProfileEditorDialog::files() const
{
    StackFiles f;
    f.proxyKind = m_proxyKind->currentData().toString();
    f.proxyConfig = m_proxyConfig->text().trimmed();
    f.dsNginxConfig = m_dsNginxConfig->text().trimmed();
    f.dsConfig = m_dsConfig->text().trimmed();
    f.integratorFile = m_integrator->text().trimmed();
    return f;
}

void ProfileEditorDialog::analyze()
{
    const StackFiles f = files();
    if (f.lintInputs().isEmpty()) {
        showProblem(tr("Name at least one configuration file."));
        return;
    }
    m_stack = deriveConfiguredStack(f);
    m_model->setStack(m_stack);
    m_view->resizeColumnsToContents();
    QStringList lines;
    for (const ConfigError &e : m_stack.lint.errors)
        lines << e.toString();
    lines << tr("%n address(es) read from the configuration; %1 error(s), %2 warning(s) found by the checks "
                "(docserver-doctor-cli lint). Double-click an address to correct it.",
                nullptr, int(m_stack.endpoints.size()))
                 .arg(m_stack.lint.count(LintSeverity::Error))
                 .arg(m_stack.lint.count(LintSeverity::Warning));
    m_status->setText(lines.join(QLatin1Char('\n')));
}

Profile ProfileEditorDialog::profile(QString *error) const
{
    QList<QPair<QString, QString>> values = m_model->fieldValues();
    values.prepend({QStringLiteral("name"), m_name->text()});
    error->clear();
    Profile p = profileFromStack(files(), values, error);
    if (error->isEmpty() && !p.hasFrontProxy() && !p.hasDocserver())
        *error = tr("The profile needs the public address or Document Server's address: fill in publicUrl or "
                    "docserverUrl.");
    return error->isEmpty() ? p : Profile();
}

bool ProfileEditorDialog::saveProfile(const QString &path, QString *error)
{
    const Profile p = profile(error);
    if (!error->isEmpty())
        return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(profileToJson(p)) < 0 || !file.commit()) {
        *error = tr("%1: cannot write it (%2)").arg(path, file.errorString());
        return false;
    }
    return true;
}

void ProfileEditorDialog::chooseSaveFile()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save profile"), QString(), tr("Profiles (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (saveProfile(path, &error))
        m_status->setText(tr("Profile saved to %1.").arg(path));
    else
        showProblem(error);
}

void ProfileEditorDialog::loadIntoWorkbench()
{
    QString error;
    profile(&error);
    if (error.isEmpty())
        accept();
    else
        showProblem(error);
}

void ProfileEditorDialog::showProblem(const QString &text)
{
    m_status->setText(text);
}

} // namespace dd
