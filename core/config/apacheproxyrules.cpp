#include "config/apacheproxyrules.h"

#include "config/dshints.h"

namespace dd::apache {

namespace {

bool isConditional(const ApacheDirective &d)
{
    return d.isSection &&
           (d.is(QLatin1String("IfModule")) || d.is(QLatin1String("IfDefine")) || d.is(QLatin1String("IfVersion")) ||
            d.is(QLatin1String("IfFile")) || d.is(QLatin1String("IfDirective")) || d.is(QLatin1String("If")));
}

bool isLocation(const ApacheDirective &d)
{
    return d.isSection && (d.is(QLatin1String("Location")) || d.is(QLatin1String("LocationMatch")));
}

Rule makeRule(const ApacheDirective *d, const QString &path, const QString &url, const QStringList &params)
{
    Rule r;
    r.directive = d;
    r.path = path;
    r.rawUrl = url;
    r.url = QUrl(url);
    for (const QString &p : params) {
        const qsizetype eq = p.indexOf(QLatin1Char('='));
        if (eq > 0)
            r.params.insert(p.left(eq).toLower(), p.mid(eq + 1));
    }
    return r;
}

} // namespace

void flatten(const QList<ApacheDirective> &list, QList<const ApacheDirective *> *out,
             QList<QPair<const ApacheDirective *, QList<const ApacheDirective *>>> *locations,
             QList<const ApacheDirective *> *vhosts)
{
    for (const ApacheDirective &d : list) {
        if (isConditional(d)) {
            flatten(d.children, out, locations, vhosts);
        } else if (d.isSection && d.is(QLatin1String("VirtualHost"))) {
            if (vhosts)
                vhosts->append(&d);
        } else if (isLocation(d)) {
            QList<const ApacheDirective *> inner;
            flatten(d.children, &inner, nullptr, nullptr);
            locations->append({&d, inner});
        } else if (!d.isSection) {
            out->append(&d);
        }
    }
}

QList<Rule> rulesOf(const Scope &s)
{
    QList<Rule> rules;
    bool upgradeCond = false;
    for (const ApacheDirective *d : s.directives) {
        if ((d->is(QLatin1String("ProxyPass")) || d->is(QLatin1String("ProxyPassMatch"))) && d->args.size() >= 2 &&
            d->arg(1) != QLatin1String("!")) {
            Rule r = makeRule(d, d->arg(0), d->arg(1), d->args.mid(2));
            r.regex = d->is(QLatin1String("ProxyPassMatch"));
            rules.append(r);
        } else if (d->is(QLatin1String("RewriteCond"))) {
            if (d->arg(0).contains(QLatin1String("HTTP:Upgrade"), Qt::CaseInsensitive) &&
                d->arg(1).contains(QLatin1String("websocket"), Qt::CaseInsensitive))
                upgradeCond = true;
        } else if (d->is(QLatin1String("RewriteRule"))) {
            const QString flags = d->arg(2).toUpper();
            if (d->args.size() >= 3 && flags.startsWith(QLatin1Char('[')) &&
                flags.mid(1, flags.size() - 2).split(QLatin1Char(',')).contains(QStringLiteral("P"))) {
                Rule r = makeRule(d, d->arg(0), d->arg(1), {});
                r.regex = r.rewrite = true;
                r.upgradeCondition = upgradeCond;
                rules.append(r);
            }
            upgradeCond = false;
        }
    }
    for (const auto &loc : s.locations) {
        for (const ApacheDirective *d : loc.second) {
            if (d->is(QLatin1String("ProxyPass")) && !d->args.isEmpty() && d->arg(0) != QLatin1String("!")) {
                Rule r = makeRule(d, loc.first->arg(0), d->arg(0), d->args.mid(1));
                r.location = loc.first;
                r.regex = loc.first->is(QLatin1String("LocationMatch"));
                rules.append(r);
            }
        }
    }
    return rules;
}

bool coversRoot(const Rule &r)
{
    if (r.regex)
        return r.path.contains(QLatin1String("(.*)")) &&
               !r.path.contains(QLatin1String("websocket"), Qt::CaseInsensitive);
    if (r.path == QLatin1String("/"))
        return true;
    return !isDocServerEndpointSegment(r.path.mid(1).section(QLatin1Char('/'), 0, 0));
}

} // namespace dd::apache
