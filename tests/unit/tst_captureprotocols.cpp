// TLS handshakes, scheme mismatches and the dependencies' handshakes (PostgreSQL, Redis, AMQP).
#include "../data/capture/packetbuilder.h"

#include "capture/captureanalyzer.h"

#include <QTest>

using namespace capturetest;
using Side = capturetest::TcpScript;

namespace {

dd::CaptureAnalysis analyze(const QList<Packet> &packets)
{
    dd::CaptureAnalyzer analyzer;
    const QByteArray file = pcapFile(1, packets);
    analyzer.feed(file.constData(), file.size());
    analyzer.finish();
    return analyzer.result();
}

QByteArray u16(quint16 v)
{
    QByteArray b;
    put16(b, v);
    return b;
}

QByteArray u24(quint32 v)
{
    return QByteArray(1, char(v >> 16)) + u16(quint16(v));
}

QByteArray record(quint8 type, const QByteArray &body)
{
    return QByteArray(1, char(type)) + QByteArray("\x03\x03", 2) + u16(quint16(body.size())) + body;
}

QByteArray extension(quint16 type, const QByteArray &body)
{
    return u16(type) + u16(quint16(body.size())) + body;
}

QByteArray clientHello(const QByteArray &sni, const QList<quint16> &versions)
{
    QByteArray ext;
    if (!sni.isEmpty())
        ext += extension(0, u16(quint16(sni.size() + 3)) + QByteArray(1, '\0') + u16(quint16(sni.size())) + sni);
    if (!versions.isEmpty()) {
        QByteArray list;
        for (quint16 v : versions)
            list += u16(v);
        ext += extension(43, QByteArray(1, char(list.size())) + list);
    }
    QByteArray body = u16(0x0303) + QByteArray(32, 'r') + QByteArray(1, char(32)) + QByteArray(32, 's') + u16(2) +
                      u16(0x1301) + QByteArray(1, '\1') + QByteArray(1, '\0') + u16(quint16(ext.size())) + ext;
    return record(22, QByteArray(1, '\1') + u24(quint32(body.size())) + body);
}

QByteArray serverHello(quint16 selected)
{
    QByteArray ext = selected ? extension(43, u16(selected)) : QByteArray();
    QByteArray body = u16(0x0303) + QByteArray(32, 'R') + QByteArray(1, '\0') + u16(0x1301) + QByteArray(1, '\0') +
                      u16(quint16(ext.size())) + ext;
    return record(22, QByteArray(1, '\2') + u24(quint32(body.size())) + body);
}

QByteArray alert(quint8 level, quint8 description)
{
    return record(21, QByteArray(1, char(level)) + QByteArray(1, char(description)));
}

TcpScript opened(quint16 port)
{
    TcpScript s(Link::Ethernet, localhost(), 40000, localhost(), port, t0);
    s.handshake();
    return s;
}

QStringList notesOf(const dd::CaptureAnalysis &a)
{
    QStringList out;
    for (const dd::ProtocolNote &n : a.notes)
        out << (n.isError ? QStringLiteral("! ") : QString()) + n.text;
    return out;
}

QByteArray amqpMethod(quint16 classId, quint16 methodId, const QByteArray &args)
{
    const QByteArray payload = u16(classId) + u16(methodId) + args;
    QByteArray frame(1, '\1');
    frame += u16(0);
    put32(frame, quint32(payload.size()));
    return frame + payload + QByteArray(1, char(0xce));
}

QByteArray pgMessage(char type, const QByteArray &body)
{
    QByteArray m(1, type);
    put32(m, quint32(body.size() + 4));
    return m + body;
}

} // namespace

class TestCaptureProtocols : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tls13Handshake();
    void tls12FatalAlert();
    void encryptedAlert();
    void helloSplitAcrossSegments();
    void schemeMismatch_data();
    void schemeMismatch();
    void postgres();
    void postgresSsl();
    void redis();
    void amqp_data();
    void amqp();
};

void TestCaptureProtocols::tls13Handshake()
{
    TcpScript s = opened(443);
    s.send(Side::Client, clientHello("office.example.com", {0x0a0a, 0x0304, 0x0303}));
    s.send(Side::Server, serverHello(0x0304) + record(20, QByteArray(1, '\1')) + record(23, QByteArray(40, 'e')));
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(a.tls.size(), 1);
    const dd::TlsSession &t = a.tls.at(0);
    QCOMPARE(t.sni, QStringLiteral("office.example.com"));
    QCOMPARE(t.offeredVersions, (QStringList{QStringLiteral("TLS 1.3"), QStringLiteral("TLS 1.2")}));
    QCOMPARE(t.serverVersion, QStringLiteral("TLS 1.3"));
    QVERIFY(t.alerts.isEmpty());
    QCOMPARE(a.conversations.at(0).protocol, dd::AppProtocol::Tls);
    QCOMPARE(a.conversations.at(0).tlsIndex, 0);
    QVERIFY(!a.hasProblems());
}

void TestCaptureProtocols::tls12FatalAlert()
{
    // DS (client) does not trust the storage's certificate: fatal unknown_ca, then FIN.
    TcpScript s = opened(443);
    s.send(Side::Client, clientHello("storage.local", {}));
    s.send(Side::Server, serverHello(0) + record(22, QByteArray(300, 'c')));
    s.send(Side::Client, alert(2, 48));
    s.close(Side::Client);
    const dd::CaptureAnalysis a = analyze(s.packets);
    const dd::TlsSession &t = a.tls.at(0);
    QCOMPARE(t.offeredVersions, QStringList{QStringLiteral("TLS 1.2")});
    QCOMPARE(t.serverVersion, QStringLiteral("TLS 1.2"));
    QCOMPARE(t.alerts.size(), 1);
    QCOMPARE(t.alerts.at(0).text(), QStringLiteral("fatal unknown_ca"));
    QCOMPARE(t.alerts.at(0).from, dd::TcpSide::Client);
    QVERIFY(t.hasFatalAlert());
    QVERIFY(a.hasProblems());
}

void TestCaptureProtocols::encryptedAlert()
{
    TcpScript s = opened(443);
    s.send(Side::Client, clientHello("x", {}));
    s.send(Side::Server, serverHello(0) + record(20, QByteArray(1, '\1')));
    s.send(Side::Client, record(20, QByteArray(1, '\1')) + record(21, QByteArray(26, 'z')));
    const dd::TlsSession t = analyze(s.packets).tls.at(0);
    QCOMPARE(t.alerts.size(), 1);
    QVERIFY(t.alerts.at(0).encrypted);
    QVERIFY(!t.hasFatalAlert());
}

void TestCaptureProtocols::helloSplitAcrossSegments()
{
    TcpScript s = opened(443);
    const QByteArray hello = clientHello("split.example", {0x0304});
    for (qsizetype i = 0; i < hello.size(); i += 7)
        s.send(Side::Client, hello.mid(i, 7));
    const dd::TlsSession t = analyze(s.packets).tls.at(0);
    QCOMPARE(t.sni, QStringLiteral("split.example"));
    QCOMPARE(t.offeredVersions, QStringList{QStringLiteral("TLS 1.3")});
}

void TestCaptureProtocols::schemeMismatch_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<dd::SchemeMismatch>("mismatch");
    QTest::newRow("TLS to a plain port: plaintext 400")
        << clientHello("ds", {0x0304}) << QByteArray("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        << dd::SchemeMismatch::PlaintextAnswerToTls;
    QTest::newRow("plain HTTP to a TLS port: TLS alert") << QByteArray("GET / HTTP/1.1\r\nHost: ds\r\n\r\n")
                                                         << alert(2, 70) << dd::SchemeMismatch::TlsAnswerToPlaintext;
    QTest::newRow("plain HTTP to nginx's TLS port")
        << QByteArray("GET / HTTP/1.1\r\nHost: ds\r\n\r\n")
        << QByteArray("HTTP/1.1 400 Bad Request\r\nContent-Length: 90\r\n\r\n<html><head><title>400 The plain "
                      "HTTP request was sent to HTTPS port</title></head></html>\r\n\r\n\r\n\r\n\r\n\r\n")
        << dd::SchemeMismatch::TlsAnswerToPlaintext;
    QTest::newRow("matching schemes") << QByteArray("GET / HTTP/1.1\r\n\r\n")
                                      << QByteArray("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                                      << dd::SchemeMismatch::None;
}

void TestCaptureProtocols::schemeMismatch()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, response);
    QFETCH(dd::SchemeMismatch, mismatch);
    TcpScript s = opened(8443);
    s.send(Side::Client, request);
    s.send(Side::Server, response);
    s.close(Side::Server);
    const dd::CaptureAnalysis a = analyze(s.packets);
    const dd::TcpConversation &c = a.conversations.at(0);
    QCOMPARE(dd::schemeMismatchName(c.schemeMismatch), dd::schemeMismatchName(mismatch));
    QCOMPARE(c.isFailure(), mismatch != dd::SchemeMismatch::None);
    if (mismatch == dd::SchemeMismatch::PlaintextAnswerToTls) {
        QCOMPARE(a.notes.size(), 1);
        QCOMPARE(a.notes.at(0).code, QStringLiteral("400"));
        QCOMPARE(a.notes.at(0).text,
                 QStringLiteral("TLS ClientHello answered with plaintext HTTP 400: TLS sent to a plain port"));
    }
}

void TestCaptureProtocols::postgres()
{
    TcpScript s = opened(5432);
    QByteArray startup;
    put32(startup, 0);
    put32(startup, 196608);
    startup += QByteArray("user\0onlyoffice\0database\0onlyoffice\0\0", 38);
    QByteArray length;
    put32(length, quint32(startup.size()));
    startup.replace(0, 4, length);
    s.send(Side::Client, startup);
    QByteArray md5;
    put32(md5, 5);
    md5 += "salt";
    s.send(Side::Server, pgMessage('R', md5));
    s.send(Side::Client, pgMessage('p', "md5-the-password-hash\0"));
    s.send(Side::Server, pgMessage('E', QByteArray("SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "
                                                   "\"onlyoffice\"\0\0",
                                                   78)));
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(a.conversations.at(0).protocol, dd::AppProtocol::Postgres);
    QCOMPARE(notesOf(a), (QStringList{
                             QStringLiteral("PostgreSQL startup: user \"onlyoffice\", database \"onlyoffice\""),
                             QStringLiteral("PostgreSQL asks for md5 authentication"),
                             QStringLiteral("! PostgreSQL FATAL 28P01: password authentication failed for user "
                                            "\"onlyoffice\""),
                         }));
    QCOMPARE(a.notes.at(2).code, QStringLiteral("28P01"));
    QVERIFY(a.hasProblems());
}

void TestCaptureProtocols::postgresSsl()
{
    TcpScript s = opened(5432);
    s.send(Side::Client, QByteArray("\0\0\0\x08\x04\xd2\x16\x2f", 8));
    s.send(Side::Server, "S");
    s.send(Side::Client, clientHello("db", {0x0304}));
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(notesOf(a), (QStringList{QStringLiteral("PostgreSQL SSLRequest"),
                                      QStringLiteral("PostgreSQL accepted SSL; the rest is TLS")}));
    QVERIFY(!a.hasProblems());
}

void TestCaptureProtocols::redis()
{
    TcpScript s = opened(6379);
    s.send(Side::Client, "*2\r\n$4\r\nAUTH\r\n$13\r\nsecret-passwd\r\n");
    s.send(Side::Server, "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
    s.send(Side::Client, "*1\r\n$4\r\nPING\r\n");
    s.send(Side::Server, "-NOAUTH Authentication required.\r\n");
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(a.conversations.at(0).protocol, dd::AppProtocol::Redis);
    QCOMPARE(a.notes.size(), 2);
    QCOMPARE(a.notes.at(0).code, QStringLiteral("WRONGPASS"));
    QCOMPARE(a.notes.at(1).code, QStringLiteral("NOAUTH"));
    for (const dd::ProtocolNote &n : a.notes)
        QVERIFY(!n.text.contains(QLatin1String("secret")));
}

void TestCaptureProtocols::amqp_data()
{
    QTest::addColumn<QList<QByteArray>>("server");
    QTest::addColumn<QByteArray>("client");
    QTest::addColumn<QStringList>("notes");
    QByteArray tune;
    put16(tune, 2047);
    put32(tune, 131072);
    put16(tune, 60);
    QByteArray tuneOk;
    put16(tuneOk, 2047);
    put32(tuneOk, 4096);
    put16(tuneOk, 60);
    const QByteArray text = "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN";
    QByteArray close;
    put16(close, 403);
    close += QByteArray(1, char(text.size())) + text;
    put16(close, 0);
    put16(close, 0);
    QTest::newRow("access refused")
        << QList<QByteArray>{amqpMethod(10, 10, QByteArray(20, '\0')), amqpMethod(10, 30, tune),
                             amqpMethod(10, 50, close)}
        << amqpMethod(10, 31, tuneOk)
        << QStringList{QStringLiteral("AMQP Connection.Tune frame_max 131072"),
                       QStringLiteral("AMQP Connection.Tune-Ok frame_max 4096"),
                       QStringLiteral("! AMQP Connection.Close 403: ") + QString::fromLatin1(text)};
    QTest::newRow("protocol header rejected") << QList<QByteArray>{QByteArray("AMQP\0\1\0\0", 8)} << QByteArray()
                                              << QStringList{QStringLiteral(
                                                     "! AMQP server rejected the protocol header; it speaks 1-0-0")};
}

void TestCaptureProtocols::amqp()
{
    QFETCH(QList<QByteArray>, server);
    QFETCH(QByteArray, client);
    QFETCH(QStringList, notes);
    TcpScript s = opened(5672);
    s.send(Side::Client, QByteArray("AMQP\0\0\x09\x01", 8));
    s.send(Side::Server, server.at(0));
    for (qsizetype i = 1; i < server.size(); ++i) {
        if (i == server.size() - 1 && !client.isEmpty())
            s.send(Side::Client, client);
        s.send(Side::Server, server.at(i));
    }
    const dd::CaptureAnalysis a = analyze(s.packets);
    QCOMPARE(a.conversations.at(0).protocol, dd::AppProtocol::Amqp);
    QCOMPARE(notesOf(a), notes);
}

QTEST_GUILESS_MAIN(TestCaptureProtocols)
#include "tst_captureprotocols.moc"
