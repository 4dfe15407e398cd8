#include "captureworker.h"

#include "libpcapreader.h"

#include <QFileInfo>

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
constexpr int updateIntervalMs = 1000;
constexpr int pollIntervalMs = 200;

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

} // namespace

CaptureWorker::CaptureWorker(const std::atomic<quint64> *activeRun) : m_activeRun(activeRun) {}

CaptureWorker::~CaptureWorker() = default;

void CaptureWorker::analyzeFile(quint64 run, const QString &path, const CaptureOptions &options)
{
    if (!isActive(run))
        return;
    const bool isStdin = path == QLatin1String("-");
    const QString name = isStdin ? QStringLiteral("standard input") : path;
    qint64 size = -1;
    int fd = 0;
    if (!isStdin) {
        fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            Q_EMIT failed(run, QStringLiteral("cannot open %1: %2").arg(path, systemError(errno)));
            return;
        }
        struct stat st
        {
        };
        if (::fstat(fd, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                ::close(fd);
                Q_EMIT failed(run, QStringLiteral("cannot read %1: it is a directory").arg(path));
                return;
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
    m_lastReport.start();
    if (options.useLibpcap) {
        if (!isStdin)
            ::close(fd);
        readWithLibpcap(run, path, size, analyzer);
    } else {
        readDescriptor(run, fd, name, size, analyzer);
        if (!isStdin)
            ::close(fd);
    }
    conclude(run, name, analyzer);
}

void CaptureWorker::readDescriptor(quint64 run, int fd, const QString &name, qint64 size, CaptureAnalyzer &analyzer)
{
    std::vector<char> buffer(static_cast<size_t>(chunkSize));
    qint64 total = 0;
    const bool regular = size >= 0;
    for (;;) {
        if (!isActive(run))
            return;
        if (!regular) {
            // A pipe may stay silent for a long time: wait in slices so a cancel is noticed.
            pollfd p{fd, POLLIN, 0};
            const int ready = ::poll(&p, 1, pollIntervalMs);
            if (ready == 0)
                continue;
            if (ready < 0 && errno == EINTR)
                continue;
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
        if (m_lastReport.elapsed() >= reportIntervalMs) {
            m_lastReport.restart();
            Q_EMIT progressed(run, total, size, analyzer.packetCount());
        }
    }
    analyzer.finish();
}

void CaptureWorker::readWithLibpcap(quint64 run, const QString &path, qint64 size, CaptureAnalyzer &analyzer)
{
    const LibpcapReadResult r = dd::readWithLibpcap(path, &analyzer, [&](qint64 bytes, qint64 packets) {
        if (m_lastReport.elapsed() >= reportIntervalMs) {
            m_lastReport.restart();
            Q_EMIT progressed(run, bytes, size, packets);
        }
        return isActive(run);
    });
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

void CaptureWorker::conclude(quint64 run, const QString &name, CaptureAnalyzer &analyzer)
{
    if (!isActive(run))
        return;
    const CaptureAnalysis analysis = analyzer.result();
    if (analyzer.packetCount() == 0 && !analysis.error.isEmpty()) {
        Q_EMIT failed(run, QStringLiteral("%1: %2").arg(name, analysis.error));
        return;
    }
    Q_EMIT progressed(run, analysis.bytesRead, analysis.bytesRead, analysis.packets);
    Q_EMIT finished(run, analysis);
}

void CaptureWorker::startStream(quint64 run, const QString &source, const CaptureOptions &options)
{
    m_stream = std::make_unique<CaptureAnalyzer>(options);
    m_stream->setSource(source);
    m_streamRun = run;
    m_streamSource = source;
    m_streamBytes = 0;
    m_lastReport.start();
}

void CaptureWorker::feed(quint64 run, const QByteArray &chunk)
{
    if (!m_stream || run != m_streamRun || !isActive(run))
        return;
    m_streamBytes += chunk.size();
    if (!m_stream->feed(chunk.constData(), chunk.size())) {
        finishStream(run);
        return;
    }
    if (m_lastReport.elapsed() >= updateIntervalMs) {
        m_lastReport.restart();
        Q_EMIT progressed(run, m_streamBytes, -1, m_stream->packetCount());
        Q_EMIT updated(run, m_stream->result());
    }
}

void CaptureWorker::finishStream(quint64 run)
{
    if (!m_stream || run != m_streamRun)
        return;
    std::unique_ptr<CaptureAnalyzer> analyzer = std::move(m_stream);
    analyzer->finish();
    conclude(run, m_streamSource, *analyzer);
}

} // namespace dd
