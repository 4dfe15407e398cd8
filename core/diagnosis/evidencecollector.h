#pragma once

#include "model/evidence.h"
#include "model/profile.h"

#include <QObject>
#include <QVariantMap>

namespace dd {

struct HttpProbeResult;
struct TcpProbeResult;

/**
 * Gathers the evidence a profile allows: first the active probes (in parallel: the public
 * /healthcheck, Document Server's nginx directly, TCP to its address and to docservice), then
 * the logs, which by then also hold the lines the probes themselves caused.
 *
 * Every evidence item carries its facts under "<subject>.<property>" keys; facts() is their
 * union, the input of the decision tree.
 */
class EvidenceCollector : public QObject
{
    Q_OBJECT
public:
    explicit EvidenceCollector(const Profile &profile, QObject *parent = nullptr);

    void start();
    void cancel();

    const EvidenceList &evidence() const { return m_evidence; }
    QVariantMap facts() const;

Q_SIGNALS:
    void evidenceAvailable(const dd::Evidence &evidence);
    void collectionFinished();

private:
    void startHttp(const QString &subject, const QUrl &url, const QString &node, const QString &link);
    void startTcp(const QString &subject, const QString &host, quint16 port, const QString &node, const QString &link);
    void add(Evidence evidence);
    void probeDone();
    void readLogs();

    Profile m_profile;
    QString m_entry; ///< the node the browser reaches first: "proxy" or "dsnginx"
    bool m_frontPresent = false;
    int m_pending = 0;
    bool m_cancelled = false;
    EvidenceList m_evidence;
    QDateTime m_started;
};

/// The address /healthcheck has under a base URL ("https://h/ds" → "https://h/ds/healthcheck").
QUrl healthcheckUrl(const QUrl &base);

} // namespace dd
