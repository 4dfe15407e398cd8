#pragma once

#include "config/configuredstack.h"
#include "model/profile.h"

#include <QDialog>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QTableView;

namespace dd {

class StackModel;

/**
 * File > New profile from configuration: the admin names the front proxy's config (nginx or
 * Apache), Document Server's nginx config, its local.json and the integrator's settings; the
 * analyzer derives the stack as configured and shows each address with the file:line it came
 * from; the admin corrects what is wrong, then saves the profile JSON and/or loads it.
 */
class ProfileEditorDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ProfileEditorDialog(QWidget *parent = nullptr);

    void setProxyConfig(const QString &kind, const QString &path);
    void setDsNginxConfig(const QString &path);
    void setDsConfig(const QString &path);
    void setIntegratorConfig(const QString &path);

    /// Reads the configuration files and fills the table.
    void analyze();
    const ConfiguredStack &stack() const { return m_stack; }
    StackModel *model() const { return m_model; }

    /// The profile as shown (with the admin's corrections); empty with `error` set when a value
    /// does not parse.
    Profile profile(QString *error) const;
    /// Writes the profile JSON; false with a one-line `error`.
    bool saveProfile(const QString &path, QString *error);

private:
    QLineEdit *addFileRow(QFormLayout *form, const QString &label, const QString &objectName, QWidget *lead = nullptr);
    StackFiles files() const;
    void chooseSaveFile();
    void loadIntoWorkbench();
    void showProblem(const QString &text);

    QLineEdit *m_name = nullptr;
    QComboBox *m_proxyKind = nullptr;
    QLineEdit *m_proxyConfig = nullptr;
    QLineEdit *m_dsNginxConfig = nullptr;
    QLineEdit *m_dsConfig = nullptr;
    QLineEdit *m_integrator = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_status = nullptr;
    StackModel *m_model = nullptr;
    ConfiguredStack m_stack;
};

} // namespace dd
