#pragma once

#include <QString>

namespace dd {

/**
 * Appends one line to a Document Server log file (docservice/out.log, converter/out.log) in the
 * log4js pattern of DS >= 7.2: `[%d] [%p] [%X{TENANT}] [%X{DOCID}] [%X{USERID}] %c - %m`, with
 * `docId` and `userId` as placeholders when there is no document context. `message` may span
 * lines (a stack trace); an empty path writes nothing.
 */
void appendDsLog(const QString &path, const char *level, const QString &message,
                 const QString &docId = QStringLiteral("docId"));

} // namespace dd
