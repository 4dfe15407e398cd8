#pragma once

#include "logformat.h"

#include <QByteArrayView>
#include <QString>

#include <array>

namespace dd {

/**
 * Decides the format of a file from its first lines: the format most lines have when nearly
 * all recognised lines agree, otherwise Auto (decide per line: `docker logs` of the DS image
 * mixes nginx, docservice and converter lines).
 */
class LogFormatDetector
{
public:
    static constexpr int sampleLines = 200;

    /// Adds one line (prefixes such as docker compose's are looked through).
    void addLine(QByteArrayView line);
    void addFormat(LogFormat format);
    bool isDecided() const { return m_samples >= sampleLines; }
    int samples() const { return m_samples; }
    /// The file's format, or Auto when lines differ or none was recognised.
    LogFormat result() const;
    /// The format's name, "mixed" for mixed lines, "text" when none was recognised, "" if empty.
    QString resultName() const;

    /// Detects the format of the first 64 KiB of a file; Auto on mixed or unreadable input.
    static LogFormat detectFile(const QString &path, QString *error = nullptr);

private:
    std::array<int, logFormatCount> m_counts{};
    int m_samples = 0;
};

} // namespace dd
