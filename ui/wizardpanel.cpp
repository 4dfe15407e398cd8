#include "wizardpanel.h"

#include "diagnosis/diagnosisengine.h"
#include "healthstyle.h"
#include "wizardtexts.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QUrl>
#include <QVBoxLayout>

namespace dd {

namespace {

const QLatin1String userPrefix("user.");
const QLatin1String evidenceScheme("evidence:");
constexpr int kMaxEvidenceLinks = 4;
constexpr int kMaxSummaryChars = 90;

bool isUserFact(const QString &fact)
{
    return fact.startsWith(userPrefix);
}

QString answerKey(const QString &fact)
{
    return isUserFact(fact) ? fact.mid(userPrefix.size()) : fact;
}

QLabel *wrappedLabel(const QString &html, QWidget *parent)
{
    auto *label = new QLabel(html, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    return label;
}

QString elided(const QString &text)
{
    return text.size() <= kMaxSummaryChars ? text : text.left(kMaxSummaryChars - 1) + QChar(0x2026);
}

// A push button whose text wraps: the choices are whole sentences and the panel is narrow.
class ChoiceButton : public QPushButton
{
public:
    ChoiceButton(const QString &text, QWidget *parent) : QPushButton(parent), m_label(new QLabel(text, this))
    {
        m_label->setWordWrap(true);
        m_label->setTextFormat(Qt::PlainText);
        m_label->setAttribute(Qt::WA_TransparentForMouseEvents);
        auto *layout = new QHBoxLayout(this);
        layout->setContentsMargins(10, 6, 10, 6);
        layout->addWidget(m_label);
        QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Minimum);
        policy.setHeightForWidth(true);
        setSizePolicy(policy);
        setAccessibleName(text);
    }

    QString sentence() const { return m_label->text(); }
    void setBold(bool bold)
    {
        QFont f = m_label->font();
        f.setBold(bold);
        m_label->setFont(f);
    }

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return layout()->totalHeightForWidth(width); }
    QSize sizeHint() const override { return layout()->totalSizeHint(); }
    QSize minimumSizeHint() const override { return QSize(120, layout()->totalMinimumSize().height()); }

private:
    QLabel *m_label;
};

QFrame *card(const QColor &accent, QWidget *parent)
{
    auto *frame = new QFrame(parent);
    frame->setObjectName(QStringLiteral("wizardStep"));
    frame->setStyleSheet(QStringLiteral("QFrame#wizardStep { background: #ffffff; border: 1px solid #dcdcdc;"
                                        " border-left: 4px solid %1; border-radius: 3px; }")
                             .arg(accent.name()));
    auto *layout = new QVBoxLayout(frame);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->setSpacing(4);
    return frame;
}

} // namespace

WizardPanel::WizardPanel(DiagnosisEngine *engine, QWidget *parent) : QWidget(parent), m_engine(engine)
{
    setObjectName(QStringLiteral("wizardPanel"));

    m_intro = wrappedLabel(tr("The decision path of the last diagnosis. Each question is answered from the "
                              "evidence where possible; only what cannot be observed is asked."),
                           this);
    m_intro->setStyleSheet(QStringLiteral("color: #616161;"));

    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("wizardSteps"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_startOver = new QPushButton(tr("Start over"), this);
    m_startOver->setObjectName(QStringLiteral("startOverButton"));
    m_startOver->setToolTip(tr("Forget the answers and run the diagnosis again"));
    connect(m_startOver, &QPushButton::clicked, this, &WizardPanel::startOver);
    QScrollBar *scrollBar = m_scroll->verticalScrollBar();
    connect(scrollBar, &QScrollBar::rangeChanged, this, &WizardPanel::showFocus);
    connect(scrollBar, &QScrollBar::actionTriggered, this, [this] { m_focus.clear(); });

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_startOver);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_intro);
    layout->addWidget(m_scroll, 1);
    layout->addLayout(buttons);
    rebuild();
}

QStringList WizardPanel::openQuestions() const
{
    QStringList out;
    for (const PathStep &step : m_diagnosis.path) {
        if (step.askedUser)
            out << step.fact;
    }
    return out;
}

void WizardPanel::setDiagnosis(const Diagnosis &diagnosis)
{
    m_diagnosis = diagnosis;
    m_hasDiagnosis = true;
    for (const PathStep &step : diagnosis.path) {
        if (step.askedUser && !step.choices.isEmpty())
            m_knownChoices.insert(step.fact, step.choices);
    }
    rebuild();
}

void WizardPanel::clear(const QString &message)
{
    m_diagnosis = Diagnosis();
    m_hasDiagnosis = false;
    m_message = message;
    rebuild();
}

void WizardPanel::answer(const QString &fact, const QString &choice)
{
    if (!m_engine)
        return;
    QVariantMap answers = m_engine->answers();
    answers.insert(answerKey(fact), choice);
    m_engine->setAnswers(answers);
    rewalk();
}

void WizardPanel::forgetAnswer(const QString &fact)
{
    if (!m_engine)
        return;
    QVariantMap answers = m_engine->answers();
    answers.remove(answerKey(fact));
    m_engine->setAnswers(answers);
    rewalk();
}

void WizardPanel::startOver()
{
    if (m_engine)
        m_engine->setAnswers(QVariantMap());
    Q_EMIT startOverRequested();
}

void WizardPanel::rewalk()
{
    if (!m_engine || !m_hasDiagnosis || m_engine->isRunning())
        return;
    const Diagnosis walked = m_engine->rewalk(m_diagnosis);
    m_showConclusion = true;
    setDiagnosis(walked);
    Q_EMIT diagnosisRewalked(walked);
}

void WizardPanel::rebuild()
{
    m_steps = new QWidget;
    m_steps->setObjectName(QStringLiteral("wizardStepList"));
    m_stepsLayout = new QVBoxLayout(m_steps);
    m_stepsLayout->setContentsMargins(0, 0, 4, 0);
    m_stepsLayout->setSpacing(6);

    QWidget *focus = nullptr;
    if (!m_hasDiagnosis) {
        const QString text = m_message.isEmpty()
                                 ? tr("No diagnosis yet. Run the diagnosis and the wizard walks its decision path "
                                      "with you, step by step.")
                                 : m_message;
        QLabel *placeholder = wrappedLabel(text.toHtmlEscaped(), m_steps);
        placeholder->setObjectName(QStringLiteral("wizardPlaceholder"));
        placeholder->setStyleSheet(QStringLiteral("color: #616161; padding: 12px 4px;"));
        m_stepsLayout->addWidget(placeholder);
    } else {
        for (qsizetype i = 0; i < m_diagnosis.path.size(); ++i) {
            QWidget *step = createStep(int(i) + 1, m_diagnosis.path.at(i));
            m_stepsLayout->addWidget(step);
            if (!focus && m_diagnosis.path.at(i).askedUser)
                focus = step;
        }
        QWidget *conclusion = createConclusion();
        m_stepsLayout->addWidget(conclusion);
        if (!focus && m_showConclusion)
            focus = conclusion;
    }
    m_showConclusion = false;
    m_stepsLayout->addStretch(1);
    m_scroll->setWidget(m_steps); // deletes the previous list
    m_startOver->setEnabled(m_hasDiagnosis && m_engine);

    // The open question, or the conclusion an answer led to; shown again whenever the list
    // lays out anew (its height is only known then).
    m_focus = focus;
    showFocus();
}

QWidget *WizardPanel::createStep(int number, const PathStep &step)
{
    const bool userFact = isUserFact(step.fact);
    const QVariantMap answers = m_engine ? m_engine->answers() : QVariantMap();
    const QString key = answerKey(step.fact);
    const bool answered = userFact && answers.contains(key);

    QColor accent(0x90, 0xa4, 0xae);
    if (step.askedUser)
        accent = healthColor(Health::Degraded);
    else if (answered)
        accent = QColor(0x19, 0x76, 0xd2);
    QFrame *frame = card(accent, m_steps);
    frame->setProperty("node", step.node);
    frame->setProperty("fact", step.fact);
    frame->setProperty("askedUser", step.askedUser);
    auto *layout = static_cast<QVBoxLayout *>(frame->layout());

    const QString ownQuestion = userFact ? userQuestionText(step.fact) : QString();
    const QString question = ownQuestion.isEmpty() ? step.question : ownQuestion;
    layout->addWidget(wrappedLabel(
        QStringLiteral("<b>%1</b>&nbsp; <b>%2</b>").arg(tr("%1.").arg(number), question.toHtmlEscaped()), frame));

    if (answered) {
        const QString said = userChoiceText(step.fact, answers.value(key).toString());
        layout->addWidget(
            wrappedLabel(tr("You answered: %1").arg(QStringLiteral("<i>%1</i>").arg(said.toHtmlEscaped())), frame));
        layout->addWidget(wrappedLabel(tr("So: %1").arg(step.answer.toHtmlEscaped()), frame));
    } else if (step.askedUser) {
        QLabel *ask = wrappedLabel(
            QStringLiteral("<b>%1</b> %2")
                .arg(tr("Only you can answer this."), tr("Nothing the probes, logs or captures observe tells it.")),
            frame);
        ask->setObjectName(QStringLiteral("wizardAsk"));
        ask->setStyleSheet(QStringLiteral("color: %1;").arg(healthColor(Health::Degraded).darker(140).name()));
        layout->addWidget(ask);
        if (!step.answer.isEmpty())
            layout->addWidget(wrappedLabel(tr("Until you answer: %1").arg(step.answer.toHtmlEscaped()), frame));
    } else {
        QLabel *found = wrappedLabel(tr("Found: %1").arg(step.answer.toHtmlEscaped()), frame);
        found->setObjectName(QStringLiteral("wizardAnswer"));
        layout->addWidget(found);
        QLabel *evidence = wrappedLabel(evidenceLinks(step), frame);
        evidence->setObjectName(QStringLiteral("wizardEvidence"));
        evidence->setProperty("evidenceIds", step.evidenceIds);
        evidence->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
        evidence->setStyleSheet(QStringLiteral("color: #616161;"));
        connect(evidence, &QLabel::linkActivated, this, &WizardPanel::onLinkActivated);
        layout->addWidget(evidence);
    }

    if (userFact && (step.askedUser || m_knownChoices.contains(step.fact)))
        layout->addWidget(createChoices(step, frame));
    return frame;
}

QWidget *WizardPanel::createChoices(const PathStep &step, QWidget *parent)
{
    const QStringList choices = step.askedUser ? step.choices : m_knownChoices.value(step.fact);
    const QString current = m_engine ? m_engine->answers().value(answerKey(step.fact)).toString() : QString();

    auto *box = new QWidget(parent);
    box->setObjectName(QStringLiteral("wizardChoices"));
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(3);
    if (!step.askedUser)
        layout->addWidget(wrappedLabel(tr("Change the answer:"), box));
    for (const QString &choice : choices) {
        auto *button = new ChoiceButton(userChoiceText(step.fact, choice), box);
        button->setObjectName(QStringLiteral("wizardChoice"));
        button->setProperty("fact", step.fact);
        button->setProperty("choice", choice);
        button->setProperty("sentence", button->sentence());
        button->setToolTip(userChoiceHint(step.fact, choice));
        button->setCheckable(true);
        button->setChecked(choice == current);
        button->setBold(choice == current);
        const QString fact = step.fact;
        connect(button, &QPushButton::clicked, this, [this, fact, choice] {
            // Answering rebuilds the panel and deletes this button: leave its signal first.
            QMetaObject::invokeMethod(
                this, [this, fact, choice] { answer(fact, choice); }, Qt::QueuedConnection);
        });
        layout->addWidget(button);
    }
    return box;
}

QWidget *WizardPanel::createConclusion()
{
    const Diagnosis &d = m_diagnosis;
    Health tone = Health::Degraded;
    QString headline;
    switch (d.status) {
    case VerdictStatus::Problem: {
        tone = Health::Failed;
        QString title = d.causeId;
        if (!d.causes.isEmpty() && !d.causes.first().title.isEmpty())
            title = d.causes.first().title;
        headline = tr("Conclusion: %1").arg(title);
        break;
    }
    case VerdictStatus::Healthy:
        tone = Health::Ok;
        headline = tr("Conclusion: no problem found");
        break;
    case VerdictStatus::Inconclusive:
        headline = tr("Conclusion: inconclusive");
        break;
    }
    QFrame *frame = card(healthColor(tone), m_steps);
    frame->setObjectName(QStringLiteral("wizardConclusion"));
    frame->setStyleSheet(QStringLiteral("QFrame#wizardConclusion { background: %1; border: 1px solid %2;"
                                        " border-left: 4px solid %2; border-radius: 3px; }")
                             .arg(healthFillColor(tone).name(), healthColor(tone).name()));
    frame->setProperty("status", verdictStatusName(d.status));
    frame->setProperty("causeId", d.causeId);
    auto *layout = static_cast<QVBoxLayout *>(frame->layout());
    layout->addWidget(wrappedLabel(QStringLiteral("<b>%1</b>").arg(headline.toHtmlEscaped()), frame));
    if (!d.summary.isEmpty())
        layout->addWidget(wrappedLabel(d.summary.toHtmlEscaped(), frame));
    if (d.status == VerdictStatus::Healthy && !openQuestions().isEmpty()) {
        layout->addWidget(wrappedLabel(
            tr("Every check passed. If users still report a problem, answer the question above.").toHtmlEscaped(),
            frame));
    }
    return frame;
}

QString WizardPanel::evidenceLinks(const PathStep &step) const
{
    if (step.evidenceIds.isEmpty())
        return tr("Nothing observed carries this fact; the tree took its default way.").toHtmlEscaped();
    QStringList links;
    for (const QString &id : step.evidenceIds.mid(0, kMaxEvidenceLinks)) {
        const Evidence *e = m_diagnosis.evidenceById(id);
        const QString text = e && !e->summary.isEmpty() ? elided(e->summary) : id;
        links << QStringLiteral("<a href=\"%1%2\">%3</a>")
                     .arg(evidenceScheme, QString::fromLatin1(QUrl::toPercentEncoding(id)), text.toHtmlEscaped());
    }
    QString html = tr("Decided by:") + QStringLiteral("<br>") + links.join(QStringLiteral("<br>"));
    const int more = int(step.evidenceIds.size()) - kMaxEvidenceLinks;
    if (more > 0)
        html += QStringLiteral("<br>") + tr("and %n more", nullptr, more).toHtmlEscaped();
    return html;
}

void WizardPanel::showFocus()
{
    if (m_focus)
        m_scroll->ensureWidgetVisible(m_focus, 0, 24);
}

void WizardPanel::onLinkActivated(const QString &link)
{
    if (!link.startsWith(evidenceScheme))
        return;
    Q_EMIT evidenceActivated(QUrl::fromPercentEncoding(link.mid(evidenceScheme.size()).toLatin1()));
}

} // namespace dd
