#include "httpprobe.h"

#include "hostresolver.h"
#include "plainstream.h"
#include "socketconnector.h"
#include "socketsupport.h"
#include "util/hostport.h"

#include <QSslCertificate>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>

#include <unistd.h>

namespace dd {

namespace {

constexpr qint64 maxReadBodyBytes = 16 * 1024 * 1024;

bool hasHeader(const QList<QPair<QByteArray, QByteArray>> &headers, QByteArrayView name)
{
    for (const auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || QByteArrayView("\"(),/:;<=>?@[\\]{}").contains(c))
            return false;
    }
    return true;
}

QByteArray hostHeaderValue(const QUrl &url)
{
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (url.port() != -1)
        host += ':' + QByteArray::number(url.port());
    return host;
}

// Checks what start() cannot send; returns one line naming the bad part, or an empty string.
QString validate(const HttpRequestSpec &spec)
{
    const QString scheme = spec.url.scheme().toLower();
    if (!spec.url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")) ||
        spec.url.host().isEmpty())
        return QStringLiteral("'%1': not an http:// or https:// URL with a host").arg(spec.url.toDisplayString());
    if (!spec.method.isEmpty() && !isToken(spec.method))
        return QStringLiteral("'%1': not a valid HTTP method").arg(QString::fromLatin1(spec.method));
    for (const auto &header : spec.headers) {
        if (!isToken(header.first))
            return QStringLiteral("header name '%1' is not valid").arg(QString::fromLatin1(header.first));
        if (header.second.contains('\r') || header.second.contains('\n'))
            return QStringLiteral("header '%1' has a line break in its value").arg(QString::fromLatin1(header.first));
    }
    return QString();
}

ProbeOutcome outcomeForParserError(HttpResponseParser::Error error)
{
    switch (error) {
    case HttpResponseParser::Error::ClosedBeforeStatus:
    case HttpResponseParser::Error::ClosedInHeaders:
    case HttpResponseParser::Error::ClosedInBody:
        return ProbeOutcome::ClosedEarly;
    case HttpResponseParser::Error::Malformed:
    case HttpResponseParser::Error::HeaderTooLarge:
        return ProbeOutcome::Malformed;
    case HttpResponseParser::Error::None:
        break;
    }
    return ProbeOutcome::Error;
}

} // namespace

HttpProbe::HttpProbe(QObject *parent)
    : QObject(parent), m_resolver(new HostResolver(this)), m_connector(new SocketConnector(this)),
      m_timer(new QTimer(this)), m_connectTimer(new QTimer(this)), m_stream(new PlainStream(this))
{
    connect(m_stream, &PlainStream::received, this,
            [this](const QByteArray &data) { onBytes(data.constData(), data.size()); });
    connect(m_stream, &PlainStream::allWritten, this, &HttpProbe::onBytesWritten);
    connect(m_stream, &PlainStream::peerClosed, this, &HttpProbe::onPeerClosed);
    connect(m_stream, &PlainStream::failed, this,
            [this](const QString &error) { finish(ProbeOutcome::Error, endpoint() + QStringLiteral(": ") + error); });
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    m_connectTimer->setSingleShot(true);
    m_connectTimer->setTimerType(Qt::PreciseTimer);
    connect(m_connector, &SocketConnector::connected, this, &HttpProbe::onConnected);
    connect(m_connector, &SocketConnector::failed, this, [this](ProbeOutcome outcome, const QString &error) {
        if (outcome == ProbeOutcome::Reset) {
            // The handshake completed and the peer reset at once (docker-proxy without a backend
            // does this): that is this address's answer, not a reason to try the next one.
            m_connectTimer->stop();
            m_result.timings.connect = elapsedMs(m_clock);
            m_result.peer = endpointText(QHostAddress(m_currentAddress), m_connectPort);
            finish(ProbeOutcome::Reset,
                   QStringLiteral("%1: the server accepted the connection, then reset it").arg(endpoint()));
            return;
        }
        onConnectFailed(outcome, endpoint() + QStringLiteral(": ") + error);
    });
    connect(m_resolver, &HostResolver::lookedUp, this, [this](const QList<QHostAddress> &addresses) {
        m_result.timings.dns = elapsedMs(m_clock);
        for (const QHostAddress &address : addresses) {
            const QString text = addressText(address);
            if (!m_addresses.contains(text))
                m_addresses.append(text);
        }
        connectNext();
    });
    connect(m_resolver, &HostResolver::lookupFailed, this,
            [this](const QString &error) { finish(ProbeOutcome::DnsFailed, error); });
    connect(m_timer, &QTimer::timeout, this, &HttpProbe::onTimeout);
    connect(m_connectTimer, &QTimer::timeout, this, [this] {
        onConnectFailed(ProbeOutcome::TimedOut, QStringLiteral("%1: no answer to the connection request within %2 ms")
                                                    .arg(endpoint())
                                                    .arg(m_spec.connectTimeoutMs));
    });
}

HttpProbe::~HttpProbe()
{
    discardConnection();
}

QByteArray HttpProbe::requestBytes(const HttpRequestSpec &spec)
{
    const QUrl &url = spec.url;
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    const QByteArray method = spec.method.isEmpty() ? QByteArray("GET") : spec.method;
    const auto &headers = spec.headers;

    QByteArray request = method + ' ' + target + " HTTP/1.1\r\n";
    if (!hasHeader(headers, "Host"))
        request += "Host: " + hostHeaderValue(url) + "\r\n";
    if (!hasHeader(headers, "User-Agent"))
        request += "User-Agent: docserver-doctor\r\n";
    if (!hasHeader(headers, "Accept"))
        request += "Accept: */*\r\n";
    if (!url.userName().isEmpty() && !hasHeader(headers, "Authorization")) {
        const QString credentials =
            url.userName(QUrl::FullyDecoded) + QLatin1Char(':') + url.password(QUrl::FullyDecoded);
        request += "Authorization: Basic " + credentials.toUtf8().toBase64() + "\r\n";
    }
    for (const auto &header : headers)
        request += header.first + ": " + header.second + "\r\n";
    const bool sendsBody = !spec.body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH";
    if (sendsBody && !hasHeader(headers, "Content-Length") && !hasHeader(headers, "Transfer-Encoding"))
        request += "Content-Length: " + QByteArray::number(spec.body.size()) + "\r\n";
    // Lets the server end an unframed body by closing, and keeps the probe to one exchange.
    if (!hasHeader(headers, "Connection"))
        request += "Connection: close\r\n";
    request += "\r\n" + spec.body;
    return request;
}

void HttpProbe::start(const HttpRequestSpec &spec)
{
    ++m_generation;
    discardConnection();
    m_timer->stop();
    m_connectTimer->stop();
    m_resolver->cancel();
    m_connector->abort();
    m_spec = spec;
    m_result = HttpProbeResult();
    m_result.request = spec;
    m_result.startedAt = QDateTime::currentDateTimeUtc();
    HttpResponseParser::Limits limits;
    limits.maxBodyBytes = qMax<qsizetype>(0, spec.maxBodyBytes);
    limits.maxReadBodyBytes = maxReadBodyBytes;
    m_parser = HttpResponseParser(limits);
    m_parser.setRequestMethod(spec.method.isEmpty() ? QByteArrayView("GET") : QByteArrayView(spec.method));
    m_addresses.clear();
    m_currentAddress.clear();
    m_firstConnectFailure = ProbeOutcome::Error;
    m_clock.start();
    m_phase = Phase::Resolving;

    const QString invalid = validate(spec);
    if (!invalid.isEmpty()) {
        finish(ProbeOutcome::Error, invalid);
        return;
    }
    m_isTls = spec.url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    if (m_isTls && !QSslSocket::supportsSsl()) {
        finish(ProbeOutcome::Error, QStringLiteral("TLS is not available in this build (no TLS backend)"));
        return;
    }
    HostPort target{spec.url.host(), quint16(spec.url.port(m_isTls ? 443 : 80))};
    if (!spec.connectTo.isEmpty()) {
        QString error;
        if (!parseHostPort(spec.connectTo, &target, &error, target.port)) {
            finish(ProbeOutcome::Error, QStringLiteral("connect-to ") + error);
            return;
        }
    }
    m_connectHost = target.host;
    m_connectPort = target.port;
    m_request = requestBytes(spec);
    // Timed from here: loading the TLS backend on first use and building the request are not
    // part of the exchange (curl's timers start after its setup too).
    m_clock.start();
    m_timer->start(qMax(1, spec.timeoutMs));
    const QHostAddress literal(m_connectHost);
    if (!literal.isNull()) {
        // An address needs no lookup: connect at once, without a trip through the event loop.
        // Results still arrive from the event loop (SocketConnector guarantees it).
        m_result.timings.dns = elapsedMs(m_clock);
        m_addresses.append(addressText(literal));
        connectNext();
        return;
    }
    m_resolver->lookUp(m_connectHost, 0);
}

void HttpProbe::cancel()
{
    if (isRunning())
        finish(ProbeOutcome::Cancelled, QStringLiteral("cancelled"));
}

void HttpProbe::connectNext()
{
    if (m_addresses.isEmpty()) {
        finish(m_firstConnectFailure, m_result.failedConnects.join(QLatin1String("; ")));
        return;
    }
    m_currentAddress = m_addresses.takeFirst();
    m_phase = Phase::Connecting;
    m_connectTimer->start(qMax(1, m_spec.connectTimeoutMs));
    m_connector->connectTo(QHostAddress(m_currentAddress), m_connectPort);
}

void HttpProbe::onConnected(qintptr descriptor)
{
    m_connectTimer->stop();
    m_result.timings.connect = m_connector->establishedAtMs(m_clock);
    // The peer's text is set in finish(): formatting it here would delay the request.
    if (m_isTls) {
        startTls(descriptor);
        return;
    }
    m_stream->attach(descriptor);
    sendRequest();
}

void HttpProbe::startTls(qintptr descriptor)
{
    auto *ssl = new QSslSocket;
    m_tlsSocket = ssl;
    QSslConfiguration config = ssl->sslConfiguration();
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    config.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
    if (!m_spec.caFile.isEmpty()) {
        // An internal CA the deployment uses; unreadable or empty is a verification error below.
        const QList<QSslCertificate> cas = QSslCertificate::fromPath(m_spec.caFile, QSsl::Pem);
        if (cas.isEmpty())
            m_result.tlsErrors.append(QStringLiteral("%1: no PEM certificate could be read").arg(m_spec.caFile));
        config.addCaCertificates(cas);
    }
    ssl->setSslConfiguration(config);
    // The URL's host, not the address connected to, is what SNI and verification use.
    ssl->setPeerVerifyName(m_spec.url.host());
    connect(ssl, &QSslSocket::encrypted, this, &HttpProbe::onEncrypted);
    connect(ssl, &QSslSocket::encryptedBytesWritten, this, &HttpProbe::onBytesWritten);
    connect(ssl, &QSslSocket::bytesWritten, this, &HttpProbe::onBytesWritten);
    connect(ssl, &QSslSocket::readyRead, this, &HttpProbe::readTls);
    connect(ssl, &QSslSocket::sslErrors, this, [this, ssl](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            m_result.tlsErrors.append(error.errorString());
        if (m_spec.ignoreTlsErrors)
            ssl->ignoreSslErrors();
    });
    connect(ssl, &QSslSocket::errorOccurred, this,
            [this](QAbstractSocket::SocketError error) { onSocketError(int(error)); });
    if (!ssl->setSocketDescriptor(descriptor, QAbstractSocket::ConnectedState, QIODevice::ReadWrite)) {
        ::close(int(descriptor));
        finish(ProbeOutcome::Error, endpoint() + QStringLiteral(": ") + ssl->errorString());
        return;
    }
    m_phase = Phase::Handshaking;
    ssl->startClientEncryption();
}

void HttpProbe::onEncrypted()
{
    m_result.timings.tls = elapsedMs(m_clock);
    const QSslCipher cipher = m_tlsSocket->sessionCipher();
    m_result.tlsSession = cipher.protocolString() + QLatin1Char(' ') + cipher.name();
    sendRequest();
}

void HttpProbe::onSocketError(int socketError)
{
    const auto error = QAbstractSocket::SocketError(socketError);
    switch (m_phase) {
    case Phase::Handshaking: {
        QString reason =
            m_result.tlsErrors.isEmpty() ? m_tlsSocket->errorString() : m_result.tlsErrors.join(QLatin1String("; "));
        if (error == QAbstractSocket::RemoteHostClosedError)
            reason = QStringLiteral("the server closed the connection");
        finish(ProbeOutcome::TlsFailed, QStringLiteral("%1: TLS handshake failed: %2").arg(endpoint(), reason));
        return;
    }
    case Phase::Waiting:
    case Phase::Receiving:
        // Over TLS a reset cannot be told from a close: QSslSocket reports both the same way.
        if (error == QAbstractSocket::RemoteHostClosedError) {
            readTls();
            if (isRunning())
                onPeerClosed(false);
            return;
        }
        finish(error == QAbstractSocket::SslInternalError ? ProbeOutcome::TlsFailed : ProbeOutcome::Error,
               endpoint() + QStringLiteral(": ") + m_tlsSocket->errorString());
        return;
    case Phase::Idle:
    case Phase::Resolving:
    case Phase::Connecting:
        return;
    }
}

void HttpProbe::onConnectFailed(ProbeOutcome outcome, const QString &error)
{
    m_connectTimer->stop();
    if (m_result.failedConnects.isEmpty())
        m_firstConnectFailure = outcome;
    m_result.failedConnects.append(error);
    m_connector->abort();
    connectNext();
}

void HttpProbe::sendRequest()
{
    m_phase = Phase::Waiting;
    if (m_stream->isOpen())
        m_stream->write(m_request);
    else
        m_tlsSocket->write(m_request);
}

void HttpProbe::onBytesWritten()
{
    // TLS handshake records are written too; only the request counts.
    if (m_phase != Phase::Waiting || m_result.timings.sent >= 0)
        return;
    if (m_tlsSocket && (m_tlsSocket->bytesToWrite() > 0 || m_tlsSocket->encryptedBytesToWrite() > 0))
        return;
    m_result.timings.sent = elapsedMs(m_clock);
}

void HttpProbe::readTls()
{
    while (m_tlsSocket && m_tlsSocket->bytesAvailable() > 0) {
        const QByteArray data = m_tlsSocket->read(16384);
        onBytes(data.constData(), data.size());
    }
}

void HttpProbe::onBytes(const char *data, qsizetype size)
{
    if (m_phase == Phase::Waiting) {
        m_phase = Phase::Receiving;
        // Over plain TCP, when the first read began (as curl stamps its first read); over TLS,
        // when Qt handed over the first decrypted bytes.
        m_result.timings.ttfb = m_stream->isOpen() ? m_stream->firstReadMs(m_clock) : elapsedMs(m_clock);
        if (m_result.timings.sent >= 0)
            m_result.timings.ttfb = qMax(m_result.timings.ttfb, m_result.timings.sent);
        if (m_result.timings.sent < 0)
            m_result.timings.sent = m_result.timings.ttfb;
    }
    m_parser.feed(QByteArrayView(data, size));
    if (m_parser.isComplete())
        finish(ProbeOutcome::Ok, QString());
    else if (m_parser.hasFailed())
        finish(outcomeForParserError(m_parser.error()), endpoint() + QStringLiteral(": ") + m_parser.errorString());
}

void HttpProbe::onPeerClosed(bool reset)
{
    if (reset) {
        const qint64 received = m_parser.bytesReceived();
        finish(ProbeOutcome::Reset,
               received == 0
                   ? QStringLiteral("%1: the server reset the connection before sending a response").arg(endpoint())
                   : QStringLiteral("%1: the server reset the connection after %2 response bytes")
                         .arg(endpoint())
                         .arg(received));
        return;
    }
    m_parser.closed();
    if (m_parser.isComplete())
        finish(ProbeOutcome::Ok, QString());
    else
        finish(outcomeForParserError(m_parser.error()), endpoint() + QStringLiteral(": ") + m_parser.errorString());
}

void HttpProbe::onTimeout()
{
    const int limit = m_spec.timeoutMs;
    switch (m_phase) {
    case Phase::Idle:
        return;
    case Phase::Resolving:
        finish(ProbeOutcome::TimedOut,
               QStringLiteral("name lookup of %1 did not finish within %2 ms").arg(m_connectHost).arg(limit));
        return;
    case Phase::Connecting:
        m_result.failedConnects.append(
            QStringLiteral("%1: no answer to the connection request within %2 ms").arg(endpoint()).arg(limit));
        finish(ProbeOutcome::TimedOut, m_result.failedConnects.join(QLatin1String("; ")));
        return;
    case Phase::Handshaking:
        finish(ProbeOutcome::TimedOut,
               QStringLiteral("%1: TLS handshake did not finish within %2 ms").arg(endpoint()).arg(limit));
        return;
    case Phase::Waiting:
        finish(ProbeOutcome::TimedOut,
               QStringLiteral("%1: no response within %2 ms after the request was sent").arg(endpoint()).arg(limit));
        return;
    case Phase::Receiving:
        finish(ProbeOutcome::TimedOut, QStringLiteral("%1: response incomplete after %2 ms (%3 bytes received)")
                                           .arg(endpoint())
                                           .arg(limit)
                                           .arg(m_parser.bytesReceived()));
        return;
    }
}

void HttpProbe::finish(ProbeOutcome outcome, const QString &error)
{
    if (m_phase == Phase::Idle)
        return;
    m_phase = Phase::Idle;
    m_timer->stop();
    m_connectTimer->stop();
    m_resolver->cancel();
    m_connector->abort();
    discardConnection();

    if (m_parser.hasStatusLine()) {
        m_result.status = m_parser.statusCode();
        m_result.statusLine = m_parser.statusLine();
        m_result.reason = m_parser.reason();
        m_result.version = m_parser.version();
        m_result.headers = m_parser.headers();
    }
    m_result.body = m_parser.body();
    m_result.bodyTruncated = m_parser.isBodyTruncated();
    m_result.bodyBytes = m_parser.bodyBytesRead();
    m_result.outcome = outcome;
    m_result.error = error;
    m_result.timings.total = elapsedMs(m_clock);
    if (m_result.peer.isEmpty() && m_result.timings.connect >= 0)
        m_result.peer = endpointText(QHostAddress(m_currentAddress), m_connectPort);

    // Emitted from the event loop so that a handler may delete this probe.
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation, result = m_result] {
            if (generation == m_generation)
                Q_EMIT finished(result);
        },
        Qt::QueuedConnection);
}

void HttpProbe::discardConnection()
{
    m_stream->close();
    if (QSslSocket *socket = std::exchange(m_tlsSocket, nullptr)) {
        disconnect(socket, nullptr, this, nullptr);
        socket->abort();
        socket->deleteLater();
    }
}

QString HttpProbe::endpoint() const
{
    if (!m_result.peer.isEmpty())
        return m_result.peer;
    return formatHostPort(m_currentAddress.isEmpty() ? m_connectHost : m_currentAddress, m_connectPort);
}

} // namespace dd
