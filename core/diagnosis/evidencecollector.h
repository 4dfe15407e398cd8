#pragma once

#include "model/evidence.h"
#include "model/profile.h"
#include "probe/httpproberesult.h"

#include <QObject>
#include <QSet>
#include <QVariantMap>

namespace dd {

class SourceFileServer;
struct LintResult;
struct TcpProbeResult;

/**
 * Gathers the evidence a profile allows: the configuration it names (linted at once), the active probes (in parallel:
 * the public /healthcheck, Document Server's nginx directly, TCP to its address and to docservice), then the logs,
 * which by then also hold the lines the probes themselves caused.
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
    /// The profile as diagnosed: what was given, plus addresses the configuration supplied.
    const Profile &profile() const { return m_profile; }
    QVariantMap facts() const;

Q_SIGNALS:
    void evidenceAvailable(const dd::Evidence &evidence);
    void collectionFinished();

private:
    /// The probes, once the integrator's JWT secret is known (empty: none given or unreadable).
    void startProbes(const QByteArray &secret);
    void addSecretEvidence(const QByteArray &secret, const QString &error, const QString &from);
    void startHttp(const QString &subject, const QUrl &url, const QString &node, const QString &link,
                   const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void startRequest(const QString &subject, HttpRequestSpec spec, const QString &node, const QString &link);
    void fetchConversionResult(const QString &fileUrl);
    /// Serves the conversion test document on the profile's integrator.serveOn; its URL, or empty.
    QUrl serveTestDocument();
    /// Facts (and notes) from the test document's server once the conversion answered; stops it.
    QVariantMap testDocumentFacts(QStringList *notes);
    static Health healthOf(const QString &subject, const HttpProbeResult &result, const QVariantMap &facts);
    void startTcp(const QString &subject, const QString &host, quint16 port, const QString &node, const QString &link);
    void add(Evidence evidence);
    void probeDone();
    /// Marks the configured dependency docservice waits on that accepts no connections
    /// (fact "config.reality.cause"), for the tree to use when the log is silent.
    void nameTheFailingDependency();
    void readLogs();
    void readConfig();
    void addressesFromConfig(const LintResult &result);
    void readCapture(const QString &path, qsizetype index);
    void watchStartupOrFinish();

    Profile m_profile;
    QString m_entry; ///< the node the browser reaches first: "proxy" or "dsnginx"
    bool m_frontPresent = false;
    SourceFileServer *m_testDocument = nullptr; ///< integrator.serveOn: this machine as the storage
    int m_pending = 0;
    bool m_cancelled = false;
    EvidenceList m_evidence;
    QSet<QString> m_provokedCauses; ///< causes this run's own checks make DS log
    QDateTime m_started;
};

} // namespace dd
