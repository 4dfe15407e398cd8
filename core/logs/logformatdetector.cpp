#include "logformatdetector.h"

#include "logparsers.h"
#include "logrecordreader.h"

#include <QDate>
#include <QFile>

namespace dd {

void LogFormatDetector::addLine(QByteArrayView line)
{
    ParsedRecord r;
    logparse::stripTransportPrefixes(line, &r, QDate::currentDate().year());
    addFormat(logparse::detect(r.body));
}

void LogFormatDetector::addFormat(LogFormat format)
{
    ++m_counts[size_t(format)];
    ++m_samples;
}

LogFormat LogFormatDetector::result() const
{
    int recognised = 0;
    int best = -1;
    for (int f = 0; f < logFormatCount; ++f) {
        if (LogFormat(f) == LogFormat::Text || LogFormat(f) == LogFormat::Auto)
            continue;
        recognised += m_counts[size_t(f)];
        if (best < 0 || m_counts[size_t(f)] > m_counts[size_t(best)])
            best = f;
    }
    // 90 %: a few foreign lines (a pasted header, a crash message) do not make a file mixed.
    if (recognised == 0 || m_counts[size_t(best)] * 10 < recognised * 9)
        return LogFormat::Auto;
    return LogFormat(best);
}

QString LogFormatDetector::resultName() const
{
    if (m_samples == 0)
        return QString();
    const LogFormat f = result();
    if (f != LogFormat::Auto)
        return logFormatName(f);
    return m_counts[size_t(LogFormat::Text)] == m_samples ? logFormatName(LogFormat::Text) : QStringLiteral("mixed");
}

LogFormat LogFormatDetector::detectFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return LogFormat::Auto;
    }
    LogRecordReader reader(64 << 10, 64 << 10);
    reader.fill(&file);
    LogFormatDetector detector;
    LogRecordReader::Record record;
    while (!detector.isDecided() && reader.next(&record, LogRecordReader::Flush::All))
        detector.addLine(record.bytes);
    return detector.result();
}

} // namespace dd
