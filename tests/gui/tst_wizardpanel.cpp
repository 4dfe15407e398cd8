#include "diagnosis/diagnosisengine.h"
#include "labfixture.h"
#include "wizardpanel.h"
#include "wizardtexts.h"

#include <QFrame>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace dd;

namespace {

constexpr int diagnosisTimeoutMs = 60000;
const QString symptomFact = QStringLiteral("user.symptom");

QPushButton *choiceButton(const WizardPanel &wizard, const QString &choice)
{
    const QList<QPushButton *> buttons = wizard.findChildren<QPushButton *>(QStringLiteral("wizardChoice"));
    for (QPushButton *button : buttons) {
        if (button->property("choice").toString() == choice)
            return button;
    }
    return nullptr;
}

QFrame *stepFrame(const WizardPanel &wizard, const QString &fact)
{
    const QList<QFrame *> frames = wizard.findChildren<QFrame *>(QStringLiteral("wizardStep"));
    for (QFrame *frame : frames) {
        if (frame->property("fact").toString() == fact)
            return frame;
    }
    return nullptr;
}

QStringList observedEvidenceIds(const Diagnosis &diagnosis)
{
    QStringList ids;
    for (const Evidence &e : diagnosis.evidence) {
        if (e.source != EvidenceSource::User)
            ids << e.id;
    }
    return ids;
}

void saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("DD_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    // Pending layout requests first, so the picture shows the settled window.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    widget->grab().save(dir + QLatin1Char('/') + name);
}

} // namespace

class TestWizardPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void emptyBeforeADiagnosis();
    void everyTreeChoiceHasASentence();
    void symptomIsAskedOfTheUser();
    void answerRewalksWithoutProbing_data();
    void answerRewalksWithoutProbing();
    void answerCanBeChangedAndForgotten();
    void evidenceLinksNameTheEvidence();
    void startOverForgetsAnswers();

private:
    std::unique_ptr<LabFixture> m_lab;
    std::unique_ptr<DiagnosisEngine> m_engine;
    Diagnosis m_healthy; ///< one real diagnosis of the lab's healthy scenario, shared by the tests
};

void TestWizardPanel::initTestCase()
{
    m_lab = std::make_unique<LabFixture>();
    QString error;
    QVERIFY2(m_lab->start(QStringLiteral("healthy"), &error), qPrintable(error));
    m_engine = std::make_unique<DiagnosisEngine>(CauseCatalog::builtIn(), DecisionTree::builtIn());
    QSignalSpy finished(m_engine.get(), &DiagnosisEngine::diagnosisFinished);
    QSignalSpy failed(m_engine.get(), &DiagnosisEngine::diagnosisFailed);
    m_engine->start(m_lab->profile());
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), diagnosisTimeoutMs);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    m_healthy = finished.first().first().value<Diagnosis>();
    QCOMPARE(m_healthy.status, VerdictStatus::Healthy);
}

void TestWizardPanel::init()
{
    m_engine->setAnswers(QVariantMap());
}

void TestWizardPanel::cleanupTestCase()
{
    m_engine.reset();
    m_lab.reset(); // stops the lab's servers
}

void TestWizardPanel::emptyBeforeADiagnosis()
{
    WizardPanel wizard(m_engine.get());
    QCOMPARE(wizard.objectName(), QStringLiteral("wizardPanel"));
    QVERIFY(!wizard.hasDiagnosis());
    QVERIFY(wizard.findChild<QLabel *>(QStringLiteral("wizardPlaceholder")));
    QVERIFY(wizard.findChildren<QFrame *>(QStringLiteral("wizardStep")).isEmpty());
    QVERIFY(!wizard.findChild<QPushButton *>(QStringLiteral("startOverButton"))->isEnabled());
}

void TestWizardPanel::everyTreeChoiceHasASentence()
{
    // A choice added to the tree needs its plain-words sentence (and translation) here too.
    int questions = 0;
    const DecisionTree tree = DecisionTree::builtIn();
    for (const TreeNode &node : tree.nodes()) {
        if (node.askChoices.isEmpty())
            continue;
        ++questions;
        QVERIFY2(node.fact.startsWith(QLatin1String("user.")), qPrintable(node.id));
        QVERIFY2(!userQuestionText(node.fact).isEmpty(), qPrintable(node.fact));
        for (const QString &choice : node.askChoices) {
            QString fallback = choice;
            fallback.replace(QLatin1Char('-'), QLatin1Char(' '));
            fallback[0] = fallback.at(0).toUpper();
            const QString sentence = userChoiceText(node.fact, choice);
            QVERIFY2(sentence != fallback && sentence != choice, qPrintable(node.fact + QLatin1Char(' ') + choice));
        }
    }
    QVERIFY(questions > 0);
}

void TestWizardPanel::symptomIsAskedOfTheUser()
{
    // The engine answers every observable question and leaves the symptom to the user.
    const auto asked = std::find_if(m_healthy.path.cbegin(), m_healthy.path.cend(),
                                    [](const PathStep &s) { return s.fact == symptomFact; });
    QVERIFY(asked != m_healthy.path.cend());
    QVERIFY(asked->askedUser);
    QVERIFY(asked->choices.contains(QStringLiteral("frame-refused")));
    for (const PathStep &step : m_healthy.path) {
        if (step.fact != symptomFact)
            QVERIFY2(!step.askedUser, qPrintable(step.fact));
    }

    WizardPanel wizard(m_engine.get());
    wizard.resize(400, 600); // too short for the whole path: the question must be scrolled to
    wizard.setDiagnosis(m_healthy);
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QCOMPARE(wizard.openQuestions(), QStringList{symptomFact});
    QCOMPARE(wizard.findChildren<QFrame *>(QStringLiteral("wizardStep")).size(), m_healthy.path.size());
    QFrame *step = stepFrame(wizard, symptomFact);
    QVERIFY(step);
    QVERIFY(step->property("askedUser").toBool());
    QTRY_VERIFY(!step->visibleRegion().isEmpty());
    QVERIFY(wizard.findChildren<QFrame *>(QStringLiteral("wizardStep")).first()->visibleRegion().isEmpty());

    // Every choice is offered in plain words, not as the tree's id.
    for (const QString &choice : asked->choices) {
        QPushButton *button = choiceButton(wizard, choice);
        QVERIFY2(button, qPrintable(choice));
        QVERIFY(button->isVisibleTo(&wizard));
        const QString sentence = button->property("sentence").toString();
        QCOMPARE(sentence, userChoiceText(symptomFact, choice));
        QVERIFY2(sentence != choice && sentence.contains(QLatin1Char(' ')), qPrintable(sentence));
        QVERIFY(!button->isChecked());
    }
    QVERIFY(choiceButton(wizard, QStringLiteral("download-failed"))
                ->property("sentence")
                .toString()
                .contains(QStringLiteral("Download failed")));
    auto *conclusion = wizard.findChild<QFrame *>(QStringLiteral("wizardConclusion"));
    QVERIFY(conclusion);
    QCOMPARE(conclusion->property("status").toString(), QStringLiteral("healthy"));
    saveScreenshot(&wizard, QStringLiteral("dd-wizard-asks.png"));
}

void TestWizardPanel::answerRewalksWithoutProbing_data()
{
    QTest::addColumn<QString>("choice");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("cause");

    QTest::newRow("frame-refused") << QStringLiteral("frame-refused") << QStringLiteral("problem")
                                   << QStringLiteral("frame-blocked-by-proxy-headers");
    QTest::newRow("none") << QStringLiteral("none") << QStringLiteral("healthy") << QString();
    QTest::newRow("token-not-formed") << QStringLiteral("token-not-formed") << QStringLiteral("problem")
                                      << QStringLiteral("jwt-secret-mismatch");
    QTest::newRow("mixed-content") << QStringLiteral("mixed-content") << QStringLiteral("problem")
                                   << QStringLiteral("forwarded-proto-mismatch");
}

void TestWizardPanel::answerRewalksWithoutProbing()
{
    QFETCH(QString, choice);
    QFETCH(QString, status);
    QFETCH(QString, cause);

    WizardPanel wizard(m_engine.get());
    wizard.resize(400, 900);
    wizard.setDiagnosis(m_healthy);
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));

    QSignalSpy rewalked(&wizard, &WizardPanel::diagnosisRewalked);
    QSignalSpy probed(m_engine.get(), &DiagnosisEngine::evidenceAvailable);
    QSignalSpy started(m_engine.get(), &DiagnosisEngine::diagnosisStarted);
    QSignalSpy finished(m_engine.get(), &DiagnosisEngine::diagnosisFinished);
    QPushButton *button = choiceButton(wizard, choice);
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE(rewalked.size(), 1);

    const Diagnosis walked = rewalked.first().first().value<Diagnosis>();
    QCOMPARE(verdictStatusName(walked.status), status);
    QCOMPARE(walked.causeId, cause);
    QCOMPARE(wizard.diagnosis().causeId, cause);
    QCOMPARE(m_engine->answers().value(QStringLiteral("symptom")).toString(), choice);

    // No probe ran: no new evidence, no new run, and the observed evidence is the same as before.
    QCOMPARE(probed.size(), 0);
    QCOMPARE(started.size(), 0);
    QCOMPARE(finished.size(), 0);
    QVERIFY(!m_engine->isRunning());
    QCOMPARE(observedEvidenceIds(walked), observedEvidenceIds(m_healthy));
    QVERIFY(walked.evidenceById(symptomFact)); // the answer itself is recorded as user evidence

    // The question now shows the answer, checked, and is no longer open.
    QVERIFY(wizard.openQuestions().isEmpty() || status == QLatin1String("inconclusive"));
    QPushButton *chosen = choiceButton(wizard, choice);
    QVERIFY(chosen);
    QVERIFY(chosen->isChecked());
    auto *conclusion = wizard.findChild<QFrame *>(QStringLiteral("wizardConclusion"));
    QCOMPARE(conclusion->property("status").toString(), status);
    QCOMPARE(conclusion->property("causeId").toString(), cause);
    if (choice == QLatin1String("frame-refused"))
        saveScreenshot(&wizard, QStringLiteral("dd-wizard-answered.png"));
}

void TestWizardPanel::answerCanBeChangedAndForgotten()
{
    WizardPanel wizard(m_engine.get());
    wizard.setDiagnosis(m_healthy);
    QSignalSpy rewalked(&wizard, &WizardPanel::diagnosisRewalked);

    wizard.answer(symptomFact, QStringLiteral("frame-refused"));
    QCOMPARE(rewalked.size(), 1);
    QCOMPARE(wizard.diagnosis().causeId, QStringLiteral("frame-blocked-by-proxy-headers"));

    // The answered question still offers its choices; picking another walks again.
    QPushButton *none = choiceButton(wizard, QStringLiteral("none"));
    QVERIFY(none);
    QTest::mouseClick(none, Qt::LeftButton);
    QTRY_COMPARE(rewalked.size(), 2);
    QCOMPARE(wizard.diagnosis().status, VerdictStatus::Healthy);
    QVERIFY(wizard.openQuestions().isEmpty());

    wizard.forgetAnswer(symptomFact);
    QCOMPARE(rewalked.size(), 3);
    QCOMPARE(wizard.openQuestions(), QStringList{symptomFact});
    QVERIFY(!m_engine->answers().contains(QStringLiteral("symptom")));
}

void TestWizardPanel::evidenceLinksNameTheEvidence()
{
    WizardPanel wizard(m_engine.get());
    wizard.setDiagnosis(m_healthy);
    QSignalSpy activated(&wizard, &WizardPanel::evidenceActivated);

    const QList<QLabel *> labels = wizard.findChildren<QLabel *>(QStringLiteral("wizardEvidence"));
    QVERIFY(!labels.isEmpty());
    QLabel *withEvidence = nullptr;
    for (QLabel *label : labels) {
        if (!label->property("evidenceIds").toStringList().isEmpty()) {
            withEvidence = label;
            break;
        }
    }
    QVERIFY2(withEvidence, "a step decided from evidence says which");
    const QString id = withEvidence->property("evidenceIds").toStringList().first();
    QVERIFY(m_healthy.evidenceById(id));
    const QString anchor = QStringLiteral("evidence:") + QString::fromLatin1(QUrl::toPercentEncoding(id));
    QVERIFY2(withEvidence->text().contains(anchor), qPrintable(withEvidence->text()));
    QVERIFY(withEvidence->text().contains(m_healthy.evidenceById(id)->summary.left(20).toHtmlEscaped()));

    Q_EMIT withEvidence->linkActivated(anchor);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.first().first().toString(), id);
}

void TestWizardPanel::startOverForgetsAnswers()
{
    WizardPanel wizard(m_engine.get());
    wizard.setDiagnosis(m_healthy);
    wizard.answer(symptomFact, QStringLiteral("frame-refused"));
    QSignalSpy startOver(&wizard, &WizardPanel::startOverRequested);
    auto *button = wizard.findChild<QPushButton *>(QStringLiteral("startOverButton"));
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(startOver.size(), 1);
    QVERIFY(m_engine->answers().isEmpty());
}

QTEST_MAIN(TestWizardPanel)
#include "tst_wizardpanel.moc"
