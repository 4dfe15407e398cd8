#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QUrl>

class QTimer;

namespace dd {

/// What watching a refusing Document Server for a while showed.
struct StartupWatchResult
{
    bool healthy = false;            ///< /healthcheck answered 200 "true" within the window
    qint64 healthyAfterMs = -1;      ///< when it did, from the start of the watch
    qint64 docserviceUpAfterMs = -1; ///< when docservice first accepted a TCP connection
    int rounds = 0;
};

/**
 * The catalog's active check for a Document Server that may be starting: poll /healthcheck
 * (and, when its address is known, docservice's port) until it answers "true" or the window
 * ends. Bounded: at most windowMs / intervalMs rounds, each probe bounded by its own timeout.
 * A docservice that listens well before its nginx stops answering 502 is one nginx marked dead
 * (max_fails), not one still starting.
 */
class StartupWatch : public QObject
{
    Q_OBJECT
public:
    explicit StartupWatch(QObject *parent = nullptr);

    void start(const QUrl &healthcheck, const QString &docserviceHost, quint16 docservicePort, int windowMs,
               int intervalMs, int probeTimeoutMs);

Q_SIGNALS:
    void finished(const dd::StartupWatchResult &result);

private:
    void round();
    void roundDone();

    QUrl m_healthcheck;
    QString m_docserviceHost;
    quint16 m_docservicePort = 0;
    int m_windowMs = 0;
    int m_intervalMs = 0;
    int m_probeTimeoutMs = 0;
    int m_pending = 0;
    bool m_done = false;
    QElapsedTimer m_clock;
    StartupWatchResult m_result;
};

} // namespace dd
