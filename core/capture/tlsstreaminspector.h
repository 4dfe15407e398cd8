#pragma once

#include "conversationinspector.h"

#include <vector>

namespace dd {

/**
 * Follows the TLS records of one conversation: the ClientHello (SNI, offered versions), the
 * ServerHello (selected version) and alerts (readable until ChangeCipherSpec; counted as
 * encrypted after). A plaintext HTTP answer to the ClientHello marks a scheme mismatch.
 * Only the first hello of each side is buffered, at most maxHelloBytes.
 */
class TlsStreamInspector
{
public:
    static constexpr qsizetype maxHelloBytes = 16 * 1024;
    static constexpr int maxAlerts = 8;

    TlsStreamInspector(int conversation, InspectorSink *sink);

    void data(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs);
    void gap(int direction);

private:
    struct Direction
    {
        quint8 header[5] = {};
        int headerHave = 0;
        quint32 remaining = 0;     ///< bytes left in the current record
        quint32 recordLength = 0;
        quint8 type = 0;
        bool started = false;
        bool lost = false;
        bool encrypted = false;
        bool helloDone = false;
        std::vector<quint8> hello;
        quint8 alert[2] = {};
        int alertHave = 0;
    };

    void recordBody(int direction, const quint8 *data, qsizetype size, CaptureTime timeNs);
    void parseHello(int direction, CaptureTime timeNs);
    void plaintextAnswer(const quint8 *data, qsizetype size, CaptureTime timeNs);
    void addAlert(int direction, int level, int description, bool encrypted, CaptureTime timeNs);

    int m_conversation;
    InspectorSink *m_sink;
    Direction m_dir[2];
};

} // namespace dd
