#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace dd {

/// CRC-32 (ISO 3309, as zip and gzip use it).
quint32 crc32Of(const QByteArray &data);

/// A zip archive of `files` (name, content), stored without compression, as OOXML packages may be.
QByteArray storedZip(const QList<QPair<QByteArray, QByteArray>> &files);

/**
 * The smallest Word document Document Server's converter opens: [Content_Types].xml, _rels/.rels
 * and word/document.xml with one paragraph of `text`. About 1 KB; the ConvertService round trip
 * serves it as the source file.
 */
QByteArray minimalDocx(const QString &text);

} // namespace dd
