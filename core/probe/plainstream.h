#pragma once

// Internal to core/probe.

#include <QByteArray>
#include <QElapsedTimer>
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
 *
 * One stream may carry one connection after another (attach()), so that a probe pays for its
 * signal connections once and not between the TCP handshake and its request.
 */
class PlainStream : public QObject
{
    Q_OBJECT
public:
    explicit PlainStream(QObject *parent = nullptr);
    ~PlainStream() override;

    /// Takes ownership of a connected descriptor, closing the previous one.
    void attach(qintptr descriptor);
    bool isOpen() const { return m_fd >= 0; }
    /// Sends bytes (queueing what the kernel does not take yet); allWritten() follows once the
    /// kernel has taken every byte. Reading starts with the first write: every user speaks first.
    void write(const QByteArray &data);
    /// Stops reading and writing and closes the descriptor; no signal follows.
    void close();

    /**
     * When the connection's first bytes were read, in milliseconds on `clock`; valid from the
     * first received(). Taken as the read begins, before the bytes are copied and handed on.
     * (The kernel's receive timestamps, SO_TIMESTAMPNS, would be earlier still, but turning
     * them on patches kernel code system-wide, which delayed a one-shot probe's request by ~100 us.)
     */
    double firstReadMs(const QElapsedTimer &clock) const;

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
    QElapsedTimer m_firstRead; ///< started at the first read of the connection
    int m_fd = -1;
};

} // namespace dd
