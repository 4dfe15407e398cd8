#pragma once

// Internal to core/probe.

#include <QByteArray>
#include <QObject>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace dd {

/**
 * Reads and writes a connected, non-blocking TCP socket descriptor from the event loop.
 *
 * Exists because QTcpSocket reports a reset (ECONNRESET) exactly like an orderly close, and
 * "reset by the peer" versus "closed by the peer" is a finding of its own here.
 */
class PlainStream : public QObject
{
    Q_OBJECT
public:
    /// Takes ownership of `descriptor`.
    explicit PlainStream(qintptr descriptor, QObject *parent = nullptr);
    ~PlainStream() override;

    /// Queues bytes; allWritten() follows once the kernel has taken every byte.
    void write(const QByteArray &data);
    /// Stops reading and writing and closes the descriptor; no signal follows.
    void close();

Q_SIGNALS:
    void received(const QByteArray &data);
    void allWritten();
    /// The peer closed (FIN, `reset` false) or reset (RST, `reset` true) the connection.
    void peerClosed(bool reset);
    void failed(const QString &error);

private:
    void onReadable();
    void onWritable();
    void flush();

    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QByteArray m_pending;
    int m_fd = -1;
};

} // namespace dd
