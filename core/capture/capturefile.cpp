#include "capturefile.h"

#include "libpcapreader.h"

#include <QElapsedTimer>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace dd {

namespace {

constexpr qsizetype chunkSize = 1024 * 1024;
constexpr int reportIntervalMs = 250;
constexpr int pollIntervalMs = 200;

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

/// Calls `progress` at most every reportIntervalMs; false once it asked to stop.
class Reporter
{
public:
    Reporter(const CaptureFileProgress &progress, qint64 total) : m_progress(progress), m_total(total)
    {
        m_clock.start();
    }
    bool keepGoing(qint64 bytes, qint64 packets)
    {
        if (m_stopped || !m_progress || m_clock.elapsed() < reportIntervalMs)
            return !m_stopped;
        m_clock.restart();
        m_stopped = !m_progress(bytes, m_total, packets);
        return !m_stopped;
    }
    bool isStopped() const { return m_stopped; }

private:
    const CaptureFileProgress &m_progress;
    qint64 m_total;
    QElapsedTimer m_clock;
    bool m_stopped = false;
};

void readDescriptor(int fd, const QString &name, bool regular, Reporter &reporter, CaptureAnalyzer &analyzer)
{
    std::vector<char> buffer(static_cast<size_t>(chunkSize));
    qint64 total = 0;
    for (;;) {
        if (!regular) {
            // A pipe may stay silent for a long time: wait in slices so a stop is noticed.
            pollfd p{fd, POLLIN, 0};
            const int ready = ::poll(&p, 1, pollIntervalMs);
            if (ready == 0 || (ready < 0 && errno == EINTR)) {
                if (!reporter.keepGoing(total, analyzer.packetCount()))
                    return;
                continue;
            }
        }
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            analyzer.abort(QStringLiteral("read error on %1: %2").arg(name, systemError(errno)));
            return;
        }
        if (n == 0)
            break;
        total += n;
        if (!analyzer.feed(buffer.data(), qsizetype(n)))
            break;
        if (!reporter.keepGoing(total, analyzer.packetCount()))
            return;
    }
    analyzer.finish();
}

void readLibpcap(const QString &path, Reporter &reporter, CaptureAnalyzer &analyzer)
{
    const LibpcapReadResult r = readWithLibpcap(
        path, &analyzer, [&](qint64 bytes, qint64 packets) { return reporter.keepGoing(bytes, packets); });
    if (!r.opened) {
        analyzer.abort(r.error);
        return;
    }
    analyzer.setStreamInfo(r.format, r.linkTypes);
    if (!r.error.isEmpty())
        analyzer.abort(r.error);
    else
        analyzer.finish();
}

} // namespace

CaptureFileResult analyzeCaptureFile(const QString &path, const CaptureOptions &options,
                                     const CaptureFileProgress &progress)
{
    CaptureFileResult result;
    const bool isStdin = path == QLatin1String("-");
    const QString name = isStdin ? QStringLiteral("standard input") : path;
    qint64 size = -1;
    int fd = 0;
    if (!isStdin) {
        fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            result.error = QStringLiteral("cannot open %1: %2").arg(path, systemError(errno));
            return result;
        }
        struct stat st
        {
        };
        if (::fstat(fd, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                ::close(fd);
                result.error = QStringLiteral("cannot read %1: it is a directory").arg(path);
                return result;
            }
            if (S_ISREG(st.st_mode)) {
                size = st.st_size;
                ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
            }
        }
    }
    CaptureAnalyzer analyzer(options);
    analyzer.setSource(path);
    if (size > 0)
        analyzer.expectBytes(size);
    Reporter reporter(progress, size);
    if (options.useLibpcap) {
        if (!isStdin)
            ::close(fd);
        readLibpcap(path, reporter, analyzer);
    } else {
        readDescriptor(fd, name, size >= 0, reporter, analyzer);
        if (!isStdin)
            ::close(fd);
    }
    if (reporter.isStopped())
        return result;
    result = concludeCapture(name, analyzer);
    if (result.ok && progress)
        progress(result.analysis.bytesRead, result.analysis.bytesRead, result.analysis.packets);
    return result;
}

CaptureFileResult concludeCapture(const QString &name, const CaptureAnalyzer &analyzer)
{
    CaptureFileResult result;
    result.analysis = analyzer.result();
    if (analyzer.packetCount() == 0 && !result.analysis.error.isEmpty()) {
        result.error = QStringLiteral("%1: %2").arg(name, result.analysis.error);
        result.analysis = CaptureAnalysis();
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace dd
