#include "verdictlabel.h"

#include "healthstyle.h"

namespace dd {

namespace {

QString percent(double confidence)
{
    return QString::number(qRound(confidence * 100));
}

} // namespace

VerdictLabel::VerdictLabel(QWidget *parent) : QLabel(parent)
{
    setObjectName(QStringLiteral("verdictLabel"));
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Never squeezed by the tables below: the verdict is the first thing read.
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
}

void VerdictLabel::showDiagnosis(const Diagnosis &diagnosis)
{
    QString title = diagnosis.causeId;
    for (const RankedCause &cause : diagnosis.causes) {
        if (cause.id == diagnosis.causeId && !cause.title.isEmpty())
            title = cause.title;
    }
    QString headline;
    switch (diagnosis.status) {
    case VerdictStatus::Problem:
        headline = tr("Problem found: %1").arg(title);
        break;
    case VerdictStatus::Healthy:
        headline = tr("No problem found");
        break;
    case VerdictStatus::Inconclusive:
        headline = tr("Inconclusive: %1").arg(title.isEmpty() ? tr("the evidence does not point to one cause") : title);
        break;
    }
    QString html = QStringLiteral("<span style='font-size:large'><b>%1</b></span>").arg(headline.toHtmlEscaped());
    const auto bold = [](const QString &text) { return QStringLiteral("<b>%1</b>").arg(text.toHtmlEscaped()); };
    QStringList facts;
    if (!diagnosis.hop.isEmpty())
        facts << tr("Hop: %1").arg(bold(diagnosis.hop));
    if (diagnosis.status != VerdictStatus::Healthy || diagnosis.confidence > 0)
        facts << tr("Confidence: %1").arg(bold(tr("%1 %").arg(percent(diagnosis.confidence))));
    if (!diagnosis.causeId.isEmpty())
        facts << tr("Cause id: %1").arg(QStringLiteral("<code>%1</code>").arg(diagnosis.causeId.toHtmlEscaped()));
    if (!facts.isEmpty())
        html += QStringLiteral("<br>") + facts.join(QStringLiteral(" &nbsp;·&nbsp; "));
    if (!diagnosis.summary.isEmpty())
        html += QStringLiteral("<br>") + diagnosis.summary.toHtmlEscaped();

    showMessage(verdictStatusName(diagnosis.status), html);
    setProperty("causeId", diagnosis.causeId);
}

void VerdictLabel::showMessage(const QString &status, const QString &html)
{
    Health tone = Health::Unknown;
    if (status == QLatin1String("problem") || status == QLatin1String("error"))
        tone = Health::Failed;
    else if (status == QLatin1String("healthy"))
        tone = Health::Ok;
    else if (status == QLatin1String("inconclusive") || status == QLatin1String("running"))
        tone = Health::Degraded;
    setText(html);
    setProperty("status", status);
    setProperty("causeId", QString());
    setStyleSheet(
        QStringLiteral("QLabel#verdictLabel { background: %1; border: 1px solid %2; border-left: 6px solid %2;"
                       " border-radius: 4px; padding: 8px 10px; color: #212121; }")
            .arg(healthFillColor(tone).name(), healthColor(tone).name()));
}

} // namespace dd
