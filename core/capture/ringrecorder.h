#pragma once

#include "ringbuffer.h"

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace dd {

/// What RingRecorder wrote.
struct RingWriteResult
{
    QString path;
    QString reason;
    qint64 packets = 0;
    qint64 packetsBefore = 0; ///< held in the ring when the trigger fired
    qint64 droppedAfter = 0;  ///< arrived after the trigger but over the byte bound
    CaptureTime firstNs = -1;
    CaptureTime lastNs = -1;
    CaptureTime triggerNs = -1; ///< newest packet time when the trigger fired
};

/**
 * Keeps the last seconds/bytes of a live pcap stream in a RingBuffer and, once triggered,
 * keeps recording for `afterMs` more and writes everything as pcapng (the reason as the
 * section comment). Triggers while one is being recorded are ignored. Up to `maxFiles` are
 * written, one per trigger: "ring.pcapng", then "ring-2.pcapng", ...; the ring starts empty
 * again after each. The stream ending early writes at once.
 */
class RingRecorder : public QObject
{
    Q_OBJECT
public:
    RingRecorder(qint64 maxAgeNs, qint64 maxBytes, int afterMs, const QString &path, int maxFiles = 1,
                 QObject *parent = nullptr);
    ~RingRecorder() override;

    /// Bytes of a pcap/pcapng stream, in chunks of any size.
    void feed(const QByteArray &chunk);
    void trigger(const QString &reason);
    /// The stream ended: writes now if triggered.
    void finish();

    bool isTriggered() const { return !m_reason.isEmpty(); }
    /// All `maxFiles` are written: the recorder takes nothing more.
    bool isWritten() const { return m_files >= m_maxFiles; }
    int filesWritten() const { return m_files; }
    /// Where the file of the `index`th trigger (from 0) goes.
    QString pathOf(int index) const;
    const RingBuffer &ring() const { return m_ring; }
    /// Empty unless the stream stopped being a readable capture.
    QString streamError() const { return m_parser.error(); }

Q_SIGNALS:
    void ringWritten(const dd::RingWriteResult &result);
    void ringFailed(const QString &error);

private:
    class Sink;
    void packetRead(const RawPacket &packet);
    void write();

    RingBuffer m_ring;
    std::vector<StoredPacket> m_after; ///< after the trigger: kept whole, up to the ring's byte bound
    qint64 m_afterBytes = 0;
    std::unique_ptr<PacketSink> m_sink;
    PcapStreamParser m_parser;
    QTimer *m_afterTimer;
    QString m_path;
    int m_maxFiles;
    int m_files = 0;
    QString m_reason;
    qint64 m_droppedAfter = 0;
    qint64 m_packetsBefore = 0;
    CaptureTime m_triggerNs = -1;
};

} // namespace dd

Q_DECLARE_METATYPE(dd::RingWriteResult)
