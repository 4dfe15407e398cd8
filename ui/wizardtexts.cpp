#include "wizardtexts.h"

#include <QCoreApplication>

namespace dd {

namespace {

constexpr char kContext[] = "dd::WizardTexts";

struct ChoiceText
{
    const char *id;
    const char *sentence;
    const char *hint;
};

// The quoted messages are the editor's own English wording, so an admin can match what users report.
constexpr ChoiceText kSymptoms[] = {
    {"none", QT_TRANSLATE_NOOP("dd::WizardTexts", "Nothing is wrong: documents open, edit and save"), nullptr},
    {"download-failed", QT_TRANSLATE_NOOP("dd::WizardTexts", "The editor says “Download failed”"),
     QT_TRANSLATE_NOOP("dd::WizardTexts",
                       "Document Server could not fetch the file from the storage (integrator) URL.")},
    {"token-not-formed",
     QT_TRANSLATE_NOOP("dd::WizardTexts", "The editor says “The document security token is not correctly formed”"),
     QT_TRANSLATE_NOOP("dd::WizardTexts",
                       "The JWT secret or header differs between Document Server and the integrator.")},
    {"connection-lost", QT_TRANSLATE_NOOP("dd::WizardTexts", "The editor opens, then says “Connection is lost”"),
     QT_TRANSLATE_NOOP("dd::WizardTexts", "The co-editing WebSocket is cut, often by a proxy timeout.")},
    {"could-not-be-saved",
     QT_TRANSLATE_NOOP("dd::WizardTexts", "Editing works, but the editor says “The document could not be saved”"),
     QT_TRANSLATE_NOOP("dd::WizardTexts",
                       "Document Server could not deliver the saved file to the integrator's callback.")},
    {"frame-refused", QT_TRANSLATE_NOOP("dd::WizardTexts", "The editor frame stays blank or says “refused to connect”"),
     QT_TRANSLATE_NOOP("dd::WizardTexts",
                       "A proxy adds X-Frame-Options or CSP headers that forbid embedding the editor.")},
    {"mixed-content",
     QT_TRANSLATE_NOOP("dd::WizardTexts", "The browser console reports mixed content (http:// on an https page)"),
     QT_TRANSLATE_NOOP("dd::WizardTexts",
                       "Document Server builds http:// links because the proxy does not pass the scheme.")},
    {"example-fails", QT_TRANSLATE_NOOP("dd::WizardTexts", "Document Server's test example (/example/) does not open"),
     QT_TRANSLATE_NOOP("dd::WizardTexts", "The bundled example service is stopped or not proxied.")},
};

const ChoiceText *symptom(const QString &fact, const QString &choice)
{
    if (fact != QLatin1String("user.symptom"))
        return nullptr;
    for (const ChoiceText &c : kSymptoms) {
        if (choice == QLatin1String(c.id))
            return &c;
    }
    return nullptr;
}

// A choice the wizard has no sentence for (the tree grew): "example-fails" → "Example fails".
QString readableId(const QString &choice)
{
    QString text = choice;
    text.replace(QLatin1Char('-'), QLatin1Char(' '));
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
    return text;
}

} // namespace

QString userQuestionText(const QString &fact)
{
    if (fact == QLatin1String("user.symptom"))
        return QCoreApplication::translate("dd::WizardTexts", "What do the users see when they open a document?");
    return QString();
}

QString userChoiceText(const QString &fact, const QString &choice)
{
    const ChoiceText *text = symptom(fact, choice);
    return text ? QCoreApplication::translate(kContext, text->sentence) : readableId(choice);
}

QString userChoiceHint(const QString &fact, const QString &choice)
{
    const ChoiceText *text = symptom(fact, choice);
    return text && text->hint ? QCoreApplication::translate(kContext, text->hint) : QString();
}

} // namespace dd
