#pragma once

#include <QString>

namespace dd {

/// The question a person reads for a fact only the user can answer ("user.symptom"), or empty
/// when the wizard knows no wording of its own (the tree's question is shown then).
QString userQuestionText(const QString &fact);

/// A choice of a user question in plain words ("The editor says “Download failed”"); the id
/// made readable ("example-fails" → "Example fails") when the wizard knows no sentence for it.
QString userChoiceText(const QString &fact, const QString &choice);

/// A longer hint shown under a choice (where to look), or empty.
QString userChoiceHint(const QString &fact, const QString &choice);

} // namespace dd
