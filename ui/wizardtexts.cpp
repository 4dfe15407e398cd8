#include "wizardtexts.h"

#include <QCoreApplication>

namespace dd {

namespace {

bool isSymptom(const QString &fact)
{
    return fact == QLatin1String("user.symptom");
}

} // namespace

QString userQuestionText(const QString &fact)
{
    if (isSymptom(fact))
        return QCoreApplication::translate("dd::WizardTexts", "What do the users see when they open a document?");
    return QString();
}

QString userChoiceText(const QString &fact, const QString &choice)
{
    if (!isSymptom(fact))
        return choice;
    // The quoted messages are the editor's own English wording, so an admin can match what users report.
    if (choice == QLatin1String("none"))
        return QCoreApplication::translate("dd::WizardTexts", "Nothing is wrong: documents open, edit and save");
    if (choice == QLatin1String("download-failed"))
        return QCoreApplication::translate("dd::WizardTexts", "The editor says “Download failed”");
    if (choice == QLatin1String("token-not-formed"))
        return QCoreApplication::translate("dd::WizardTexts",
                                           "The editor says “The document security token is not correctly formed”");
    if (choice == QLatin1String("connection-lost"))
        return QCoreApplication::translate("dd::WizardTexts", "The editor opens, then says “Connection is lost”");
    if (choice == QLatin1String("could-not-be-saved"))
        return QCoreApplication::translate("dd::WizardTexts",
                                           "Editing works, but the editor says “The document could not be saved”");
    if (choice == QLatin1String("frame-refused"))
        return QCoreApplication::translate("dd::WizardTexts",
                                           "The editor frame stays blank or says “refused to connect”");
    if (choice == QLatin1String("mixed-content"))
        return QCoreApplication::translate("dd::WizardTexts",
                                           "The browser console reports mixed content (http:// on an https page)");
    return choice;
}

QString userChoiceHint(const QString &fact, const QString &choice)
{
    if (!isSymptom(fact))
        return QString();
    if (choice == QLatin1String("download-failed"))
        return QCoreApplication::translate("dd::WizardTexts", "Document Server could not fetch the file from the storage (integrator) URL.");
    if (choice == QLatin1String("token-not-formed"))
        return QCoreApplication::translate("dd::WizardTexts", "The JWT secret or header differs between Document Server and the integrator.");
    if (choice == QLatin1String("connection-lost"))
        return QCoreApplication::translate("dd::WizardTexts", "The co-editing WebSocket is cut, often by a proxy timeout.");
    if (choice == QLatin1String("could-not-be-saved"))
        return QCoreApplication::translate("dd::WizardTexts", "Document Server could not deliver the saved file to the integrator's callback.");
    if (choice == QLatin1String("frame-refused"))
        return QCoreApplication::translate("dd::WizardTexts", "A proxy adds X-Frame-Options or CSP headers that forbid embedding the editor.");
    if (choice == QLatin1String("mixed-content"))
        return QCoreApplication::translate("dd::WizardTexts", "Document Server builds http:// links because the proxy does not pass the scheme.");
    return QString();
}

} // namespace dd
