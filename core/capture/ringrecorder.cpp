#include "ringrecorder.h"

#include "pcapngwriter.h"

#include <QFileInfo>
#include <QTimer>

namespace dd {

class RingRecorder::Sink : public PacketSink
{
public:
    explicit Sink(RingRecorder *recorder) : m_recorder(recorder) {}
    void packetRead(const RawPacket &packet) override { m_recorder->packetRead(packet); }

private:
    RingRecorder *m_recorder;
};

RingRecorder::RingRecorder(qint64 maxAgeNs, qint64 maxBytes, int afterMs, const QString &path, int maxFiles,
                           QObject *parent)
    : QObject(parent), m_ring(maxAgeNs, maxBytes), m_sink(std::make_unique<Sink>(this)), m_parser(m_sink.get()),
      m_afterTimer(new QTimer(this)), m_path(path), m_maxFiles(qMax(maxFiles, 1))
{
    m_afterTimer->setSingleShot(true);
    m_afterTimer->setInterval(qMax(afterMs, 0));
    connect(m_afterTimer, &QTimer::timeout, this, &RingRecorder::write);
}

RingRecorder::~RingRecorder() = default;

QString RingRecorder::pathOf(int index) const
{
    if (index == 0)
        return m_path;
    const QFileInfo info(m_path);
    const QString suffix = info.completeSuffix();
    const QString base = suffix.isEmpty() ? m_path : m_path.left(m_path.size() - suffix.size() - 1);
    return base + QStringLiteral("-%1").arg(index + 1) + (suffix.isEmpty() ? QString() : QLatin1Char('.') + suffix);
}

void RingRecorder::feed(const QByteArray &chunk)
{
    if (!isWritten())
        m_parser.feed(chunk.constData(), chunk.size());
}

void RingRecorder::packetRead(const RawPacket &packet)
{
    if (!isTriggered()) {
        m_ring.add(packet);
        return;
    }
    const qint64 cost = qint64(packet.capturedLength) + RingBuffer::perPacketOverhead;
    if (m_afterBytes + cost > m_ring.maxBytes()) {
        ++m_droppedAfter;
        return;
    }
    m_afterBytes += cost;
    m_after.push_back(
        StoredPacket{packet.timeNs, packet.linkType, packet.originalLength,
                     QByteArray(reinterpret_cast<const char *>(packet.data), qsizetype(packet.capturedLength))});
}

void RingRecorder::trigger(const QString &reason)
{
    if (isTriggered() || isWritten())
        return;
    m_reason = reason.isEmpty() ? QStringLiteral("triggered") : reason;
    m_packetsBefore = m_ring.packetCount();
    m_triggerNs = m_ring.newestNs();
    m_afterTimer->start();
}

void RingRecorder::finish()
{
    m_parser.finish();
    if (isTriggered()) {
        m_afterTimer->stop();
        write();
    }
}

void RingRecorder::write()
{
    if (!isTriggered())
        return;
    std::vector<StoredPacket> packets = m_ring.snapshot();
    packets.insert(packets.end(), std::make_move_iterator(m_after.begin()), std::make_move_iterator(m_after.end()));
    RingWriteResult result;
    result.path = pathOf(m_files);
    result.reason = m_reason;
    result.packets = qint64(packets.size());
    result.packetsBefore = m_packetsBefore;
    result.droppedAfter = m_droppedAfter;
    result.triggerNs = m_triggerNs;
    if (!packets.empty()) {
        result.firstNs = packets.front().timeNs;
        result.lastNs = packets.back().timeNs;
    }
    // Ready for the next trigger, with an empty ring.
    ++m_files;
    m_ring.clear();
    m_after.clear();
    m_afterBytes = 0;
    m_droppedAfter = 0;
    m_packetsBefore = 0;
    m_triggerNs = -1;
    m_reason.clear();
    QString error;
    if (!PcapNgWriter::writeFile(result.path, packets, tr("saved by docserver-doctor: %1").arg(result.reason),
                                 &error)) {
        Q_EMIT ringFailed(error);
        return;
    }
    Q_EMIT ringWritten(result);
}

} // namespace dd
