#include "lab/labhttpclient.h"

#include <QHostAddress>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>

namespace dd {

namespace {

QByteArray decodeChunked(const QByteArray &data)
{
    QByteArray out;
    qsizetype pos = 0;
    while (pos < data.size()) {
        const qsizetype lineEnd = data.indexOf("\r\n", pos);
        if (lineEnd < 0)
            break;
        bool ok = false;
        const qsizetype size = data.mid(pos, lineEnd - pos).split(';').first().trimmed().toLongLong(&ok, 16);
        if (!ok || size == 0)
            break;
        out += data.mid(lineEnd + 2, size);
        pos = lineEnd + 2 + size + 2;
    }
    return out;
}

// node's TLS error codes and messages for what OpenSSL reported.
void tlsError(const QList<QSslError> &errors, LabHttpResult *result)
{
    const QSslError::SslError first = errors.isEmpty() ? QSslError::UnspecifiedError : errors.first().error();
    switch (first) {
    case QSslError::SelfSignedCertificate:
        result->code = QStringLiteral("DEPTH_ZERO_SELF_SIGNED_CERT");
        result->error = QStringLiteral("Error: self signed certificate");
        break;
    case QSslError::SelfSignedCertificateInChain:
        result->code = QStringLiteral("SELF_SIGNED_CERT_IN_CHAIN");
        result->error = QStringLiteral("Error: self signed certificate in certificate chain");
        break;
    case QSslError::CertificateExpired:
        result->code = QStringLiteral("CERT_HAS_EXPIRED");
        result->error = QStringLiteral("Error: certificate has expired");
        break;
    case QSslError::HostNameMismatch:
        result->code = QStringLiteral("ERR_TLS_CERT_ALTNAME_INVALID");
        result->error = QStringLiteral("Error: Hostname/IP does not match certificate's altnames");
        break;
    default:
        result->code = QStringLiteral("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
        result->error = QStringLiteral("Error: unable to verify the first certificate");
        break;
    }
}

class Exchange : public QObject
{
public:
    Exchange(QObject *context, const LabHttpRequest &request, std::function<void(const LabHttpResult &)> done)
        : QObject(context), m_request(request), m_done(std::move(done)), m_socket(new QSslSocket(this))
    {
    }

    void start()
    {
        const QString host = m_request.url.host();
        const bool tls = m_request.url.scheme() == QLatin1String("https");
        const quint16 port = quint16(m_request.url.port(tls ? 443 : 80));
        m_address = QStringLiteral("%1:%2").arg(host).arg(port);
        QHostAddress address;
        if (host == QLatin1String("localhost"))
            address = QHostAddress(QHostAddress::LocalHost);
        else if (!address.setAddress(host))
            // The lab never asks a DNS server: names other than localhost do not resolve, as in a container
            // without the integrator's internal DNS.
            return fail(QStringLiteral("ENOTFOUND"), QStringLiteral("Error: getaddrinfo ENOTFOUND %1").arg(host));
        if (!address.isLoopback())
            return fail(QStringLiteral("EHOSTUNREACH"),
                        QStringLiteral("Error: the Fault Lab connects to loopback only, not %1").arg(m_address));

        connect(m_socket, &QSslSocket::connected, this, [this] { m_result.connected = true; });
        connect(m_socket, &QSslSocket::readyRead, this, [this] { m_response += m_socket->readAll(); });
        connect(m_socket, &QSslSocket::disconnected, this, &Exchange::finishResponse);
        connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            tlsError(errors, &m_result);
            finish();
        });
        connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
            if (error == QAbstractSocket::RemoteHostClosedError)
                return finishResponse();
            if (error == QAbstractSocket::ConnectionRefusedError)
                return fail(QStringLiteral("ECONNREFUSED"),
                            QStringLiteral("Error: connect ECONNREFUSED %1").arg(m_address));
            if (error == QAbstractSocket::SslHandshakeFailedError)
                return fail(QStringLiteral("EPROTO"), QStringLiteral("Error: %1").arg(m_socket->errorString()));
            fail(QStringLiteral("ECONNRESET"), QStringLiteral("Error: read ECONNRESET"));
        });
        QTimer::singleShot(m_request.timeoutMs, this, [this] {
            fail(QStringLiteral("ETIMEDOUT"), QStringLiteral("Error: Error: whole request cycle timeout"));
        });

        QByteArray target = m_request.url.path(QUrl::FullyEncoded).toUtf8();
        if (target.isEmpty())
            target = "/";
        if (m_request.url.hasQuery())
            target += '?' + m_request.url.query(QUrl::FullyEncoded).toUtf8();
        QByteArray head = m_request.method + ' ' + target +
                          " HTTP/1.1\r\nHost: " + m_request.url.authority(QUrl::FullyEncoded).toUtf8() +
                          "\r\nUser-Agent: Node.js/6.13\r\nConnection: close\r\n";
        for (const auto &header : std::as_const(m_request.headers))
            head += header.first + ": " + header.second + "\r\n";
        if (!m_request.body.isEmpty() || m_request.method == "POST")
            head += "Content-Length: " + QByteArray::number(m_request.body.size()) + "\r\n";
        const QByteArray message = head + "\r\n" + m_request.body;

        if (tls) {
            QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
            // DS trusts the public CAs of its node build; a lab server's self-signed certificate is not one.
            configuration.setCaCertificates(m_request.caCertificates);
            configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
            m_socket->setSslConfiguration(configuration);
            m_socket->connectToHostEncrypted(address.toString(), port, host);
        } else {
            m_socket->connectToHost(address, port);
        }
        m_socket->write(message); // buffered until connected (and encrypted)
    }

private:
    void fail(const QString &code, const QString &error)
    {
        m_result.code = code;
        m_result.error = error;
        finish();
    }

    void finishResponse()
    {
        if (m_finished)
            return;
        m_response += m_socket->readAll();
        const qsizetype headerEnd = m_response.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            // Closed before a response: node's "socket hang up".
            return fail(QStringLiteral("ECONNRESET"), QStringLiteral("Error: socket hang up"));
        }
        const QList<QByteArray> lines = m_response.left(headerEnd).split('\n');
        m_result.status = lines.first().split(' ').value(1).toInt();
        bool chunked = false;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = lines.at(i).left(colon).trimmed().toLower();
            const QByteArray value = lines.at(i).mid(colon + 1).trimmed();
            m_result.headers.append({name, value});
            if (name == "transfer-encoding" && value.toLower().contains("chunked"))
                chunked = true;
        }
        const QByteArray body = m_response.mid(headerEnd + 4);
        m_result.body = chunked ? decodeChunked(body) : body;
        finish();
    }

    void finish()
    {
        if (m_finished)
            return;
        m_finished = true;
        m_socket->disconnect(this);
        m_socket->abort();
        const auto done = m_done;
        const LabHttpResult result = m_result;
        deleteLater();
        done(result);
    }

    LabHttpRequest m_request;
    std::function<void(const LabHttpResult &)> m_done;
    QSslSocket *m_socket;
    QString m_address;
    QByteArray m_response;
    LabHttpResult m_result;
    bool m_finished = false;
};

} // namespace

void labHttpSend(QObject *context, const LabHttpRequest &request,
                 const std::function<void(const LabHttpResult &)> &done)
{
    auto *exchange = new Exchange(context, request, done);
    // Deferred, so that `done` never runs inside the caller.
    QTimer::singleShot(0, exchange, [exchange] { exchange->start(); });
}

bool isPrivateAddress(const QString &host, QString *resolvedAddress, int *family)
{
    QHostAddress address;
    if (host == QLatin1String("localhost"))
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host))
        return false; // not resolved here (see labHttpSend)
    if (resolvedAddress)
        *resolvedAddress = address.toString();
    if (family)
        *family = address.protocol() == QAbstractSocket::IPv6Protocol ? 6 : 4;
    // request-filtering-agent's private ranges: loopback, RFC 1918, link-local, unique local.
    if (address.isLoopback() || address.isLinkLocal())
        return true;
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return (v4 >> 24) == 10 || (v4 >> 20) == 0xAC1 || (v4 >> 16) == 0xC0A8;
    return (address.toIPv6Address()[0] & 0xFE) == 0xFC;
}

} // namespace dd
