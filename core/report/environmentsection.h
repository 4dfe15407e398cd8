#pragma once

#include "model/diagnosis.h"

#include <QDateTime>

class QTextStream;

namespace dd {

/**
 * The "Environment" section: the tool's version, when and where it ran, the Document Server
 * version and Server headers the probes saw, which engines produced evidence and which
 * profile inputs were absent (so a reader knows what the verdict could not have seen).
 * `generated` is when the report was rendered.
 */
void writeEnvironmentSection(const Diagnosis &diagnosis, const QDateTime &generated, QTextStream &out);

} // namespace dd
