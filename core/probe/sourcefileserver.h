#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QTcpServer;
class QTcpSocket;
QT_END_NAMESPACE

namespace dd {

/// One request the SourceFileServer received, and what it answered.
struct SourceRequest
{
    QString peer;      ///< "127.0.0.1:54321"
    QString method;    ///< "GET"; empty when the request line was unreadable
    QString path;      ///< as sent, query included, at most 200 characters
    QString userAgent; ///< at most 200 characters
    int status = 0;    ///< 200 (the file), 404 (another path), 410 (the file again), 400, 405
    double atMs = -1;  ///< when its headers were complete, ms since listen()
    qint64 bytes = 0;  ///< body bytes sent
};

/**
 * A tiny HTTP/1.1 server for the ConvertService round trip: it serves one file, once, under a
 * random path, so that a request for it proves Document Server reached the address the user
 * chose (the DS -> storage direction). Everything is bounded: 8 KB of request headers, 10 s
 * per connection, 8 connections at a time, 32 requests in all; every answer closes the
 * connection. Other paths get 404, the file's path a second time 410.
 */
class SourceFileServer : public QObject
{
    Q_OBJECT
public:
    explicit SourceFileServer(QObject *parent = nullptr);
    ~SourceFileServer() override;

    /// Listens on `address` (an IP literal) and `port` (0 picks one); false with one line in `error`.
    bool listen(const QString &address, quint16 port, const QString &fileName, const QByteArray &content,
                const QByteArray &contentType, QString *error);
    /**
     * Listens on `host`:`port` (0 picks one) with the conversion test document, a generated
     * .docx, and returns the URL to hand Document Server: on that address, or under `base` (an
     * http:// URL, for an address DS reaches this machine by, NAT or a proxy) when given. Empty,
     * with one line in `error`, when it cannot listen.
     */
    QString serveTestDocument(const QString &host, quint16 port, const QUrl &base, QString *error);
    /// What serveTestDocument() returned.
    QString servedUrl() const { return m_servedUrl; }
    void close();
    bool isListening() const;
    quint16 port() const;
    /// "/docserver-doctor/<random>/<fileName>"
    QString path() const { return m_path; }
    QList<SourceRequest> requests() const { return m_requests; }
    /// The file was sent (status 200) at least to one GET.
    bool hasServed() const { return m_served; }

Q_SIGNALS:
    void requestAnswered(const dd::SourceRequest &request);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void answer(QTcpSocket *socket, const QByteArray &head);
    void drop(QTcpSocket *socket);

    QTcpServer *m_server = nullptr;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QSet<QTcpSocket *> m_answered;
    QList<SourceRequest> m_requests;
    QString m_path;
    QString m_servedUrl;
    QString m_fileName;
    QByteArray m_content;
    QByteArray m_contentType;
    QElapsedTimer m_clock;
    int m_connectionsSeen = 0;
    bool m_served = false;
};

} // namespace dd

Q_DECLARE_METATYPE(dd::SourceRequest)
