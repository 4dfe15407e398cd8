#include "tlsstreaminspector.h"

#include <QtEndian>

#include <cstring>

namespace dd {

namespace {

constexpr quint8 recordChangeCipherSpec = 20;
constexpr quint8 recordAlert = 21;
constexpr quint8 recordHandshake = 22;
constexpr quint8 recordApplicationData = 23;
constexpr quint16 extServerName = 0;
constexpr quint16 extSupportedVersions = 43;

// GREASE values (RFC 8701) are offered to keep servers honest; they are not versions.
bool isGrease(quint16 v)
{
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

struct Cursor
{
    const quint8 *p;
    const quint8 *end;

    bool has(qsizetype n) const { return end - p >= n; }
    bool skip(qsizetype n)
    {
        if (!has(n))
            return false;
        p += n;
        return true;
    }
    bool u8(quint8 *v)
    {
        if (!has(1))
            return false;
        *v = *p++;
        return true;
    }
    bool u16(quint16 *v)
    {
        if (!has(2))
            return false;
        *v = qFromBigEndian<quint16>(p);
        p += 2;
        return true;
    }
};

} // namespace

TlsStreamInspector::TlsStreamInspector(int conversation, InspectorSink *sink)
    : m_conversation(conversation)
    , m_sink(sink)
{
}

void TlsStreamInspector::gap(int direction)
{
    m_dir[direction].lost = true;
}

void TlsStreamInspector::data(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs)
{
    Direction &d = m_dir[direction];
    if (d.lost)
        return;
    if (!d.started) {
        d.started = true;
        if (direction == 1 && !looksLikeTlsRecord(data, size) && size > 0 && data[0] != recordApplicationData &&
            data[0] != recordChangeCipherSpec) {
            plaintextAnswer(data, size, timeNs);
            d.lost = true;
            return;
        }
    }
    while (size > 0 && !d.lost) {
        if (d.remaining == 0) {
            const int take = int(qMin<qsizetype>(5 - d.headerHave, size));
            std::memcpy(d.header + d.headerHave, data, size_t(take));
            d.headerHave += take;
            data += take;
            size -= take;
            if (d.headerHave < 5)
                return;
            d.headerHave = 0;
            d.type = d.header[0];
            d.recordLength = qFromBigEndian<quint16>(d.header + 3);
            d.remaining = d.recordLength;
            if (d.type < recordChangeCipherSpec || d.type > 24 || d.header[1] != 3 || d.recordLength > 18432) {
                d.lost = true; // not TLS (any more): stop rather than guess
                return;
            }
            if (d.type == recordAlert) {
                d.alertHave = 0;
                if (d.encrypted || d.recordLength != 2)
                    addAlert(direction, 0, -1, true, timeNs);
            }
            if (d.remaining == 0)
                continue;
        }
        const qsizetype take = qMin<qsizetype>(d.remaining, size);
        recordBody(direction, data, take, timeNs);
        d.remaining -= quint32(take);
        data += take;
        size -= take;
        if (d.remaining == 0 && d.type == recordChangeCipherSpec)
            d.encrypted = true;
    }
}

void TlsStreamInspector::recordBody(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs)
{
    Direction &d = m_dir[direction];
    if (d.type == recordHandshake && !d.helloDone && !d.encrypted) {
        const qsizetype room = maxHelloBytes - qsizetype(d.hello.size());
        d.hello.insert(d.hello.end(), data, data + qMin(room, size));
        if (d.hello.size() >= 4) {
            const quint32 length = (quint32(d.hello[1]) << 16) | (quint32(d.hello[2]) << 8) | d.hello[3];
            if (d.hello.size() >= 4 + length || qsizetype(d.hello.size()) >= maxHelloBytes)
                parseHello(direction, timeNs);
        }
        return;
    }
    if (d.type == recordAlert && !d.encrypted && d.recordLength == 2) {
        for (qsizetype i = 0; i < size && d.alertHave < 2; ++i)
            d.alert[d.alertHave++] = data[i];
        if (d.alertHave == 2)
            addAlert(direction, d.alert[0], d.alert[1], false, timeNs);
    }
}

void TlsStreamInspector::parseHello(int direction, CaptureTime timeNs)
{
    Direction &d = m_dir[direction];
    d.helloDone = true;
    const quint8 expected = direction == 0 ? 1 : 2; // ClientHello, ServerHello
    if (d.hello[0] != expected) {
        d.hello = std::vector<quint8>();
        return;
    }
    TlsSession &session = m_sink->tlsSession(m_conversation);
    Cursor c{d.hello.data() + 4, d.hello.data() + d.hello.size()};
    quint16 legacyVersion = 0;
    quint8 sessionIdLength = 0;
    bool ok = c.u16(&legacyVersion) && c.skip(32) && c.u8(&sessionIdLength) && c.skip(sessionIdLength);
    if (direction == 0) {
        session.clientHelloSeen = true;
        session.clientHelloNs = timeNs;
        quint16 suites = 0;
        quint8 compressions = 0;
        ok = ok && c.u16(&suites) && c.skip(suites) && c.u8(&compressions) && c.skip(compressions);
    } else {
        session.serverHelloSeen = true;
        session.serverHelloNs = timeNs;
        session.serverVersion = tlsVersionName(legacyVersion);
        ok = ok && c.skip(3); // cipher suite, compression method
    }
    QStringList offered;
    quint16 extensionsLength = 0;
    if (ok && c.u16(&extensionsLength)) {
        Cursor ext{c.p, c.p + qMin<qsizetype>(extensionsLength, c.end - c.p)};
        quint16 type = 0;
        quint16 length = 0;
        while (ext.u16(&type) && ext.u16(&length) && ext.has(length)) {
            Cursor body{ext.p, ext.p + length};
            ext.skip(length);
            if (type == extServerName && direction == 0) {
                quint16 listLength = 0;
                quint8 nameType = 0;
                quint16 nameLength = 0;
                if (body.u16(&listLength) && body.u8(&nameType) && body.u16(&nameLength) && nameType == 0 &&
                    body.has(nameLength))
                    session.sni = QString::fromLatin1(reinterpret_cast<const char *>(body.p), nameLength);
            } else if (type == extSupportedVersions && direction == 0) {
                quint8 listLength = 0;
                quint16 v = 0;
                if (body.u8(&listLength)) {
                    for (int i = 0; i < listLength / 2 && body.u16(&v); ++i) {
                        if (!isGrease(v))
                            offered.append(tlsVersionName(v));
                    }
                }
            } else if (type == extSupportedVersions && direction == 1) {
                quint16 v = 0;
                if (body.u16(&v))
                    session.serverVersion = tlsVersionName(v);
            }
        }
    }
    if (direction == 0)
        session.offeredVersions = offered.isEmpty() ? QStringList{tlsVersionName(legacyVersion)} : offered;
    d.hello = std::vector<quint8>();
}

void TlsStreamInspector::plaintextAnswer(const quint8 *data, qsizetype size, CaptureTime timeNs)
{
    TcpConversation &c = m_sink->conversation(m_conversation);
    ProtocolNote note;
    note.conversation = m_conversation;
    note.timeNs = timeNs;
    note.protocol = AppProtocol::Tls;
    note.from = TcpSide::Server;
    note.isError = true;
    if (looksLikeHttpResponse(data, size) && size >= 12) {
        c.schemeMismatch = SchemeMismatch::PlaintextAnswerToTls;
        note.code = QString::fromLatin1(reinterpret_cast<const char *>(data) + 9, 3);
        note.text = QStringLiteral("TLS ClientHello answered with plaintext HTTP %1: TLS sent to a plain port")
                        .arg(note.code);
    } else {
        note.text = QStringLiteral("TLS ClientHello answered with %1 bytes that are not TLS").arg(size);
    }
    m_sink->noteAdded(std::move(note));
}

void TlsStreamInspector::addAlert(int direction, int level, int description, bool encrypted, CaptureTime timeNs)
{
    TlsSession &session = m_sink->tlsSession(m_conversation);
    if (session.alerts.size() >= maxAlerts)
        return;
    TlsAlert alert;
    alert.timeNs = timeNs;
    alert.from = direction == 0 ? TcpSide::Client : TcpSide::Server;
    alert.level = level;
    alert.description = description;
    alert.encrypted = encrypted;
    session.alerts.append(alert);
}

} // namespace dd
