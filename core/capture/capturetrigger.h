#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace dd {

class HttpProbe;
class LogFollower;
struct ClassifiedLine;
struct HttpProbeResult;

/**
 * Decides when a ring capture should be saved: a line appended to a followed log that the log
 * rules classify as a cause, or an HTTP probe, repeated at an interval, that fails (no complete
 * response, or a 5xx). Emits fired() once, with a one-line reason; the watching then stops
 * until rearm().
 */
class CaptureTrigger : public QObject
{
    Q_OBJECT
public:
    explicit CaptureTrigger(QObject *parent = nullptr);
    ~CaptureTrigger() override;

    /// Follows `path` from its current end (rotation included) until fired.
    void watchLog(const QString &path);
    /// Probes `url` now and then every `intervalMs`; each probe may take up to that interval.
    void watchProbe(const QUrl &url, int intervalMs = 1000);
    void stop();
    /// Watches again after fired(), from now on: lines appended meanwhile do not count.
    void rearm();
    bool hasFired() const { return m_fired; }

Q_SIGNALS:
    void fired(const QString &reason);
    /// A log could not be followed (one line naming the file).
    void problemFound(const QString &message);

private:
    void onLines(const QList<dd::ClassifiedLine> &lines);
    void onProbeFinished(const dd::HttpProbeResult &result);
    void probeNow();
    void fire(const QString &reason);

    std::unique_ptr<LogFollower> m_follower;
    QStringList m_logs;
    HttpProbe *m_probe = nullptr;
    QTimer *m_probeTimer = nullptr;
    QUrl m_url;
    int m_intervalMs = 1000;
    bool m_fired = false;
};

} // namespace dd
