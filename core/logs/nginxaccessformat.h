#pragma once

#include "parsedrecord.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace dd {

/**
 * An nginx `log_format`, compiled into literal/variable pairs, that splits access-log lines
 * into named fields ("remote_addr", "status", "upstream_addr", "upstream_status" as written,
 * e.g. "502, 200"). `combined` is nginx's built-in format.
 */
class NginxAccessFormat
{
public:
    /// `log_format ... escape=`: how nginx wrote the values (json: as JSON string contents).
    enum class Escape { Default, Json, None };

    static NginxAccessFormat combined();
    /// Compiles the format string as it appears in `log_format NAME ...;` (quoted pieces
    /// may be given joined or still quoted). Fails on a format without variables.
    static std::optional<NginxAccessFormat> compile(const QString &format, QString *error,
                                                    Escape escape = Escape::Default);

    /// Parses one line; false when the line does not have the format's shape.
    bool parse(QByteArrayView line, ParsedRecord *out) const;
    /// Fixed strings one of which every line with HTTP status `status` contains (for the
    /// prefilter); the longer they are, the faster the prefilter.
    QList<QByteArray> statusLiterals(int status) const;
    const QString &source() const { return m_source; }
    bool hasVariable(QByteArrayView name) const;
    /// Variables and literal bytes: a format with more of both is more specific.
    qsizetype specificity() const;

private:
    struct Token
    {
        QByteArray literal;  ///< text before the variable
        QByteArray variable; ///< variable name without '$'
    };
    QList<Token> m_tokens;
    QByteArray m_trailing; ///< text after the last variable
    QString m_source;
    bool m_jsonEscaped = false;
};

} // namespace dd
