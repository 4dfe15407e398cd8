#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace dd {

/// One word of an nginx directive, with its escapes resolved the way nginx resolves them.
struct NginxWord
{
    QByteArray text;
    int line = 0;
    bool quoted = false;
};

/// How a statement read by NginxLexer ended.
enum class NginxStatementEnd { Semicolon, BlockStart, BlockEnd, EndOfFile, Error };

struct NginxStatement
{
    QList<NginxWord> words;
    int line = 0; ///< line of the first word (or of the `}` / the error)
    NginxStatementEnd end = NginxStatementEnd::EndOfFile;
    QString error; ///< set when `end` is Error
};

/**
 * Splits nginx configuration text into statements exactly like ngx_conf_read_token(): words
 * separated by blanks, `;` ends a directive, `{` opens a block, `}` closes one (only at the
 * start of a word), `#` starts a comment only where a word could start, "..." and '...' quote,
 * a backslash escapes the next character, and `${` does not open a block.
 */
class NginxLexer
{
public:
    explicit NginxLexer(const QByteArray &text);

    NginxStatement next();

    /// Skips a block whose body is not nginx syntax (OpenResty's *_by_lua_block), counting
    /// braces outside strings and comments. Returns false at end of input.
    bool skipRawBlock();

    int line() const { return m_line; }
    bool atEnd() const { return m_pos >= m_text.size(); }

private:
    static QByteArray unescape(const QByteArray &raw);

    QByteArray m_text;
    qsizetype m_pos = 0;
    int m_line = 1;
};

} // namespace dd
