#pragma once

#include "config/nginxconfig.h"

#include <QHash>
#include <QList>
#include <QRegularExpression>
#include <QString>

namespace dd {

/// One `server` line of an `upstream` block, with nginx's defaults for what is not written.
struct NginxUpstreamServer
{
    QString address; ///< as written: "127.0.0.1:8000", "localhost", "unix:/run/x.sock"
    QString host;
    quint16 port = 80; ///< nginx's default in an upstream block is 80 whatever the scheme
    bool unixSocket = false;
    int maxFails = 1;
    bool maxFailsSet = false;
    QString failTimeout = QStringLiteral("10s");
    bool backup = false;
    bool down = false;
    const NginxDirective *directive = nullptr;
};

struct NginxUpstream
{
    QString name;
    QList<NginxUpstreamServer> servers;
    const NginxDirective *directive = nullptr;
};

/// What a `proxy_pass` points at.
struct NginxProxyTarget
{
    const NginxDirective *directive = nullptr;
    QString url;
    QString scheme; ///< "http", "https", or empty when it is a variable
    QString host;   ///< as written; may hold variables
    quint16 port = 0;
    bool explicitPort = false;
    QString uri; ///< the part after host[:port], with its leading '/'
    bool hasUri = false;
    bool hasVariables = false;
    bool hostHasVariables = false;
    bool unixSocket = false;
    const NginxUpstream *upstream = nullptr; ///< when host names an upstream block

    bool isValid() const { return directive != nullptr; }
};

struct NginxListen
{
    QString address;
    quint16 port = 80;
    bool ssl = false;
    const NginxDirective *directive = nullptr;
};

struct NginxServer
{
    const NginxDirective *http = nullptr;
    const NginxDirective *block = nullptr;
    QStringList names;
    QList<NginxListen> listens;
    bool tls = false;

    /// "server docs.example.com" (or "server at FILE:LINE" without a name).
    QString label() const;
    bool hasNonStandardPort() const;
};

/// The blocks that apply to a request, outermost first: http, server, location, nested location.
using NginxChain = QList<const NginxDirective *>;

/// One header a location sends upstream (`proxy_set_header`) or to the client (`add_header`).
struct NginxHeader
{
    QString name;
    QString value;
    const NginxDirective *directive = nullptr; ///< null for nginx's built-in defaults
};

/**
 * The semantic view of a parsed nginx configuration: servers, upstreams, maps, which location
 * serves a URI (nginx's order: exact, longest prefix, `^~`, regexes in order, nested
 * locations), and the settings in effect there with nginx's inheritance (a level that sets
 * any `proxy_set_header` or `add_header` drops every one it would inherit).
 *
 * Holds pointers into its own copy of the configuration, so it cannot be copied.
 */
class NginxModel
{
public:
    explicit NginxModel(NginxConfig config);
    NginxModel(const NginxModel &) = delete;
    NginxModel &operator=(const NginxModel &) = delete;

    const NginxConfig &config() const { return m_config; }
    const QList<NginxServer> &servers() const { return m_servers; }
    const NginxUpstream *upstream(const QString &name) const;
    const QList<NginxUpstream> &upstreams() const { return m_upstreams; }

    /// Every location of a server (nested ones too), as the chain that leads to it.
    QList<NginxChain> locations(const NginxServer &server) const;
    /// The chain of the location nginx picks for `uri` (just {http, server} when none matches).
    NginxChain match(const NginxServer &server, const QString &uri) const;

    /// The innermost directive `name` that applies along `chain` (scalar inheritance).
    static const NginxDirective *effective(const NginxChain &chain, const QString &name);
    /// Directives named in `names` from the innermost level that has any of them (array inheritance).
    static QList<const NginxDirective *> effectiveList(const NginxChain &chain, const QStringList &names);
    /// `proxy_set_header` in effect, plus nginx's defaults (Host $proxy_host, Connection close, ...)
    /// for the names not set.
    static QList<NginxHeader> proxyHeaders(const NginxChain &chain);
    /// `add_header` in effect.
    static QList<NginxHeader> addHeaders(const NginxChain &chain);
    static NginxHeader header(const QList<NginxHeader> &headers, const QString &name);

    /// `proxy_pass` of the innermost location, also inside its `if` and `limit_except` blocks.
    static const NginxDirective *proxyPass(const NginxChain &chain);
    NginxProxyTarget proxyTarget(const NginxChain &chain) const;
    NginxProxyTarget parseProxyPass(const NginxDirective *directive) const;

    /// The values a `map` can give `$variable` (empty when no map defines it).
    QStringList mapValues(const QString &variable) const;
    /// The source of the `map` defining `$variable` ("$http_upgrade"), or empty.
    QString mapSource(const QString &variable) const;
    /// The value of `set $variable VALUE` along `chain` (innermost), or a null string.
    static QString setValue(const NginxChain &chain, const QString &variable);
    /// Every `set $variable ...` in the configuration (e.g. `$secure_link_secret`).
    QList<const NginxDirective *> setDirectives(const QString &variable) const;

    /// "location ~ ^/x$" for the innermost location of `chain`, or "server" level.
    static QString locationLabel(const NginxChain &chain);

private:
    int find(const NginxDirective *level, const QString &uri, NginxChain *found) const;
    void collectLocations(const NginxChain &chain, QList<NginxChain> *out) const;

    NginxConfig m_config;
    QList<NginxServer> m_servers;
    QList<NginxUpstream> m_upstreams;
    QHash<QString, qsizetype> m_upstreamIndex;
    struct Map
    {
        QString source;
        QString variable;
        QStringList values;
    };
    QList<Map> m_maps;
    mutable QHash<const NginxDirective *, QRegularExpression> m_regexCache;
};

/// nginx size ("100m", "8k", "1g", "0"): bytes, or -1 when malformed.
qint64 parseNginxSize(const QString &text);
/// nginx time ("60s", "1m30s", "500ms", "90"): milliseconds, or -1 when malformed.
qint64 parseNginxTime(const QString &text);
/// Whether `host` is an IPv4/IPv6 literal.
bool isIpLiteral(const QString &host);
bool isLoopbackHost(const QString &host);

} // namespace dd
