#pragma once

#include "model/diagnosis.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QScrollArea;
class QVBoxLayout;

namespace dd {

class DiagnosisEngine;

/**
 * The guided wizard: walks the decision path of the latest diagnosis step by step (question,
 * the answer found, the evidence that decided it) and asks only the questions nothing
 * observable answers. Choosing an answer walks the tree again over the same evidence
 * (DiagnosisEngine::rewalk), without probing again, and reports the new diagnosis.
 */
class WizardPanel : public QWidget
{
    Q_OBJECT
public:
    explicit WizardPanel(DiagnosisEngine *engine, QWidget *parent = nullptr);

    bool hasDiagnosis() const { return m_hasDiagnosis; }
    const Diagnosis &diagnosis() const { return m_diagnosis; }
    /// The facts of the current path the user still has to answer ("user.symptom", ...).
    QStringList openQuestions() const;

public Q_SLOTS:
    void setDiagnosis(const dd::Diagnosis &diagnosis);
    /// Back to the empty state (a new profile, a diagnosis starting).
    void clear(const QString &message = QString());
    /// Answers a user question (`fact` is "user.<key>") and walks the tree again.
    void answer(const QString &fact, const QString &choice);
    /// Forgets an answer and walks the tree again, so the question is asked anew.
    void forgetAnswer(const QString &fact);
    void startOver();

Q_SIGNALS:
    /// The tree was walked again after an answer; no probe ran.
    void diagnosisRewalked(const dd::Diagnosis &diagnosis);
    /// The user clicked the evidence that decided a step.
    void evidenceActivated(const QString &evidenceId);
    /// The user wants a fresh diagnosis (answers forgotten).
    void startOverRequested();

private:
    void rewalk();
    void rebuild();
    QWidget *createStep(int number, const PathStep &step);
    QWidget *createChoices(const PathStep &step, QWidget *parent);
    QWidget *createConclusion();
    QString evidenceLinks(const PathStep &step) const;
    void onLinkActivated(const QString &link);
    void showFocus();

    DiagnosisEngine *m_engine;
    Diagnosis m_diagnosis;
    bool m_hasDiagnosis = false;
    QHash<QString, QStringList> m_knownChoices; ///< choices of user questions seen, by fact
    QString m_message;
    bool m_showConclusion = false; ///< after an answer, the new conclusion is what the user looks for

    QLabel *m_intro = nullptr;
    QScrollArea *m_scroll = nullptr;
    QWidget *m_steps = nullptr;
    QVBoxLayout *m_stepsLayout = nullptr;
    QPushButton *m_startOver = nullptr;
    QPointer<QWidget> m_focus; ///< kept in view while the list lays out, until the user scrolls
};

} // namespace dd
