#include "minimaldocx.h"

#include <QtEndian>

#include <array>

namespace dd {

namespace {

std::array<quint32, 256> makeCrcTable()
{
    std::array<quint32, 256> table{};
    for (quint32 n = 0; n < 256; ++n) {
        quint32 c = n;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    return table;
}

void put16(QByteArray *out, quint16 value)
{
    char bytes[2];
    qToLittleEndian(value, bytes);
    out->append(bytes, 2);
}

void put32(QByteArray *out, quint32 value)
{
    char bytes[4];
    qToLittleEndian(value, bytes);
    out->append(bytes, 4);
}

// 1980-01-01 00:00 in MS-DOS format: a fixed stamp keeps the archive reproducible.
constexpr quint16 dosTime = 0;
constexpr quint16 dosDate = (0 << 9) | (1 << 5) | 1;

QByteArray xmlEscaped(const QString &text)
{
    return text.toHtmlEscaped().toUtf8();
}

} // namespace

quint32 crc32Of(const QByteArray &data)
{
    static const std::array<quint32, 256> table = makeCrcTable();
    quint32 c = 0xFFFFFFFFu;
    for (const char byte : data)
        c = table[(c ^ quint8(byte)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

QByteArray storedZip(const QList<QPair<QByteArray, QByteArray>> &files)
{
    QByteArray archive;
    QByteArray directory;
    for (const auto &[name, content] : files) {
        const quint32 offset = quint32(archive.size());
        const quint32 crc = crc32Of(content);
        QByteArray common;
        put16(&common, 20); // version needed: 2.0
        put16(&common, 0);  // flags
        put16(&common, 0);  // method: stored
        put16(&common, dosTime);
        put16(&common, dosDate);
        put32(&common, crc);
        put32(&common, quint32(content.size()));
        put32(&common, quint32(content.size()));
        put16(&common, quint16(name.size()));
        put16(&common, 0); // extra field length

        put32(&archive, 0x04034b50);
        archive += common + name + content;

        put32(&directory, 0x02014b50);
        put16(&directory, 20); // made by: 2.0, MS-DOS attributes
        directory += common;
        put16(&directory, 0); // comment length
        put16(&directory, 0); // disk
        put16(&directory, 0); // internal attributes
        put32(&directory, 0); // external attributes
        put32(&directory, offset);
        directory += name;
    }
    const quint32 directoryOffset = quint32(archive.size());
    archive += directory;
    put32(&archive, 0x06054b50);
    put16(&archive, 0);
    put16(&archive, 0);
    put16(&archive, quint16(files.size()));
    put16(&archive, quint16(files.size()));
    put32(&archive, quint32(directory.size()));
    put32(&archive, directoryOffset);
    put16(&archive, 0);
    return archive;
}

QByteArray minimalDocx(const QString &text)
{
    const QByteArray prolog = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
    const QByteArray contentTypes = prolog +
                                    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                                    "<Default Extension=\"rels\" "
                                    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                                    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                                    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
                                    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    const QByteArray rels = prolog +
                            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                            "relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    const QByteArray document = prolog +
                                "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
                                "<w:body><w:p><w:r><w:t>" +
                                xmlEscaped(text) + "</w:t></w:r></w:p></w:body></w:document>";
    return storedZip({{QByteArrayLiteral("[Content_Types].xml"), contentTypes},
                      {QByteArrayLiteral("_rels/.rels"), rels},
                      {QByteArrayLiteral("word/document.xml"), document}});
}

} // namespace dd
