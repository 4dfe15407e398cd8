#include "config/nginxconfig.h"

#include "config/configfile.h"
#include "config/nginxlexer.h"

#include <QDir>
#include <QFileInfo>
#include <QMap>
#include <QRegularExpression>

#include <fnmatch.h>

namespace dd {

QString NginxDirective::text() const
{
    QString out = name;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        const bool wasQuoted = i < quoted.size() && quoted.at(i);
        static const QRegularExpression needsQuotes(QStringLiteral("[\\s;{}\"'#]"));
        if (wasQuoted || a.isEmpty() || a.contains(needsQuotes)) {
            QString escaped = a;
            escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
            out += QLatin1String(" \"") + escaped + QLatin1Char('"');
        } else {
            out += QLatin1Char(' ') + a;
        }
    }
    out += hasBlock ? QLatin1String(" {") : QLatin1String(";");
    return out;
}

QString NginxDirective::position() const
{
    return file + QLatin1Char(':') + QString::number(line);
}

namespace {

enum class BlockResult { Closed, EndOfFile, Error };

class NginxParser
{
public:
    NginxParser(const NginxParseOptions &options, NginxConfig *config) : m_options(options), m_config(config) {}

    void setDump(const QMap<QString, QByteArray> &files)
    {
        m_dump = files;
        m_isDump = true;
    }

    void parseRoot(const QString &file, const QByteArray &text)
    {
        m_stack.append(canonical(file));
        addFile(file);
        NginxLexer lexer(text);
        parseStatements(lexer, file, &m_config->directives, 0, 0, false, 0, QString());
        m_stack.removeLast();
    }

private:
    void error(const QString &file, int line, const QString &message)
    {
        m_config->errors.append(ConfigError{file, line, message, false});
    }

    void addFile(const QString &file)
    {
        if (!m_config->files.contains(file))
            m_config->files.append(file);
    }

    QString canonical(const QString &file) const
    {
        if (m_isDump)
            return QDir::cleanPath(file);
        const QString c = QFileInfo(file).canonicalFilePath();
        return c.isEmpty() ? QDir::cleanPath(QFileInfo(file).absoluteFilePath()) : c;
    }

    BlockResult parseStatements(NginxLexer &lexer, const QString &file, QList<NginxDirective> *out, int blockDepth,
                                int includeDepth, bool inBlock, int openLine, const QString &openName)
    {
        for (;;) {
            if (m_aborted)
                return BlockResult::Error;
            NginxStatement st = lexer.next();
            switch (st.end) {
            case NginxStatementEnd::EndOfFile:
                if (inBlock) {
                    error(file, openLine,
                          QStringLiteral("\"%1\" block opened here is never closed (unexpected end of file, "
                                         "expecting \"}\")")
                              .arg(openName));
                    return BlockResult::Error;
                }
                return BlockResult::EndOfFile;
            case NginxStatementEnd::Error:
                error(file, st.line, st.error);
                return BlockResult::Error;
            case NginxStatementEnd::BlockEnd:
                if (!inBlock) {
                    error(file, st.line, QStringLiteral("unexpected \"}\""));
                    return BlockResult::Error;
                }
                return BlockResult::Closed;
            case NginxStatementEnd::Semicolon:
            case NginxStatementEnd::BlockStart:
                break;
            }

            if (++m_directiveCount > m_options.maxDirectives) {
                error(file, st.line,
                      QStringLiteral("more than %1 directives; reading stopped").arg(m_options.maxDirectives));
                m_aborted = true;
                return BlockResult::Error;
            }

            NginxDirective d;
            d.name = QString::fromUtf8(st.words.constFirst().text);
            for (qsizetype i = 1; i < st.words.size(); ++i) {
                d.args.append(QString::fromUtf8(st.words.at(i).text));
                d.quoted.append(st.words.at(i).quoted);
            }
            d.file = file;
            d.line = st.line;

            if (st.end == NginxStatementEnd::BlockStart) {
                d.hasBlock = true;
                if (d.name.endsWith(QLatin1String("_by_lua_block"))) {
                    // OpenResty: the body is Lua, not nginx syntax.
                    const bool closed = lexer.skipRawBlock();
                    out->append(d);
                    if (!closed) {
                        error(file, d.line, QStringLiteral("\"%1\" block is never closed").arg(d.name));
                        return BlockResult::Error;
                    }
                    continue;
                }
                if (blockDepth >= m_options.maxBlockDepth) {
                    error(file, d.line,
                          QStringLiteral("blocks nested more than %1 deep; reading stopped")
                              .arg(m_options.maxBlockDepth));
                    m_aborted = true;
                    return BlockResult::Error;
                }
                const BlockResult r =
                    parseStatements(lexer, file, &d.children, blockDepth + 1, includeDepth, true, d.line, d.name);
                out->append(d);
                if (r != BlockResult::Closed)
                    return BlockResult::Error;
                continue;
            }

            if (d.name == QLatin1String("include") && m_options.followIncludes) {
                include(d, out, blockDepth, includeDepth);
                continue;
            }
            out->append(d);
        }
    }

    QStringList expand(const NginxDirective &inc, const QString &pattern, bool *ok)
    {
        *ok = true;
        const bool isGlob = pattern.contains(QRegularExpression(QStringLiteral("[*?\\[]")));
        if (m_isDump) {
            QStringList matches;
            const QByteArray pat = QDir::cleanPath(pattern).toLocal8Bit();
            for (auto it = m_dump.cbegin(); it != m_dump.cend(); ++it) {
                const QString key = QDir::cleanPath(it.key());
                if (isGlob ? fnmatch(pat.constData(), key.toLocal8Bit().constData(), FNM_PATHNAME) == 0
                           : key == QDir::cleanPath(pattern))
                    matches.append(it.key());
            }
            matches.sort();
            if (matches.isEmpty() && !isGlob) {
                error(inc.file, inc.line, QStringLiteral("included file %1 is not in the dump").arg(pattern));
                *ok = false;
            }
            return matches;
        }
        if (!isGlob)
            return {pattern};
        QString globError;
        const QStringList matches = expandGlob(pattern, &globError);
        if (!globError.isEmpty()) {
            error(inc.file, inc.line, globError);
            *ok = false;
        }
        return matches;
    }

    void include(const NginxDirective &inc, QList<NginxDirective> *out, int blockDepth, int includeDepth)
    {
        if (inc.args.size() != 1) {
            error(inc.file, inc.line, QStringLiteral("invalid number of arguments in \"include\" directive"));
            return;
        }
        QString pattern = inc.args.constFirst();
        if (QDir::isRelativePath(pattern))
            pattern = m_config->confDir + QLatin1Char('/') + pattern;

        bool ok = false;
        const QStringList files = expand(inc, pattern, &ok);
        for (const QString &file : files) {
            if (m_aborted)
                return;
            const QString key = canonical(file);
            if (m_stack.contains(key)) {
                error(inc.file, inc.line, QStringLiteral("include loop: %1 is already being read").arg(file));
                continue;
            }
            if (includeDepth + 1 > m_options.maxIncludeDepth) {
                error(
                    inc.file, inc.line,
                    QStringLiteral("includes nested more than %1 deep at %2").arg(m_options.maxIncludeDepth).arg(file));
                continue;
            }
            QByteArray text;
            if (m_isDump) {
                text = m_dump.value(file);
            } else {
                QString readError;
                if (!readConfigFile(file, m_options.maxFileBytes, &text, &readError)) {
                    error(inc.file, inc.line, readError);
                    continue;
                }
                m_totalBytes += text.size();
                if (m_totalBytes > m_options.maxTotalBytes) {
                    error(inc.file, inc.line,
                          QStringLiteral("configuration exceeds %1 bytes in total; reading stopped at %2")
                              .arg(m_options.maxTotalBytes)
                              .arg(file));
                    m_aborted = true;
                    return;
                }
            }
            addFile(file);
            m_stack.append(key);
            NginxLexer lexer(text);
            parseStatements(lexer, file, out, blockDepth, includeDepth + 1, false, 0, QString());
            m_stack.removeLast();
        }
    }

    NginxParseOptions m_options;
    NginxConfig *m_config;
    QMap<QString, QByteArray> m_dump;
    bool m_isDump = false;
    QStringList m_stack;
    qint64 m_totalBytes = 0;
    int m_directiveCount = 0;
    bool m_aborted = false;
};

} // namespace

NginxConfig parseNginxText(const QByteArray &text, const QString &fileName, const QString &confDir,
                           const NginxParseOptions &options)
{
    NginxConfig config;
    config.mainFile = fileName;
    config.confDir = confDir;
    NginxParser parser(options, &config);
    parser.parseRoot(fileName, text);
    return config;
}

NginxConfig parseNginxFile(const QString &path, const NginxParseOptions &options)
{
    QByteArray text;
    QString readError;
    if (!readConfigFile(path, options.maxFileBytes, &text, &readError)) {
        NginxConfig config;
        config.mainFile = path;
        config.errors.append(ConfigError{path, 0, readError, true});
        return config;
    }
    // With `-c FILE`, nginx's conf prefix is the directory of FILE.
    return parseNginxText(text, path, QFileInfo(path).absolutePath(), options);
}

bool looksLikeNginxDump(const QByteArray &text)
{
    return text.startsWith("# configuration file ") || text.contains("\n# configuration file ");
}

NginxConfig parseNginxDump(const QByteArray &dump, const QString &origin, const NginxParseOptions &options)
{
    NginxConfig config;
    config.fromDump = true;
    QMap<QString, QByteArray> files;
    QString first;
    QString current;
    QByteArray content;
    static const QRegularExpression marker(QStringLiteral("^# configuration file (.+):\\r?$"));

    qsizetype pos = 0;
    while (pos < dump.size()) {
        qsizetype end = dump.indexOf('\n', pos);
        if (end < 0)
            end = dump.size();
        const QByteArray line = dump.mid(pos, end - pos + 1);
        pos = end + 1;
        const QRegularExpressionMatch m = line.startsWith("# configuration file ")
                                              ? marker.match(QString::fromUtf8(line).trimmed())
                                              : QRegularExpressionMatch();
        if (m.hasMatch()) {
            if (!current.isEmpty())
                files.insert(current, content);
            current = m.captured(1);
            content.clear();
            if (first.isEmpty())
                first = current;
            continue;
        }
        if (!current.isEmpty())
            content += line;
    }
    if (!current.isEmpty())
        files.insert(current, content);

    if (first.isEmpty()) {
        config.mainFile = origin;
        config.errors.append(ConfigError{
            origin, 0, QStringLiteral("not an nginx -T dump (no \"# configuration file PATH:\" lines)"), true});
        return config;
    }
    config.mainFile = first;
    config.confDir = QFileInfo(first).path();
    NginxParser parser(options, &config);
    parser.setDump(files);
    parser.parseRoot(first, files.value(first));
    return config;
}

} // namespace dd
