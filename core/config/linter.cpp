#include "config/linter.h"

#include "config/apacheconfig.h"
#include "config/apachelint.h"
#include "config/configfile.h"
#include "config/dsconfig.h"
#include "config/dslint.h"
#include "config/integratorconfig.h"
#include "config/nginxconfig.h"
#include "config/nginxlint.h"
#include "config/nginxmodel.h"

#include <QDir>
#include <QFileInfo>

#include <optional>

namespace dd {

bool LintInputs::isEmpty() const
{
    return nginxFiles.isEmpty() && nginxDumps.isEmpty() && !hasNginxText && apacheFile.isEmpty()
           && dsConfig.isEmpty() && integratorFile.isEmpty();
}

namespace {

void lintNginxConfig(const NginxConfig &config, const LintCheckCatalog &catalog, LintResult *result,
                     SecureLinkSetting *secureLink)
{
    result->append(lintNginx(config, catalog));
    const NginxModel model(config);
    const SecureLinkSetting s = secureLinkSecret(model);
    if (!s.file.isEmpty())
        *secureLink = s;
}

} // namespace

LintResult lintConfiguration(const LintInputs &inputs, const LintCheckCatalog &catalog)
{
    LintResult result;
    SecureLinkSetting secureLink;
    const NginxParseOptions options;

    for (const QString &file : inputs.nginxFiles) {
        QByteArray text;
        QString error;
        if (!readConfigFile(file, options.maxFileBytes, &text, &error)) {
            result.inputs.append(file);
            result.errors.append(ConfigError{file, 0, error, true});
            continue;
        }
        const NginxConfig config = looksLikeNginxDump(text)
                                       ? parseNginxDump(text, file, options)
                                       : parseNginxText(text, file, QFileInfo(file).absolutePath(), options);
        lintNginxConfig(config, catalog, &result, &secureLink);
    }
    for (const QString &file : inputs.nginxDumps) {
        QByteArray text;
        QString error;
        if (!readConfigFile(file, options.maxFileBytes, &text, &error)) {
            result.inputs.append(file);
            result.errors.append(ConfigError{file, 0, error, true});
            continue;
        }
        lintNginxConfig(parseNginxDump(text, file, options), catalog, &result, &secureLink);
    }
    if (inputs.hasNginxText) {
        const QString name = inputs.nginxTextName.isEmpty() ? QStringLiteral("<stdin>") : inputs.nginxTextName;
        const NginxConfig config = looksLikeNginxDump(inputs.nginxText)
                                       ? parseNginxDump(inputs.nginxText, name, options)
                                       : parseNginxText(inputs.nginxText, name, QDir::currentPath(), options);
        lintNginxConfig(config, catalog, &result, &secureLink);
    }

    if (!inputs.apacheFile.isEmpty()) {
        ApacheConfig config = parseApacheFile(inputs.apacheFile);
        if (!inputs.apacheModulesFile.isEmpty()) {
            QByteArray text;
            QString error;
            if (readConfigFile(inputs.apacheModulesFile, 4 * 1024 * 1024, &text, &error)) {
                const QStringList modules = parseApacheModuleList(text);
                if (modules.isEmpty()) {
                    result.errors.append(ConfigError{inputs.apacheModulesFile, 0,
                                                     QStringLiteral("no modules listed (expected apachectl -M output)"),
                                                     true});
                } else {
                    config.modules += modules;
                    config.modulesKnown = true;
                }
            } else {
                result.errors.append(ConfigError{inputs.apacheModulesFile, 0, error, true});
            }
        }
        result.append(lintApache(config, catalog));
    }

    std::optional<DsConfig> ds;
    std::optional<IntegratorConfig> integrator;
    if (!inputs.dsConfig.isEmpty())
        ds = loadDsConfig(inputs.dsConfig);
    if (!inputs.integratorFile.isEmpty())
        integrator = loadIntegratorConfig(inputs.integratorFile);
    if (ds || integrator) {
        result.append(lintDocServer(ds ? &*ds : nullptr, integrator ? &*integrator : nullptr, secureLink, catalog));
    }
    result.normalize();
    return result;
}

} // namespace dd
