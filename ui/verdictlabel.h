#pragma once

#include "model/diagnosis.h"

#include <QLabel>

namespace dd {

/**
 * The verdict banner: a tinted box in the health colour of the verdict. Its properties
 * "status" (problem, healthy, inconclusive, running, none, error) and "causeId" say what it shows.
 */
class VerdictLabel : public QLabel
{
    Q_OBJECT
public:
    explicit VerdictLabel(QWidget *parent = nullptr);

    void showDiagnosis(const Diagnosis &diagnosis);
    /// `html` is shown as is: callers escape what they did not write.
    void showMessage(const QString &status, const QString &html);
};

} // namespace dd
