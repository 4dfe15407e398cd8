#include "config/nginxlexer.h"

namespace dd {

namespace {

bool isBlank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

QString unexpected(char ch)
{
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte >= 0x7f)
        return QStringLiteral("unexpected byte 0x%1").arg(byte, 2, 16, QLatin1Char('0'));
    return QStringLiteral("unexpected \"%1\"").arg(QLatin1Char(ch));
}

} // namespace

NginxLexer::NginxLexer(const QByteArray &text) : m_text(text) {}

QByteArray NginxLexer::unescape(const QByteArray &raw)
{
    // ngx_conf_read_token() resolves only \" \' \\ \t \r \n; any other backslash stays.
    QByteArray out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char ch = raw.at(i);
        if (ch == '\\' && i + 1 < raw.size()) {
            const char next = raw.at(i + 1);
            switch (next) {
            case '"':
            case '\'':
            case '\\':
                out.append(next);
                ++i;
                continue;
            case 't':
                out.append('\t');
                ++i;
                continue;
            case 'r':
                out.append('\r');
                ++i;
                continue;
            case 'n':
                out.append('\n');
                ++i;
                continue;
            default:
                break;
            }
        }
        out.append(ch);
    }
    return out;
}

NginxStatement NginxLexer::next()
{
    NginxStatement st;
    bool lastSpace = true;
    bool needSpace = false;
    bool sharpComment = false;
    bool variable = false;
    bool quoted = false;
    bool sQuoted = false;
    bool dQuoted = false;
    qsizetype start = m_pos;
    int startLine = m_line;

    auto fail = [&](const QString &message, int line) {
        st.end = NginxStatementEnd::Error;
        st.error = message;
        st.line = line;
        return st;
    };

    for (;;) {
        if (m_pos >= m_text.size()) {
            if (sQuoted || dQuoted)
                return fail(QStringLiteral("unterminated quoted string (unexpected end of file)"), startLine);
            if (!st.words.isEmpty() || !lastSpace) {
                return fail(QStringLiteral("unexpected end of file, expecting \";\" or \"}\""),
                            st.words.isEmpty() ? startLine : st.words.constFirst().line);
            }
            st.end = NginxStatementEnd::EndOfFile;
            st.line = m_line;
            return st;
        }

        const char ch = m_text.at(m_pos++);
        if (ch == '\n') {
            ++m_line;
            sharpComment = false;
        }
        if (sharpComment)
            continue;
        if (quoted) {
            quoted = false;
            continue;
        }

        if (needSpace) {
            if (isBlank(ch)) {
                lastSpace = true;
                needSpace = false;
                continue;
            }
            if (ch == ';') {
                st.end = NginxStatementEnd::Semicolon;
                st.line = st.words.constFirst().line;
                return st;
            }
            if (ch == '{') {
                st.end = NginxStatementEnd::BlockStart;
                st.line = st.words.constFirst().line;
                return st;
            }
            if (ch != ')')
                return fail(unexpected(ch), m_line);
            lastSpace = true;
            needSpace = false;
        }

        if (lastSpace) {
            start = m_pos - 1;
            startLine = m_line;
            if (isBlank(ch))
                continue;
            switch (ch) {
            case ';':
            case '{':
                if (st.words.isEmpty())
                    return fail(unexpected(ch), m_line);
                st.end = ch == '{' ? NginxStatementEnd::BlockStart : NginxStatementEnd::Semicolon;
                st.line = st.words.constFirst().line;
                return st;
            case '}':
                if (!st.words.isEmpty())
                    return fail(unexpected(ch), m_line);
                st.end = NginxStatementEnd::BlockEnd;
                st.line = m_line;
                return st;
            case '#':
                sharpComment = true;
                continue;
            case '\\':
                quoted = true;
                lastSpace = false;
                continue;
            case '"':
                ++start;
                dQuoted = true;
                lastSpace = false;
                continue;
            case '\'':
                ++start;
                sQuoted = true;
                lastSpace = false;
                continue;
            case '$':
                variable = true;
                lastSpace = false;
                continue;
            default:
                lastSpace = false;
            }
            continue;
        }

        if (ch == '{' && variable)
            continue;
        variable = false;
        if (ch == '\\') {
            quoted = true;
            continue;
        }
        if (ch == '$') {
            variable = true;
            continue;
        }

        bool found = false;
        bool wasQuoted = false;
        if (dQuoted) {
            if (ch == '"') {
                dQuoted = false;
                needSpace = true;
                found = wasQuoted = true;
            }
        } else if (sQuoted) {
            if (ch == '\'') {
                sQuoted = false;
                needSpace = true;
                found = wasQuoted = true;
            }
        } else if (isBlank(ch) || ch == ';' || ch == '{') {
            lastSpace = true;
            found = true;
        }

        if (found) {
            NginxWord word;
            word.text = unescape(m_text.mid(start, m_pos - 1 - start));
            word.line = startLine;
            word.quoted = wasQuoted;
            st.words.append(word);
            if (ch == ';') {
                st.end = NginxStatementEnd::Semicolon;
                st.line = st.words.constFirst().line;
                return st;
            }
            if (ch == '{') {
                st.end = NginxStatementEnd::BlockStart;
                st.line = st.words.constFirst().line;
                return st;
            }
        }
    }
}

bool NginxLexer::skipRawBlock()
{
    int depth = 1;
    char quote = 0;
    bool comment = false;
    while (m_pos < m_text.size()) {
        const char ch = m_text.at(m_pos++);
        if (ch == '\n') {
            ++m_line;
            comment = false;
            continue;
        }
        if (comment)
            continue;
        if (quote) {
            if (ch == '\\' && m_pos < m_text.size()) {
                if (m_text.at(m_pos) == '\n')
                    ++m_line;
                ++m_pos;
            } else if (ch == quote) {
                quote = 0;
            }
            continue;
        }
        if (ch == '"' || ch == '\'') {
            quote = ch;
        } else if (ch == '#' || (ch == '-' && m_pos < m_text.size() && m_text.at(m_pos) == '-')) {
            comment = true; // nginx-style and Lua line comments
        } else if (ch == '{') {
            ++depth;
        } else if (ch == '}' && --depth == 0) {
            return true;
        }
    }
    return false;
}

} // namespace dd
