#include "config/linter.h"

#include "config/apacheconfig.h"
#include "config/apachelint.h"
#include "config/configfile.h"
#include "config/dsconfig.h"
#include "config/dslint.h"
#include "config/integratorconfig.h"
#include "config/nginxconfig.h"
#include "config/nginxcrosscheck.h"
#include "config/nginxlint.h"
#include "config/nginxmodel.h"

#include <QDir>
#include <QFileInfo>

#include <memory>
#include <optional>
#include <vector>

namespace dd {

bool LintInputs::isEmpty() const
{
    return nginxFiles.isEmpty() && nginxDumps.isEmpty() && !hasNginxText && apacheFile.isEmpty() &&
           dsConfig.isEmpty() && integratorFile.isEmpty() && jwtSecretFile.isEmpty();
}

namespace {

using Models = std::vector<std::unique_ptr<NginxModel>>;

void lintNginxConfig(const NginxConfig &config, const LintCheckCatalog &catalog, LintResult *result,
                     SecureLinkSetting *secureLink, Models *models)
{
    result->append(lintNginx(config, catalog));
    models->push_back(std::make_unique<NginxModel>(config));
    const SecureLinkSetting s = secureLinkSecret(*models->back());
    if (!s.file.isEmpty())
        *secureLink = s;
}

// The integrator as given by a bare secret file and header name (what `diagnose` takes).
std::optional<IntegratorConfig> integratorFromSecret(const LintInputs &inputs, LintResult *result)
{
    IntegratorConfig cfg;
    cfg.kind = QStringLiteral("integrator");
    cfg.file = inputs.jwtSecretFile.isEmpty() ? QStringLiteral("--jwt-header") : inputs.jwtSecretFile;
    cfg.jwtHeader = inputs.jwtHeader;
    if (!inputs.jwtSecretFile.isEmpty()) {
        QByteArray text;
        QString error;
        if (!readConfigFile(inputs.jwtSecretFile, 64 * 1024, &text, &error)) {
            result->inputs.append(inputs.jwtSecretFile);
            result->errors.append(ConfigError{inputs.jwtSecretFile, 0, error, true});
            return std::nullopt;
        }
        cfg.jwtSecret = QString::fromUtf8(text.trimmed());
        cfg.lines.insert(QStringLiteral("jwt_secret"), 1);
    }
    return cfg;
}

} // namespace

LintResult lintConfiguration(const LintInputs &inputs, const LintCheckCatalog &catalog)
{
    LintResult result;
    SecureLinkSetting secureLink;
    Models models;
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
        lintNginxConfig(config, catalog, &result, &secureLink, &models);
    }
    for (const QString &file : inputs.nginxDumps) {
        QByteArray text;
        QString error;
        if (!readConfigFile(file, options.maxFileBytes, &text, &error)) {
            result.inputs.append(file);
            result.errors.append(ConfigError{file, 0, error, true});
            continue;
        }
        lintNginxConfig(parseNginxDump(text, file, options), catalog, &result, &secureLink, &models);
    }
    if (inputs.hasNginxText) {
        const QString name = inputs.nginxTextName.isEmpty() ? QStringLiteral("<stdin>") : inputs.nginxTextName;
        const NginxConfig config = looksLikeNginxDump(inputs.nginxText)
                                       ? parseNginxDump(inputs.nginxText, name, options)
                                       : parseNginxText(inputs.nginxText, name, QDir::currentPath(), options);
        lintNginxConfig(config, catalog, &result, &secureLink, &models);
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
    if (!inputs.integratorFile.isEmpty()) {
        integrator = loadIntegratorConfig(inputs.integratorFile);
        if (!inputs.jwtSecretFile.isEmpty() || !inputs.jwtHeader.isEmpty()) {
            if (const auto given = integratorFromSecret(inputs, &result)) {
                if (!inputs.jwtSecretFile.isEmpty())
                    integrator->jwtSecret = given->jwtSecret;
                if (!inputs.jwtHeader.isEmpty())
                    integrator->jwtHeader = given->jwtHeader;
            }
        }
    } else if (!inputs.jwtSecretFile.isEmpty()) {
        integrator = integratorFromSecret(inputs, &result);
    }
    if (ds || integrator)
        result.append(lintDocServer(ds ? &*ds : nullptr, integrator ? &*integrator : nullptr, secureLink, catalog));
    if (models.size() > 1 || (!models.empty() && ds)) {
        QList<const NginxModel *> list;
        for (const auto &m : models)
            list.append(m.get());
        result.append(crossCheckNginx(list, ds ? &*ds : nullptr, catalog));
    }
    result.normalize();
    return result;
}

} // namespace dd
