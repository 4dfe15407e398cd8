#include "lab/dnsresponder.h"

#include <QNetworkDatagram>
#include <QUdpSocket>

namespace dd {

namespace {

// The query name of a DNS message (RFC 1035 4.1.2), or an empty string when malformed.
QString questionName(const QByteArray &message, qsizetype *end)
{
    QStringList labels;
    qsizetype pos = 12;
    while (pos < message.size()) {
        const int length = quint8(message.at(pos));
        if (length == 0) {
            *end = pos + 1 + 4; // terminating zero, QTYPE, QCLASS
            return *end <= message.size() ? labels.join(QLatin1Char('.')) : QString();
        }
        if (length > 63 || pos + 1 + length > message.size())
            return {};
        labels.append(QString::fromLatin1(message.mid(pos + 1, length)));
        pos += 1 + length;
    }
    return {};
}

} // namespace

DnsResponder::DnsResponder(QObject *parent) : QObject(parent), m_socket(new QUdpSocket(this))
{
    connect(m_socket, &QUdpSocket::readyRead, this, &DnsResponder::answer);
}

bool DnsResponder::listen(quint16 port, QString *error)
{
    if (!m_socket->bind(QHostAddress::LocalHost, port)) {
        *error = tr("the DNS responder cannot bind 127.0.0.1:%1/udp: %2").arg(port).arg(m_socket->errorString());
        return false;
    }
    return true;
}

void DnsResponder::close()
{
    m_socket->close();
}

quint16 DnsResponder::port() const
{
    return m_socket->localPort();
}

void DnsResponder::answer()
{
    while (m_socket->hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_socket->receiveDatagram(512);
        const QByteArray query = datagram.data();
        qsizetype end = 0;
        const QString name = query.size() >= 12 ? questionName(query, &end) : QString();
        if (name.isEmpty() || !datagram.senderAddress().isLoopback())
            continue;
        m_queried.insert(name);
        Q_EMIT queried(name);
        // Header: same id, QR + opcode/RD copied + RA, RCODE 3 (NXDOMAIN); the question echoed, no answers.
        QByteArray reply = query.left(end);
        reply[2] = char(0x80 | (quint8(query.at(2)) & 0x79));
        reply[3] = char(0x80 | 0x03);
        reply[4] = 0;
        reply[5] = 1;
        for (int i = 6; i < 12; ++i)
            reply[i] = 0;
        m_socket->writeDatagram(reply, datagram.senderAddress(), quint16(datagram.senderPort()));
    }
}

} // namespace dd
