#include "config/apacheconfig.h"

#include "config/configfile.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace dd {

QString ApacheDirective::text() const
{
    QStringList parts;
    for (const QString &a : args) {
        if (a.isEmpty() || a.contains(QLatin1Char(' ')) || a.contains(QLatin1Char('\t')))
            parts.append(QLatin1Char('"') + QString(a).replace(QLatin1Char('"'), QLatin1String("\\\"")) +
                         QLatin1Char('"'));
        else
            parts.append(a);
    }
    const QString joined = parts.join(QLatin1Char(' '));
    if (isSection)
        return QLatin1Char('<') + name + (joined.isEmpty() ? QString() : QLatin1Char(' ') + joined) + QLatin1Char('>');
    return joined.isEmpty() ? name : name + QLatin1Char(' ') + joined;
}

QString ApacheDirective::position() const
{
    return file + QLatin1Char(':') + QString::number(line);
}

namespace {

// ap_getword_conf(): blank-separated words; "..." and '...' quote, \" inside quotes escapes.
QStringList splitWords(const QString &text, bool *unterminated)
{
    QStringList words;
    *unterminated = false;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && text.at(i).isSpace())
            ++i;
        if (i >= n)
            break;
        const QChar q = text.at(i);
        if (q == QLatin1Char('"') || q == QLatin1Char('\'')) {
            QString word;
            ++i;
            while (i < n && text.at(i) != q) {
                if (text.at(i) == QLatin1Char('\\') && i + 1 < n && text.at(i + 1) == q)
                    ++i;
                word.append(text.at(i));
                ++i;
            }
            if (i >= n)
                *unterminated = true;
            ++i;
            words.append(word);
        } else {
            const qsizetype start = i;
            while (i < n && !text.at(i).isSpace())
                ++i;
            words.append(text.mid(start, i - start));
        }
    }
    return words;
}

class ApacheParser
{
public:
    ApacheParser(const ApacheParseOptions &options, ApacheConfig *config) : m_options(options), m_config(config) {}

    void parseRoot(const QString &file, const QByteArray &text)
    {
        m_stack.append(canonical(file));
        m_config->files.append(file);
        parseText(file, text, &m_config->directives, 0);
        m_stack.removeLast();
    }

private:
    static QString canonical(const QString &file)
    {
        const QString c = QFileInfo(file).canonicalFilePath();
        return c.isEmpty() ? QDir::cleanPath(QFileInfo(file).absoluteFilePath()) : c;
    }

    void error(const QString &file, int line, const QString &message)
    {
        m_config->errors.append(ConfigError{file, line, message, false});
    }

    // Parses one file into `out`; sections nest through an explicit stack so a file cannot
    // overflow ours.
    void parseText(const QString &file, const QByteArray &bytes, QList<ApacheDirective> *out, int includeDepth)
    {
        const QString text = QString::fromUtf8(bytes);
        const QStringList lines = text.split(QLatin1Char('\n'));
        QList<QList<ApacheDirective> *> targets{out};
        QList<ApacheDirective> openSections; // being filled; appended to the parent when closed
        QString logical;
        int logicalLine = 0;
        for (qsizetype i = 0; i < lines.size() && !m_aborted; ++i) {
            QString line = lines.at(i);
            if (line.endsWith(QLatin1Char('\r')))
                line.chop(1);
            if (logical.isEmpty())
                logicalLine = int(i) + 1;
            if (line.endsWith(QLatin1Char('\\'))) {
                line.chop(1);
                logical += line;
                if (i + 1 < lines.size())
                    continue;
            } else {
                logical += line;
            }
            const QString stmt = logical.trimmed();
            logical.clear();
            if (stmt.isEmpty() || stmt.startsWith(QLatin1Char('#')))
                continue;
            if (++m_count > m_options.maxDirectives) {
                error(file, logicalLine,
                      QStringLiteral("more than %1 directives; reading stopped").arg(m_options.maxDirectives));
                m_aborted = true;
                break;
            }

            if (stmt.startsWith(QLatin1String("</"))) {
                QString name = stmt.mid(2);
                if (name.endsWith(QLatin1Char('>')))
                    name.chop(1);
                name = name.trimmed();
                if (openSections.isEmpty()) {
                    error(file, logicalLine, QStringLiteral("</%1> without matching <%1> section").arg(name));
                    return;
                }
                if (openSections.constLast().name.compare(name, Qt::CaseInsensitive) != 0) {
                    error(file, logicalLine,
                          QStringLiteral("expected </%1> but saw </%2>").arg(openSections.constLast().name, name));
                    return;
                }
                ApacheDirective done = openSections.takeLast();
                targets.removeLast();
                targets.constLast()->append(done);
                // The parent's list may have moved: re-point the open sections' targets.
                rebuildTargets(out, &openSections, &targets);
                continue;
            }

            bool unterminated = false;
            if (stmt.startsWith(QLatin1Char('<'))) {
                if (!stmt.endsWith(QLatin1Char('>'))) {
                    error(file, logicalLine,
                          QStringLiteral("%1 directive missing closing '>'").arg(stmt.section(QLatin1Char(' '), 0, 0)));
                    return;
                }
                if (openSections.size() >= m_options.maxSectionDepth) {
                    error(file, logicalLine,
                          QStringLiteral("sections nested more than %1 deep; reading stopped")
                              .arg(m_options.maxSectionDepth));
                    m_aborted = true;
                    return;
                }
                const QStringList words = splitWords(stmt.mid(1, stmt.size() - 2), &unterminated);
                ApacheDirective d;
                d.name = words.value(0);
                d.args = words.mid(1);
                d.file = file;
                d.line = logicalLine;
                d.isSection = true;
                openSections.append(d);
                targets.append(&openSections.last().children);
                rebuildTargets(out, &openSections, &targets);
                continue;
            }

            const QStringList words = splitWords(stmt, &unterminated);
            if (unterminated) {
                error(file, logicalLine, QStringLiteral("unterminated quoted string"));
                return;
            }
            ApacheDirective d;
            d.name = words.value(0);
            d.args = words.mid(1);
            d.file = file;
            d.line = logicalLine;
            if (d.is(QLatin1String("ServerRoot")) && !d.args.isEmpty()) {
                m_config->serverRoot = d.arg(0);
            } else if (d.is(QLatin1String("LoadModule")) && !d.args.isEmpty()) {
                m_config->modules.append(d.arg(0));
                m_config->modulesKnown = true;
            }
            if (d.is(QLatin1String("Include")) || d.is(QLatin1String("IncludeOptional"))) {
                include(d, targets.constLast(), includeDepth);
                rebuildTargets(out, &openSections, &targets);
                continue;
            }
            targets.constLast()->append(d);
        }
        if (!openSections.isEmpty() && !m_aborted) {
            error(file, openSections.constLast().line,
                  QStringLiteral("<%1> was not closed (end of file)").arg(openSections.constLast().name));
            // Keep what was read: close the open sections into their parents.
            while (!openSections.isEmpty()) {
                ApacheDirective done = openSections.takeLast();
                targets.removeLast();
                targets.constLast()->append(done);
                rebuildTargets(out, &openSections, &targets);
            }
        }
    }

    static void rebuildTargets(QList<ApacheDirective> *out, QList<ApacheDirective> *open,
                               QList<QList<ApacheDirective> *> *targets)
    {
        targets->clear();
        targets->append(out);
        for (ApacheDirective &d : *open)
            targets->append(&d.children);
    }

    void include(const ApacheDirective &inc, QList<ApacheDirective> *out, int includeDepth)
    {
        const bool optional = inc.is(QLatin1String("IncludeOptional"));
        if (inc.args.size() != 1) {
            error(inc.file, inc.line, QStringLiteral("%1 takes one argument").arg(inc.name));
            return;
        }
        QString pattern = inc.arg(0);
        if (QDir::isRelativePath(pattern))
            pattern = m_config->serverRoot + QLatin1Char('/') + pattern;
        QStringList files;
        if (pattern.contains(QRegularExpression(QStringLiteral("[*?\\[]")))) {
            QString globError;
            files = expandGlob(pattern, &globError);
            if (!globError.isEmpty())
                error(inc.file, inc.line, globError);
            else if (files.isEmpty() && !optional)
                error(inc.file, inc.line, QStringLiteral("no matches for the wildcard %1 (Include)").arg(pattern));
        } else if (QFileInfo(pattern).isDir()) {
            const QDir dir(pattern);
            for (const QString &name : dir.entryList(QDir::Files, QDir::Name))
                files.append(dir.filePath(name));
        } else if (QFileInfo::exists(pattern) || !optional) {
            files.append(pattern);
        }
        for (const QString &file : std::as_const(files)) {
            if (QFileInfo(file).isDir())
                continue;
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
            QString readError;
            if (!readConfigFile(file, m_options.maxFileBytes, &text, &readError)) {
                error(inc.file, inc.line, readError);
                continue;
            }
            m_total += text.size();
            if (m_total > m_options.maxTotalBytes) {
                error(inc.file, inc.line,
                      QStringLiteral("configuration exceeds %1 bytes in total; reading stopped")
                          .arg(m_options.maxTotalBytes));
                m_aborted = true;
                return;
            }
            if (!m_config->files.contains(file))
                m_config->files.append(file);
            m_stack.append(key);
            parseText(file, text, out, includeDepth + 1);
            m_stack.removeLast();
        }
    }

    ApacheParseOptions m_options;
    ApacheConfig *m_config;
    QStringList m_stack;
    qint64 m_total = 0;
    int m_count = 0;
    bool m_aborted = false;
};

} // namespace

ApacheConfig parseApacheText(const QByteArray &text, const QString &fileName, const QString &serverRoot,
                             const ApacheParseOptions &options)
{
    ApacheConfig config;
    config.mainFile = fileName;
    config.serverRoot = serverRoot;
    ApacheParser parser(options, &config);
    parser.parseRoot(fileName, text);
    return config;
}

ApacheConfig parseApacheFile(const QString &path, const ApacheParseOptions &options)
{
    QByteArray text;
    QString readError;
    if (!readConfigFile(path, options.maxFileBytes, &text, &readError)) {
        ApacheConfig config;
        config.mainFile = path;
        config.errors.append(ConfigError{path, 0, readError, true});
        return config;
    }
    return parseApacheText(text, path, QFileInfo(path).absolutePath(), options);
}

QStringList parseApacheModuleList(const QByteArray &text)
{
    QStringList modules;
    static const QRegularExpression line(QStringLiteral("^\\s*([A-Za-z0-9_]+_module)\\s*\\((static|shared)\\)"));
    for (const QByteArray &raw : text.split('\n')) {
        const QRegularExpressionMatch m = line.match(QString::fromUtf8(raw));
        if (m.hasMatch())
            modules.append(m.captured(1));
    }
    return modules;
}

} // namespace dd
